/*
 * Gameday evidence viewer.
 *
 * Fills every <section class="evidence" data-kind="log|csv|text"> on the page:
 *  - csv:  uPlot time-series charts (UTC, zoom, annotations, cite a point) plus a lazily built data table;
 *  - log:  virtual-scrolled viewer with line numbers, text filter, level filter and a Cite action per line;
 *  - text: the same viewer without the level filter.
 * Files are fetched lazily when their section comes near the viewport.
 * Citations are sent as document-level CustomEvent('gameday:cite', {detail: {text}}).
 *
 * Modules, loaded in this order with plain <script defer>: evidence-util.js (helpers), evidence-log.js (log viewer),
 * evidence-chart.js (CSV charts and table), then this file (lazy loading and start).
 * No dependencies except the global `uPlot` (charts only). CSP-safe: no inline styles in markup, no eval.
 */
(function () {
  'use strict';

  var U = window.GamedayEvidenceUtil;
  var h = U.h, fmtInt = U.fmtInt, plural = U.plural, isoUTC = U.isoUTC, humanUTC = U.humanUTC, rangeUTC = U.rangeUTC, fmtNum = U.fmtNum, parseTime = U.parseTime, truncate = U.truncate, cite = U.cite, debounce = U.debounce, makeAnnouncer = U.makeAnnouncer, downloadLink = U.downloadLink;
  var LogViewer = window.GamedayEvidenceLog.LogViewer;
  var renderCsv = window.GamedayEvidenceChart.renderCsv;

  var uid = 0;

  // ---------------------------------------------------------------- loading

  function parseConfig(raw) {
    if (!raw) return {};
    try {
      var c = JSON.parse(raw);
      return c && typeof c === 'object' ? c : {};
    } catch (e) {
      if (window.console) console.warn('evidence: ignoring unreadable data-config', e);
      return {};
    }
  }

  function setup(section) {
    if (section.getAttribute('data-ev-ready')) return;
    var kind = (section.getAttribute('data-kind') || '').toLowerCase();
    if (kind !== 'log' && kind !== 'csv' && kind !== 'text') return;
    section.setAttribute('data-ev-ready', '1');
    var body = section.querySelector('.evidence-body');
    if (!body) { body = h('div', { class: 'evidence-body' }); section.appendChild(body); }
    var ctx = {
      section: section,
      body: body,
      kind: kind,
      src: section.getAttribute('data-src'),
      name: section.getAttribute('data-name') || 'evidence',
      config: parseConfig(section.getAttribute('data-config')),
      id: 'ev' + (++uid),
      // its place in the exercise's evidence list, for the investigation trail (absent on reviewer pages)
      index: section.hasAttribute('data-evidence') ? Number(section.getAttribute('data-evidence')) : -1,
      loaded: false
    };
    // the server's fallback content (a download link) stays until the file is fetched
    if (!body.firstChild) body.appendChild(h('p', { class: 'ev-status', text: 'Will load when you scroll to it.' }));
    // reserve roughly the final height, so that only sections near the viewport load and the page does not jump
    var nCharts = kind === 'csv' ? Math.max(1, Array.isArray(ctx.config.charts) ? ctx.config.charts.length : 1) : 0;
    body.style.minHeight = kind === 'csv' ? (nCharts * 24 + 6) + 'rem' : '30rem';
    var go = function () {
      if (ctx.loaded) return;
      ctx.loaded = true;
      load(ctx);
    };
    section._evLoad = function () {
      pending.delete(section);
      if (observer) observer.unobserve(section);
      section.removeEventListener('focusin', section._evLoad);
      go();
    };
    section.addEventListener('focusin', section._evLoad);
    if (observer) { pending.add(section); observer.observe(section); } else go();
  }

  // Lazy loading. The observer catches sections that become visible (scrolled to, or a closed <details> opened);
  // checkPending() also loads sections within NEAR px of the visible part of the viewport and of any scrolling
  // ancestor (the exercise page scrolls the evidence inside a pane, where rootMargin does not apply).
  var NEAR = 500;
  var pending = new Set();
  var observer = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) {
        var en = entries[i];
        if (en.isIntersecting && en.target._evLoad) en.target._evLoad();
      }
    }, { rootMargin: NEAR + 'px 0px' })
    : null;

  function isNear(sec) {
    var r = sec.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;            // not rendered (display: none, closed details)
    if (r.bottom < -NEAR || r.top > window.innerHeight + NEAR) return false;
    for (var a = sec.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      var oy = getComputedStyle(a).overflowY;
      if (oy === 'auto' || oy === 'scroll' || oy === 'hidden') {
        var ar = a.getBoundingClientRect();
        if (r.bottom < ar.top - NEAR || r.top > ar.bottom + NEAR) return false;
      }
    }
    return true;
  }

  var checkQueued = false;
  function checkPending() {
    if (checkQueued || !pending.size) return;
    checkQueued = true;
    setTimeout(function () {
      checkQueued = false;
      pending.forEach(function (sec) { if (isNear(sec)) sec._evLoad(); });
    }, 100);
  }
  document.addEventListener('scroll', checkPending, { capture: true, passive: true });
  window.addEventListener('resize', checkPending);
  document.addEventListener('toggle', checkPending, true);

  function load(ctx, retrying) {
    var body = ctx.body;
    body.setAttribute('aria-busy', 'true');
    var loading = h('p', { class: 'ev-status ev-loading', role: 'status', tabindex: retrying ? '-1' : null, text: 'Loading ' + ctx.name + '…' });
    body.replaceChildren(loading);
    if (retrying) loading.focus();
    var stage = 'load';
    fetch(ctx.src, { credentials: 'same-origin', headers: { Accept: 'text/plain, text/csv, */*;q=0.5' } })
      .then(function (res) {
        if (!res.ok) throw new Error('the server answered ' + res.status + (res.statusText ? ' ' + res.statusText : '') + '.');
        var ct = res.headers.get('content-type') || '';
        if (res.redirected && /text\/html/i.test(ct)) {
          throw new Error('the server sent a web page instead of the file. Your session may have expired: reload the page.');
        }
        return res.text();
      })
      .then(function (text) {
        stage = 'show';
        // give the browser a frame to paint "Loading…" before parsing a large file
        return new Promise(function (resolve) {
          var done = false;
          var go = function () { if (!done) { done = true; resolve(); } };
          requestAnimationFrame(function () { setTimeout(go, 0); });
          setTimeout(go, 50);   // rAF does not run in background tabs
        })
          .then(function () {
            body.replaceChildren();
            body.style.minHeight = '';
            if (ctx.kind === 'csv') renderCsv(ctx, text);
            else new LogViewer(ctx, text);
            if (retrying) {
              var first = body.querySelector('input, button:not([disabled]), summary');
              if (first) first.focus();
            }
          });
      })
      .catch(function (err) {
        if (window.console) console.error('evidence: ' + ctx.name, err);
        var msg = err && err.message ? err.message : String(err);
        if (err instanceof TypeError && stage === 'load') msg = 'the network request failed. Check your connection.';
        var retry = h('button', { type: 'button', class: 'ev-btn', text: 'Retry' });
        retry.addEventListener('click', function () { load(ctx, true); });
        body.style.minHeight = '';
        body.replaceChildren(h('div', { class: 'ev-error', role: 'alert' }, [
          h('p', { text: (stage === 'load' ? 'Could not load ' : 'Could not display ') + ctx.name + ': ' + msg }),
          retry
        ]));
      })
      .then(function () {
        body.removeAttribute('aria-busy');
        if (retrying && !body.contains(document.activeElement)) {
          var b = body.querySelector('.ev-error button');
          if (b) b.focus();
        }
      });
  }

  // ---------------------------------------------------------------- start

  function init(root) {
    var list = (root || document).querySelectorAll('section.evidence[data-kind]');
    for (var i = 0; i < list.length; i++) setup(list[i]);
    checkPending();
  }

  window.GamedayEvidence = { init: init };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { init(); });
  else init();
})();
