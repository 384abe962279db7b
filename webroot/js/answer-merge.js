// The pure part of the answer editor: how texts are compared, merged and reconciled. No DOM, no network, so that
// `node --test webroot/js/test/` can check it. Loaded by the page with a plain <script> (it sets
// window.GamedayAnswerMerge) before answer.js; in node it is a CommonJS module.
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) { module.exports = factory(); }
  else { root.GamedayAnswerMerge = factory(); }
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  /** every section of a has the same text in b (sections only in b are not compared) */
  function same(a, b) {
    return Object.keys(a).every(function (k) { return a[k] === b[k]; });
  }

  /**
   * The sections of text that differ from base (what the server has): a save sends only these, and the server merges
   * them into the stored answer. A section missing from base counts as changed.
   */
  function changed(text, base) {
    var out = {};
    Object.keys(text).forEach(function (k) { if (text[k] !== base[k]) { out[k] = text[k]; } });
    return out;
  }

  /**
   * Three-way merge per section: keep whichever side changed; when both did, keep both texts, theirs below a marked
   * line. The result has the sections of theirs. report (optional) collects the section names where both sides
   * changed (both) and where only theirs did (theirs).
   */
  function merge(mine, theirs, ancestor, when, report) {
    var out = {};
    report = report || { both: [], theirs: [] };
    Object.keys(theirs).forEach(function (k) {
      var m = mine[k] === undefined ? ancestor[k] : mine[k];
      var t = theirs[k];
      var a = ancestor[k] === undefined ? '' : ancestor[k];
      if (m === t || m === a) { out[k] = t; if (m !== t) { report.theirs.push(k); } }
      else if (t === a || t === '') { out[k] = m; }
      else { out[k] = m + '\n\n---\n*Text saved from another device at ' + when + ':*\n\n' + t; report.both.push(k); }
    });
    return out;
  }

  /**
   * After a 409 stale_rev: is the server's text our own earlier save whose answer was lost (then it is the ancestor,
   * not a rival)? unconfirmed: the {rev, text} of saves sent since the server last confirmed one.
   */
  function ownEcho(unconfirmed, server) {
    var sections = server.sections || {};
    return unconfirmed.some(function (u) { return u.rev === server.rev && same(sections, u.text) && same(u.text, sections); });
  }

  /**
   * Reconcile with the server's copy: merges the text on screen (mine) with it. base: the text of the revision
   * the page last had confirmed. Returns {merged, ours, dirty, report}; dirty means merged differs from the server.
   */
  function reconcile(mine, base, unconfirmed, server, when) {
    var sections = server.sections || {};
    var ours = ownEcho(unconfirmed, server);
    var report = { both: [], theirs: [] };
    var merged = merge(mine, sections, ours ? sections : base, when, report);
    return { merged: merged, ours: ours, dirty: !same(merged, sections), report: report };
  }

  /**
   * At page load: the server's text (serverText at serverRev) and what this browser kept (local: {baseRev, base,
   * text, dirty}). A newer unsent draft wins, merged with the server's when the server moved on meanwhile.
   * Returns null when there is nothing to restore, else {merged, dirty, report}.
   */
  function restore(local, serverRev, serverText) {
    if (!local || !local.dirty || !local.text) { return null; }
    var report = { both: [], theirs: [] };
    var merged = local.baseRev === serverRev ? local.text : merge(local.text, serverText, local.base || {}, 'another time', report);
    return { merged: merged, dirty: !same(merged, serverText), report: report };
  }

  return { same: same, changed: changed, merge: merge, ownEcho: ownEcho, reconcile: reconcile, restore: restore };
}));
