package dev.gameday.recruiter;

import static dev.gameday.recruiter.InvitationRows.lock;
import static dev.gameday.recruiter.InvitationRows.requireOpen;

import dev.gameday.web.Account;
import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.CurrentTrack;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The recruiter's actions on one invitation: extend the deadline, grant the time a candidate asked for, set an
 * accommodation, revoke, send a new link, remind; and the automatic reminders before a deadline. Each is one
 * transaction holding the invitation's row, writing its audit entry and, when it emails, its outbox row; each answers
 * the candidate as {@link CandidateTimeline} reads them afterwards. Erasure is {@link CandidateErasure}.
 */
public final class InvitationActions {
  private final Pool pool;
  private final Catalog catalog;
  private final CandidateTimeline timeline;
  private final NewInvitations invitations;
  private final boolean email;

  public InvitationActions(Pool pool, Catalog catalog, CandidateTimeline timeline, NewInvitations invitations, boolean email) {
    this.pool = pool;
    this.catalog = catalog;
    this.timeline = timeline;
    this.invitations = invitations;
    this.email = email;
  }

  /** Moves the deadline {@code days} later (an expired invitation opens again); a running time limit is kept. */
  public Future<JsonObject> extend(Account me, long id, Integer days) {
    if (days == null || days < 1 || days > 365) {
      return Future.failedFuture(new ClientError(400, "invalid_days", "Extend by 1 to 365 days."));
    }
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "extended"))
        .compose(r -> conn.preparedQuery("""
                update invitations
                   set deadline = greatest(deadline, now()) + make_interval(days => $2), auto_reminded_at = null,
                       closes_at = case when first_opened_at is not null and time_limit_minutes > 0
                                        then least(greatest(deadline, now()) + make_interval(days => $2),
                                                   greatest(closes_at, first_opened_at + make_interval(mins => time_limit_minutes)))
                                        else greatest(deadline, now()) + make_interval(days => $2) end
                 where id = $1 returning deadline""").execute(Tuple.of(id, days))
            .compose(v -> Audit.record(conn, me.email(), "candidate.extended", "invitation:" + id,
                new JsonObject().put("pseudonym", r.getString("pseudonym")).put("days", days)))))
        .compose(v -> timeline.one(id));
  }

  /** Grants the candidate's open request for more time ({@link dev.gameday.candidate.MoreTime#grant}). */
  public Future<JsonObject> grantTime(Account me, long id) {
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "given more time"))
        .compose(r -> dev.gameday.candidate.MoreTime.grant(conn, me.email(), id, r)))
        .compose(v -> timeline.one(id));
  }

  /**
   * Sets the time multiplier (1 to 5): the working-time limit becomes the track's limit times it; a limit that is
   * already running is recomputed from the first opening. The deadline itself moves only with {@link #extend}.
   */
  public Future<JsonObject> accommodation(Account me, long id, Object raw) {
    return accommodation(me, id, raw, false);
  }

  /** As above; {@code untimed}: no working-time limit at all (no countdown for the candidate); the deadline stays. */
  public Future<JsonObject> accommodation(Account me, long id, Object raw, boolean untimed) {
    BigDecimal m;
    try {
      m = raw == null ? null : new BigDecimal(String.valueOf(raw).strip());
    } catch (NumberFormatException e) {
      m = null;
    }
    if (m == null || m.compareTo(BigDecimal.ONE) < 0 || m.compareTo(BigDecimal.valueOf(5)) > 0 || m.scale() > 2) {
      return Future.failedFuture(new ClientError(400, "invalid_multiplier", "The time multiplier must be a number from 1 to 5 with at most two decimals."));
    }
    BigDecimal multiplier = m;
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "changed"))
        .compose(r -> {
          CurrentTrack track = catalog.track(r.getString("track_id")).orElse(null);
          int base = track == null ? 0 : track.track().timeLimitMinutes();
          int limit = untimed ? 0 : BigDecimal.valueOf(base).multiply(multiplier).intValue();
          return conn.preparedQuery("""
                  update invitations
                     set time_multiplier = $2, time_limit_minutes = $3, untimed = $4,
                         closes_at = case when first_opened_at is not null and $3 > 0
                                          then least(deadline, first_opened_at + make_interval(mins => $3))
                                          else deadline end
                   where id = $1""").execute(Tuple.of(id, multiplier, limit, untimed))
              .compose(v -> Audit.record(conn, me.email(), "candidate.accommodation", "invitation:" + id,
                  new JsonObject().put("pseudonym", r.getString("pseudonym"))
                      .put("timeMultiplier", multiplier.setScale(2, RoundingMode.HALF_UP).toPlainString()).put("untimed", untimed)));
        }))
        .compose(v -> timeline.one(id));
  }

  /**
   * The link stops working at once (its hash is replaced, so it gets the same 404 as an unknown link), the
   * candidate's sessions end, no more answers are accepted; answers are kept. Pending emails are withdrawn.
   */
  public Future<JsonObject> revoke(Account me, long id) {
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "revoked"))
        .compose(r -> conn.preparedQuery("""
                update invitations set token_hash = $2, revoked_at = now(), closes_at = least(closes_at, now())
                 where id = $1""").execute(Tuple.of(id, Tokens.hash(Tokens.newToken())))
            .compose(v -> conn.preparedQuery("delete from sessions where invitation_id = $1").execute(Tuple.of(id)))
            .compose(v -> cancelPending(conn, id, null))
            .compose(v -> Audit.record(conn, me.email(), "candidate.revoked", "invitation:" + id,
                new JsonObject().put("pseudonym", r.getString("pseudonym"))))))
        .compose(v -> timeline.one(id));
  }

  private static Future<Void> cancelPending(SqlConnection conn, long id, String kind) {
    return conn.preparedQuery("""
            update email_outbox set state = 'cancelled', link = null, updated_at = now(), last_reply = 'withdrawn'
             where invitation_id = $1 and state = 'pending' and ($2::text is null or kind = $2)""").execute(Tuple.of(id, kind))
        .mapEmpty();
  }

  /** A new link; the old one dies at once. Emailed when email is on, else answered for the recruiter to copy. */
  public Future<JsonObject> resend(Account me, long id) {
    String token = Tokens.newToken();
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "sent again"))
        .compose(r -> {
          if ("expired".equals(r.getString("status"))) {
            return Future.failedFuture(new ClientError(409, "expired", "This invitation has expired; extend the deadline first."));
          }
          return conn.preparedQuery("update invitations set token_hash = $2 where id = $1").execute(Tuple.of(id, Tokens.hash(token)))
              .compose(v -> cancelPending(conn, id, "invitation"))
              .compose(v -> email ? conn.preparedQuery("""
                      insert into email_outbox (invitation_id, kind, to_address, link) values ($1, 'invitation', $2, $3)""")
                  .execute(Tuple.of(id, r.getString("candidate_email"), invitations.link(token))).mapEmpty() : Future.succeededFuture())
              .compose(v -> Audit.record(conn, me.email(), "candidate.resent", "invitation:" + id,
                  new JsonObject().put("pseudonym", r.getString("pseudonym")).put("emailed", email)));
        }))
        .compose(v -> timeline.one(id))
        .map(c -> email ? c : c.put("link", invitations.link(token)));
  }

  /** Queues a reminder email (no link in it: tokens are kept only as hashes); 409 when email is off. */
  public Future<JsonObject> remind(Account me, long id) {
    if (!email) {
      return Future.failedFuture(new ClientError(409, "email_off",
          "Email is off (no GAMEDAY_SMTP_URL), so no reminder can be sent. Remind the candidate yourself."));
    }
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "reminded"))
        .compose(r -> {
          if ("expired".equals(r.getString("status"))) {
            return Future.failedFuture(new ClientError(409, "expired", "This invitation has expired; extend the deadline first."));
          }
          return conn.preparedQuery("insert into email_outbox (invitation_id, kind, to_address) values ($1, 'reminder', $2)")
              .execute(Tuple.of(id, r.getString("candidate_email")))
              .compose(v -> Audit.record(conn, me.email(), "candidate.reminded", "invitation:" + id,
                  new JsonObject().put("pseudonym", r.getString("pseudonym"))));
        }))
        .compose(v -> timeline.one(id));
  }

  /**
   * Automatic reminders: for every track with {@code reminderHoursBeforeDeadline}, queues one reminder email for each
   * open invitation (not submitted, revoked, erased or closed) whose deadline is less than that many hours away and
   * that has not been reminded automatically for this deadline. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}
   * and marked in the same transaction as their outbox row, so two instances never remind one candidate twice. Does
   * nothing when email is off. Returns how many reminders were queued.
   */
  public Future<Integer> remindDue() {
    if (!email) {
      return Future.succeededFuture(0);
    }
    Future<Integer> total = Future.succeededFuture(0);
    for (CurrentTrack t : catalog.tracks()) {
      int hours = t.track().reminderHours();
      if (hours <= 0) {
        continue;
      }
      String trackId = t.track().id();
      total = total.compose(sum -> pool.withTransaction(conn -> conn.preparedQuery("""
              select id, pseudonym, candidate_email from invitations
               where track_id = $1 and auto_reminded_at is null and submitted_at is null and revoked_at is null
                 and erased_at is null and not demo
                 and deadline <= now() + make_interval(hours => $2) and closes_at > now()
               order by deadline limit 500 for update skip locked""").execute(Tuple.of(trackId, hours))
          .compose(rows -> {
            Future<Void> f = Future.succeededFuture();
            for (Row r : rows) {
              long id = r.getLong("id");
              f = f.compose(v -> conn.preparedQuery("update invitations set auto_reminded_at = now() where id = $1").execute(Tuple.of(id)))
                  .compose(v -> conn.preparedQuery("insert into email_outbox (invitation_id, kind, to_address) values ($1, 'reminder', $2)")
                      .execute(Tuple.of(id, r.getString("candidate_email"))))
                  .compose(v -> Audit.record(conn, CandidateTimeline.AUTOMATIC, "candidate.reminded", "invitation:" + id,
                      new JsonObject().put("pseudonym", r.getString("pseudonym")).put("automatic", true).put("hoursBefore", hours)));
            }
            return f.map(sum + rows.size());
          })));
    }
    return total;
  }
}
