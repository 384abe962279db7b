// Adds the reader's own local time, with its zone name, after every <time datetime> (which shows UTC).
(function () {
  'use strict';
  var LONG = { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  var SHORT = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  document.querySelectorAll('time[datetime]').forEach(function (t) {
    var d = new Date(t.getAttribute('datetime'));
    if (isNaN(d.getTime()) || d.getTimezoneOffset() === 0) { return; } // a reader on UTC already sees their time
    var local = d.toLocaleString([], t.hasAttribute('data-short') ? SHORT : LONG);
    t.textContent = t.textContent + ' (' + local + ', your time)';
  });
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) { if (!window.confirm(f.dataset.confirm)) { e.preventDefault(); } });
  });
  // a button that does something final in a form of several (Submit review beside Save draft) asks on its own
  document.addEventListener('submit', function (e) {
    var b = e.submitter;
    if (b && b.hasAttribute('data-confirm') && !e.defaultPrevented && !window.confirm(b.getAttribute('data-confirm'))) {
      e.preventDefault();
    }
  }, true);
}());
