package dev.gameday.compliance;

import dev.gameday.audit.Audit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * What Gameday holds about one candidate, for the candidate themselves (from their link), and their request for
 * erasure (a recruiter confirms it with the candidate page's Erase). Both are audited; the request is chained in the
 * decision log.
 */
public final class CandidateData {
  private final Pool pool;
  private final SelfId selfId;

  public CandidateData(Pool pool, SelfId selfId) {
    this.pool = pool;
    this.selfId = selfId;
  }

  /** The invitation's state, whether it is erased, and whether the candidate asked for erasure. */
  public Future<JsonObject> state(long id) {
    return pool.preparedQuery("""
            select i.state, i.erased_at is not null as erased,
                   exists (select 1 from audit_log a where a.subject = $2 and a.action = 'candidate.erasure_requested') as requested
              from invitations i where i.id = $1""").execute(Tuple.of(id, "invitation:" + id))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("state", r.getString("state")).put("erased", r.getBoolean("erased"))
              .put("erasureRequested", r.getBoolean("requested"));
        });
  }

  /** Everything about the candidate as one JSON document; the download is audited. */
  public Future<JsonObject> export(long id) {
    Tuple one = Tuple.of(id);
    Future<RowSet<Row>> invitation = pool.preparedQuery("""
        select i.pseudonym, i.candidate_name, i.candidate_email, i.track_id, i.created_at, i.deadline, i.closes_at,
               i.time_multiplier::text as time_multiplier, i.first_opened_at, i.submitted_at, i.state, i.revoked_at,
               i.erased_at from invitations i where i.id = $1""").execute(one);
    Future<RowSet<Row>> answers = pool.preparedQuery(
        "select exercise_id, rev, sections, saved_at from answers where invitation_id = $1 order by exercise_id").execute(one);
    Future<RowSet<Row>> revisions = pool.preparedQuery(
        "select exercise_id, rev, sections, saved_at from answer_history where invitation_id = $1 order by id").execute(one);
    Future<RowSet<Row>> sections = pool.preparedQuery("""
        select exercise_id, section_id, rev, text, started_at, saved_at from answer_section_history
         where invitation_id = $1 order by id""").execute(one);
    Future<RowSet<Row>> trail = pool.preparedQuery("""
        select exercise_id, at, kind, evidence, detail from trail_events where invitation_id = $1 order by id""").execute(one);
    // the decision only once it is released to the candidate (an audit entry feedback.released for the submission)
    Future<RowSet<Row>> submission = pool.preparedQuery("""
        select s.id, s.submitted_at, s.sha256, d.decision, d.decided_at,
               exists (select 1 from audit_log a where a.subject = 'submission:' || s.id and a.action like 'feedback.releas%') as released
          from submissions s left join decisions d on d.submission_id = s.id where s.invitation_id = $1""").execute(one);
    Future<JsonObject> own = selfId.own(id);
    return Future.all(java.util.List.of(invitation, answers, revisions, sections, trail, submission, own)).compose(all -> {
      Row i = invitation.result().iterator().next();
      JsonObject doc = new JsonObject().put("format", "gameday-candidate-data").put("version", 1)
          .put("invitation", new JsonObject().put("pseudonym", i.getString("pseudonym")).put("name", i.getString("candidate_name"))
              .put("email", i.getString("candidate_email")).put("track", i.getString("track_id"))
              .put("createdAt", text(i, "created_at")).put("deadline", text(i, "deadline")).put("closesAt", text(i, "closes_at"))
              .put("timeMultiplier", i.getString("time_multiplier")).put("firstOpenedAt", text(i, "first_opened_at"))
              .put("submittedAt", text(i, "submitted_at")).put("state", i.getString("state"))
              .put("revokedAt", text(i, "revoked_at")).put("erasedAt", text(i, "erased_at")));
      JsonArray a = new JsonArray();
      answers.result().forEach(r -> a.add(new JsonObject().put("exercise", r.getString("exercise_id")).put("rev", r.getLong("rev"))
          .put("sections", r.getJsonObject("sections")).put("savedAt", text(r, "saved_at"))));
      JsonArray h = new JsonArray();
      revisions.result().forEach(r -> h.add(new JsonObject().put("exercise", r.getString("exercise_id")).put("rev", r.getLong("rev"))
          .put("sections", r.getJsonObject("sections")).put("savedAt", text(r, "saved_at"))));
      JsonArray sh = new JsonArray();
      sections.result().forEach(r -> sh.add(new JsonObject().put("exercise", r.getString("exercise_id"))
          .put("section", r.getString("section_id")).put("rev", r.getLong("rev")).put("text", r.getString("text"))
          .put("startedAt", text(r, "started_at")).put("savedAt", text(r, "saved_at"))));
      JsonArray t = new JsonArray();
      trail.result().forEach(r -> t.add(new JsonObject().put("exercise", r.getString("exercise_id")).put("at", text(r, "at"))
          .put("kind", r.getString("kind")).put("evidence", r.getInteger("evidence")).put("detail", r.getString("detail"))));
      JsonObject sub = null;
      if (submission.result().size() > 0) {
        Row s = submission.result().iterator().next();
        sub = new JsonObject().put("receipt", s.getUUID("id").toString()).put("submittedAt", text(s, "submitted_at"))
            .put("sha256", s.getString("sha256"));
        boolean released = s.getBoolean("released") && s.getString("decision") != null;
        doc.put("decision", released ? new JsonObject().put("decision", s.getString("decision"))
            .put("decidedAt", text(s, "decided_at")) : null);
        doc.put("decisionReleased", released);
      }
      doc.put("submission", sub).put("answers", a).put("answerRevisions", h).put("sectionHistory", sh).put("trail", t)
          .put("selfIdentification", own.result());
      return Audit.record(pool, "candidate", "candidate.data_downloaded", "invitation:" + id,
          new JsonObject().put("pseudonym", i.getString("pseudonym"))).map(doc);
    });
  }

  /** Records the candidate's request for erasure, once (a recruiter confirms it). */
  public Future<Void> requestErasure(long id) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select i.pseudonym, i.erased_at is not null as erased,
                   exists (select 1 from audit_log a where a.subject = $2 and a.action = 'candidate.erasure_requested') as requested
              from invitations i where i.id = $1 for update""").execute(Tuple.of(id, "invitation:" + id))
        .compose(rows -> {
          Row r = rows.iterator().next();
          if (r.getBoolean("erased") || r.getBoolean("requested")) {
            return Future.succeededFuture();
          }
          return Audit.record(conn, "candidate", "candidate.erasure_requested", "invitation:" + id,
              new JsonObject().put("pseudonym", r.getString("pseudonym")));
        }));
  }

  private static String text(Row r, String column) {
    var t = r.getOffsetDateTime(column);
    return t == null ? null : t.toString();
  }
}
