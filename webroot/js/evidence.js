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
 * No dependencies except the global `uPlot` (charts only). CSP-safe: no inline styles in markup, no eval.
 */
(function () {
  'use strict';

  var CITE_MAX = 200;          // characters of a log line kept in a citation
  var DISPLAY_MAX = 2000;      // characters of a log line drawn on screen (longer lines are cut with a note)
  var OVERSCAN = 12;           // rows rendered above and below the visible window
  var FILTER_DELAY = 200;      // ms debounce of the text filter
  var TABLE_PAGE = 1000;       // rows added to a data table per "Show more"

  // Level codes: 0 = none/other, then increasing severity.
  var LEVEL_NAMES = ['OTHER', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  var LEVEL_CODE = { TRACE: 1, DEBUG: 1, INFO: 2, WARN: 3, WARNING: 3, ERROR: 4, FATAL: 5, CRITICAL: 5 };
  // timestamp + whitespace + level; group 1 = everything before the level word, group 2 = the level word
  var LEVEL_RE = /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?\s+\[?)(TRACE|DEBUG|INFO|WARNING|WARN|ERROR|FATAL|CRITICAL)(?=[\]\s:]|$)/;

  // Series colours: distinct, each at least 4.5:1 against white.
  var PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#0e7490', '#be123c', '#4d7c0f', '#475569'];

  var uid = 0;
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

  // ---------------------------------------------------------------- log / text viewer

  function LogViewer(ctx, text) {
    this.ctx = ctx;
    this.name = ctx.name;
    this.withLevels = ctx.kind === 'log';
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    var lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    this.lines = lines;
    var n = lines.length;
    this.levels = new Uint8Array(n);
    this.cont = new Uint8Array(n);       // 1 = continuation line (inherits the level above)
    this.counts = [0, 0, 0, 0, 0, 0];
    var maxLen = 0, lvl = 0;
    for (var i = 0; i < n; i++) {
      var s = lines[i];
      if (s.length > maxLen) maxLen = s.length;
      if (this.withLevels) {
        var c = s.charCodeAt(0);
        var m = c >= 48 && c <= 57 ? LEVEL_RE.exec(s) : null;
        if (m) lvl = LEVEL_CODE[m[2]];
        else this.cont[i] = 1;
        this.levels[i] = lvl;
        this.counts[lvl]++;
      }
    }
    this.maxLen = Math.min(maxLen, DISPLAY_MAX + 24);
    this.filtered = null;    // Int32Array of visible line indexes, or null = all
    this.lower = null;       // lower-cased lines, built on first text filter
    this.query = '';
    this.allowed = [true, true, true, true, true, true];
    this.rows = new Map();   // line index -> row element
    this.lineH = 20;
    this.activeIdx = 0;      // the line whose button is in the tab order (roving tabindex)
    this.setSize = -1;
    this.build();
  }

  LogViewer.prototype.count = function () {
    return this.filtered ? this.filtered.length : this.lines.length;
  };

  LogViewer.prototype.idxAt = function (pos) {
    return this.filtered ? this.filtered[pos] : pos;
  };

  /** position of line idx in the current view, or -1 */
  LogViewer.prototype.posOf = function (idx) {
    var f = this.filtered;
    if (!f) return idx < this.lines.length ? idx : -1;
    var lo = 0, hi = f.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (f[mid] === idx) return mid;
      if (f[mid] < idx) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  };

  /** first position whose line index is >= idx */
  LogViewer.prototype.posAtOrAfter = function (idx) {
    var f = this.filtered;
    if (!f) return Math.min(idx, this.lines.length - 1);
    var lo = 0, hi = f.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (f[mid] < idx) lo = mid + 1; else hi = mid;
    }
    return Math.min(lo, f.length - 1);
  };

  LogViewer.prototype.build = function () {
    var self = this, ctx = this.ctx, id = ctx.id;
    var root = h('div', { class: 'ev-viewer ev-log' + (this.withLevels ? '' : ' ev-plain') });

    // toolbar
    var input = h('input', {
      type: 'search', id: id + '-q', class: 'ev-input', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'Text in the line', 'aria-controls': id + '-lines'
    });
    this.input = input;
    var bar = h('div', { class: 'ev-toolbar' }, [
      h('div', { class: 'ev-field' }, [h('label', { for: id + '-q', text: 'Filter lines' }), input])
    ]);
    var refilter = debounce(function () { self.applyFilter(); }, FILTER_DELAY);
    input.addEventListener('input', refilter);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { e.preventDefault(); refilter.now(); }
    });

    if (this.withLevels) {
      var fs = h('fieldset', { class: 'ev-levels' }, [h('legend', { text: 'Levels' })]);
      this.checks = [];
      for (var lv = 1; lv <= 5; lv++) this.addLevelCheck(fs, lv, refilter);
      if (this.counts[0] > 0) this.addLevelCheck(fs, 0, refilter);
      bar.appendChild(fs);
    }
    var clear = h('button', { type: 'button', class: 'ev-btn', text: 'Clear filters' });
    clear.addEventListener('click', function () {
      input.value = '';
      if (self.checks) self.checks.forEach(function (c) { c.checked = true; self.allowed[c._lv] = true; });
      refilter.now();
    });
    bar.appendChild(clear);
    root.appendChild(bar);

    this.status = h('p', { class: 'ev-count', role: 'status', 'aria-live': 'polite' });
    root.appendChild(this.status);

    // virtual scroller
    var vp = h('div', { class: 'ev-scroll', id: id + '-lines' });
    var gutterCh = String(this.lines.length).length + 7;
    vp.style.setProperty('--ev-digits', (gutterCh - 7) + 'ch');
    var sizer = h('div', { class: 'ev-sizer', role: 'list', 'aria-label': this.name + ' lines' });
    sizer.style.width = 'calc(' + (this.maxLen + gutterCh + 3) + 'ch + 1rem)';
    var empty = h('p', { class: 'ev-empty', hidden: true, text: 'No lines match the filters.' });
    vp.appendChild(sizer);
    vp.appendChild(empty);
    this.viewport = vp;
    this.sizer = sizer;
    this.empty = empty;
    root.appendChild(vp);

    root.appendChild(h('p', { class: 'ev-hint', id: id + '-hint', text:
      'Select a line number to cite that line in your answer. In the list, use the arrow keys, Page Up/Down, Home and End to move between lines.' }));
    this.announce = makeAnnouncer();
    root.appendChild(this.announce);
    root.appendChild(downloadLink(ctx));

    ctx.body.appendChild(root);
    this.measure();

    // scroll events already arrive at most once per frame; rendering ~50 rows is cheap
    vp.addEventListener('scroll', function () { self.render(); }, { passive: true });

    sizer.addEventListener('click', function (e) {
      var b = e.target.closest ? e.target.closest('.ev-ln') : null;
      if (!b) return;
      var idx = +b.getAttribute('data-idx');
      self.activeIdx = idx;
      self.citeLine(idx);
    });
    sizer.addEventListener('keydown', function (e) { self.onKey(e); });
    sizer.addEventListener('focusin', function (e) {
      var b = e.target.closest ? e.target.closest('.ev-ln') : null;
      if (b) self.setActive(+b.getAttribute('data-idx'));
    });

    if (typeof ResizeObserver === 'function') {
      var lastH = -1, lastW = -1;
      new ResizeObserver(function () {
        if (vp.clientHeight !== lastH || vp.clientWidth !== lastW) {
          lastH = vp.clientHeight; lastW = vp.clientWidth;
          self.measure();
          self.render();
        }
      }).observe(vp);
    }
    this.updateStatus();
    this.render();
  };

  LogViewer.prototype.addLevelCheck = function (fs, lv, refilter) {
    var self = this;
    var cb = h('input', { type: 'checkbox', checked: true, id: this.ctx.id + '-lv' + lv, 'aria-controls': this.ctx.id + '-lines' });
    cb.checked = true;
    cb._lv = lv;
    cb.addEventListener('change', function () { self.allowed[lv] = cb.checked; refilter.now(); });
    this.checks.push(cb);
    fs.appendChild(h('span', { class: 'ev-check' }, [
      cb,
      h('label', { for: cb.id }, [
        h('span', { class: 'ev-lv ev-lv' + lv, text: lv === 0 ? 'other' : LEVEL_NAMES[lv] }),
        h('span', { class: 'ev-n', text: ' ' + fmtInt(this.counts[lv]) })
      ])
    ]));
  };

  /** line height in px, measured from a probe row so that zoom and font settings are respected */
  LogViewer.prototype.measure = function () {
    var probe = h('div', { class: 'ev-row ev-probe', 'aria-hidden': 'true' }, [h('span', { class: 'ev-text', text: 'Xg' })]);
    this.sizer.appendChild(probe);
    var hgt = probe.getBoundingClientRect().height;
    probe.remove();
    var lh = Math.max(12, Math.ceil(hgt || 20));
    if (lh !== this.lineH) {
      // keep the first visible line in place
      var top = Math.floor(this.viewport.scrollTop / this.lineH);
      this.lineH = lh;
      this.viewport.style.setProperty('--ev-lh', lh + 'px');
      this.rows.forEach(function (r) { r.remove(); });
      this.rows.clear();
      this.sizer.style.height = this.count() * lh + 'px';
      this.viewport.scrollTop = top * lh;
    } else {
      this.viewport.style.setProperty('--ev-lh', lh + 'px');
      this.sizer.style.height = this.count() * lh + 'px';
    }
    // short files: do not reserve the full box height (room left for a horizontal scrollbar)
    this.viewport.style.maxHeight = Math.max(4, this.lines.length) * lh + 24 + 'px';
  };

  LogViewer.prototype.applyFilter = function () {
    var q = this.input.value.trim().toLowerCase();
    var allowed = this.allowed;
    var all = true;
    if (this.withLevels) for (var a = 0; a < allowed.length; a++) if (!allowed[a]) all = false;
    var vp = this.viewport;
    // remember the line at the top so the view stays anchored
    var anchor = this.count() ? this.idxAt(Math.min(this.count() - 1, Math.floor(vp.scrollTop / this.lineH))) : 0;
    var atTop = vp.scrollTop === 0;

    if (!q && all) {
      this.filtered = null;
    } else {
      var lines = this.lines, n = lines.length;
      if (q && !this.lower) {
        this.lower = new Array(n);
        for (var j = 0; j < n; j++) this.lower[j] = lines[j].toLowerCase();
      }
      var lower = this.lower, levels = this.levels, withLevels = this.withLevels;
      var out = new Int32Array(n), k = 0;
      for (var i = 0; i < n; i++) {
        if (withLevels && !allowed[levels[i]]) continue;
        if (q && lower[i].indexOf(q) < 0) continue;
        out[k++] = i;
      }
      this.filtered = out.slice(0, k);
    }
    this.query = q;
    this.sizer.style.height = this.count() * this.lineH + 'px';
    if (this.count()) {
      vp.scrollTop = atTop ? 0 : this.posAtOrAfter(anchor) * this.lineH;
      if (this.posOf(this.activeIdx) < 0) this.activeIdx = this.idxAt(this.posAtOrAfter(this.activeIdx));
    }
    this.updateStatus();
    this.render();
  };

  LogViewer.prototype.updateStatus = function () {
    var total = this.lines.length, shown = this.count();
    var msg = 'Showing ' + fmtInt(shown) + ' of ' + plural(total, 'line', 'lines');
    if (this.query) msg += ' containing “' + this.input.value.trim() + '”';
    this.status.textContent = msg + '.';
    this.empty.hidden = shown !== 0 || total === 0;
    if (total === 0) { this.empty.hidden = false; this.empty.textContent = 'This file is empty.'; }
  };

  LogViewer.prototype.render = function () {
    var n = this.count(), lh = this.lineH, vp = this.viewport;
    var st = vp.scrollTop, ht = vp.clientHeight || 400;
    var first = Math.max(0, Math.floor(st / lh) - OVERSCAN);
    var last = Math.min(n - 1, Math.ceil((st + ht) / lh) + OVERSCAN);
    var old = this.rows, keep = new Map(), frag = document.createDocumentFragment();
    var active = document.activeElement;
    var focusedIdx = -1;
    if (active && this.sizer.contains(active) && active.classList.contains('ev-ln')) focusedIdx = +active.getAttribute('data-idx');

    // keep the roving tab stop on a line that is on screen, unless the user is on a line
    if (focusedIdx < 0 && n) {
      var ap = this.posOf(this.activeIdx);
      var vFirst = Math.min(n - 1, Math.ceil(st / lh)), vLast = Math.max(vFirst, Math.floor((st + ht) / lh) - 1);
      if (ap < vFirst || ap > vLast) this.activeIdx = this.idxAt(vFirst);
    }

    var sizeChanged = this.setSize !== n;
    this.setSize = n;
    for (var pos = first; pos <= last; pos++) {
      var idx = this.idxAt(pos);
      var row = old.get(idx);
      if (row && row._q !== this.query && idx !== focusedIdx) { row.remove(); row = null; }
      if (!row) { row = this.makeRow(idx); frag.appendChild(row); }
      else if (row._q !== this.query) this.fillText(row.lastChild, idx);
      this.placeRow(row, pos, n, sizeChanged);
      keep.set(idx, row);
    }
    var self = this;
    old.forEach(function (row, idx) {
      if (keep.has(idx)) return;
      if (idx === focusedIdx) {
        var p = self.posOf(idx);
        if (p >= 0) { self.placeRow(row, p, n, sizeChanged); keep.set(idx, row); return; }
        row.remove();
        self.input.focus();
        return;
      }
      row.remove();
    });
    this.sizer.appendChild(frag);
    this.rows = keep;
    var act = this.activeIdx;
    keep.forEach(function (row, idx) {
      var b = row.firstChild;
      var t = idx === act ? '0' : '-1';
      if (b.getAttribute('tabindex') !== t) b.setAttribute('tabindex', t);
    });
  };

  LogViewer.prototype.placeRow = function (row, pos, n, sizeChanged) {
    if (row._pos !== pos) {
      row._pos = pos;
      row.style.top = pos * this.lineH + 'px';
      row.setAttribute('aria-posinset', pos + 1);
    }
    if (sizeChanged || row._n !== n) { row._n = n; row.setAttribute('aria-setsize', n); }
  };

  LogViewer.prototype.makeRow = function (idx) {
    var lvl = this.levels[idx];
    var cls = 'ev-row';
    if (this.withLevels) cls += ' ev-r' + lvl + (this.cont[idx] ? ' ev-cont' : '');
    var row = document.createElement('div');
    row.className = cls;
    row.setAttribute('role', 'listitem');
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'ev-ln';
    b.setAttribute('data-idx', idx);
    b.setAttribute('tabindex', '-1');
    b.setAttribute('aria-label', 'Cite line ' + (idx + 1));
    b.title = 'Cite line ' + (idx + 1);
    var num = document.createElement('span');
    num.className = 'ev-ln-num';
    num.textContent = idx + 1;
    var hint = document.createElement('span');
    hint.className = 'ev-ln-cite';
    hint.setAttribute('aria-hidden', 'true');
    hint.textContent = 'Cite';
    b.appendChild(num);
    b.appendChild(hint);
    var txt = document.createElement('span');
    txt.className = 'ev-text';
    row.appendChild(b);
    row.appendChild(txt);
    this.fillText(txt, idx);
    return row;
  };

  /** draw a line: level word as a labelled badge, filter matches as <mark> */
  LogViewer.prototype.fillText = function (span, idx) {
    var row = span.parentNode;
    row._q = this.query;
    var full = this.lines[idx];
    var s = full.length > DISPLAY_MAX ? full.slice(0, DISPLAY_MAX) : full;
    span.replaceChildren();
    var len = s.length;
    var lvA = -1, lvB = -1;
    if (this.withLevels && !this.cont[idx]) {
      var m = LEVEL_RE.exec(s);
      if (m) { lvA = m[1].length; lvB = lvA + m[2].length; }
    }
    var q = this.query;
    var marks = null;
    if (q) {
      marks = [];
      var low = this.lower ? this.lower[idx] : s.toLowerCase();
      var from = 0, at;
      while ((at = low.indexOf(q, from)) >= 0 && at < len) { marks.push(at, Math.min(len, at + q.length)); from = at + q.length; }
    }
    if (lvA < 0 && (!marks || !marks.length)) {
      span.textContent = s;
    } else {
      // cut points
      var cuts = [0, len];
      if (lvA >= 0) cuts.push(lvA, lvB);
      if (marks) for (var i = 0; i < marks.length; i++) cuts.push(marks[i]);
      cuts.sort(function (a, b) { return a - b; });
      var lvlName = LEVEL_NAMES[this.levels[idx]];
      for (var c = 0; c < cuts.length - 1; c++) {
        var a = cuts[c], b = cuts[c + 1];
        if (a === b) continue;
        var piece = s.slice(a, b);
        var inMark = false;
        if (marks) for (var k = 0; k < marks.length; k += 2) if (a >= marks[k] && a < marks[k + 1]) { inMark = true; break; }
        var node = document.createTextNode(piece);
        if (inMark) { var mk = document.createElement('mark'); mk.className = 'ev-mark'; mk.appendChild(node); node = mk; }
        if (a >= lvA && a < lvB) {
          var lv = document.createElement('span');
          lv.className = 'ev-lv ev-lv' + this.levels[idx];
          lv.title = lvlName;
          lv.appendChild(node);
          node = lv;
        }
        span.appendChild(node);
      }
    }
    if (full.length > DISPLAY_MAX) {
      span.appendChild(h('span', { class: 'ev-cut', text: ' … [' + fmtInt(full.length - DISPLAY_MAX) + ' more characters]' }));
    }
  };

  LogViewer.prototype.setActive = function (idx) {
    if (this.activeIdx === idx) return;
    this.activeIdx = idx;
    this.rows.forEach(function (row, i) { row.firstChild.setAttribute('tabindex', i === idx ? '0' : '-1'); });
  };

  LogViewer.prototype.onKey = function (e) {
    var b = e.target;
    if (!b.classList || !b.classList.contains('ev-ln')) return;
    var n = this.count();
    if (!n) return;
    var pos = this.posOf(+b.getAttribute('data-idx'));
    var page = Math.max(1, Math.floor(this.viewport.clientHeight / this.lineH) - 1);
    var to;
    switch (e.key) {
      case 'ArrowDown': to = pos + 1; break;
      case 'ArrowUp': to = pos - 1; break;
      case 'PageDown': to = pos + page; break;
      case 'PageUp': to = pos - page; break;
      case 'Home': to = 0; break;
      case 'End': to = n - 1; break;
      case 'ArrowRight': this.viewport.scrollLeft += 80; e.preventDefault(); return;
      case 'ArrowLeft': this.viewport.scrollLeft -= 80; e.preventDefault(); return;
      default: return;
    }
    e.preventDefault();
    this.focusPos(Math.max(0, Math.min(n - 1, to)));
  };

  LogViewer.prototype.focusPos = function (pos) {
    var vp = this.viewport, lh = this.lineH;
    var top = pos * lh, st = vp.scrollTop, ht = vp.clientHeight;
    if (top < st) vp.scrollTop = top;
    else if (top + lh > st + ht) vp.scrollTop = top + lh - ht;
    var idx = this.idxAt(pos);
    this.activeIdx = idx;
    this.render();
    var row = this.rows.get(idx);
    if (row) {
      this.setActive(idx);
      row.firstChild.focus({ preventScroll: true });
    }
  };

  LogViewer.prototype.citeLine = function (idx) {
    var line = this.lines[idx].replace(/\s+$/, '');
    var ref = this.name + ':' + (idx + 1);
    cite('`' + ref + '` ' + truncate(line, CITE_MAX));
    this.announce.say('Cited ' + ref + ' in your answer.');
  };

  // ---------------------------------------------------------------- CSV

  function splitCsv(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    var rows = [];
    if (text.indexOf('"') < 0) {
      var lines = text.split(/\r?\n/);
      for (var i = 0; i < lines.length; i++) if (lines[i].trim() !== '') rows.push(lines[i].split(','));
      return rows;
    }
    var row = [], field = '', q = false, n = text.length;
    for (var j = 0; j < n; j++) {
      var c = text[j];
      if (q) {
        if (c === '"') { if (text[j + 1] === '"') { field += '"'; j++; } else q = false; }
        else field += c;
      } else if (c === '"') q = true;
      else if (c === ',') { row.push(field); field = ''; }
      else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[j + 1] === '\n') j++;
        row.push(field); field = '';
        if (row.length > 1 || row[0].trim() !== '') rows.push(row);
        row = [];
      } else field += c;
    }
    row.push(field);
    if (row.length > 1 || row[0].trim() !== '') rows.push(row);
    return rows;
  }

  /** -> {header, timeName, times: number[], raw: string[][] (per row, cells without time), cols: [{name, values, numeric, min, max}], skipped} */
  function parseCsv(text) {
    var rows = splitCsv(text);
    if (!rows.length) throw new Error('the file is empty.');
    var header = rows[0].map(function (s) { return s.trim(); });
    var tc = 0;
    for (var i = 0; i < header.length; i++) if (header[i].toLowerCase() === 'time') { tc = i; break; }
    var recs = [], skipped = 0, sorted = true, prev = -Infinity;
    for (var r = 1; r < rows.length; r++) {
      var t = parseTime(rows[r][tc]);
      if (!isFinite(t)) { skipped++; continue; }
      if (t < prev) sorted = false;
      prev = t;
      recs.push({ t: t, cells: rows[r] });
    }
    if (!sorted) recs.sort(function (a, b) { return a.t - b.t; });
    var cols = [];
    for (var c = 0; c < header.length; c++) {
      if (c === tc) continue;
      var values = new Array(recs.length), numeric = false, min = Infinity, max = -Infinity;
      for (var k = 0; k < recs.length; k++) {
        var s = recs[k].cells[c];
        s = s == null ? '' : s.trim();
        var v = s === '' ? null : Number(s);
        if (v != null && !isFinite(v)) v = null;
        if (v != null) { numeric = true; if (v < min) min = v; if (v > max) max = v; }
        values[k] = v;
      }
      cols.push({ name: header[c] || ('column ' + (c + 1)), index: c, values: values, numeric: numeric, min: min, max: max });
    }
    return {
      timeName: header[tc] || 'time',
      timeIndex: tc,
      times: recs.map(function (x) { return x.t; }),
      raw: recs.map(function (x) { return x.cells; }),
      cols: cols,
      skipped: skipped
    };
  }

  function rawCell(data, row, col) {
    var s = data.raw[row][col.index];
    s = s == null ? '' : s.trim();
    return s === '' ? 'n/a' : s;
  }

  function citeRow(ctx, data, row, cols) {
    var parts = cols.map(function (col) { return col.name + '=' + rawCell(data, row, col); });
    var ref = '`' + ctx.name + '` ' + isoUTC(data.times[row]);
    cite(ref + (parts.length ? ' ' + parts.join(', ') : ''));
    ctx.announce.say('Cited ' + ctx.name + ' at ' + humanUTC(data.times[row]) + ' in your answer.');
  }

  function renderCsv(ctx, text) {
    var data = parseCsv(text);
    var cfg = ctx.config || {};
    var root = h('div', { class: 'ev-viewer ev-csv' });
    ctx.body.appendChild(root);
    ctx.announce = makeAnnouncer();
    var tableId = ctx.id + '-table';

    var numeric = data.cols.filter(function (c) { return c.numeric; });
    var byName = Object.create(null);
    data.cols.forEach(function (c) { byName[c.name] = c; byName[c.name.toLowerCase()] = byName[c.name.toLowerCase()] || c; });

    var annots = [];
    (Array.isArray(cfg.annotations) ? cfg.annotations : []).forEach(function (a) {
      if (!a) return;
      var t = parseTime(String(a.time || ''));
      if (isFinite(t)) annots.push({ t: t, label: String(a.label || '') });
    });
    annots.sort(function (a, b) { return a.t - b.t; });
    annots.forEach(function (a, k) { a.n = k + 1; });

    var specs = [];
    var notes = [];
    if (Array.isArray(cfg.charts) && cfg.charts.length) {
      cfg.charts.forEach(function (c, i) {
        if (!c) return;
        var cols = [];
        (Array.isArray(c.columns) ? c.columns : []).forEach(function (name) {
          var col = byName[name] || byName[String(name).toLowerCase()];
          if (!col) notes.push('Chart “' + (c.title || i + 1) + '”: column “' + name + '” is not in ' + ctx.name + '.');
          else if (!col.numeric) notes.push('Chart “' + (c.title || i + 1) + '”: column “' + name + '” has no numbers.');
          else cols.push(col);
        });
        if (cols.length) specs.push({ title: c.title || cols.map(function (x) { return x.name; }).join(', '), unit: c.unit || '', cols: cols });
      });
    } else if (numeric.length) {
      specs.push({ title: cfg.title || ctx.name, unit: '', cols: numeric });
    }

    if (!data.times.length) {
      root.appendChild(h('p', { class: 'ev-status', text: ctx.name + ' has no rows with a readable time.' }));
    }
    if (data.skipped) notes.push(plural(data.skipped, 'row was', 'rows were') + ' skipped because the time could not be read.');

    var hasChartLib = typeof uPlot === 'function';
    if (specs.length && data.times.length) {
      if (hasChartLib) {
        root.appendChild(h('p', { class: 'ev-hint', text:
          'Times are UTC. Hover to read values; drag across a chart to zoom in, double-click or use Reset zoom to zoom out. ' +
          'Click a point, or hover and press Cite point, to cite it. Every value is also in the data table below.' }));
      } else {
        notes.push('The chart library did not load, so charts are not shown. All values are in the data table below.');
      }
    }
    notes.forEach(function (n) { root.appendChild(h('p', { class: 'ev-note', text: n })); });

    if (hasChartLib && specs.length && data.times.length) {
      var group = { charts: [], syncing: false, key: ctx.id + '-sync' };
      specs.forEach(function (spec, i) { makeChart(ctx, root, data, spec, annots, group, i, tableId); });
    }

    if (annots.length) {
      var ul = h('ol', { class: 'ev-annots-list' });
      annots.forEach(function (a) {
        ul.appendChild(h('li', null, [h('time', { datetime: isoUTC(a.t), text: humanUTC(a.t) }), ' ', a.label]));
      });
      root.appendChild(h('div', { class: 'ev-annots' }, [h('h4', { class: 'ev-subhead', text: 'Markers (numbered dashed lines on the charts)' }), ul]));
    }

    root.appendChild(makeTable(ctx, data, tableId, !hasChartLib));
    root.appendChild(ctx.announce);
    root.appendChild(downloadLink(ctx));
  }

  function yAxisSize(self, values, axisIdx, cycleNum) {
    var axis = self.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    var size = axis.ticks.size + axis.gap;
    var longest = '';
    (values || []).forEach(function (v) { if (v != null && String(v).length > longest.length) longest = String(v); });
    if (longest) {
      self.ctx.font = axis.font[0];
      size += self.ctx.measureText(longest).width / (window.devicePixelRatio || 1);
    }
    return Math.ceil(size) + 2;
  }

  function annotationsPlugin(annots) {
    return {
      hooks: {
        draw: [function (u) {
          if (!annots.length) return;
          var ctx = u.ctx, bb = u.bbox, pr = uPlot.pxRatio || window.devicePixelRatio || 1;
          var min = u.scales.x.min, max = u.scales.x.max;
          ctx.save();
          ctx.font = Math.round(11 * pr) + 'px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
          ctx.textBaseline = 'middle';
          ctx.textAlign = 'left';
          var rowH = 15 * pr, pad = 4 * pr, gap = 4 * pr;
          var placed = [];
          var rows = [[], []];   // occupied [from, to] intervals; row 1 is next to the plot, row 0 above it
          var right = bb.left + bb.width;
          function place(x, w) {     // -> {lx, row, overlap}
            var lx = x - 1;
            if (lx + w > right) lx = Math.max(bb.left, x - w + 1);
            var best = null;
            [1, 0].forEach(function (r) {
              var ov = 0;
              rows[r].forEach(function (iv) { ov += Math.max(0, Math.min(iv[1], lx + w + gap) - Math.max(iv[0], lx - gap)); });
              if (!best || ov < best.overlap) best = { lx: lx, row: r, overlap: ov };
            });
            return best;
          }
          for (var i = 0; i < annots.length; i++) {
            var a = annots[i];
            if (a.t < min || a.t > max) continue;
            var x = Math.round(u.valToPos(a.t, 'x', true)) + 0.5;
            ctx.strokeStyle = '#374151';
            ctx.lineWidth = Math.max(1, Math.round(pr));
            ctx.setLineDash([5 * pr, 4 * pr]);
            ctx.beginPath();
            ctx.moveTo(x, bb.top);
            ctx.lineTo(x, bb.top + bb.height);
            ctx.stroke();
            ctx.setLineDash([]);
            // full label if it fits, else only the marker number (the numbered list below the charts has the text)
            var label = a.n + ' ' + (a.label.length > 48 ? a.label.slice(0, 47) + '…' : a.label);
            var w = ctx.measureText(label).width + 2 * pad;
            var p = place(x, w);
            if (p.overlap > 0) {
              var short = String(a.n), ws = ctx.measureText(short).width + 2 * pad;
              var ps = place(x, ws);
              if (ps.overlap < p.overlap) { label = short; w = ws; p = ps; }
            }
            rows[p.row].push([p.lx, p.lx + w]);
            placed.push({ x: x, lx: p.lx, w: w, y: bb.top - (2 - p.row) * rowH - 2 * pr, label: label });
          }
          // connectors first, then the boxes on top of them
          ctx.strokeStyle = '#374151';
          ctx.lineWidth = pr;
          placed.forEach(function (q) {
            ctx.beginPath();
            ctx.moveTo(q.x, q.y + rowH - pr);
            ctx.lineTo(q.x, bb.top);
            ctx.stroke();
          });
          placed.forEach(function (q) {
            ctx.fillStyle = '#f3f4f6';
            ctx.fillRect(q.lx, q.y, q.w, rowH - pr);
            ctx.strokeRect(q.lx, q.y, q.w, rowH - pr);
            ctx.fillStyle = '#111827';
            ctx.fillText(q.label, q.lx + pad, q.y + (rowH - pr) / 2);
          });
          ctx.restore();
        }]
      }
    };
  }

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function dayLabel(iso) { return MONTHS[+iso.slice(5, 7) - 1] + ' ' + (+iso.slice(8, 10)); }

  /** x tick labels in UTC, 24-hour clock; the date is added under the first tick and where the day changes */
  function xAxisValues(u, splits, axisIdx, foundSpace, foundIncr) {
    var prevDay = null, prevYear = null;
    return splits.map(function (v, i) {
      if (v == null) return null;
      var s = isoUTC(v), day = s.slice(0, 10), year = s.slice(0, 4), out;
      if (foundIncr >= 86400 - 1) {
        out = dayLabel(s);
        if (i === 0 || year !== prevYear) out += '\n' + year;
      } else {
        out = foundIncr < 60 ? s.slice(11, 19) : s.slice(11, 16);
        if (i === 0 || day !== prevDay) out += '\n' + dayLabel(s) + (i === 0 ? ' ' + year : '');
      }
      prevDay = day; prevYear = year;
      return out;
    });
  }

  function chartHeight(w) { return Math.max(200, Math.min(320, Math.round(w * 0.42))); }

  function makeChart(ctx, root, data, spec, annots, group, i, tableId) {
    var xs = data.times;
    var cols = spec.cols;
    var fullMin = xs[0], fullMax = xs[xs.length - 1];
    if (fullMax === fullMin) { fullMin -= 60; fullMax += 60; }

    var citeBtn = h('button', { type: 'button', class: 'ev-btn', disabled: true, text: 'Cite point' });
    var resetBtn = h('button', { type: 'button', class: 'ev-btn', disabled: true, text: 'Reset zoom' });
    var summary = [
      'Line chart: ' + spec.title + (spec.unit ? ', in ' + spec.unit : '') + '.',
      'Series: ' + cols.map(function (c) { return c.name + ' from ' + fmtNum(c.min) + ' to ' + fmtNum(c.max); }).join('; ') + '.',
      'Time ' + rangeUTC(xs[0], xs[xs.length - 1]) + ', ' + plural(xs.length, 'point', 'points') + '.'
    ];
    if (annots.length) summary.push('Markers: ' + annots.map(function (a) { return a.label + ' at ' + isoUTC(a.t); }).join('; ') + '.');
    summary.push('The values are in the data table below.');
    var box = h('div', { class: 'ev-chart', role: 'img', 'aria-label': summary.join(' '), 'aria-describedby': tableId + '-sum' });
    var fig = h('figure', { class: 'ev-figure' }, [
      h('figcaption', { class: 'ev-chart-title' }, [spec.title, spec.unit ? h('span', { class: 'ev-unit', text: ' (' + spec.unit + ')' }) : null]),
      h('div', { class: 'ev-chart-tools' }, [citeBtn, resetBtn]),
      box
    ]);
    root.appendChild(fig);

    var lastIdx = null;
    var width = Math.max(240, box.clientWidth || root.clientWidth || 600);
    var series = [{
      label: 'Time (UTC)',
      value: function (u, v) { return v == null ? '–' : humanUTC(v); }
    }];
    cols.forEach(function (c, k) {
      var color = PALETTE[(k + (cols.length === 1 ? i : 0)) % PALETTE.length];
      series.push({
        label: c.name,
        stroke: color,
        width: 1.5,
        spanGaps: false,
        points: { size: 5, fill: color },
        value: function (u, v) { return v == null ? '–' : fmtNum(v); }
      });
    });
    var plotData = [xs].concat(cols.map(function (c) { return c.values; }));
    var axisStroke = '#374151', gridStroke = '#e5e7eb';

    function isZoomed(u) {
      var s = u.scales.x;
      var eps = (fullMax - fullMin) * 1e-6;
      return s.min > fullMin + eps || s.max < fullMax - eps;
    }

    var opts = {
      width: width,
      height: chartHeight(width),
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      padding: [annots.length ? 36 : 12, 16, 0, 0],
      scales: { x: { time: true, range: function (u, min, max) { return min === max ? [min - 60, max + 60] : [min, max]; } } },
      series: series,
      axes: [
        { stroke: axisStroke, grid: { stroke: gridStroke, width: 1 }, ticks: { stroke: gridStroke, width: 1 }, values: xAxisValues },
        {
          stroke: axisStroke, grid: { stroke: gridStroke, width: 1 }, ticks: { stroke: gridStroke, width: 1 },
          label: spec.unit || undefined, labelSize: spec.unit ? 24 : 0, size: yAxisSize,
          values: function (u, vals) { return vals.map(function (v) { return v == null ? '' : fmtNum(v); }); }
        }
      ],
      cursor: {
        drag: { x: true, y: false, setScale: true },
        sync: { key: group.key, setSeries: false },
        points: { size: 8 }
      },
      legend: { live: true },
      plugins: [annotationsPlugin(annots)],
      hooks: {
        setCursor: [function (u) {
          var idx = u.cursor.idx;
          if (idx != null && idx !== lastIdx) {
            lastIdx = idx;
            citeBtn.disabled = false;
            citeBtn.textContent = 'Cite point ' + isoUTC(xs[idx]).slice(11);
            citeBtn.setAttribute('aria-label', 'Cite ' + spec.title + ' at ' + humanUTC(xs[idx]));
          }
        }],
        setScale: [function (u, key) {
          if (key !== 'x') return;
          resetBtn.disabled = !isZoomed(u);
          if (group.syncing) return;
          group.syncing = true;
          var s = u.scales.x;
          group.charts.forEach(function (o) {
            if (o.u !== u && (o.u.scales.x.min !== s.min || o.u.scales.x.max !== s.max)) o.u.setScale('x', { min: s.min, max: s.max });
          });
          group.syncing = false;
        }]
      }
    };

    var u = new uPlot(opts, plotData, box);
    group.charts.push({ u: u });

    citeBtn.addEventListener('click', function () { if (lastIdx != null) citeRow(ctx, data, lastIdx, cols); });
    resetBtn.addEventListener('click', function () { u.setScale('x', { min: fullMin, max: fullMax }); });

    // a click (not a drag) on the plot cites the point under the cursor
    var downX = 0, downY = 0;
    u.over.addEventListener('mousedown', function (e) { downX = e.clientX; downY = e.clientY; });
    u.over.addEventListener('click', function (e) {
      if (Math.abs(e.clientX - downX) > 3 || Math.abs(e.clientY - downY) > 3) return;
      var idx = u.cursor.idx;
      if (idx != null) citeRow(ctx, data, idx, cols);
    });
    u.over.title = 'Click to cite this point; drag to zoom';

    if (typeof ResizeObserver === 'function') {
      var lastW = width;
      new ResizeObserver(function () {
        var w = box.clientWidth;
        if (w > 0 && Math.abs(w - lastW) >= 1) {
          lastW = w;
          u.setSize({ width: w, height: chartHeight(w) });
        }
      }).observe(box);
    }
  }

  function makeTable(ctx, data, tableId, openNow) {
    var n = data.times.length;
    var cols = data.cols;
    var details = h('details', { class: 'ev-table-details', id: tableId });
    var summaryText = 'Data table (' + plural(n, 'row', 'rows') + ')';
    details.appendChild(h('summary', { id: tableId + '-sum', text: summaryText }));
    var built = false;
    function build() {
      built = true;
      var wrap = h('div', { class: 'ev-table-wrap', tabindex: '0', role: 'region', 'aria-label': ctx.name + ' data table' });
      var table = h('table', { class: 'ev-table' });
      table.appendChild(h('caption', { text: ctx.name + ': ' + plural(n, 'row', 'rows') + ', times in UTC' }));
      var hr = h('tr', null, [h('th', { scope: 'col', text: data.timeName + ' (UTC)' })]);
      cols.forEach(function (c) { hr.appendChild(h('th', { scope: 'col', class: c.numeric ? 'ev-num' : null, text: c.name })); });
      hr.appendChild(h('th', { scope: 'col', class: 'ev-cite-col' }, [h('span', { class: 'ev-sr', text: 'Cite' })]));
      table.appendChild(h('thead', null, [hr]));
      var tbody = h('tbody');
      table.appendChild(tbody);
      wrap.appendChild(table);
      details.appendChild(wrap);
      var more = h('button', { type: 'button', class: 'ev-btn ev-more' });
      details.appendChild(more);
      var shown = 0;
      var numericCols = cols.filter(function (c) { return c.numeric; });
      function addRows() {
        var frag = document.createDocumentFragment();
        var end = Math.min(n, shown + TABLE_PAGE);
        for (var r = shown; r < end; r++) {
          var iso = isoUTC(data.times[r]);
          var tr = document.createElement('tr');
          var th = document.createElement('th');
          th.scope = 'row';
          th.textContent = iso;
          tr.appendChild(th);
          for (var c = 0; c < cols.length; c++) {
            var td = document.createElement('td');
            if (cols[c].numeric) td.className = 'ev-num';
            var s = data.raw[r][cols[c].index];
            td.textContent = s == null ? '' : s.trim();
            tr.appendChild(td);
          }
          var bt = document.createElement('td');
          var b = document.createElement('button');
          b.type = 'button';
          b.className = 'ev-btn ev-btn-small';
          b.textContent = 'Cite';
          b.setAttribute('data-row', r);
          b.setAttribute('aria-label', 'Cite ' + iso);
          bt.appendChild(b);
          tr.appendChild(bt);
          frag.appendChild(tr);
        }
        tbody.appendChild(frag);
        shown = end;
        var left = n - shown;
        more.hidden = left <= 0;
        more.textContent = 'Show ' + fmtInt(Math.min(TABLE_PAGE, left)) + ' more rows (' + fmtInt(left) + ' not shown)';
      }
      more.addEventListener('click', addRows);
      tbody.addEventListener('click', function (e) {
        var b = e.target.closest ? e.target.closest('button[data-row]') : null;
        if (b) citeRow(ctx, data, +b.getAttribute('data-row'), numericCols);
      });
      addRows();
    }
    details.addEventListener('toggle', function () { if (details.open && !built) build(); });
    if (openNow) { details.open = true; build(); }
    return details;
  }

  // ---------------------------------------------------------------- start

  function init(root) {
    var list = (root || document).querySelectorAll('section.evidence[data-kind]');
    for (var i = 0; i < list.length; i++) setup(list[i]);
    checkPending();
  }

  function downloadLink(ctx) {
    return h('p', { class: 'ev-download' }, [h('a', { href: ctx.src, download: ctx.name, text: 'Download ' + ctx.name })]);
  }

  window.GamedayEvidence = { init: init };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { init(); });
  else init();
})();
