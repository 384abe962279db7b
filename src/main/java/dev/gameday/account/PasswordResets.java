package dev.gameday.account;

import dev.gameday.web.Account;
import dev.gameday.audit.Audit;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Passwords;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Password reset links: 256 random bits, only their SHA-256 stored, valid {@link #VALID_MINUTES} minutes, used once.
 * A staff member asks for one with their email address (the answer is the same whether or not an account has it; the
 * link goes out through the email outbox), or an admin starts one for an account (emailed, or shown to the admin once
 * when email is off). Setting the new password ends every session of the account and every other link.
 *
 * <p>Limits: a client address may ask {@link #REQUESTS_PER_ADDRESS} times per {@link #WINDOW_MINUTES} minutes (then 429,
 * whatever the email); an account gets at most {@link #LINKS_PER_ACCOUNT_PER_HOUR} self-service links an hour (asking
 * again gets the same answer and sends nothing).
 */
public final class PasswordResets {
  public static final int VALID_MINUTES = 30;
  public static final int REQUESTS_PER_ADDRESS = 10;
  public static final int WINDOW_MINUTES = 15;
  public static final int LINKS_PER_ACCOUNT_PER_HOUR = 3;

  private static final String THROTTLE = """
      insert into password_reset_throttle as t (address, window_start, requests) values ($1, now(), 1)
      on conflict (address) do update
         set window_start = case when t.window_start <= now() - make_interval(mins => $2::int) then now() else t.window_start end,
             requests = case when t.window_start <= now() - make_interval(mins => $2::int) then 1 else t.requests + 1 end
      returning requests, extract(epoch from window_start + make_interval(mins => $2::int) - now())::float8 as wait""";
  private static final String INSERT = """
      insert into password_resets (account_id, token_hash, requested_by, expires_at)
      values ($1, $2, $3, now() + make_interval(mins => $4::int)) returning id""";
  private static final String QUEUE = """
      insert into email_outbox (account_id, kind, to_address, link)
      select $1, 'password-reset', $2, $3 where (select enabled from mail_settings) returning id""";

  private final Vertx vertx;
  private final Pool pool;
  private final String publicUrl;

  public PasswordResets(Vertx vertx, Pool pool, String publicUrl) {
    this.vertx = vertx;
    this.pool = pool;
    this.publicUrl = publicUrl;
  }

  /** Whether this installation sends email (reset links then go by email). */
  public Future<Boolean> emailOn() {
    return pool.query("select enabled from mail_settings").execute().map(r -> r.iterator().next().getBoolean("enabled"));
  }

  /**
   * The forgot-password form: queues a link for an active account with this email, unless it had its hourly share;
   * for any other address nothing happens. Fails only with 429 when this client address asked too often.
   */
  public Future<Void> request(String email, String address) {
    String e = email == null ? "" : email.strip().toLowerCase();
    return pool.preparedQuery(THROTTLE).execute(Tuple.of(address == null ? "unknown" : address, WINDOW_MINUTES)).compose(t -> {
      var row = t.iterator().next();
      if (row.getInteger("requests") > REQUESTS_PER_ADDRESS) {
        long wait = Math.max(1, (long) Math.ceil(row.getDouble("wait")));
        return Future.failedFuture(new ClientError(429, "too_many_requests", "Too many requests from your address. Try again in "
            + (wait + 59) / 60 + " minutes.", new JsonObject().put("retryAfter", wait)));
      }
      if (e.isEmpty() || e.length() > 254) {
        return Future.succeededFuture();
      }
      return pool.withTransaction(conn -> conn.preparedQuery("""
              select a.id, a.email, (select count(*) from password_resets r where r.account_id = a.id and r.requested_by = 'self'
                                        and r.created_at > now() - interval '1 hour') as recent
                from accounts a where a.email = $1 and not a.disabled for update of a""").execute(Tuple.of(e))
          .compose(rows -> {
            if (rows.size() == 0) {
              return Future.succeededFuture();
            }
            var a = rows.iterator().next();
            if (a.getLong("recent") >= LINKS_PER_ACCOUNT_PER_HOUR) {
              return Audit.record(conn, e, "password.reset_limited", "account:" + a.getLong("id"), new JsonObject().put("address", address));
            }
            return issue(conn, a.getLong("id"), a.getString("email"), "self")
                .compose(link -> Audit.record(conn, e, "password.reset_requested", "account:" + a.getLong("id"),
                    new JsonObject().put("address", address).put("emailed", link == null)));
          }));
    }).mapEmpty();
  }

  /**
   * An admin starts a reset for an account: the link is emailed (answer null) or, when email is off, answered for the
   * admin to pass on (shown once). Earlier unused links of the account stop working.
   */
  public Future<String> byAdmin(Account by, long id) {
    return pool.withTransaction(conn -> conn.preparedQuery("select id, email from accounts where id = $1 and not disabled for update")
        .execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(404, "not_found", "There is no active account with this id."));
          }
          String email = rows.iterator().next().getString("email");
          return conn.preparedQuery("delete from password_resets where account_id = $1 and used_at is null").execute(Tuple.of(id))
              .compose(v -> issue(conn, id, email, by.email()))
              .compose(link -> Audit.record(conn, by.email(), "account.password_reset_started", "account:" + id,
                  new JsonObject().put("email", email).put("emailed", link == null)).map(link));
        }));
  }

  /** A new link; queued as an email when email is on (answer null), else answered. */
  private Future<String> issue(SqlConnection conn, long accountId, String email, String by) {
    String token = Tokens.newToken();
    String link = publicUrl + "/password/reset/" + token;
    return conn.preparedQuery(INSERT).execute(Tuple.of(accountId, Tokens.hash(token), by, VALID_MINUTES))
        .compose(v -> conn.preparedQuery(QUEUE).execute(Tuple.of(accountId, email, link)))
        .map(q -> q.size() == 1 ? null : link);
  }

  /** Whether a reset token is usable now (unused, not expired, its account active). */
  public Future<Boolean> usable(String token) {
    if (token == null || token.length() > 100) {
      return Future.succeededFuture(false);
    }
    return pool.preparedQuery("""
            select 1 from password_resets r join accounts a on a.id = r.account_id
             where r.token_hash = $1 and r.used_at is null and r.expires_at > now() and not a.disabled""")
        .execute(Tuple.of(Tokens.hash(token))).map(r -> r.size() == 1);
  }

  /**
   * Sets the new password with a usable token, in one transaction that uses the token up, withdraws the account's
   * other links and ends all its sessions. 400 {@code invalid_password}, 410 {@code link_used}.
   */
  public Future<Void> complete(String token, String password) {
    String problem = Passwords.problem(password);
    if (problem != null) {
      return Future.failedFuture(new ClientError(400, "invalid_password", problem));
    }
    if (token == null || token.length() > 100) {
      return Future.failedFuture(linkUsed());
    }
    return vertx.executeBlocking(() -> Passwords.hash(password)).compose(hash -> pool.withTransaction(conn -> conn.preparedQuery("""
            update password_resets r set used_at = now() from accounts a
             where r.token_hash = $1 and r.used_at is null and r.expires_at > now() and a.id = r.account_id and not a.disabled
            returning r.account_id, a.email""").execute(Tuple.of(Tokens.hash(token)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(linkUsed());
          }
          long id = rows.iterator().next().getLong("account_id");
          String email = rows.iterator().next().getString("email");
          return conn.preparedQuery("update accounts set password_hash = $2 where id = $1").execute(Tuple.of(id, hash))
              .compose(v -> conn.preparedQuery("delete from password_resets where account_id = $1 and used_at is null").execute(Tuple.of(id)))
              .compose(v -> conn.preparedQuery("delete from sessions where account_id = $1").execute(Tuple.of(id)))
              .compose(s -> Audit.record(conn, email, "password.reset", "account:" + id, new JsonObject().put("sessionsEnded", s.rowCount())));
        })));
  }

  private static ClientError linkUsed() {
    return new ClientError(410, "link_used", "This link has been used or has expired. Ask for a new one.");
  }
}
