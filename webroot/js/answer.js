// The answer editor: keeps every keystroke in this browser at once, sends it to the server a few seconds later,
// and retries with backoff until the server has it. Revisions are numbered here; the server keeps only the
// newest, so a late or repeated request never overwrites newer text. If another device saved in between, the
// two versions are merged so that no text is dropped.
(function () {
  'use strict';
  var form = document.getElementById('answer');
  if (!form) { return; }
  var exerciseId = form.dataset.exercise;
  var open = form.dataset.open === 'true';
  var storageKey = 'gameday:' + form.dataset.scope + ':' + exerciseId;
  var api = '/api/v1/candidate/answers/' + encodeURIComponent(exerciseId);
  var statusEl = document.getElementById('save-status');
  // the status's words, and its "Retry now" button (shown while a save waits for its retry)
  var statusText = document.getElementById('save-status-text') || statusEl;
  var retryBtn = document.getElementById('save-retry');
  // the visible status changes with every keystroke; a screen reader hears only this live region, which changes
  // with the state (saved, offline, not saved, error): at most once a save, never a keystroke
  var announceEl = document.getElementById('save-announce');
  var announced = null;
  var quietStart = true;
  var areas = Array.prototype.slice.call(form.querySelectorAll('textarea'));
  var maxChars = Number(form.dataset.max) || 100000;

  var serverRev = Number(form.dataset.rev) || 0; // newest revision the server confirmed
  var base = current();                            // the text of that revision
  var dirty = false;                               // text differs from what the server has
  var inFlight = false;
  var saveTimer = null;
  var retryTimer = null;
  var retryDelay = 1000;
  var unavailable = false;                         // the last save got 503: the server's database is down for now
  var delayed = false;                             // the last save was shed (503 overloaded, 429): the server is busy
  var notBefore = 0;                               // shed: no save before this time (Retry-After), but on leaving
  var firstUnsavedAt = 0;
  var lastSavedAt = form.dataset.savedAt ? new Date(form.dataset.savedAt) : null;
  var blocked = null;                              // 'submitted' | 'expired' | 'nosession' | 'invalid'
  var lastFocused = areas[0] || null;
  var serverError = false;                         // the last failed save got a 5xx (not silence) from the server
  var unconfirmed = [];                            // { rev, text } of saves sent since the server last confirmed one
  var note = null;                                 // { text, until }: what a merge did, kept on screen for a while
  var noteTimer = null;
  var SAVE_TIMEOUT = 20000;                        // a save with no answer by then is given up and retried
  var NOTE_MS = 60000;

  function current() {
    var s = {};
    // Postgres cannot store U+0000: the server keeps U+FFFD instead (and says so), so this copy does the same
    areas.forEach(function (a) { s[a.name] = a.value.replace(/\u0000/g, '\uFFFD'); });
    return s;
  }

  var core = window.GamedayAnswerMerge; // answer-merge.js: comparing, merging and reconciling texts
  var same = core.same;

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function readLocal() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || 'null'); } catch (e) { return null; }
  }

  function writeLocal() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ baseRev: serverRev, base: base, text: current(), dirty: dirty, at: Date.now() }));
    } catch (e) {
      // storage full or disabled: the server copy is the only copy; say so while unsaved
    }
  }

  // the page's one time format (app.js, like the server's {{time}}): 24-hour, in the reader's zone, the zone named;
  // should app.js be missing, the server's own format in UTC
  function clock(d) {
    if (typeof window.gamedayClock === 'function') {
      try { return window.gamedayClock(d); } catch (e) { /* below */ }
    }
    return d.toISOString().slice(11, 16) + ' UTC';
  }

  // key: the state a screen reader is told about (null: a passing state, such as typing or saving, is not told)
  function setStatus(kind, text, key) {
    var cls = 'save-status ' + kind;
    if (statusEl.className !== cls) { statusEl.className = cls; }
    if (statusText.textContent !== text) { statusText.textContent = text; }
    if (key && key !== announced && announceEl) {
      // the state the page opens in is on screen already: only changes are told
      if (announced !== null || !quietStart) { announceEl.textContent = text; }
      announced = key;
    }
    quietStart = false;
  }

  function sectionTitle(name) {
    var label = form.querySelector('label[for="s-' + name + '"]');
    return '\u201c' + (label ? label.textContent.trim() : name) + '\u201d';
  }

  // A message about a merge stays in the status for NOTE_MS, in front of the saving state, so it can be read.
  function setNote(text) {
    note = { text: text, until: Date.now() + NOTE_MS };
    clearTimeout(noteTimer);
    noteTimer = setTimeout(showState, NOTE_MS + 50);
  }

  function currentNote() {
    if (note && Date.now() >= note.until) { note = null; }
    return note ? note.text + ' ' : '';
  }

  function showState() {
    // a shed save needs nothing from the candidate: no button that would only send sooner than the server asked
    showRetry(!!retryTimer && !inFlight && !blocked && !delayed);
    if (blocked === 'submitted') { setStatus('ok', 'Submitted. This answer can no longer be changed.', 'submitted'); return; }
    if (blocked === 'expired') { setStatus('error', 'The time for this assessment has ended; changes are no longer saved. Your text is kept in this browser.', 'expired'); return; }
    if (blocked === 'nosession') { setStatus('error', 'You are signed out. Your text is kept in this browser: open your invitation link again, then come back to this page to save it.', 'nosession'); return; }
    var n = currentNote();
    var noteKey = n ? 'note:' + n : null;   // a merge note is told once
    if (inFlight) { setStatus(n ? 'warning' : 'busy', n + 'Saving\u2026', noteKey); return; }
    if (retryTimer && delayed && navigator.onLine) { // not an error: the server asked to wait a moment
      setStatus(n ? 'warning' : 'busy', n + 'Saving delayed; your work is kept in this browser and will be sent in a moment' +
        (lastSavedAt ? ' (last saved ' + clock(lastSavedAt) + ').' : '.'), noteKey || 'delayed');
      return;
    }
    if (retryTimer) {
      var why = !navigator.onLine ? 'you are offline' : unavailable ? 'the server is briefly unavailable' : serverError ? 'the server had a problem' : 'the server did not answer';
      setStatus('warning', n + 'Not saved to the server yet: ' + why +
        '. Your text is kept in this browser and will be sent automatically' + (lastSavedAt ? ' (last saved ' + clock(lastSavedAt) + ').' : '.'),
        noteKey || 'unsent:' + why);
      return;
    }
    if (dirty) { setStatus(n ? 'warning' : 'busy', n + 'Unsaved changes\u2026', noteKey); return; }
    // "Nothing written yet" is a plain state, not a success
    setStatus(n ? 'warning' : (lastSavedAt || serverRev ? 'ok' : 'idle'),
      n + (lastSavedAt ? 'Saved ' + clock(lastSavedAt) : (serverRev ? 'All changes saved' : 'Nothing written yet')),
      noteKey || (lastSavedAt || serverRev ? 'saved' : null));
  }

  function showRetry(show) {
    if (!retryBtn || retryBtn.hidden === !show) { return; }
    // a hidden button cannot keep the focus: give it back to the text, not to the page
    var hadFocus = !show && document.activeElement === retryBtn;
    retryBtn.hidden = !show;
    if (hadFocus && lastFocused) { lastFocused.focus(); }
  }

  function retryNow() {
    clearTimeout(retryTimer); retryTimer = null; retryDelay = 1000; notBefore = 0;
    save();
    showState(); // nothing left to send (or blocked): the button goes
  }

  function mergeNote(report) {
    var parts = [];
    if (report.both.length) {
      parts.push(report.both.map(sectionTitle).join(', ') + (report.both.length === 1 ? ' was' : ' were') +
        ' also changed on another device: both versions are kept, the other one below a line marked' +
        ' \u201cText saved from another device\u201d. Check it and remove what you do not need.');
    }
    if (report.theirs.length) {
      parts.push('Text saved on another device was loaded into ' + report.theirs.map(sectionTitle).join(', ') + '.');
    }
    return parts.join(' ');
  }

  function apply(sections) {
    areas.forEach(function (a) {
      if (sections[a.name] !== undefined && a.value !== sections[a.name]) { a.value = sections[a.name]; }
      countWords(a);
    });
  }

  function schedule(delay) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay);
  }

  // ms: the server's Retry-After (with jitter) for a shed save; else the page's own backoff
  function retryLater(ms) {
    clearTimeout(retryTimer);
    var wait = ms !== undefined ? ms : retryDelay + Math.floor(Math.random() * 500);
    if (ms === undefined) { retryDelay = Math.min(retryDelay * 2, 30000); }
    retryTimer = setTimeout(function () { retryTimer = null; notBefore = 0; save(); }, wait);
    showState();
  }

  // Retry-After in seconds (an HTTP date or nothing: 2 s), at most a minute
  function retryAfter(res) {
    var v = res.headers && typeof res.headers.get === 'function' ? Number(res.headers.get('Retry-After')) : NaN;
    return Math.min(isFinite(v) && v >= 0 ? v : 2, 60);
  }

  // Signed out ('nosession') is retried on the next edit or when the page is shown again: the candidate may have
  // opened the invitation link again in another tab in the meantime.
  // leaving: the page is being closed or left; keepalive lets the request outlive it (browsers cap such bodies at 64 KB)
  function save(leaving) {
    if (!open || (blocked && blocked !== 'nosession') || inFlight || !dirty) { return; }
    if (leaving !== true && Date.now() < notBefore) { return; } // shed: the retry timer sends the newest text then
    clearTimeout(saveTimer);
    var text = current();
    var rev = serverRev + 1;
    inFlight = true;
    unconfirmed.push({ rev: rev, text: text });
    showState();
    // a request the network swallows (no answer, no error) must not leave the page "Saving..." for ever
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timeout = setTimeout(function () { if (ctrl) { ctrl.abort(); } }, SAVE_TIMEOUT);
    // only the sections that differ from what the server has: the server merges them into the stored answer
    var payload = JSON.stringify({ rev: rev, sections: core.changed(text, base) });
    fetch(api, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrfToken() },
      body: payload,
      keepalive: leaving === true && (typeof Blob === 'function' ? new Blob([payload]).size : payload.length * 3) < 60000,
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) { return { res: res, body: body }; });
    }).then(function (r) {
      clearTimeout(timeout);
      inFlight = false;
      delayed = false; // until this answer says the save was shed again
      var res = r.res, body = r.body;
      if (res.ok && typeof body.rev !== 'number') { retryLater(); return; } // not our API answering (a portal, a proxy)
      if (res.ok) {
        if (blocked === 'nosession') { blocked = null; }
        unavailable = false;
        unconfirmed = [];
        serverRev = body.rev;
        base = text;
        lastSavedAt = new Date(body.savedAt || Date.now());
        retryDelay = 1000;
        clearTimeout(retryTimer); retryTimer = null;
        if (body.replaced) { // show the U+FFFD the server stored in place of NUL (keeps anything typed since)
          areas.forEach(function (a) { if (a.value.indexOf('\u0000') >= 0) { a.value = a.value.replace(/\u0000/g, '\uFFFD'); } });
        }
        dirty = !same(current(), text);
        // text typed while this save was in flight starts a new 10 s window: continuous typing saves about every
        // 10 s, not at every keystroke once the first 10 s have passed (one save in 5 s is what capacity assumes)
        firstUnsavedAt = dirty ? Date.now() : 0;
        writeLocal();
        showState();
        if (dirty) { schedule(1500); }
        return;
      }
      if (res.status === 409 && body.error === 'stale_rev') {
        return reconcile().then(function (ok) { if (ok) { schedule(0); } });
      }
      if (res.status === 409 && body.error === 'submitted') { lock('submitted'); return; }
      if (res.status === 410) { lock('expired'); return; }
      if (res.status === 401) { blocked = 'nosession'; showState(); return; }
      if (res.status === 400 || res.status === 413) {
        setStatus('error', (body.message || 'The answer could not be saved.') + ' Your text is kept in this browser.');
        return; // a client mistake: retrying the same text would fail again; the next edit tries again
      }
      if (res.status === 429 || (res.status === 503 && body.error === 'overloaded')) {
        // shed before any work: this request stored nothing, so it is no unconfirmed save; the text stays here and
        // the next attempt sends whatever is newest by then (one request), after Retry-After plus up to half again
        unconfirmed.pop();
        delayed = true; serverError = false; unavailable = false;
        writeLocal();
        var wait = Math.round(retryAfter(res) * 1000 * (1 + Math.random() * 0.5));
        notBefore = Date.now() + wait;
        retryLater(wait);
        return;
      }
      serverError = res.status >= 500;
      // 503: the server is up but its database is not (an outage): like an offline period, keep the text here and retry
      unavailable = res.status === 503;
      if (unavailable) { writeLocal(); }
      retryLater(); // 403 (token changed in another tab), 5xx, 503: try again shortly
    }).catch(function () {
      clearTimeout(timeout);
      inFlight = false;
      serverError = false;
      unavailable = false;
      delayed = false;
      retryLater();
    });
  }

  function reconcile() {
    return fetch(api, { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) { throw new Error('status ' + res.status); }
      return res.json();
    }).then(function (server) {
      if (blocked === 'nosession') { blocked = null; }
      var sections = server.sections || {};
      // our own earlier save reached the server but its answer was lost: that text is the ancestor, not a rival
      var r = core.reconcile(current(), base, unconfirmed, server, clock(new Date(server.savedAt || Date.now())));
      var ours = r.ours, merged = r.merged, report = r.report;
      unconfirmed = [];
      serverRev = server.rev;
      base = sections;
      if (ours) { lastSavedAt = new Date(server.savedAt || Date.now()); }
      apply(merged);
      dirty = r.dirty;
      if (!dirty) { firstUnsavedAt = 0; }
      writeLocal();
      if (report.both.length || report.theirs.length) { setNote(mergeNote(report)); }
      showState();
      return true;
    }).catch(function () { retryLater(); return false; });
  }

  function lock(reason) {
    blocked = reason;
    areas.forEach(function (a) { a.readOnly = true; });
    // unsent text stays in this browser: the read-only page shows it so that it can still be copied
    if (dirty) { writeLocal(); } else { try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ } }
    showState();
  }

  function countWords(a) {
    var el = document.getElementById('wc-' + a.name);
    if (!el) { return; }
    var t = a.value.trim();
    var n = t ? t.split(/\s+/).length : 0;
    var limit = Number(a.dataset.words) || 0;
    var msg = n + (n === 1 ? ' word' : ' words') + (limit ? ' of about ' + limit : '');
    if (a.value.length > maxChars) { msg += ' \u2013 longer than ' + maxChars + ' characters: shorten it so it can be saved'; }
    el.textContent = msg;
    el.className = 'wordcount' + (a.value.length > maxChars ? ' error' : (limit && n > limit * 1.25 ? ' over' : ''));
  }

  var localTimer = null;
  function onInput(e) {
    if (!open || blocked === 'submitted' || blocked === 'expired') { return; }
    dirty = true;
    if (!firstUnsavedAt) { firstUnsavedAt = Date.now(); }
    countWords(e.target);
    clearTimeout(localTimer);
    localTimer = setTimeout(writeLocal, 250);
    if (blocked === 'nosession') { writeLocal(); }
    showState();
    // save after a pause in typing, and at least every 10 s while typing goes on (while saves fail, only after a
    // pause: the retry timer keeps trying meanwhile)
    schedule(!retryTimer && !blocked && Date.now() - firstUnsavedAt > 10000 ? 0 : 2000);
  }

  areas.forEach(function (a) {
    a.addEventListener('input', onInput);
    a.addEventListener('focus', function () { lastFocused = a; });
    countWords(a);
  });

  // Write / Preview per section; the preview is rendered by the server exactly as reviewers will see it.
  form.querySelectorAll('.answer-section').forEach(function (section) {
    var ta = section.querySelector('textarea');
    var preview = section.querySelector('.preview');
    section.querySelectorAll('.mode').forEach(function (btn) {
      btn.addEventListener('click', function () {
        var toPreview = btn.dataset.mode === 'preview';
        section.querySelectorAll('.mode').forEach(function (b) { b.setAttribute('aria-pressed', String(b === btn)); });
        if (!toPreview) { preview.hidden = true; ta.hidden = false; ta.focus(); return; }
        preview.textContent = 'Rendering preview\u2026';
        preview.hidden = false; ta.hidden = true;
        fetch('/api/v1/candidate/preview', {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrfToken() },
          body: JSON.stringify({ markdown: ta.value })
        }).then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
          .then(function (body) { preview.innerHTML = body.html || '<p><em>Nothing written yet.</em></p>'; })
          .catch(function (status) {
            preview.textContent = status === 422 ? 'This text is too complex to preview. It is saved as written.'
              : status === 503 ? 'The server is busy; try Preview again in a moment. Your text is safe.'
                : 'The preview is not available right now (no connection). Your text is safe.';
          });
      });
    });
  });

  // Citations from the evidence viewer go into the answer box used last.
  document.addEventListener('gameday:cite', function (e) {
    var ta = lastFocused || areas[0];
    if (!ta || ta.readOnly || !open) { return; }
    if (ta.hidden) { // the box shows its preview: back to Write, so that the citation can be seen
      var write = ta.parentNode.querySelector('.mode[data-mode="write"]');
      if (write) { write.click(); }
    }
    var text = (e.detail && e.detail.text) || '';
    var start = ta.selectionStart, end = ta.selectionEnd;
    var before = ta.value.slice(0, start);
    // its own paragraph: with single line breaks Markdown would run the citation into the text around it
    var sep = !before || /\n\n$/.test(before) ? '' : (/\n$/.test(before) ? '\n' : '\n\n');
    var insert = sep + text + '\n\n';
    ta.value = before + insert + ta.value.slice(end);
    ta.selectionStart = ta.selectionEnd = start + insert.length;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
    ta.focus();
  });

  window.addEventListener('online', retryNow);
  if (retryBtn) { retryBtn.addEventListener('click', retryNow); }
  window.addEventListener('beforeunload', function (e) {
    if (open && !blocked && (dirty || inFlight)) {
      writeLocal();
      if (dirty && !inFlight) { save(true); } // e.g. "Review and submit" clicked right after typing
      e.preventDefault(); e.returnValue = '';
    }
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') { writeLocal(); if (dirty && !inFlight) { save(true); } }
    else if (blocked === 'nosession' && dirty) { save(); }
  });
  window.addEventListener('focus', function () { if (blocked === 'nosession' && dirty) { save(); } });

  // Start: the page came with the server's text; a newer unsent draft in this browser wins, merged if needed.
  if (!open) {
    var stale = readLocal();
    if (stale && stale.dirty && !same(stale.text, current())) {
      setStatus('error', 'This browser holds text that did not reach the server before the assessment closed. It is shown below each read-only box so you can copy it.');
      areas.forEach(function (a) {
        if (stale.text[a.name] !== undefined && stale.text[a.name] !== a.value) {
          var pre = document.createElement('pre');
          pre.className = 'unsent';
          pre.textContent = stale.text[a.name];
          a.parentNode.insertBefore(pre, a.nextSibling);
        }
      });
    } else {
      setStatus('ok', 'Read-only: changes are no longer possible' + (lastSavedAt ? ' (last saved ' + clock(lastSavedAt) + ').' : '.'));
    }
    areas.forEach(function (a) { a.readOnly = true; });
    return;
  }
  var restored = core.restore(readLocal(), serverRev, base);
  if (restored) {
    apply(restored.merged);
    dirty = restored.dirty;
    if (dirty) {
      firstUnsavedAt = Date.now();
      setNote(('Text typed in this browser that had not reached the server yet was restored. ' + mergeNote(restored.report)).trim());
      schedule(0);
    }
  }
  writeLocal();
  showState();
}());
