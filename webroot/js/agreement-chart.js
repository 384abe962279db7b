// The agreement page: each table's alpha per criterion with its 95% interval, drawn with uPlot beside the table,
// with the 0.667 (tentative) and 0.800 (decision-grade) lines. The table holds the figures; the chart only draws them.
(function () {
  'use strict';
  if (!window.uPlot) { return; }
  function num(s) { return s === '' || s == null ? null : Number(s); }

  Array.prototype.forEach.call(document.querySelectorAll('[data-agreement-chart]'), function (el) {
    var table = document.getElementById(el.getAttribute('data-agreement-chart'));
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    var labels = rows.map(function (r) { return r.getAttribute('data-label'); });
    var xs = rows.map(function (r, i) { return i; });
    var alpha = rows.map(function (r) { return num(r.getAttribute('data-alpha')); });
    var low = rows.map(function (r) { return num(r.getAttribute('data-low')); });
    var high = rows.map(function (r) { return num(r.getAttribute('data-high')); });
    var min = Math.min.apply(null, [0].concat(low.filter(function (v) { return v != null; })));
    var lines = xs.map(function () { return 0.667; });
    var lines2 = xs.map(function () { return 0.8; });

    // the intervals: a vertical bar with caps per criterion
    function whiskers(u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#0b5cad';
      ctx.lineWidth = 2 * devicePixelRatio;
      for (var i = 0; i < xs.length; i++) {
        if (low[i] == null || high[i] == null) { continue; }
        var x = u.valToPos(i, 'x', true);
        var y0 = u.valToPos(low[i], 'y', true);
        var y1 = u.valToPos(high[i], 'y', true);
        var cap = 6 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x, y0); ctx.lineTo(x, y1);
        ctx.moveTo(x - cap, y0); ctx.lineTo(x + cap, y0);
        ctx.moveTo(x - cap, y1); ctx.lineTo(x + cap, y1);
        ctx.stroke();
      }
      ctx.restore();
    }

    var width = Math.max(260, Math.min(520, el.parentNode.clientWidth || 520));
    /* global uPlot */
    new uPlot({
      width: width,
      height: 260,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: [Math.min(-0.1, min - 0.05), 1] } },
      axes: [
        { values: function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) && labels[t] ? (labels[t].length > 14 ? labels[t].slice(0, 13) + '\u2026' : labels[t]) : ''; }); },
          splits: function () { return xs; }, rotate: 0, size: 40 },
        { label: 'alpha' }
      ],
      series: [
        {},
        { label: 'alpha', stroke: '#0b5cad', paths: function () { return null; }, points: { show: true, size: 9, fill: '#0b5cad' } },
        { label: '0.667', stroke: '#a16207', width: 1, dash: [6, 4], points: { show: false } },
        { label: '0.800', stroke: '#15803d', width: 1, dash: [6, 4], points: { show: false } }
      ],
      hooks: { draw: [whiskers] }
    }, [xs, alpha, lines, lines2], el);
  });
}());
