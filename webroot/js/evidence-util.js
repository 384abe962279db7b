/*
 * Gameday evidence viewer: shared helpers (DOM building, number and UTC time formatting, citations).
 * Loaded before evidence-log.js, evidence-chart.js and evidence.js; sets window.GamedayEvidenceUtil.
 */
(function () {
  'use strict';

  var numFmt = typeof Intl !== 'undefined' ? new Intl.NumberFormat('en-US') : null;

  // ---------------------------------------------------------------- helpers

  function h(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        var v = attrs[k];
        if (v == null || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    if (children) {
      for (var i = 0; i < children.length; i++) {
        var c = children[i];
        if (c == null || c === false) continue;
        e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
      }
    }
    return e;
  }

  function fmtInt(n) { return numFmt ? numFmt.format(n) : String(n); }

  function plural(n, one, many) { return fmtInt(n) + ' ' + (n === 1 ? one : many); }

  /** seconds since epoch -> 2026-09-15T14:06:00Z (milliseconds kept only when non-zero) */
  function isoUTC(sec) {
    var s = new Date(Math.round(sec * 1000)).toISOString();
    return s.slice(-5) === '.000Z' ? s.slice(0, -5) + 'Z' : s;
  }

  /** seconds since epoch -> "2026-09-15 14:06:00 UTC" for human reading */
  function humanUTC(sec) {
    var s = isoUTC(sec);
    return s.slice(0, 10) + ' ' + s.slice(11, -1) + ' UTC';
  }

  /** compact time range text, eg "2026-09-15 12:00 to 16:00 UTC" */
  function rangeUTC(a, b) {
    var sa = isoUTC(a), sb = isoUTC(b);
    var ta = sa.slice(11, 16), tb = sb.slice(11, 16);
    if (sa.slice(0, 10) === sb.slice(0, 10)) return sa.slice(0, 10) + ' ' + ta + ' to ' + tb + ' UTC';
    return sa.slice(0, 10) + ' ' + ta + ' to ' + sb.slice(0, 10) + ' ' + tb + ' UTC';
  }

  function fmtNum(v) {
    if (v == null || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a === 0) return '0';
    if (a >= 1000) return numFmt ? new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(v) : String(v);
    if (a >= 0.001) return String(Number(v.toPrecision(4)));
    return v.toExponential(2);
  }

  /** parse a time cell to seconds since epoch (UTC); NaN when unreadable */
  function parseTime(s) {
    s = (s || '').trim();
    if (!s) return NaN;
    if (/^-?\d+(\.\d+)?$/.test(s)) {           // epoch seconds or milliseconds
      var n = Number(s);
      return Math.abs(n) > 1e11 ? n / 1000 : n;
    }
    var m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?)(.*)$/.exec(s);
    if (m) {
      var zone = m[3].trim();
      if (zone === '' ) zone = 'Z';               // no zone given: the format says UTC
      else if (/^(UTC|GMT)$/i.test(zone)) zone = 'Z';
      s = m[1] + 'T' + m[2].replace(',', '.') + zone;
    }
    return Date.parse(s) / 1000;
  }

  function truncate(s, n) {
    return s.length > n ? s.slice(0, n).replace(/\s+$/, '') + '…' : s;
  }

  function cite(text) {
    document.dispatchEvent(new CustomEvent('gameday:cite', { detail: { text: text } }));
  }

  /**
   * Reports an investigation step to the trail (trail.js, on the candidate's exercise page only; elsewhere nothing
   * happens). Never throws: the trail must not get in the way of the viewer.
   */
  function trail(ctx, kind, detail, settle) {
    try {
      var T = window.GamedayTrail;
      if (T && ctx && typeof ctx.index === 'number' && ctx.index >= 0) T.record(kind, ctx.index, detail, settle);
    } catch (e) { /* ignore */ }
  }

  function debounce(fn, ms) {
    var t = 0;
    var d = function () { clearTimeout(t); t = setTimeout(fn, ms); };
    d.now = function () { clearTimeout(t); fn(); };
    return d;
  }

  /** a small polite status line used to confirm citations */
  function makeAnnouncer() {
    var p = h('p', { class: 'ev-announce', role: 'status' });
    var t = 0;
    p.say = function (msg) {
      clearTimeout(t);
      p.textContent = msg;
      t = setTimeout(function () { p.textContent = ''; }, 5000);
    };
    return p;
  }

  function downloadLink(ctx) {
    return h('p', { class: 'ev-download' }, [h('a', { href: ctx.src, download: ctx.name, text: 'Download ' + ctx.name })]);
  }

  window.GamedayEvidenceUtil = {
    h: h, fmtInt: fmtInt, plural: plural, isoUTC: isoUTC, humanUTC: humanUTC, rangeUTC: rangeUTC, fmtNum: fmtNum, parseTime: parseTime, truncate: truncate, cite: cite, debounce: debounce, makeAnnouncer: makeAnnouncer, downloadLink: downloadLink, trail: trail
  };
})();
