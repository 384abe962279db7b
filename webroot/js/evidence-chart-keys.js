/*
 * Gameday evidence viewer: a chart by keyboard (WCAG 2.1.1) and without dragging (2.5.7). The chart box is focusable;
 * arrow keys move a cursor between data points (PageUp/PageDown by ten) and a live readout says the point's time and
 * values; + and - zoom in and out around the cursor, Home resets the zoom; a cursor moved out of the zoomed range pans
 * it; Enter cites the point. Zooms go through uPlot's setScale and citations through the chart's own cite, so both
 * reach the investigation trail exactly as the mouse's do. Needs evidence-util.js; sets window.GamedayChartKeys.
 */
(function () {
  'use strict';

  var U = window.GamedayEvidenceUtil;

  /**
   * opt: {u, box, readout, xs, cols, unit, fullMin, fullMax, cite(idx)}. Returns {sync(idx), zoom(factor), reset()}:
   * sync keeps the keyboard cursor where the mouse last was; zoom and reset serve the visible buttons too.
   */
  function attach(opt) {
    var u = opt.u, box = opt.box, xs = opt.xs, cols = opt.cols;
    var idx = null;
    // the mouse moved last: only then may uPlot's cursor (snapped from a pixel) move the keyboard's point
    var fromMouse = false;
    box.tabIndex = 0;
    u.over.addEventListener('mousemove', function () { fromMouse = true; });

    function valueAt(k) {
      for (var c = 0; c < cols.length; c++) if (cols[c].values[k] != null) return cols[c].values[k];
      return null;
    }

    function describe(k) {
      return U.humanUTC(xs[k]) + ': ' + cols.map(function (c) {
        var v = c.values[k];
        return c.name + ' ' + (v == null ? 'no value' : U.fmtNum(v) + (opt.unit ? ' ' + opt.unit : ''));
      }).join(', ');
    }

    function inView(k) { return xs[k] >= u.scales.x.min && xs[k] <= u.scales.x.max; }

    function firstInView() {
      for (var k = 0; k < xs.length; k++) if (inView(k)) return k;
      return 0;
    }

    function setScale(min, max) {
      var w = max - min;
      if (min < opt.fullMin) { min = opt.fullMin; max = Math.min(opt.fullMax, min + w); }
      if (max > opt.fullMax) { max = opt.fullMax; min = Math.max(opt.fullMin, max - w); }
      u.setScale('x', { min: min, max: max });
    }

    function show(k) {
      idx = k;
      if (!inView(k)) {            // pan: keep the zoomed width, bring the point into view
        var w = u.scales.x.max - u.scales.x.min;
        var min = xs[k] < u.scales.x.min ? xs[k] - w * 0.1 : xs[k] - w * 0.9;
        setScale(min, min + w);
      }
      place(k);
      opt.readout.textContent = describe(k);
      // a zoom or pan is drawn after this task: place the cursor again on the new scale, or uPlot snaps the old
      // pixel to a neighbouring point and Cite point would name another minute than the readout
      setTimeout(function () { if (idx === k) place(k); }, 0);
    }

    function place(k) {
      var v = valueAt(k);
      var top = v == null ? u.bbox.height / 2 / (window.devicePixelRatio || 1) : u.valToPos(v, 'y');
      u.setCursor({ left: u.valToPos(xs[k], 'x'), top: top });
    }

    function zoom(factor) {
      var s = u.scales.x, w = (s.max - s.min) * factor;
      var full = opt.fullMax - opt.fullMin;
      if (w >= full) { reset(); return; }
      var mid = idx != null && inView(idx) ? xs[idx] : (s.min + s.max) / 2;
      w = Math.max(w, Math.min(full, 120));        // never narrower than two minutes
      setScale(mid - w / 2, mid + w / 2);
      if (idx != null) show(idx);
    }

    function reset() {
      u.setScale('x', { min: opt.fullMin, max: opt.fullMax });
      if (idx != null) show(idx);
    }

    box.addEventListener('keydown', function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      fromMouse = false;
      var k = e.key, n = xs.length, start = idx == null ? null : idx;
      var handled = true;
      if (k === 'ArrowRight' || k === 'ArrowUp') show(start == null ? firstInView() : Math.min(n - 1, start + 1));
      else if (k === 'ArrowLeft' || k === 'ArrowDown') show(start == null ? firstInView() : Math.max(0, start - 1));
      else if (k === 'PageDown') show(start == null ? firstInView() : Math.min(n - 1, start + 10));
      else if (k === 'PageUp') show(start == null ? firstInView() : Math.max(0, start - 10));
      else if (k === 'End') show(n - 1);
      else if (k === '+' || k === '=') zoom(0.5);
      else if (k === '-' || k === '_') zoom(2);
      else if (k === 'Home') reset();
      else if (k === 'Enter' || k === ' ') {
        if (idx != null) opt.cite(idx);
        else opt.readout.textContent = 'Move to a point with the arrow keys first, then press Enter to cite it.';
      } else handled = false;
      if (handled) e.preventDefault();
    });
    box.addEventListener('focus', function () {
      if (idx != null) show(idx);
    });

    return {
      sync: function (k) { if (k != null && fromMouse) idx = k; },
      zoom: zoom,
      reset: reset
    };
  }

  window.GamedayChartKeys = { attach: attach };
})();
