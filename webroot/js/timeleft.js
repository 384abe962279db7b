// The working time left on a timed assessment (WCAG 2.2.1): the server says how many seconds are left when the page
// is rendered (so a reload asks it again and the browser's clock setting does not matter); this script counts down
// from there with the browser's monotonic clock and warns once in a live region at 10 and at 2 minutes left.
(function () {
  'use strict';
  var el = document.getElementById('time-left');
  var warn = document.getElementById('time-warning');
  if (!el) { return; }
  var left0 = Number(el.getAttribute('data-seconds-left'));
  if (!isFinite(left0)) { return; }
  var t0 = typeof performance === 'object' && performance.now ? performance.now() : Date.now();
  var BANDS = [
    { below: 120, text: 'Less than 2 minutes left. Your text is saved as you type; submit from the review page.' },
    { below: 600, text: 'Less than 10 minutes left. Your text is saved as you type.' }
  ];
  var told = null;

  function now() { return typeof performance === 'object' && performance.now ? performance.now() : Date.now(); }

  function words(s) {
    if (s <= 0) { return 'No time left'; }
    var m = Math.ceil(s / 60);
    if (m < 60) { return m + ' min left'; }
    var h = Math.floor(m / 60), r = m % 60;
    if (h >= 48) { return Math.floor(h / 24) + ' days left'; }
    return h + ' h' + (r ? ' ' + r + ' min' : '') + ' left';
  }

  function tick() {
    var s = Math.max(0, left0 - (now() - t0) / 1000);
    var text = words(s);
    if (el.textContent !== text) { el.textContent = text; }
    // the most urgent band reached, told once (opening the page inside a band tells it at once)
    for (var i = 0; i < BANDS.length; i++) {
      if (s < BANDS[i].below) {
        if (told !== i && (told === null || i < told) && warn) { told = i; warn.textContent = BANDS[i].text; }
        break;
      }
    }
    if (s > 0) { setTimeout(tick, s < 900 ? 1000 : 15000); }
  }
  tick();
}());
