// The CSV import on /candidates: a chosen file (or a long pasted one) is sent as text/csv to the JSON API, which
// takes up to 5,000 rows; the result, or every problem with its line, is shown in a live region.
(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form || !window.fetch) { return; }
  var file = document.getElementById('csv-file');
  var area = document.getElementById('csv');
  var out = document.createElement('div');
  out.setAttribute('role', 'status');
  out.setAttribute('aria-live', 'polite');
  form.parentNode.insertBefore(out, form);

  function show(kind, text, items) {
    out.className = 'notice ' + kind;
    out.textContent = '';
    var p = document.createElement('p');
    p.textContent = text;
    out.appendChild(p);
    if (items && items.length) {
      var ul = document.createElement('ul');
      items.forEach(function (t) { var li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
      out.appendChild(ul);
    }
    out.focus && out.setAttribute('tabindex', '-1');
    out.focus();
  }

  function send(text) {
    show('', 'Importing...');
    fetch('/api/v1/candidates/import', {
      method: 'POST', credentials: 'same-origin', body: text,
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'X-XSRF-TOKEN': form.elements._csrf.value }
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; });
    }).then(function (res) {
      if (res.ok) {
        var links = (res.j.invitations || []).filter(function (i) { return i.link; })
          .map(function (i) { return i.pseudonym + ': ' + i.link; });
        show('success', 'Imported ' + res.j.created + ' candidates.' + (links.length
          ? ' Email is off: copy each link now; it is shown only once.' : ' Their invitation emails are on their way.'), links);
        file.value = '';
        area.value = '';
      } else {
        show('error', res.j.message || 'The file was not imported.', (res.j.rows || []).map(function (r) {
          return 'line ' + r.line + ': ' + r.message;
        }));
      }
    }).catch(function () { show('error', 'The file could not be sent. Nothing was imported; try again.'); });
  }

  form.addEventListener('submit', function (e) {
    var f = file.files && file.files[0];
    if (!f && area.value.length < 60000) { return; }
    e.preventDefault();
    if (f) { f.text().then(send); } else { send(area.value); }
  });
}());

// Batch actions on /candidates: "Select all on this page" checks every row (without the script the server reads it
// as "every row of this page"); unchecking a row clears it, and it shows "some" (mixed) when only some are checked.
(function () {
  'use strict';
  var all = document.getElementById('select-page');
  if (!all) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll('#batch input.select-one'));
  function sync() {
    var n = rows.filter(function (r) { return r.checked; }).length;
    all.checked = n > 0 && n === rows.length;
    all.indeterminate = n > 0 && n < rows.length;
  }
  all.addEventListener('change', function () {
    rows.forEach(function (r) { r.checked = all.checked; });
    all.indeterminate = false;
  });
  rows.forEach(function (r) { r.addEventListener('change', sync); });
  sync();
}());
