package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.SMTPException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender of the transactional outbox. Each email is claimed with {@code FOR UPDATE SKIP LOCKED} and a lease in
 * one short statement (V61), so two senders (two instances) never send one email at once and no transaction is open
 * while the mail server is talked to (at most two minutes); the result is recorded while the lease holds and the
 * email is still pending, and a sender that dies leaves its email due again when the lease passes (five minutes). A failure is retried with exponential backoff ({@code base x 2^attempts}, at most an
 * hour) until {@code maxAttempts}, or at once marked failed when the server's answer is permanent (5xx). Delivered
 * and abandoned rows lose their link, the only place a token exists in clear; the link is never logged.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  public static final int MAX_ATTEMPTS = 8;
  public static final Duration RETRY_BASE = Duration.ofSeconds(30);
  private static final int PER_PASS = 200;

  /** Claims one due email, leased for $1 seconds, in one statement: no transaction is open while it is sent. */
  private static final String CLAIM = """
      with picked as (
        select o.id from email_outbox o
         where o.state = 'pending' and o.next_attempt_at <= now()
         order by o.next_attempt_at, o.id
         limit 1
         for update of o skip locked),
      claimed as (
        update email_outbox o set lease = gen_random_uuid(), next_attempt_at = now() + make_interval(secs => $1)
          from picked where o.id = picked.id
        returning o.id, o.kind, o.to_address, o.link, o.attempts, o.lease, o.invitation_id, o.account_id, o.review_assignment_id)
      select o.id, o.kind, o.to_address, o.link, o.attempts, o.lease, coalesce(i.candidate_name, a.name) as candidate_name,
             coalesce(i.closes_at, ra.due_at) as closes_at, i.track_id, i.time_limit_minutes, s.submitted_at, s.sha256
        from claimed o
        left join invitations i on i.id = o.invitation_id
        left join accounts a on a.id = o.account_id
        left join review_assignments ra on ra.id = o.review_assignment_id
        left join submissions s on s.invitation_id = i.id""";
  /** The send's total deadline; the lease outlasts it. */
  private static final long DEADLINE_SECONDS = 120;
  private static final String DELIVERED = """
      update email_outbox set state = 'delivered', link = null, attempts = attempts + 1, delivered_at = now(),
             updated_at = now(), last_reply = $2, lease = null
       where id = $1 and lease = $3 and state = 'pending'""";
  private static final String FAILED = """
      update email_outbox
         set attempts = attempts + 1, last_reply = $2, updated_at = now(),
             state = case when attempts + 1 >= $3 or $5 then 'failed' else 'pending' end,
             link = case when attempts + 1 >= $3 or $5 then null else link end,
             next_attempt_at = now() + make_interval(secs => least($4::float8 * power(2, attempts), 3600)),
             lease = null
       where id = $1 and lease = $6 and state = 'pending'""";

  private final Vertx vertx;
  private final Pool pool;
  private final Catalog catalog;
  private final Mailer mailer;
  private final Duration retryBase;
  private final int maxAttempts;
  private final String contact;
  private final TrackEmails trackEmails;
  private final dev.gameday.ops.Drain drain = new dev.gameday.ops.Drain(this::sendOne, PER_PASS);

  public Outbox(Vertx vertx, Pool pool, Catalog catalog, Mailer mailer, Duration retryBase, int maxAttempts, String contact) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
    this.mailer = mailer;
    this.retryBase = retryBase;
    this.maxAttempts = maxAttempts;
    this.contact = contact;
    this.trackEmails = new TrackEmails(pool);
  }

  /**
   * Records whether this server sends email: the server, not a CLI command run beside it, says whether submissions,
   * password resets and time requests queue an email (the mail_settings row they read).
   */
  public static Future<Void> announce(Pool pool, boolean enabled) {
    return pool.preparedQuery("update mail_settings set enabled = $1").execute(Tuple.of(enabled)).mapEmpty();
  }

  /**
   * The outbox sending through {@code smtpUrl} (GAMEDAY_SMTP_URL) as {@code mailFrom}; {@code contact} is who
   * candidates may write to (GAMEDAY_CONTACT).
   */
  public static Outbox create(Vertx vertx, Pool pool, Catalog catalog, String smtpUrl, String mailFrom, String contact) {
    return new Outbox(vertx, pool, catalog, new Mailer(vertx, Mailer.settings(smtpUrl), mailFrom), RETRY_BASE, MAX_ATTEMPTS, contact);
  }

  /** Sends due emails every two seconds. */
  public void start() {
    drain.every(vertx, 1_000, 2_000, LOG, "outbox");
  }

  /** One pass: sends due emails one by one until none is due (or a pass's limit); answers how many were tried. */
  public Future<Integer> sendDue() {
    return drain.pass();
  }

  /**
   * Claims one due email (committed at once, with a lease), sends it with no transaction open, and records the result
   * in a statement of its own while the lease holds; false when none is due.
   */
  Future<Boolean> sendOne() {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(DEADLINE_SECONDS + 180.0)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Row r = rows.iterator().next();
      long id = r.getLong("id");
      java.util.UUID lease = r.getUUID("lease");
      String kind = r.getString("kind");
      Map<String, Object> model = model(r);
      // an invitation or reminder of a track whose admin wrote its own (V92) is that text; otherwise the built-in one
      Future<Mailer.Message> rendered = TrackEmails.KINDS.contains(kind)
          ? trackEmails.get(r.getString("track_id"), kind).compose(t -> t.isPresent()
              ? Future.succeededFuture(TrackEmails.fill(t.get(), model)) : mailer.render(kind, model))
          : mailer.render(kind, model);
      return rendered
          .compose(m -> mailer.send(r.getString("to_address"), m))
          .timeout(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .transform(ar -> {
            if (ar.succeeded()) {
              return pool.preparedQuery(DELIVERED).execute(Tuple.of(id, "accepted" + (ar.result() == null ? "" : ", message id " + ar.result()),
                  lease));
            }
            Throwable err = ar.cause();
            boolean permanent = err instanceof SMTPException se && se.isPermanent();
            String reply = err instanceof SMTPException se ? se.getReplyCode() + " " + se.getReplyMessage() : String.valueOf(err.getMessage());
            reply = reply.length() > 500 ? reply.substring(0, 500) : reply;
            LOG.warn("email {} ({}) not delivered, attempt {}: {}", id, kind, r.getInteger("attempts") + 1, reply);
            return pool.preparedQuery(FAILED).execute(Tuple.of(id, reply, maxAttempts, retryBase.toMillis() / 1000.0, permanent, lease));
          })
          .map(true);
    });
  }

  private Map<String, Object> model(Row r) {
    return EmailTemplates.model(catalog, contact, r.getString("candidate_name"), r.getString("track_id"),
        r.getValue("time_limit_minutes") == null ? null : r.getInteger("time_limit_minutes"), r.getOffsetDateTime("closes_at"),
        r.getString("link"), r.getOffsetDateTime("submitted_at"), r.getString("sha256"));
  }

  public Future<Void> close() {
    return mailer.close();
  }
}
