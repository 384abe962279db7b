/*
 * Gameday evidence viewer: CSV files as uPlot time-series charts (UTC, zoom, annotations, cite a point) plus a
 * lazily built data table. Needs evidence-util.js and the global `uPlot`; sets window.GamedayEvidenceChart.
 */
(function () {
  'use strict';

  var U = window.GamedayEvidenceUtil;
  var h = U.h, fmtInt = U.fmtInt, plural = U.plural, isoUTC = U.isoUTC, humanUTC = U.humanUTC, rangeUTC = U.rangeUTC, fmtNum = U.fmtNum, parseTime = U.parseTime, truncate = U.truncate, cite = U.cite, debounce = U.debounce, makeAnnouncer = U.makeAnnouncer, downloadLink = U.downloadLink;

  var TABLE_PAGE = 1000;       // rows added to a data table per "Show more"

  // Series colours: distinct, each at least 4.5:1 against white.
  var PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#0e7490', '#be123c', '#4d7c0f', '#475569'];

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

  /**
   * -> {header, timeName, times: number[], raw: string[][] (per row, cells without time), cols: [{name, values, numeric, min, max}], skipped}
   * labels: names of label columns (pod, version, ...): kept as text ({label: true, texts}), never charted as numbers.
   */
  function parseCsv(text, labels) {
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
    var isLabel = Object.create(null);
    (Array.isArray(labels) ? labels : []).forEach(function (l) { isLabel[String(l)] = true; });
    for (var c = 0; c < header.length; c++) {
      if (c === tc) continue;
      if (isLabel[header[c]]) {
        var texts = recs.map(function (x) { var v = x.cells[c]; return v == null ? '' : v.trim(); });
        cols.push({ name: header[c], index: c, label: true, texts: texts, values: null, numeric: false });
        continue;
      }
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
    if (col.index < 0) {            // a series combined from several rows (grouped by a label)
      var v = col.values[row];
      return v == null ? 'n/a' : String(Number(v.toPrecision(6)));
    }
    var s = data.raw[row][col.index];
    s = s == null ? '' : s.trim();
    return s === '' ? 'n/a' : s;
  }

  function citeRow(ctx, data, row, cols) {
    var parts = cols.map(function (col) { return col.name + '=' + rawCell(data, row, col); });
    var ref = '`' + ctx.name + '` ' + isoUTC(data.times[row]);
    cite(ref + (parts.length ? ' ' + parts.join(', ') : ''));
    U.trail(ctx, 'cite', 'point ' + isoUTC(data.times[row]) + (parts.length ? ' ' + parts.join(', ') : ''));
    ctx.announce.say('Cited ' + ctx.name + ' at ' + humanUTC(data.times[row]) + ' in your answer.');
  }

  function renderCsv(ctx, text) {
    var cfg = ctx.config || {};
    var data = parseCsv(text, cfg.labels);
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
          'Times are UTC. Hover to read values; drag across a chart or use Zoom in to zoom, Zoom out or Reset zoom to go back. ' +
          'Click a point, or hover and press Cite point, to cite it. By keyboard: Tab to a chart, arrow keys move between points, ' +
          '+ and - zoom, Home resets, Enter cites. Every value is also in the data table below.' }));
      } else {
        notes.push('The chart library did not load, so charts are not shown. All values are in the data table below.');
      }
    }
    notes.forEach(function (n) { root.appendChild(h('p', { class: 'ev-note', text: n })); });

    var labelCols = data.cols.filter(function (c) { return c.label; });
    if (labelCols.length) {
      renderDashboard(ctx, root, data, specs, annots, labelCols, tableId, hasChartLib);
      return;
    }

    if (hasChartLib && specs.length && data.times.length) {
      var group = { charts: [], syncing: false, key: ctx.id + '-sync' };
      specs.forEach(function (spec, i) { makeChart(ctx, root, data, spec, annots, group, i, tableId); });
    }

    if (annots.length) root.appendChild(markersList(annots));

    root.appendChild(makeTable(ctx, data, tableId, !hasChartLib));
    root.appendChild(ctx.announce);
    root.appendChild(downloadLink(ctx));
  }

  function markersList(annots) {
    var ul = h('ol', { class: 'ev-annots-list' });
    annots.forEach(function (a) {
      ul.appendChild(h('li', null, [h('time', { datetime: isoUTC(a.t), text: humanUTC(a.t) }), ' ', a.label]));
    });
    return h('div', { class: 'ev-annots' }, [h('h4', { class: 'ev-subhead', text: 'Markers (numbered dashed lines on the charts)' }), ul]);
  }

  var MAX_SERIES = 30;        // lines per chart when grouping by a label

  /**
   * The series of one column over the given rows: one per value of the group label (or one for all rows), rows that
   * share a time combined by sum, mean or max. -> [{name, values (per time of `times`), numeric, min, max, index: -1}]
   */
  function series(data, rows, times, col, groupCol, combine) {
    var at = new Map();
    times.forEach(function (t, k) { at.set(t, k); });
    // one pass over the rows, each added to its group's sums (a pass per group was groups x rows: 73 pods x 5,794)
    var groups = [], byName = new Map();
    function groupOf(g) {
      var s = byName.get(g);
      if (!s) {
        s = { g: g, sum: new Array(times.length).fill(null), n: new Array(times.length).fill(0), max: new Array(times.length).fill(null) };
        byName.set(g, s);
        groups.push(s);
      }
      return s;
    }
    if (!groupCol) groupOf(null);
    rows.forEach(function (r) {
      var s = groupOf(groupCol ? groupCol.texts[r] : null);
      var v = col.values[r];
      if (v == null) return;
      var k = at.get(data.times[r]);
      s.sum[k] = (s.sum[k] || 0) + v;
      s.n[k]++;
      if (s.max[k] == null || v > s.max[k]) s.max[k] = v;
    });
    return groups.map(function (s) {
      var values = s.sum.map(function (v, k) {
        if (v == null) return null;
        return combine === 'sum' ? v : combine === 'max' ? s.max[k] : v / s.n[k];
      });
      var lo = Infinity, hi = -Infinity;
      values.forEach(function (v) { if (v != null) { if (v < lo) lo = v; if (v > hi) hi = v; } });
      return { name: s.g === null ? col.name : col.name + ' \u00b7 ' + groupCol.name + '=' + s.g, values: values, numeric: true, min: lo, max: hi, index: -1 };
    });
  }

  var DEFAULT_GROUP_MAX = 12;  // the lines are first grouped by the first label with at most this many values

  /**
   * A CSV with label columns, drawn like a small dashboard: group the lines by a label, show only some label values,
   * choose how rows at the same time combine. The data table (the alternative to the charts) lists the rows shown.
   */
  function renderDashboard(ctx, root, data, specs, annots, labelCols, tableId, hasChartLib) {
    var state = { groupBy: '', combine: 'mean', allowed: Object.create(null) };
    var valuesOf = Object.create(null);
    labelCols.forEach(function (l) {
      var seen = Object.create(null), list = [];
      l.texts.forEach(function (v) { if (!seen[v]) { seen[v] = 0; list.push(v); } seen[v]++; });
      valuesOf[l.name] = { list: list, counts: seen };
      state.allowed[l.name] = new Set(list);
    });
    // like a dashboard's default panel: a few lines (by version, not 73 pods x 4 charts, which took a second to
    // draw); with no such label, one line per column
    for (var li = 0; li < labelCols.length && !state.groupBy; li++) {
      if (valuesOf[labelCols[li].name].list.length <= DEFAULT_GROUP_MAX) state.groupBy = labelCols[li].name;
    }
    var chartsId = ctx.id + '-charts';
    var charts = h('div', { class: 'ev-dash-charts', id: chartsId });
    var tableSlot = h('div', { class: 'ev-dash-table' });
    var group = { charts: [], syncing: false, key: ctx.id + '-sync' };

    function filterText() {
      var parts = [];
      labelCols.forEach(function (l) {
        var a = state.allowed[l.name];
        var list = valuesOf[l.name].list;
        if (a.size < list.length) {
          var hidden = list.filter(function (v) { return !a.has(v); });
          // "all but" when fewer are hidden than shown: unticking one of 73 pods should not list the other 72
          parts.push(l.name + ': ' + (!a.size ? 'none' : a.size > 5 && hidden.length < a.size ? 'all but ' + hidden.join(', ')
            : list.filter(function (v) { return a.has(v); }).join(', ')));
        }
      });
      return parts.join('; ');
    }

    function draw() {
      group.charts.forEach(function (o) { o.u.destroy(); });
      group.charts = [];
      group.width = 0;
      charts.replaceChildren();
      var rows = [];
      for (var r = 0; r < data.times.length; r++) {
        var ok = true;
        for (var k = 0; k < labelCols.length && ok; k++) ok = state.allowed[labelCols[k].name].has(labelCols[k].texts[r]);
        if (ok) rows.push(r);
      }
      var times = [];
      rows.forEach(function (r) { var t = data.times[r]; if (!times.length || times[times.length - 1] !== t) times.push(t); });
      var groupCol = null;
      labelCols.forEach(function (l) { if (l.name === state.groupBy) groupCol = l; });
      var note = filterText();
      if (!rows.length) {
        charts.appendChild(h('p', { class: 'ev-note', text: 'No rows match the label filters.' }));
      } else if (hasChartLib) {
        var view = { times: times, raw: null };
        specs.forEach(function (spec, i) {
          var cols = [];
          spec.cols.forEach(function (c) { cols = cols.concat(series(data, rows, times, c, groupCol, state.combine)); });
          if (cols.length > MAX_SERIES) {
            charts.appendChild(h('p', { class: 'ev-note', text: spec.title + ': showing the first ' + MAX_SERIES + ' of ' +
              cols.length + ' lines; show fewer label values to see the others.' }));
            cols = cols.slice(0, MAX_SERIES);
          }
          makeChart(ctx, charts, view, { title: spec.title + (groupCol ? ', by ' + groupCol.name : ''), unit: spec.unit, cols: cols },
            annots, group, i, tableId);
        });
      }
      var shown = { timeName: data.timeName, cols: data.cols, times: rows.map(function (r) { return data.times[r]; }),
        raw: rows.map(function (r) { return data.raw[r]; }) };
      var wasOpen = tableSlot.firstChild && tableSlot.firstChild.open;
      tableSlot.replaceChildren(makeTable(ctx, shown, tableId, !hasChartLib || wasOpen, note));
    }

    // the controls
    var bar = h('div', { class: 'ev-toolbar ev-dash-tools' });
    var gsel = h('select', { id: ctx.id + '-group', class: 'ev-input', 'aria-controls': chartsId });
    gsel.appendChild(h('option', { value: '', text: 'nothing (one line per column)' }));
    labelCols.forEach(function (l) { gsel.appendChild(h('option', { value: l.name, text: l.name })); });
    gsel.value = state.groupBy;
    var csel = h('select', { id: ctx.id + '-combine', class: 'ev-input', 'aria-controls': chartsId });
    [['mean', 'mean'], ['sum', 'sum'], ['max', 'maximum']].forEach(function (o) { csel.appendChild(h('option', { value: o[0], text: o[1] })); });
    csel.value = state.combine;
    function regroup() {
      state.groupBy = gsel.value;
      state.combine = csel.value;
      draw();
      U.trail(ctx, 'group', 'by ' + (state.groupBy || 'nothing') + ', rows at the same time combined by ' + state.combine);
    }
    gsel.addEventListener('change', regroup);
    csel.addEventListener('change', regroup);
    bar.appendChild(h('div', { class: 'ev-field' }, [h('label', { for: gsel.id, text: 'Group lines by' }), gsel]));
    bar.appendChild(h('div', { class: 'ev-field' }, [h('label', { for: csel.id, text: 'Rows at the same time' }), csel]));
    labelCols.forEach(function (l, li) {
      var fs = h('fieldset', { class: 'ev-levels' }, [h('legend', { text: 'Show ' + l.name })]);
      valuesOf[l.name].list.forEach(function (v, k) {
        var cb = h('input', { type: 'checkbox', id: ctx.id + '-lb' + li + '-' + k, 'aria-controls': chartsId });
        cb.checked = true;
        cb.addEventListener('change', function () {
          if (cb.checked) state.allowed[l.name].add(v); else state.allowed[l.name].delete(v);
          draw();
          U.trail(ctx, 'filter', filterText() || 'every label value', true);
        });
        fs.appendChild(h('span', { class: 'ev-check' }, [cb, h('label', { for: cb.id }, [v, h('span', { class: 'ev-n', text: ' ' + fmtInt(valuesOf[l.name].counts[v]) })])]));
      });
      // many values (73 pods) fold away, so that on a phone the charts are not a screen of check boxes further down
      var many = valuesOf[l.name].list.length > DEFAULT_GROUP_MAX;
      bar.appendChild(many ? h('details', { class: 'ev-levels-fold' }, [h('summary', { text: 'Show ' + l.name + ' (' +
        fmtInt(valuesOf[l.name].list.length) + ' values)' }), fs]) : fs);
    });
    root.appendChild(bar);
    root.appendChild(h('p', { class: 'ev-hint', text: 'This file has label columns (' + labelCols.map(function (l) { return l.name; }).join(', ') +
      '). Group the lines by a label, choose which values to show, and how rows with the same time combine; the data table lists the rows shown.' }));
    root.appendChild(charts);
    if (annots.length) root.appendChild(markersList(annots));
    root.appendChild(tableSlot);
    root.appendChild(ctx.announce);
    root.appendChild(downloadLink(ctx));
    draw();
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
          // markers close together: slide the label sideways to the nearest free place in either row (its
          // connector still points at the marker), so labels never sit on top of each other
          function nudge(lx, w) {     // -> {lx, row, overlap: 0}
            var best = null;
            [1, 0].forEach(function (r) {
              var ivs = rows[r].slice().sort(function (p, q) { return p[0] - q[0]; });
              var candidates = [lx];
              ivs.forEach(function (iv) { candidates.push(iv[1] + gap, iv[0] - gap - w); });
              candidates.forEach(function (c) {
                if (c < bb.left || c + w > right) return;
                var clear = ivs.every(function (iv) { return c + w + gap <= iv[0] || c >= iv[1] + gap; });
                if (clear && (!best || Math.abs(c - lx) < Math.abs(best.lx - lx))) best = { lx: c, row: r, overlap: 0 };
              });
            });
            return best || { lx: lx, row: 1, overlap: 1 };
          }
          for (var i = 0; i < annots.length; i++) {
            var a = annots[i];
            if (a.t < min || a.t > max) continue;
            var x = Math.round(u.valToPos(a.t, 'x', true)) + 0.5;
            ctx.strokeStyle = colours().line;
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
            if (p.overlap > 0) p = nudge(p.lx, w);
            rows[p.row].push([p.lx, p.lx + w]);
            placed.push({ x: x, lx: p.lx, w: w, y: bb.top - (2 - p.row) * rowH - 2 * pr, label: label });
          }
          // where the labels went, in CSS pixels, for the browser tests (no two may overlap)
          u.root.setAttribute('data-marker-boxes', JSON.stringify(placed.map(function (q) {
            return { row: Math.round((bb.top - q.y) / rowH), from: Math.round(q.lx / pr), to: Math.round((q.lx + q.w) / pr) };
          })));
          // connectors first, then the boxes on top of them
          ctx.strokeStyle = colours().line;
          ctx.lineWidth = pr;
          placed.forEach(function (q) {
            ctx.beginPath();
            // from the box (shifted sideways when markers are close) down to the marker line
            var from = Math.min(Math.max(q.x, q.lx), q.lx + q.w);
            ctx.moveTo(from, q.y + rowH - pr);
            ctx.lineTo(q.x, bb.top);
            ctx.stroke();
          });
          placed.forEach(function (q) {
            ctx.fillStyle = colours().boxBg;
            ctx.fillRect(q.lx, q.y, q.w, rowH - pr);
            ctx.strokeRect(q.lx, q.y, q.w, rowH - pr);
            ctx.fillStyle = colours().boxFg;
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

  var chartSeq = 0;

  /**
   * The canvas's colours. In forced colours (Windows high contrast) the canvas is not recoloured by the browser, so
   * axes, text and markers use the system colours (CanvasText, GrayText) and the series Highlight, LinkText and
   * CanvasText told apart by dashes; the legend's swatches follow (evidence.css keeps their colours).
   */
  var coloursCache = null;
  function colours() {
    var forced = !!(window.matchMedia && window.matchMedia('(forced-colors: active)').matches);
    if (coloursCache && coloursCache.forced === forced) return coloursCache;
    if (!forced) {
      coloursCache = { forced: false, line: '#374151', grid: '#e5e7eb', boxBg: '#f3f4f6', boxFg: '#111827', palette: PALETTE, dashes: null };
      return coloursCache;
    }
    var probe = document.createElement('span');
    document.body.appendChild(probe);
    function sys(name) { probe.style.color = name; return getComputedStyle(probe).color; }
    var text = sys('CanvasText'), canvas = sys('Canvas');
    coloursCache = { forced: true, line: text, grid: sys('GrayText'), boxBg: canvas, boxFg: text,
      palette: [sys('Highlight'), sys('LinkText'), text], dashes: [[], [8, 4], [2, 3], [10, 3, 2, 3]] };
    probe.remove();
    return coloursCache;
  }

  function chartHeight(w) { return Math.max(200, Math.min(320, Math.round(w * 0.42))); }

  function makeChart(ctx, root, data, spec, annots, group, i, tableId) {
    var xs = data.times;
    var cols = spec.cols;
    var fullMin = xs[0], fullMax = xs[xs.length - 1];
    if (fullMax === fullMin) { fullMin -= 60; fullMax += 60; }

    var citeBtn = h('button', { type: 'button', class: 'ev-btn ev-cite', disabled: true, text: 'Cite point' });
    var zoomInBtn = h('button', { type: 'button', class: 'ev-btn', text: 'Zoom in' });
    var zoomOutBtn = h('button', { type: 'button', class: 'ev-btn', disabled: true, text: 'Zoom out' });
    var resetBtn = h('button', { type: 'button', class: 'ev-btn', disabled: true, text: 'Reset zoom' });
    var summary = [
      'Line chart: ' + spec.title + (spec.unit ? ', in ' + spec.unit : '') + '.',
      'Series: ' + cols.map(function (c) { return c.name + ' from ' + fmtNum(c.min) + ' to ' + fmtNum(c.max); }).join('; ') + '.',
      'Time ' + rangeUTC(xs[0], xs[xs.length - 1]) + ', ' + plural(xs.length, 'point', 'points') + '.'
    ];
    if (annots.length) summary.push('Markers: ' + annots.map(function (a) { return a.label + ' at ' + isoUTC(a.t); }).join('; ') + '.');
    summary.push('The values are in the data table below.');
    // focusable (evidence-chart-keys.js): an application, so that a screen reader passes the arrow keys to it
    var chartId = ctx.id + '-c' + (++chartSeq);
    var box = h('div', { class: 'ev-chart', id: chartId, role: 'application', 'aria-roledescription': 'chart',
      'aria-label': spec.title + ' chart. Arrow keys move between points, plus and minus zoom, Home resets the zoom, Enter cites the point.',
      'aria-describedby': chartId + '-sum ' + tableId + '-sum' });
    var readout = h('p', { class: 'ev-readout', role: 'status', id: chartId + '-readout' });
    var fig = h('figure', { class: 'ev-figure' }, [
      h('figcaption', { class: 'ev-chart-title' }, [spec.title, spec.unit ? h('span', { class: 'ev-unit', text: ' (' + spec.unit + ')' }) : null]),
      h('div', { class: 'ev-chart-tools' }, [citeBtn, zoomInBtn, zoomOutBtn, resetBtn]),
      h('p', { class: 'ev-sr', id: chartId + '-sum', text: summary.join(' ') }),
      box,
      readout
    ]);
    root.appendChild(fig);

    var lastIdx = null;
    // the charts of a file share one width: measured once (each clientWidth after a uPlot forced a layout of the page)
    var width = group.width || Math.max(240, box.clientWidth || root.clientWidth || 600);
    group.width = width;
    var series = [{
      label: 'Time (UTC)',
      value: function (u, v) { return v == null ? '–' : humanUTC(v); }
    }];
    cols.forEach(function (c, k) {
      var pal = colours().palette, dash = colours().dashes;
      var at = k + (cols.length === 1 ? i : 0);
      var color = pal[at % pal.length];
      series.push({
        label: c.name,
        stroke: color,
        dash: dash ? dash[k % dash.length] : undefined,
        width: 1.5,
        spanGaps: false,
        points: { size: 5, fill: color },
        value: function (u, v) { return v == null ? '–' : fmtNum(v); }
      });
    });
    var plotData = [xs].concat(cols.map(function (c) { return c.values; }));
    var axisStroke = colours().line, gridStroke = colours().grid;

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
            // the accessible name begins with the visible label (2.5.3), then says which chart and day
            citeBtn.setAttribute('aria-label', citeBtn.textContent + ', ' + spec.title + ', ' + humanUTC(xs[idx]));
          }
          if (idx != null && keys) keys.sync(idx);
        }],
        setScale: [function (u, key) {
          if (key !== 'x') return;
          resetBtn.disabled = !isZoomed(u);
          zoomOutBtn.disabled = resetBtn.disabled;
          // a chart that only follows another of its file (uPlot may draw it after the loop below has ended) neither
          // reports the zoom, which would enter the trail under its title, nor passes it on
          var followed = u.gdFollowing;
          u.gdFollowing = false;
          if (group.syncing || followed) return;
          if (ready && group.userAct) {
            // the charts of a file zoom together: the chart the candidate used reports it
            var zd = isZoomed(u) ? spec.title + ': ' + rangeUTC(u.scales.x.min, u.scales.x.max) : 'reset to the whole range';
            if (zd !== group.lastZoom) { group.lastZoom = zd; U.trail(ctx, 'zoom', zd, true); }
          }
          group.syncing = true;
          var s = u.scales.x;
          group.charts.forEach(function (o) {
            if (o.u !== u && (o.u.scales.x.min !== s.min || o.u.scales.x.max !== s.max)) {
              o.u.gdFollowing = true;
              o.u.setScale('x', { min: s.min, max: s.max });
              // had uPlot nothing to redraw (no hook fired), the mark must not swallow the candidate's next zoom
              setTimeout(function () { o.u.gdFollowing = false; }, 0);
            }
          });
          group.syncing = false;
        }]
      }
    };

    var ready = false;
    var keys = null;
    var u = new uPlot(opts, plotData, box);
    ready = true;
    group.charts.push({ u: u });
    if (window.GamedayChartKeys) {
      keys = window.GamedayChartKeys.attach({ u: u, box: box, readout: readout, xs: xs, cols: cols, unit: spec.unit,
        fullMin: fullMin, fullMax: fullMax, cite: function (idx) { citeRow(ctx, data, idx, cols); } });
    }

    // a zoom is the candidate's only when it follows their own mouse, key or button on a chart of the file: uPlot fires
    // setScale on redraws too (the first draw, a window resize, setSize), and those must not enter the trail as zooms.
    // Capture listeners, so the mark is set before uPlot's and the keys' own handlers; it lasts until the task after
    // the event (uPlot applies a scale in a microtask), and a mouse drag holds it until the button is released
    function userActed() {
      group.userAct = true;
      setTimeout(function () { if (!group.userHeld) group.userAct = false; }, 0);
    }
    fig.addEventListener('mousedown', function () { group.userAct = group.userHeld = true; }, true);
    document.addEventListener('mouseup', function () {
      if (group.userHeld) { group.userHeld = false; userActed(); }
    }, true);
    ['dblclick', 'click', 'keydown'].forEach(function (type) { fig.addEventListener(type, userActed, true); });

    citeBtn.addEventListener('click', function () { if (lastIdx != null) citeRow(ctx, data, lastIdx, cols); });
    resetBtn.addEventListener('click', function () { u.setScale('x', { min: fullMin, max: fullMax }); });
    zoomInBtn.addEventListener('click', function () {
      if (keys) keys.zoom(0.5);
      else { var s = u.scales.x, q = (s.max - s.min) / 4; u.setScale('x', { min: s.min + q, max: s.max - q }); }
    });
    zoomOutBtn.addEventListener('click', function () {
      if (keys) keys.zoom(2);
      else u.setScale('x', { min: fullMin, max: fullMax });
    });

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

  function makeTable(ctx, data, tableId, openNow, filterNote) {
    var n = data.times.length;
    var cols = data.cols;
    var details = h('details', { class: 'ev-table-details', id: tableId });
    var summaryText = 'Data table (' + plural(n, 'row', 'rows') + (filterNote ? ', only ' + filterNote : '') + ')';
    details.appendChild(h('summary', { id: tableId + '-sum', text: summaryText }));
    var built = false;
    function build() {
      built = true;
      // one tab stop: the wrap is not in the tab order, and of the rows' Cite buttons only one is (roving tabindex:
      // arrow keys, PageUp/PageDown, Home and End move between rows); focus inside scrolls the region
      var wrap = h('div', { class: 'ev-table-wrap', role: 'region', 'aria-label': ctx.name + ' data table' });
      var table = h('table', { class: 'ev-table' });
      table.appendChild(h('caption', { text: ctx.name + ': ' + plural(n, 'row', 'rows') + (filterNote ? ' (only ' + filterNote + ')' : '') + ', times in UTC' }));
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
      var numericCols = cols.filter(function (c) { return c.numeric || c.label; });   // a citation names the row's labels too
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
          b.tabIndex = r === 0 ? 0 : -1;
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
      tbody.addEventListener('keydown', function (e) {
        var b = e.target.closest ? e.target.closest('button[data-row]') : null;
        if (!b || e.altKey || e.ctrlKey || e.metaKey) return;
        var r = +b.getAttribute('data-row'), page = 10, to;
        switch (e.key) {
          case 'ArrowDown': to = r + 1; break;
          case 'ArrowUp': to = r - 1; break;
          case 'PageDown': to = r + page; break;
          case 'PageUp': to = r - page; break;
          case 'Home': to = 0; break;
          case 'End': to = shown - 1; break;
          default: return;
        }
        e.preventDefault();
        to = Math.max(0, Math.min(shown - 1, to));
        var next = tbody.querySelector('button[data-row="' + to + '"]');
        if (!next || next === b) return;
        b.tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      });
      tbody.addEventListener('click', function (e) {
        var b = e.target.closest ? e.target.closest('button[data-row]') : null;
        if (b) citeRow(ctx, data, +b.getAttribute('data-row'), numericCols);
      });
      addRows();
    }
    details.addEventListener('toggle', function () {
      if (details.open) U.trail(ctx, 'table', '');
      if (details.open && !built) build();
    });
    if (openNow) { details.open = true; build(); }
    return details;
  }

  window.GamedayEvidenceChart = { renderCsv: renderCsv, parseCsv: parseCsv, splitCsv: splitCsv };
})();
