/*
 * Gameday evidence viewer: the log / text viewer (virtual-scrolled lines with numbers, a text filter, a level
 * filter for logs and a Cite action per line). Needs evidence-util.js; sets window.GamedayEvidenceLog.
 */
(function () {
  'use strict';

  var U = window.GamedayEvidenceUtil;
  var h = U.h, fmtInt = U.fmtInt, plural = U.plural, isoUTC = U.isoUTC, humanUTC = U.humanUTC, rangeUTC = U.rangeUTC, fmtNum = U.fmtNum, parseTime = U.parseTime, truncate = U.truncate, cite = U.cite, debounce = U.debounce, makeAnnouncer = U.makeAnnouncer, downloadLink = U.downloadLink;

  var CITE_MAX = 200;          // characters of a log line kept in a citation
  var NAME_MAX = 200;          // characters of a log line in its Cite button's accessible name
  var DISPLAY_MAX = 2000;      // characters of a log line drawn on screen (longer lines are cut with a note)
  var OVERSCAN = 12;           // rows rendered above and below the visible window
  var NARROW_PX = 480;         // a viewer narrower than this starts with long lines wrapped
  var WRAP_MAX = 2000;         // lines drawn at once when long lines wrap (wrapped rows have no fixed height)
  var WRAP_NARROW_MAX = 300;   // ... when they start wrapped on a narrow screen (the toggle draws WRAP_MAX)
  var FILTER_DELAY = 200;      // ms debounce of the text filter

  // Level codes: 0 = none/other, then increasing severity.
  var LEVEL_NAMES = ['OTHER', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  var LEVEL_CODE = { TRACE: 1, DEBUG: 1, INFO: 2, WARN: 3, WARNING: 3, ERROR: 4, FATAL: 5, CRITICAL: 5 };
  // timestamp + whitespace + level; group 1 = everything before the level word, group 2 = the level word
  var LEVEL_RE = /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?\s+\[?)(TRACE|DEBUG|INFO|WARNING|WARN|ERROR|FATAL|CRITICAL)(?=[\]\s:]|$)/;

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
    // wrap long lines: rows then take their own height, so the view draws up to WRAP_MAX matching lines at once
    var wrapBox = h('input', { type: 'checkbox', id: id + '-wrap', 'aria-controls': id + '-lines' });
    wrapBox.addEventListener('change', function () { self.wrapMax = WRAP_MAX; self.setWrap(wrapBox.checked); });
    bar.appendChild(h('div', { class: 'ev-field ev-wrap-toggle' }, [wrapBox, h('label', { for: id + '-wrap', text: 'Wrap long lines' })]));
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
    // a phone: the time and level take most of a row, so long lines start wrapped (the message is then read without
    // scrolling sideways); the toggle turns it off
    if (vp.clientWidth > 0 && vp.clientWidth < NARROW_PX) {
      wrapBox.checked = true;
      this.wrapMax = WRAP_NARROW_MAX;     // a phone draws fewer wrapped rows at once
      this.setWrap(true);
      return;
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
    this.filterGen = (this.filterGen || 0) + 1;
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
    this.recordFilter(all);
    this.sizer.style.height = this.count() * this.lineH + 'px';
    if (this.count()) {
      vp.scrollTop = atTop ? 0 : this.posAtOrAfter(anchor) * this.lineH;
      if (this.posOf(this.activeIdx) < 0) this.activeIdx = this.idxAt(this.posAtOrAfter(this.activeIdx));
    }
    this.updateStatus();
    this.render();
  };

  /** the filter as the trail records it, once the candidate stops changing it */
  LogViewer.prototype.recordFilter = function (allLevels) {
    var parts = [];
    var text = this.input.value.trim();
    if (text) parts.push('text “' + text + '”');
    if (this.withLevels && !allLevels) {
      var names = [];
      for (var lv = 0; lv < this.allowed.length; lv++) if (this.allowed[lv] && (lv > 0 || this.counts[0] > 0)) names.push(lv === 0 ? 'other' : LEVEL_NAMES[lv]);
      parts.push('levels ' + (names.length ? names.join(', ') : 'none'));
    }
    var detail = parts.length ? parts.join('; ') : 'cleared';
    if (detail === this.lastTrail) return;
    this.lastTrail = detail;
    U.trail(this.ctx, 'filter', detail + ' (' + fmtInt(this.count()) + ' lines)', true);
  };

  LogViewer.prototype.updateStatus = function () {
    var total = this.lines.length, shown = this.count();
    var msg = 'Showing ' + fmtInt(shown) + ' of ' + plural(total, 'line', 'lines');
    if (this.query) msg += ' containing “' + this.input.value.trim() + '”';
    var cap = this.wrapMax || WRAP_MAX;
    if (this.wrap && shown > cap) msg += '; wrapped, the first ' + fmtInt(cap) + ' are drawn: filter, or turn off wrapping, to see others';
    this.status.textContent = msg + '.';
    this.empty.hidden = shown !== 0 || total === 0;
    if (total === 0) { this.empty.hidden = false; this.empty.textContent = 'This file is empty.'; }
  };

  LogViewer.prototype.setWrap = function (on) {
    this.wrap = on;
    this.viewport.classList.toggle('ev-wrapped', on);
    Array.prototype.forEach.call(this.sizer.querySelectorAll('.ev-row'), function (r) { r.remove(); });
    this.rows.clear();
    this.wrappedFor = null;
    if (!on) this.sizer.style.height = this.count() * this.lineH + 'px';
    this.updateStatus();
    this.render();
  };

  /** wrapped: the first WRAP_MAX matching lines in normal flow, each as tall as its text */
  LogViewer.prototype.renderWrapped = function () {
    var n = this.count(), cap = Math.min(n, this.wrapMax || WRAP_MAX);
    var key = (this.filterGen || 0) + '|' + n;
    if (this.wrappedFor === key) return;
    this.wrappedFor = key;
    // every drawn row goes, tracked or not (the virtual scroller keeps a focused row it no longer tracks)
    Array.prototype.forEach.call(this.sizer.querySelectorAll('.ev-row'), function (r) { r.remove(); });
    var keep = new Map(), frag = document.createDocumentFragment();
    for (var pos = 0; pos < cap; pos++) {
      var idx = this.idxAt(pos);
      var row = this.makeRow(idx);
      row.setAttribute('aria-posinset', pos + 1);
      row.setAttribute('aria-setsize', n);
      row.firstChild.setAttribute('tabindex', pos === 0 ? '0' : '-1');
      frag.appendChild(row);
      keep.set(idx, row);
    }
    this.sizer.style.height = 'auto';
    this.sizer.appendChild(frag);
    this.rows = keep;
    if (cap) this.activeIdx = this.idxAt(0);
  };

  LogViewer.prototype.render = function () {
    if (this.wrap) return this.renderWrapped();
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
    // announced with its content ("Cite line 42: 14:03:07 ERROR ..."), not as a bare number
    var line = this.lines[idx].replace(/\s+$/, '');
    b.setAttribute('aria-label', 'Cite line ' + (idx + 1) + ': ' + truncate(line, NAME_MAX));
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
    // a line the button's name holds whole is not read a second time
    if (line.length <= NAME_MAX) txt.setAttribute('aria-hidden', 'true');
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
    U.trail(this.ctx, 'cite', 'line ' + (idx + 1) + ': ' + truncate(line, 120));
    this.announce.say('Cited ' + ref + ' in your answer.');
  };

  window.GamedayEvidenceLog = { LogViewer: LogViewer };
})();
