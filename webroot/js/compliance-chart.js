// Selection rate per group as bars, with the four-fifths line (80% of the highest rate), beside each stage's table.
(function () {
  'use strict';
  function draw(fig) {
    var d;
    try { d = JSON.parse(fig.getAttribute('data-impact-chart')); } catch (e) { return; }
    if (!window.uPlot || !d.labels || d.labels.length === 0) { return; }
    var xs = d.labels.map(function (_, i) { return i; });
    var line = d.labels.map(function () { return d.fourFifths; });
    var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 60] }) : null;
    var opts = {
      width: Math.min(520, fig.clientWidth || 520), height: 260,
      scales: { x: { time: false, range: [-0.5, d.labels.length - 0.5] }, y: { range: [0, 1] } },
      axes: [
        { values: function (u, vals) { return vals.map(function (v) { return Number.isInteger(v) && d.labels[v] ? d.labels[v].slice(0, 18) : ''; }); }, splits: function () { return xs; } },
        { values: function (u, vals) { return vals.map(function (v) { return Math.round(v * 100) + '%'; }); } }
      ],
      series: [
        { label: 'Group', value: function (u, v) { return v == null ? '' : d.labels[v]; } },
        { label: 'Selection rate', stroke: '#1f5fa8', fill: 'rgba(31,95,168,0.45)', paths: bars, points: { show: false },
          value: function (u, v) { return v == null ? '' : (v * 100).toFixed(1) + '%'; } },
        { label: 'Four-fifths of highest', stroke: '#b3261e', dash: [6, 4], width: 2, points: { show: false },
          value: function (u, v) { return v == null ? '' : (v * 100).toFixed(1) + '%'; } }
      ]
    };
    new uPlot(opts, [xs, d.rates, line], fig);
  }
  function all() { document.querySelectorAll('[data-impact-chart]').forEach(draw); }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', all); } else { all(); }
})();
