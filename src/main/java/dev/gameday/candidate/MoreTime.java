package dev.gameday.candidate;

import dev.gameday.audit.Audit;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * "Ask for more time" (issue 20, defect 4): a candidate asks, with an optional short reason; an invitation has at most
 * one open request (a second ask is refused, never stored twice). A recruiter grants it with one action
 * ({@link #grant}), which closes the request and adds {@link #GRANT_MINUTES} to the time left. Both are audited.
 */
public final class MoreTime {
  /** What "Grant more time" adds to the time left. */
  public static final int GRANT_MINUTES = 30;
  public static final int MAX_REASON = 500;

  private final Pool pool;

  /**
   * The email that tells recruiters (issue 20, defect 4): to the recruiter or admin who sent the invitation when that
   * account is active, else to every active recruiter and admin; only while email is on. The link opens the
   * candidate's page, where one button grants the time.
   */
  private static final String QUEUE_EMAIL = """
      with staff as (
        select a.id, a.email, lower(a.email) = lower(coalesce(i.invited_by, '')) as inviter
          from accounts a, invitations i
         where i.id = $1 and a.role in ('recruiter', 'admin') and a.disabled_at is null)
      insert into email_outbox (invitation_id, account_id, kind, to_address, link)
      select $1, s.id, 'time-request', s.email, $2 from staff s
       where (select enabled from mail_settings)
         and (s.inviter or not exists (select 1 from staff where inviter))""";

  private final String publicUrl;

  public MoreTime(Pool pool, String publicUrl) {
    this.publicUrl = publicUrl;
    this.pool = pool;
  }

  /** Whether the invitation has an open request, and whether it is untimed (no countdown, no working-time limit). */
  public record State(boolean requested, boolean untimed) {
  }

  /** Records the signed-in candidate's request; 409 when one is already open or the invitation no longer accepts work. */
  public Future<Void> ask(long invitationId, String rawReason) {
    String reason = rawReason == null || rawReason.isBlank() ? null : rawReason.strip();
    if (reason != null && reason.codePointCount(0, reason.length()) > MAX_REASON) {
      return Future.failedFuture(new ClientError(400, "reason_too_long",
          "Please keep the reason to " + MAX_REASON + " characters or fewer."));
    }
    if (reason != null && reason.indexOf('\0') >= 0) {
      return Future.failedFuture(new ClientError(400, "invalid_reason", "The reason contains a character that is not allowed."));
    }
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select pseudonym, state, closes_at > now() as open, revoked_at, time_requested_at
              from invitations where id = $1 for update""").execute(Tuple.of(invitationId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(401, "no_session", "You are not signed in."));
          }
          Row r = rows.iterator().next();
          if (!"draft".equals(r.getString("state")) || !r.getBoolean("open") || r.getOffsetDateTime("revoked_at") != null) {
            return Future.failedFuture(new ClientError(409, "not_open",
                "Your assessment is closed, so more time can no longer be requested here; please write to the recruiter."));
          }
          if (r.getOffsetDateTime("time_requested_at") != null) {
            return Future.failedFuture(new ClientError(409, "already_requested",
                "You have already asked for more time; the recruiter can see your request. You can ask again once they have answered."));
          }
          return conn.preparedQuery("update invitations set time_requested_at = now(), time_request_reason = $2 where id = $1")
              .execute(Tuple.of(invitationId, reason))
              // the reason itself stays on the invitation (erased with it), not in the audit log
              .compose(v -> conn.preparedQuery(QUEUE_EMAIL).execute(Tuple.of(invitationId, publicUrl + "/candidates/" + invitationId)))
              .compose(v -> Audit.record(conn, "candidate", "candidate.time_requested", "invitation:" + invitationId,
                  new JsonObject().put("pseudonym", r.getString("pseudonym")).put("withReason", reason != null)));
        }));
  }

  /**
   * Grants the open request of a locked, open invitation: closes it and moves the end of working time
   * {@link #GRANT_MINUTES} later (from now if it had passed); a running working-time limit grows by as much and the
   * deadline moves too when it would otherwise cut the extra time short. 409 when there is no open request.
   */
  public static Future<Void> grant(SqlConnection conn, String actor, long id, Row locked) {
    if (locked.getOffsetDateTime("time_requested_at") == null) {
      return Future.failedFuture(new ClientError(409, "no_request", "This candidate has no open request for more time."));
    }
    return conn.preparedQuery("""
            update invitations
               set closes_at = greatest(closes_at, now()) + make_interval(mins => $2),
                   deadline = greatest(deadline, greatest(closes_at, now()) + make_interval(mins => $2)),
                   time_limit_minutes = case when time_limit_minutes > 0 then time_limit_minutes + $2 else 0 end,
                   time_requested_at = null, time_request_reason = null
             where id = $1""").execute(Tuple.of(id, GRANT_MINUTES))
        .compose(v -> Audit.record(conn, actor, "candidate.time_granted", "invitation:" + id,
            new JsonObject().put("pseudonym", locked.getString("pseudonym")).put("minutes", GRANT_MINUTES)));
  }
}
