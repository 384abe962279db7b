// Times in the reader's zone, and confirmations before final actions.
(function () {
  'use strict';
  // One way to read a time everywhere (issue 21): "2026-12-01 10:17 CET", in the reader's own time zone, named. The
  // server writes the same format in UTC (kept as the tooltip); a deadline (data-relative) also says "(in 2 days)".
  var FORMAT = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    timeZoneName: 'short' };
  function parts(d) {
    var p = {};
    new Intl.DateTimeFormat('en-US', FORMAT).formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    p.hour = p.hour === '24' ? '00' : p.hour;
    return p;
  }
  function local(d) {
    var p = parts(d);
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ' ' + p.timeZoneName;
  }
  // the same format without the date when it is today in the reader's zone ("14:38 CET"), for a status line such as
  // the answer's "Saved ..."; another day keeps the date
  function clock(d) {
    var p = parts(d), now = parts(new Date());
    if (p.year !== now.year || p.month !== now.month || p.day !== now.day) { return local(d); }
    return p.hour + ':' + p.minute + ' ' + p.timeZoneName;
  }
  function relative(d) {
    if (typeof Intl.RelativeTimeFormat !== 'function') { return ''; }
    var rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    var minutes = (d.getTime() - Date.now()) / 60000;
    var abs = Math.abs(minutes);
    if (abs >= 2 * 1440) { return rtf.format(Math.round(minutes / 1440), 'day'); }
    if (abs >= 120) { return rtf.format(Math.round(minutes / 60), 'hour'); }
    return rtf.format(Math.round(minutes), 'minute');
  }
  window.gamedayTime = local;
  window.gamedayClock = clock;
  document.querySelectorAll('time[datetime]').forEach(function (t) {
    var d = new Date(t.getAttribute('datetime'));
    if (isNaN(d.getTime())) { return; }
    if (!t.title) { t.title = t.textContent; }
    var rel = t.hasAttribute('data-relative') ? relative(d) : '';
    t.textContent = local(d) + (rel ? ' (' + rel + ')' : '');
  });
  // a date and time typed into a form (a review's due date) is in the reader's zone: the form sends the zone's name
  var zone = typeof Intl === 'object' ? Intl.DateTimeFormat().resolvedOptions().timeZone : '';
  if (zone) {
    document.querySelectorAll('input[data-time-zone]').forEach(function (i) { i.value = zone; });
    document.querySelectorAll('[data-zone-name]').forEach(function (s) { s.textContent = 'your time zone, ' + zone; });
  }
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) { if (!window.confirm(f.dataset.confirm)) { e.preventDefault(); } });
  });
  // Copy buttons beside links and secrets shown once (hidden without this script, when the text stays selectable):
  // the button says "Copied", and a polite live region says so too (data-copied names what was copied)
  var copies = document.querySelectorAll('button.copy[data-copy]');
  var said = null;
  if (copies.length) {
    said = document.createElement('p');
    said.className = 'visually-hidden';
    said.id = 'copy-status';
    said.setAttribute('role', 'status');
    said.setAttribute('aria-live', 'polite');
    document.body.appendChild(said);
  }
  copies.forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var text = b.getAttribute('data-copy');
      function done(ok) {
        b.textContent = ok ? 'Copied' : 'Select the text and copy it';
        said.textContent = '';
        window.setTimeout(function () {
          said.textContent = ok ? (b.getAttribute('data-copied') || 'Copied') : 'Could not copy: select the text and copy it';
        }, 50);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        var area = document.createElement('textarea');
        area.value = text;
        document.body.appendChild(area);
        area.select();
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        area.remove();
        done(ok);
      }
    });
  });
  // a button that does something final in a form of several (Submit review beside Save draft) asks on its own
  document.addEventListener('submit', function (e) {
    var b = e.submitter;
    if (b && b.hasAttribute('data-confirm') && !e.defaultPrevented && !window.confirm(b.getAttribute('data-confirm'))) {
      e.preventDefault();
    }
  }, true);
}());
