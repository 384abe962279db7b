// On the scoring page, Cite (on a log line or a chart point) quotes the evidence into the evidence note used last.
(function () {
  'use strict';
  var notes = Array.prototype.slice.call(document.querySelectorAll('fieldset.criterion textarea'));
  var last = null;
  notes.forEach(function (t) { t.addEventListener('focus', function () { last = t; }); });
  document.addEventListener('gameday:cite', function (e) {
    var t = last || notes[0];
    if (!t || t.readOnly) { return; }
    var text = (e.detail && e.detail.text) || '';
    var room = Number(t.getAttribute('maxlength') || 2000) - t.value.length;
    if (room <= 1) { return; }
    t.value = (t.value && !/\n$/.test(t.value) ? t.value + '\n' : t.value) + text.slice(0, room - 1);
    t.focus();
  });
}());
