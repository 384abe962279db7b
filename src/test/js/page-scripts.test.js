// Runs the pages' classic scripts (webroot/js) in a bare VM context with the few DOM pieces they touch, to check
// what they write on screen. Run: node --test src/test/js/ (DefectsScriptsTest runs it from mvn verify).
'use strict';
process.env.TZ = 'Europe/Berlin';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const webroot = path.join(__dirname, '..', '..', '..', 'webroot', 'js');

function run(file, ctx) {
  ctx.window = ctx;
  vm.createContext(ctx);
  for (const f of [].concat(file)) { // a page's scripts in the order it loads them
    vm.runInContext(fs.readFileSync(path.join(webroot, f), 'utf8'), ctx, { filename: f });
  }
  return ctx;
}

test('app.js shows every time one way, in the reader\'s zone with its name; a deadline also says how far away it is (issue 21)', () => {
  const at = (iso, relative) => ({
    textContent: '2026-12-08 09:17 UTC', title: '',
    getAttribute: (n) => (n === 'datetime' ? iso : null), hasAttribute: (n) => n === 'data-relative' && relative
  });
  const t = at('2026-12-08T09:17:00Z', false);
  const soon = new Date(Date.now() + 2 * 86400000 + 60000).toISOString();
  const d = at(soon, true);
  run('app.js', { document: { querySelectorAll: (sel) => (sel.startsWith('time') ? [t, d] : []), addEventListener: () => {} } });
  assert.match(t.textContent, /^2026-12-08 10:17 (GMT\+1|CET)$/, 'the local time, its zone named: ' + t.textContent);
  assert.strictEqual(t.title, '2026-12-08 09:17 UTC', 'the UTC time stays as the tooltip');
  assert.match(d.textContent, /^\d{4}-\d\d-\d\d \d\d:\d\d (GMT\+1|CET) \(in 2 days\)$/, d.textContent);
});

/** answer.js on a page with one empty section; fetch answers with the given status (and body); withApp: app.js first. */
function answerPage(status, body, withApp) {
  const timers = new Map();
  let nextId = 1;
  const status_ = { className: '', textContent: '' };
  const listeners = {};
  const ta = {
    name: 'summary', value: '', dataset: { words: '100' }, readOnly: false, hidden: false,
    addEventListener: (type, fn) => { listeners[type] = fn; }
  };
  const form = {
    dataset: { exercise: 'x', scope: 'C1', rev: '0', savedAt: '', open: 'true', max: '100000' },
    querySelectorAll: (sel) => (sel === 'textarea' ? [ta] : []),
    querySelector: () => null
  };
  const byId = { answer: form, 'save-status': status_, 'wc-summary': { textContent: '', className: '' } };
  const store = {};
  const ctx = run((withApp ? ['app.js'] : []).concat(['answer-merge.js', 'answer.js']), {
    document: {
      getElementById: (id) => byId[id] || null, addEventListener() {}, cookie: '', visibilityState: 'visible',
      querySelectorAll: () => []
    },
    navigator: { onLine: true },
    localStorage: { getItem: (k) => store[k] || null, setItem: (k, v) => { store[k] = v; }, removeItem: (k) => { delete store[k]; } },
    addEventListener() {},
    setTimeout: (fn) => { timers.set(nextId, fn); return nextId++; },
    clearTimeout: (id) => { timers.delete(id); },
    fetch: () => Promise.resolve({ ok: status < 400, status, json: () => Promise.resolve(body || { error: 'internal_error' }) }),
    AbortController, Blob, Date, JSON, Math, Object, Array, Number, String, Promise,
    // the page loads answer-merge.js before answer.js
    GamedayAnswerMerge: require(path.join(webroot, 'answer-merge.js'))
  });
  return {
    status: status_,
    type(text) { ta.value = text; listeners.input({ target: ta }); },
    async flush() { // runs the pending timers once, then lets the fetch answers arrive
      const due = [...timers.entries()];
      timers.clear();
      due.forEach(([, fn]) => fn());
      for (let i = 0; i < 5; i++) { await new Promise((r) => setImmediate(r)); }
    },
    ctx
  };
}

test('answer.js: "Nothing written yet" is not shown as a success', () => {
  const page = answerPage(200);
  assert.match(page.status.textContent, /Nothing written yet/);
  assert.doesNotMatch(page.status.className, /\bok\b/, 'class: ' + page.status.className);
});

test('answer.js: a 500 says the server had a problem and the text is kept, not that it did not answer', async () => {
  const page = answerPage(500);
  page.type('Some text');
  await page.flush();
  const text = page.status.textContent;
  assert.doesNotMatch(text, /did not answer/, text);
  assert.match(text, /server had a problem/, text);
  assert.match(text, /kept in this browser/, text);
});

test('answer.js says "Saved" in the page\'s one time format (app.js): 24-hour, the reader\'s zone, named', async () => {
  const savedAt = new Date();
  savedAt.setHours(14, 38, 0, 0);   // the afternoon in the reader's zone (Europe/Berlin), today
  const page = answerPage(200, { rev: 1, savedAt: savedAt.toISOString() }, true);
  page.type('Some text');
  await page.flush();
  const text = page.status.textContent;
  // was "Saved 02:38 PM": the browser's 12-hour clock without a zone, unlike every other time on the page
  assert.match(text, /^Saved 14:38 (GMT\+[12]|CES?T)$/, text);
  assert.strictEqual(text.slice('Saved '.length), page.ctx.gamedayClock(savedAt), 'app.js formats it');
  // a save on another day names the day too, as app.js writes every time
  assert.match(page.ctx.gamedayClock(new Date('2026-01-05T13:38:00Z')), /^2026-01-05 14:38 (GMT\+1|CET)$/);
});

test('answer.js without app.js falls back to the server\'s format, in UTC', async () => {
  const page = answerPage(200, { rev: 1, savedAt: '2026-12-08T13:38:00Z' });
  page.type('Some text');
  await page.flush();
  assert.strictEqual(page.status.textContent, 'Saved 13:38 UTC');
});

/** trail.js on an exercise page; fetch answers with the statuses given, one per request. */
function trailPage(statuses) {
  const timers = new Map();
  let nextId = 1;
  const sent = [];
  const form = { dataset: { trail: '/api/v1/candidate/trail/x', open: 'true' } };
  const ctx = run('trail.js', {
    document: {
      getElementById: (id) => (id === 'answer' ? form : null), addEventListener() {}, querySelectorAll: () => [],
      cookie: 'XSRF-TOKEN=tok', visibilityState: 'visible'
    },
    addEventListener() {},
    setTimeout: (fn) => { timers.set(nextId, fn); return nextId++; },
    clearTimeout: (id) => { timers.delete(id); },
    fetch: (url, opts) => {
      sent.push({ url, opts, body: JSON.parse(opts.body) });
      const status = statuses.length > 1 ? statuses.shift() : statuses[0];
      return Promise.resolve({ ok: status < 400, status });
    },
    Date, JSON, Math, Object, Array, Number, String, Promise, Map, isFinite
  });
  return {
    trail: ctx.GamedayTrail,
    sent,
    async tick() { // runs the pending timers once, then lets the answers arrive
      const due = [...timers.entries()];
      timers.clear();
      due.forEach(([, fn]) => fn());
      for (let i = 0; i < 5; i++) { await new Promise((r) => setImmediate(r)); }
    }
  };
}

test('trail.js sends events in one batch with the CSRF token; unknown kinds and files are not sent; a long detail is cut', async () => {
  const p = trailPage([200]);
  p.trail.record('opened', 2, '');
  p.trail.record('cite', 2, 'x'.repeat(500));
  p.trail.record('keystroke', 2, 'a');
  p.trail.record('opened', -1, '');
  await p.tick();
  assert.strictEqual(p.sent.length, 1);
  assert.strictEqual(p.sent[0].url, '/api/v1/candidate/trail/x');
  assert.strictEqual(p.sent[0].opts.headers['X-XSRF-TOKEN'], 'tok');
  assert.deepStrictEqual(p.sent[0].body.events.map((e) => e.kind), ['opened', 'cite']);
  assert.strictEqual(Array.from(p.sent[0].body.events[1].detail).length, 200);
  await p.tick();
  assert.strictEqual(p.sent.length, 1, 'nothing is sent twice');
});

test('trail.js keeps a quick series of filters as its last one, retries after a 500, stops after a 409', async () => {
  const p = trailPage([500, 200, 409]);
  p.trail.record('filter', 0, 'text "e"', true);
  p.trail.record('filter', 0, 'text "err"', true);
  await p.tick(); // the filter settles
  await p.tick(); // first send: 500
  assert.strictEqual(p.sent.length, 1);
  assert.deepStrictEqual(p.sent[0].body.events.map((e) => e.detail), ['text "err"']);
  await p.tick(); // the retry: 200
  assert.strictEqual(p.sent.length, 2);
  assert.deepStrictEqual(p.sent[1].body, p.sent[0].body, 'the same batch again');
  p.trail.record('cite', 0, 'line 1');
  await p.tick(); // 409: submitted or full
  p.trail.record('cite', 0, 'line 2');
  await p.tick();
  assert.strictEqual(p.sent.length, 3, 'nothing is sent after a 409');
});

/** timeleft.js on a page the server rendered with `left` seconds left; `clock()` moves the monotonic clock. */
function timeLeftPage(left) {
  let now = 0;
  const timers = [];
  const el = { textContent: '', getAttribute: () => String(left) };
  const warn = { textContent: '' };
  const heard = [];
  const warnProxy = new Proxy(warn, { set(o, k, v) { o[k] = v; if (k === 'textContent') heard.push(v); return true; } });
  run('timeleft.js', {
    document: { getElementById: (id) => (id === 'time-left' ? el : id === 'time-warning' ? warnProxy : null) },
    performance: { now: () => now },
    setTimeout: (fn) => { timers.push(fn); },
    Date, Math, Number
  });
  return {
    el, heard,
    advance(seconds) { now += seconds * 1000; const due = timers.splice(0); due.forEach((fn) => fn()); }
  };
}

test('timeleft.js counts down the server\'s seconds and warns once at 10 and once at 2 minutes', () => {
  const p = timeLeftPage(2 * 3600 + 30 * 60);
  assert.equal(p.el.textContent, '2 h 30 min left');
  assert.deepEqual(p.heard, [], 'no warning with hours left');
  p.advance(2 * 3600 + 20 * 60 + 1);   // 9 min 59 s left
  assert.equal(p.el.textContent, '10 min left');
  assert.equal(p.heard.length, 1);
  assert.match(p.heard[0], /Less than 10 minutes left/);
  for (let i = 0; i < 30; i++) p.advance(1);
  assert.equal(p.heard.length, 1, 'said once, not every second');
  p.advance(8 * 60);                    // 1 min 29 s left
  assert.equal(p.heard.length, 2);
  assert.match(p.heard[1], /Less than 2 minutes left/);
  p.advance(120);
  assert.equal(p.el.textContent, 'No time left');
});

test('timeleft.js opened with 90 seconds left says the 2-minute warning at once, not the 10-minute one', () => {
  const p = timeLeftPage(90);
  assert.equal(p.el.textContent, '2 min left');
  assert.equal(p.heard.length, 1);
  assert.match(p.heard[0], /2 minutes/);
});
