// The scoring page.
// - Cite (on a log line or a chart point) quotes the evidence into the evidence note used last.
// - Drafts save in the background (a second after the last change, and at once on "Save draft"), the page says
//   "Draft saved 12:04" or why not, and leaving with unsaved levels or notes asks first.
// - Submit lists every criterion still without a level at once and moves focus to the first.
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
    changed();
  });

  var form = document.querySelector('form.rubric-form[data-api]');
  if (!form) { return; }
  var api = form.getAttribute('data-api');
  var status = document.getElementById('draft-status');
  var problems = document.getElementById('review-problems');
  var criteria = Array.prototype.slice.call(form.querySelectorAll('fieldset.criterion[data-criterion]'));
  var dirty = false;
  var saving = false;
  var again = false;
  var timer = null;
  var submitting = false;

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : (form.querySelector('input[name="_csrf"]') || {}).value;
  }

  function body() {
    var scores = {};
    criteria.forEach(function (fs) {
      var id = fs.getAttribute('data-criterion');
      var checked = fs.querySelector('input[type="radio"]:checked');
      var note = fs.querySelector('textarea');
      var s = { note: note ? note.value : '' };
      if (checked) { s.level = Number(checked.value); }
      scores[id] = s;
    });
    var rec = form.querySelector('input[name="recommendation"]:checked');
    var comment = form.querySelector('textarea[name="for_candidate"]');
    return { scores: scores, recommendation: rec ? rec.value : null, for_candidate: comment ? comment.value : null };
  }

  function say(kind, text) {
    if (!status) { return; }
    status.className = 'draft-status ' + kind;
    status.textContent = text;
  }

  // the page's one time format (app.js): 24-hour, in the reader's zone, the zone named
  function hhmm(d) {
    if (typeof window.gamedayClock === 'function') {
      try { return window.gamedayClock(d); } catch (e) { /* below */ }
    }
    return d.toISOString().slice(11, 16) + ' UTC';
  }

  function save() {
    if (saving) { again = true; return; }
    saving = true;
    dirty = false;
    say('pending', 'Saving draft…');
    fetch(api, {
      method: 'PUT', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrf() },
      body: JSON.stringify(body())
    }).then(function (res) {
      if (res.ok) {
        say('ok', 'Draft saved ' + hhmm(new Date()));
        return null;
      }
      dirty = true;
      return res.json().catch(function () { return {}; }).then(function (j) {
        say('warning', 'Draft not saved: ' + (j.message || ('the server answered ' + res.status)) + ' Your levels are still on this page.');
      });
    }, function () {
      dirty = true;
      say('warning', 'Draft not saved: the server did not answer. Your levels are still on this page; it tries again when you change something or press Save draft.');
    }).then(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function changed() {
    dirty = true;
    say('pending', 'Unsaved changes');
    clearTimeout(timer);
    timer = setTimeout(save, 1000);
  }

  form.addEventListener('change', changed);
  // keys 1 to 4 set the level of the criterion that has the focus (on its levels or its fieldset, not while typing a note)
  form.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !/^[1-4]$/.test(e.key)) { return; }
    var el = e.target;
    if (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && el.type !== 'radio')) { return; }
    var fs = el.closest ? el.closest('fieldset.criterion') : null;
    var radio = fs ? fs.querySelector('input[type="radio"][value="' + e.key + '"]') : null;
    if (!radio || radio.disabled) { return; }
    e.preventDefault();
    radio.checked = true;
    radio.focus();
    radio.dispatchEvent(new Event('change', { bubbles: true }));
  });
  form.addEventListener('input', function (e) { if (e.target.tagName === 'TEXTAREA') { changed(); } });

  form.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('button[name="action"]') : null;
    if (!b) { return; }
    if (b.value === 'save') {
      e.preventDefault();
      clearTimeout(timer);
      save();
      return;
    }
    if (b.value === 'submit') {
      var missing = [];
      criteria.forEach(function (fs) {
        if (!fs.querySelector('input[type="radio"]:checked')) { missing.push(fs); }
      });
      var rec = form.querySelector('input[name="recommendation"]:checked');
      if (missing.length || !rec) {
        e.preventDefault();
        var names = missing.map(function (fs) { return fs.getAttribute('data-title'); });
        var text = (names.length ? 'Choose a level for: ' + names.join('; ') + '.' : '') +
          (!rec ? (names.length ? ' ' : '') + 'Choose an overall recommendation.' : '');
        if (problems) {
          problems.hidden = false;
          problems.textContent = text;
        }
        var first = missing.length ? missing[0].querySelector('input[type="radio"]')
          : form.querySelector('input[name="recommendation"]');
        if (first) { first.focus(); }
        return;
      }
      submitting = true;
    }
  });

  // "Submit review" asks first (app.js, before this): when the reviewer cancels, the page still guards unsaved work
  form.addEventListener('submit', function (e) { if (e.defaultPrevented) { submitting = false; } });

  window.addEventListener('beforeunload', function (e) {
    if (dirty && !submitting) {
      e.preventDefault();
      e.returnValue = '';
    }
  });
}());
