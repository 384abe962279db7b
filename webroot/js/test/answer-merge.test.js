// Unit tests of the answer editor's merge and reconcile logic: `node --test webroot/js/test/` (run by mvn verify).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const m = require('../answer-merge.js');

const MARK = '\n\n---\n*Text saved from another device at 12:04:*\n\n';

test('same compares the sections of the first text only', () => {
  assert.equal(m.same({ a: 'x' }, { a: 'x', b: 'y' }), true);
  assert.equal(m.same({ a: 'x', b: 'y' }, { a: 'x' }), false);
  assert.equal(m.same({ a: 'x' }, { a: 'X' }), false);
  assert.equal(m.same({}, { a: 'x' }), true);
});

test('merge keeps my change when only I changed a section', () => {
  const report = { both: [], theirs: [] };
  const out = m.merge({ a: 'mine' }, { a: 'old' }, { a: 'old' }, '12:04', report);
  assert.deepEqual(out, { a: 'mine' });
  assert.deepEqual(report, { both: [], theirs: [] });
});

test('merge takes their change when only they changed a section, and reports it', () => {
  const report = { both: [], theirs: [] };
  const out = m.merge({ a: 'old', b: 'same' }, { a: 'theirs', b: 'same' }, { a: 'old', b: 'same' }, '12:04', report);
  assert.deepEqual(out, { a: 'theirs', b: 'same' });
  assert.deepEqual(report, { both: [], theirs: ['a'] });
});

test('merge keeps both texts when both changed the same section, mine first', () => {
  const report = { both: [], theirs: [] };
  const out = m.merge({ a: 'mine' }, { a: 'theirs' }, { a: 'old' }, '12:04', report);
  assert.equal(out.a, 'mine' + MARK + 'theirs');
  assert.deepEqual(report.both, ['a']);
});

test('merge: identical changes on both sides are not duplicated', () => {
  const report = { both: [], theirs: [] };
  assert.deepEqual(m.merge({ a: 'new' }, { a: 'new' }, { a: 'old' }, '12:04', report), { a: 'new' });
  assert.deepEqual(report, { both: [], theirs: [] });
});

test('merge: a section they emptied does not erase mine', () => {
  assert.deepEqual(m.merge({ a: 'mine' }, { a: '' }, { a: 'old' }, 'x'), { a: 'mine' });
});

test('merge: a section missing from mine or the ancestor counts as the ancestor / empty', () => {
  assert.deepEqual(m.merge({}, { a: 'theirs' }, { a: 'old' }, 'x'), { a: 'theirs' });
  assert.deepEqual(m.merge({ a: 'mine' }, { a: 'theirs' }, {}, '12:04'), { a: 'mine' + MARK + 'theirs' });
  assert.deepEqual(m.merge({ a: 'mine' }, { a: '' }, {}, 'x'), { a: 'mine' });
});

test('merge works section by section, and the result has the sections of theirs', () => {
  const out = m.merge({ a: 'A2', b: 'B', c: 'C' }, { a: 'A', b: 'B2', c: 'C3' }, { a: 'A', b: 'B', c: 'C' }, 't');
  assert.deepEqual(out, { a: 'A2', b: 'B2', c: 'C3' });
});

test('ownEcho: the server holds exactly a save of ours that was never confirmed', () => {
  const unconfirmed = [{ rev: 3, text: { a: 'x' } }, { rev: 4, text: { a: 'xy' } }];
  assert.equal(m.ownEcho(unconfirmed, { rev: 4, sections: { a: 'xy' } }), true);
  assert.equal(m.ownEcho(unconfirmed, { rev: 4, sections: { a: 'other device' } }), false);
  assert.equal(m.ownEcho(unconfirmed, { rev: 5, sections: { a: 'xy' } }), false);
  assert.equal(m.ownEcho(unconfirmed, { rev: 4, sections: { a: 'xy', b: 'more' } }), false);
  assert.equal(m.ownEcho([], { rev: 1, sections: {} }), false);
});

test('reconcile after our lost answer: the echo is the ancestor, so nothing is duplicated', () => {
  // we sent rev 2 "draft", the answer was lost, then typed on; the server holds our rev 2
  const r = m.reconcile({ a: 'draft and more' }, { a: '' }, [{ rev: 2, text: { a: 'draft' } }],
    { rev: 2, sections: { a: 'draft' } }, '12:04');
  assert.equal(r.ours, true);
  assert.deepEqual(r.merged, { a: 'draft and more' });
  assert.equal(r.dirty, true);
  assert.deepEqual(r.report, { both: [], theirs: [] });
});

test('reconcile with another device that changed the same section keeps both texts', () => {
  const r = m.reconcile({ a: 'tab one' }, { a: '' }, [{ rev: 2, text: { a: 'tab one' } }],
    { rev: 2, sections: { a: 'tab two' } }, '12:04');
  assert.equal(r.ours, false);
  assert.equal(r.merged.a, 'tab one' + MARK + 'tab two');
  assert.equal(r.dirty, true);
  assert.deepEqual(r.report.both, ['a']);
});

test('reconcile with another device that changed another section takes it, nothing left to send', () => {
  const r = m.reconcile({ a: 'A', b: 'B' }, { a: 'A', b: 'B' }, [],
    { rev: 7, sections: { a: 'A', b: 'B from elsewhere' } }, 't');
  assert.deepEqual(r.merged, { a: 'A', b: 'B from elsewhere' });
  assert.equal(r.dirty, false);
  assert.deepEqual(r.report.theirs, ['b']);
});

test('restore: nothing kept, or nothing unsent, restores nothing', () => {
  assert.equal(m.restore(null, 1, { a: 'x' }), null);
  assert.equal(m.restore({ dirty: false, text: { a: 'y' }, baseRev: 1 }, 1, { a: 'x' }), null);
  assert.equal(m.restore({ dirty: true, baseRev: 1 }, 1, { a: 'x' }), null);
});

test('restore: an unsent draft on the revision the server still has wins as it is', () => {
  const r = m.restore({ dirty: true, baseRev: 3, base: { a: 'x' }, text: { a: 'x typed offline' } }, 3, { a: 'x' });
  assert.deepEqual(r.merged, { a: 'x typed offline' });
  assert.equal(r.dirty, true);
});

test('restore: when the server moved on, the unsent draft is merged, keeping both', () => {
  const r = m.restore({ dirty: true, baseRev: 3, base: { a: 'x', b: 'b' }, text: { a: 'x local', b: 'b' } }, 5,
    { a: 'x remote', b: 'b remote' });
  assert.equal(r.merged.a, 'x local\n\n---\n*Text saved from another device at another time:*\n\nx remote');
  assert.equal(r.merged.b, 'b remote');
  assert.equal(r.dirty, true);
  assert.deepEqual(r.report, { both: ['a'], theirs: ['b'] });
});

test('restore: a draft that the server already has is not dirty', () => {
  const r = m.restore({ dirty: true, baseRev: 3, base: { a: '' }, text: { a: 'same' } }, 4, { a: 'same' });
  assert.deepEqual(r.merged, { a: 'same' });
  assert.equal(r.dirty, false);
});

test('changed: only the sections whose text differs from the server\'s are sent', () => {
  assert.deepEqual(m.changed({ a: 'x', b: 'y2', c: '' }, { a: 'x', b: 'y', c: '' }), { b: 'y2' });
  assert.deepEqual(m.changed({ a: 'x' }, { a: 'x' }), {});
  assert.deepEqual(m.changed({ a: 'x', n: 'new' }, { a: 'x' }), { n: 'new' }, 'a section the server never had counts as changed');
  assert.deepEqual(m.changed({ a: '' }, { a: 'gone' }), { a: '' }, 'clearing a section is a change too');
});
