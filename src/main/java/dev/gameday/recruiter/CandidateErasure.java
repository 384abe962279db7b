package dev.gameday.recruiter;

import dev.gameday.web.Account;
import dev.gameday.audit.Audit;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Erasure of a candidate's personal data, asked by a recruiter (with a reason) or due under the retention period
 * (closed and undecided for longer than {@code GAMEDAY_RETENTION_DAYS}). Audit entries name the invitation and its
 * pseudonym, never the candidate's name or email, so erasing never needs to touch the append-only audit log.
 */
public final class CandidateErasure {
  private final Pool pool;
  private final CandidateTimeline timeline;

  public CandidateErasure(Pool pool, CandidateTimeline timeline) {
    this.pool = pool;
    this.timeline = timeline;
  }

  /**
   * Erases the candidate's personal data: name and email become the pseudonym in the invitation and in every email
   * row (pending emails are withdrawn, links wiped) and in answers kept for Idempotency-Key retries; the Greenhouse
   * record loses its profile URL, callback URL and the key kept for the callback. Answers and reviews stay for
   * calibration. Audited with who and why. An open invitation is revoked too.
   */
  public Future<JsonObject> erase(Account me, long id, String reason) {
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty() || why.length() > 1000) {
      return Future.failedFuture(new ClientError(400, "invalid_reason", "Give a reason for the erasure (at most 1,000 characters)."));
    }
    return pool.withTransaction(conn -> InvitationRows.lock(conn, id).compose(r -> {
      if (r.getOffsetDateTime("erased_at") != null) {
        return Future.failedFuture(new ClientError(409, "erased", "This candidate's personal data is already erased."));
      }
      return eraseLocked(conn, r, me.email(), why);
    })).compose(v -> timeline.one(id));
  }

  private static Future<Void> eraseLocked(SqlConnection conn, Row r, String actor, String why) {
    long id = r.getLong("id");
    boolean open = List.of("invited", "opened", "in_progress").contains(r.getString("status"));
    return conn.preparedQuery("""
            update invitations set candidate_name = pseudonym, candidate_email = pseudonym, erased_at = now(),
                   time_requested_at = null, time_request_reason = null,
                   revoked_at = case when $2 then now() else revoked_at end,
                   token_hash = case when $2 then $3 else token_hash end,
                   closes_at = case when $2 then least(closes_at, now()) else closes_at end
             where id = $1""").execute(Tuple.of(id, open, Tokens.hash(Tokens.newToken())))
        .compose(v -> open ? conn.preparedQuery("delete from sessions where invitation_id = $1").execute(Tuple.of(id)).mapEmpty()
            : Future.succeededFuture())
        .compose(v -> conn.preparedQuery("""
                update email_outbox set to_address = $2, link = null,
                       state = case when state = 'pending' then 'cancelled' else state end, updated_at = now()
                 where invitation_id = $1""").execute(Tuple.of(id, r.getString("pseudonym"))))
        .compose(v -> redactStoredAnswers(conn, r.getString("candidate_email"), r.getString("pseudonym")))
        // Greenhouse's record of this test: the profile URL names the person in Greenhouse, the callback URL their
        // application, and the key kept for the callback is a credential; a callback not yet sent is abandoned
        .compose(v -> conn.preparedQuery("""
                update greenhouse_interviews
                   set greenhouse_profile_url = null, callback_url = null, callback_auth = null,
                       callback_last_error = case when callback_state in ('waiting', 'pending') then 'candidate erased' end,
                       callback_state = case when callback_state in ('waiting', 'pending') then 'failed' else callback_state end
                 where invitation_id = $1""").execute(Tuple.of(id)))
        .compose(v -> Audit.record(conn, actor, "candidate.erased", "invitation:" + id,
            new JsonObject().put("pseudonym", r.getString("pseudonym")).put("reason", why).put("revoked", open)));
  }

  /**
   * Answers kept for {@code Idempotency-Key} retries (a day) can repeat the email: a refusal's message ("... already
   * has an open invitation"), a batch's results. Every occurrence, in any letter case, becomes the pseudonym, so a
   * retry still gets its answer (and still creates nothing) without the address. Names are never part of an answer.
   */
  private static Future<Void> redactStoredAnswers(SqlConnection conn, String email, String pseudonym) {
    if (email == null || email.isBlank() || email.equals(pseudonym)) {
      return Future.succeededFuture();
    }
    // the body is JSON text: look for the address as JSON writes it inside a string
    String encoded = io.vertx.core.json.Json.encode(email);
    String needle = encoded.substring(1, encoded.length() - 1);
    String replacement = io.vertx.core.json.Json.encode(pseudonym);
    String quotedReplacement = java.util.regex.Matcher.quoteReplacement(replacement.substring(1, replacement.length() - 1));
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(needle),
        java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
    return conn.preparedQuery("select caller, key, body from idempotency_keys where strpos(lower(body), lower($1)) > 0 for update")
        .execute(Tuple.of(needle))
        .compose(rows -> {
          List<Tuple> updates = new ArrayList<>();
          for (Row row : rows) {
            updates.add(Tuple.of(row.getString("caller"), row.getString("key"),
                p.matcher(row.getString("body")).replaceAll(quotedReplacement)));
          }
          return updates.isEmpty() ? Future.succeededFuture()
              : conn.preparedQuery("update idempotency_keys set body = $3 where caller = $1 and key = $2").executeBatch(updates).mapEmpty();
        });
  }

  /**
   * Retention: erases every invitation closed (expired, revoked or submitted) more than {@code days} ago without a
   * decision. Returns how many were erased.
   */
  public Future<Integer> eraseExpired(int days) {
    if (days <= 0) {
      return Future.succeededFuture(0);
    }
    return pool.withTransaction(conn -> conn.preparedQuery("select i.*, " + InvitationRows.STATUS + """
             \n as status from invitations i
             where i.erased_at is null and not i.demo
               and coalesce(i.revoked_at, i.submitted_at, i.closes_at) < now() - make_interval(days => $1)
               and not exists (select 1 from submissions s join decisions d on d.submission_id = s.id where s.invitation_id = i.id)
             order by i.id limit 500 for update skip locked""").execute(Tuple.of(days))
        .compose(rows -> {
          Future<Void> f = Future.succeededFuture();
          int n = 0;
          for (Row r : rows) {
            f = f.compose(v -> eraseLocked(conn, r, "retention", "undecided and closed for more than " + days + " days"));
            n++;
          }
          int count = n;
          return f.map(count);
        }));
  }
}
