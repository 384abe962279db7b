// The investigation trail (the exercise page says so to the candidate): which evidence is opened, the filters and
// zoom applied, the data tables opened and what is cited, each with the time. Events wait in a small queue and go to
// the server in batches every few seconds (POST data-trail of #answer); a failed batch is retried quietly with
// backoff. The trail is never in the way of the answer: recording is a push onto an array, every step is guarded,
// and nothing here touches the answer boxes or their saves. Loaded only while answers are accepted.
// window.GamedayTrail.record(kind, evidenceIndex, detail, settle): `settle` keeps only the last of a quick series
// (typing a filter, dragging a zoom) of the same kind on the same file.
(function () {
  'use strict';
  var form = document.getElementById('answer');
  var url = form && form.dataset.trail;
  if (!url || form.dataset.open !== 'true') { return; }

  var KINDS = { opened: 1, filter: 1, zoom: 1, table: 1, group: 1, cite: 1 };
  var MAX_DETAIL = 200;      // characters of detail the server accepts
  var BATCH = 100;           // events per request the server accepts
  var MAX_QUEUE = 2000;      // the server keeps at most this many per exercise anyway
  var FLUSH_MS = 5000;
  var SETTLE_MS = 1500;
  var DWELL_MS = 1000;       // a file counts as opened once it has been in view this long
  var MAX_RETRY_MS = 60000;

  var queue = [];
  var settling = {};
  var inFlight = false;
  var stopped = false;       // submitted, closed, or the exercise's trail is full: nothing more will be stored
  var timer = null;
  var retryDelay = FLUSH_MS;

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function clip(s) {
    s = String(s == null ? '' : s);
    var cps = Array.from(s);   // the server counts characters (code points), not UTF-16 units
    return cps.length > MAX_DETAIL ? cps.slice(0, MAX_DETAIL - 1).join('') + '\u2026' : s;
  }

  function push(e) {
    if (stopped) { return; }
    if (queue.length < MAX_QUEUE) { queue.push(e); }
    schedule(FLUSH_MS);
  }

  function record(kind, evidence, detail, settle) {
    try {
      if (stopped || !KINDS[kind] || typeof evidence !== 'number' || !(evidence >= 0)) { return; }
      var e = { at: new Date().toISOString(), kind: kind, evidence: evidence, detail: clip(detail) };
      if (!settle) { push(e); return; }
      var key = kind + ':' + evidence;
      if (settling[key]) { clearTimeout(settling[key].t); }
      settling[key] = { e: e, t: setTimeout(function () { delete settling[key]; push(e); }, SETTLE_MS) };
    } catch (err) { /* the trail never gets in the way of the page */ }
  }

  function settleAll() {
    Object.keys(settling).forEach(function (k) { clearTimeout(settling[k].t); push(settling[k].e); delete settling[k]; });
  }

  function schedule(ms) {
    if (timer || stopped) { return; }
    timer = setTimeout(function () { timer = null; flush(false); }, ms);
  }

  function retry() {
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    schedule(retryDelay + Math.floor(Math.random() * 1000));
  }

  // leaving: the page is being hidden or closed; keepalive lets the request outlive it
  function flush(leaving) {
    if (inFlight || stopped || !queue.length) { return; }
    var batch = queue.slice(0, BATCH);
    inFlight = true;
    var done = function () { inFlight = false; };
    try {
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrfToken() },
        body: JSON.stringify({ events: batch }),
        keepalive: leaving === true
      }).then(function (res) {
        done();
        if (res.ok || res.status === 400 || res.status === 413) {
          // 400/413: this page sent something the server cannot take; retrying it would fail for ever
          queue.splice(0, batch.length);
          retryDelay = FLUSH_MS;
          if (queue.length) { schedule(200); }
          return;
        }
        if (res.status === 409 || res.status === 410 || res.status === 404) { stopped = true; queue = []; return; }
        retry(); // 401 (signed out for now), 403, 5xx, 503 (database down): quietly later
      }, function () { done(); retry(); });
    } catch (err) { done(); retry(); }
  }

  function leave() { try { settleAll(); flush(true); } catch (err) { /* ignore */ } }
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') { leave(); } });
  window.addEventListener('pagehide', leave);
  window.addEventListener('online', function () { retryDelay = FLUSH_MS; flush(false); });

  // ---- opened: a viewer that stays in view for a moment, is clicked or focused; a document that is expanded
  function index(el) {
    var n = Number(el.getAttribute('data-evidence'));
    return el.hasAttribute('data-evidence') && isFinite(n) ? n : -1;
  }

  var seen = {};
  function opened(el) {
    var i = index(el);
    if (i < 0 || seen[i]) { return; }
    seen[i] = true;
    record('opened', i, '');
  }

  var viewers = document.querySelectorAll('section.evidence[data-evidence]');
  var dwell = new Map();
  var observer = typeof IntersectionObserver === 'function' ? new IntersectionObserver(function (entries) {
    entries.forEach(function (en) {
      var el = en.target;
      var visible = en.isIntersecting && (en.intersectionRatio >= 0.25 || en.intersectionRect.height >= window.innerHeight * 0.4);
      if (visible && !dwell.has(el)) {
        dwell.set(el, setTimeout(function () { dwell.delete(el); opened(el); observer.unobserve(el); }, DWELL_MS));
      } else if (!visible && dwell.has(el)) {
        clearTimeout(dwell.get(el));
        dwell.delete(el);
      }
    });
  }, { threshold: [0, 0.1, 0.25, 0.5] }) : null;
  Array.prototype.forEach.call(viewers, function (el) {
    if (observer) { observer.observe(el); }
    el.addEventListener('pointerdown', function () { opened(el); }, { passive: true });
    el.addEventListener('focusin', function () { opened(el); });
  });
  Array.prototype.forEach.call(document.querySelectorAll('details.evidence-doc[data-evidence]'), function (d) {
    d.addEventListener('toggle', function () { if (d.open) { record('opened', index(d), ''); } });
  });

  window.GamedayTrail = { record: record, flush: function () { settleAll(); flush(false); } };
}());
