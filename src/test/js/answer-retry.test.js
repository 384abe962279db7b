// answer.js's "Retry now" button (issue 21): while a save waits to be retried (offline, server error), the status
// shows a button that sends the buffered answer at once instead of waiting for the backoff; a save the server sheds
// (issue 28) waits for its Retry-After instead. Run: node --test src/test/js/
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const webroot = path.join(__dirname, '..', '..', '..', 'webroot', 'js');

/** answer.js with one empty section; fetch is the given function of (url, opts). */
function page(fetch) {
  const timers = new Map();
  let nextId = 1;
  const status = { className: '', textContent: '' };
  const text = { textContent: '' };
  const retry = { hidden: true, listeners: {}, addEventListener(type, fn) { this.listeners[type] = fn; }, focus() {} };
  const listeners = {};
  const ta = {
    name: 'summary', value: '', dataset: { words: '100' }, readOnly: false, hidden: false,
    addEventListener: (type, fn) => { listeners[type] = fn; }, focus() {}
  };
  const form = {
    dataset: { exercise: 'x', scope: 'C1', rev: '0', savedAt: '', open: 'true', max: '100000' },
    querySelectorAll: (sel) => (sel === 'textarea' ? [ta] : []),
    querySelector: () => null
  };
  const byId = { answer: form, 'save-status': status, 'save-status-text': text, 'save-retry': retry, 'wc-summary': { textContent: '', className: '' } };
  const store = {};
  const ctx = {
    document: { getElementById: (id) => byId[id] || null, addEventListener() {}, cookie: '', visibilityState: 'visible', activeElement: null },
    navigator: { onLine: true },
    localStorage: { getItem: (k) => store[k] || null, setItem: (k, v) => { store[k] = v; }, removeItem: (k) => { delete store[k]; } },
    addEventListener() {},
    setTimeout: (fn) => { timers.set(nextId, fn); return nextId++; },
    clearTimeout: (id) => { timers.delete(id); },
    fetch,
    AbortController, Blob, Date, JSON, Math, Object, Array, Number, String, Promise,
    GamedayAnswerMerge: require(path.join(webroot, 'answer-merge.js'))
  };
  ctx.window = ctx;
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(path.join(webroot, 'answer.js'), 'utf8'), ctx, { filename: 'answer.js' });
  const settle = async () => { for (let i = 0; i < 5; i++) { await new Promise((r) => setImmediate(r)); } };
  return {
    status, text, retry, ctx, timers, settle,
    type(v) { ta.value = v; listeners.input({ target: ta }); },
    async flush() { // runs the pending timers once, then lets the fetch answers arrive
      const due = [...timers.values()];
      timers.clear();
      due.forEach((fn) => fn());
      await settle();
    }
  };
}

test('answer.js: offline, the status offers "Retry now", which sends the kept text at once', async () => {
  const sent = [];
  let online = false;
  const p = page((url, opts) => {
    if (!online) { return Promise.reject(new TypeError('Failed to fetch')); }
    const body = JSON.parse(opts.body);
    sent.push(body);
    return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve({ rev: body.rev, savedAt: new Date().toISOString() }) });
  });
  assert.strictEqual(p.retry.hidden, true, 'no button while nothing waits to be sent');
  p.ctx.navigator.onLine = false;
  p.type('Written on a train');
  await p.flush(); // the debounced save fails: a retry is scheduled
  assert.match(p.text.textContent, /offline/, p.text.textContent);
  assert.strictEqual(p.retry.hidden, false, 'the button shows while the save waits for its retry');
  assert.strictEqual(typeof p.retry.listeners.click, 'function', 'the button answers a click (and so Enter and Space)');
  online = true;
  p.ctx.navigator.onLine = true;
  p.retry.listeners.click(); // no timer runs: the press itself sends
  await p.settle();
  assert.strictEqual(sent.length, 1, 'one save sent by the press');
  assert.strictEqual(sent[0].sections.summary, 'Written on a train');
  assert.match(p.text.textContent, /Saved|All changes saved/, p.text.textContent);
  assert.strictEqual(p.retry.hidden, true, 'the button goes once the server has the text');
});

test('answer.js: "Retry now" pressed while still offline keeps the text and the button', async () => {
  let calls = 0;
  const p = page(() => { calls++; return Promise.reject(new TypeError('Failed to fetch')); });
  p.ctx.navigator.onLine = false;
  p.type('Still here');
  await p.flush();
  assert.strictEqual(calls, 1);
  p.retry.listeners.click();
  await p.settle();
  assert.strictEqual(calls, 2, 'the press tried at once');
  assert.match(p.text.textContent, /kept in this browser/, p.text.textContent);
  assert.strictEqual(p.retry.hidden, false);
});

test('answer.js: a shed save (503 overloaded, then 429) waits for Retry-After with jitter, says "Saving delayed" (not an error), keeps the text, then sends only the newest', async () => {
  const sent = [];
  const shed = [{ status: 503, error: 'overloaded', after: '2' }, { status: 429, error: 'too_fast', after: '1' }];
  const p = page((url, opts) => {
    const body = JSON.parse(opts.body);
    sent.push(body);
    const s = shed.shift();
    if (s) {
      return Promise.resolve({ ok: false, status: s.status, headers: { get: (h) => (/^retry-after$/i.test(h) ? s.after : null) },
        json: () => Promise.resolve({ error: s.error, message: 'Busy.' }) });
    }
    return Promise.resolve({ ok: true, status: 200, headers: { get: () => null },
      json: () => Promise.resolve({ rev: body.rev, savedAt: new Date().toISOString() }) });
  });
  const delays = [];
  const setTimer = p.ctx.setTimeout;
  p.ctx.setTimeout = (fn, ms) => { delays.push(ms); return setTimer(fn, ms); };
  const retryWait = () => delays.filter((ms) => ms !== 2000 && ms !== 250 && ms !== 20000).pop();

  p.type('First');
  await p.flush(); // the debounced save is shed
  assert.strictEqual(sent.length, 1);
  assert.match(p.text.textContent, /^Saving delayed; your work is kept in this browser/, p.text.textContent);
  assert.doesNotMatch(p.status.className, /error|warning/, 'not shown as an error: ' + p.status.className);
  assert.strictEqual(p.retry.hidden, true, 'nothing to do for the candidate: no Retry now button');
  let wait = retryWait();
  assert.ok(wait >= 2000 && wait <= 3000, 'Retry-After 2 s plus up to half again: ' + wait);
  assert.match(p.ctx.localStorage.getItem('gameday:C1:x'), /First/, 'the text is in the local buffer');

  p.type('First and second'); // typed while delayed: not sent before the retry
  await p.flush(); // the retry sends the newest text, and is refused once more (429)
  assert.strictEqual(sent.length, 2, 'one request per retry: ' + JSON.stringify(sent));
  assert.strictEqual(sent[1].sections.summary, 'First and second');
  assert.match(p.text.textContent, /^Saving delayed/, p.text.textContent);
  wait = retryWait();
  assert.ok(wait >= 1000 && wait <= 1500, 'Retry-After 1 s plus up to half again: ' + wait);
  assert.match(p.ctx.localStorage.getItem('gameday:C1:x'), /First and second/);

  await p.flush(); // accepted
  assert.strictEqual(sent.length, 3);
  assert.strictEqual(sent[2].sections.summary, 'First and second');
  assert.strictEqual(sent[2].rev, 1, 'the shed attempts stored nothing: the accepted save is the first revision');
  assert.match(p.text.textContent, /Saved|All changes saved/, p.text.textContent);
  await p.flush();
  assert.strictEqual(sent.length, 3, 'nothing left to send');
});

test('answer.js: typing on without a pause saves about every 10 s, not at every keystroke once 10 s have passed', async () => {
  const sent = [];
  const p = page((url, opts) => {
    const body = JSON.parse(opts.body);
    sent.push(body);
    return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve({ rev: body.rev, savedAt: new Date().toISOString() }) });
  });
  let now = 1e12;
  class FakeDate extends Date { static now() { return now; } }
  p.ctx.Date = FakeDate;
  const delays = [];
  const setTimer = p.ctx.setTimeout;
  p.ctx.setTimeout = (fn, ms) => { delays.push(ms); return setTimer(fn, ms); };
  p.type('a');
  now += 12000; // typed on for 12 s: the next keystroke saves at once
  p.type('ab');
  assert.strictEqual(delays.filter((ms) => ms !== 250).pop(), 0, 'after 10 s of unsaved typing a keystroke saves at once');
  const due = [...p.timers.values()];
  p.timers.clear();
  due.forEach((fn) => fn()); // that save leaves
  p.type('abc'); // typed while it is in flight
  await p.settle(); // acknowledged: 'abc' is still unsaved
  assert.strictEqual(sent.length, 1);
  now += 100;
  p.type('abcd');
  assert.strictEqual(delays.filter((ms) => ms !== 250).pop(), 2000, 'the next keystroke waits for a pause again: ' + delays);
});
