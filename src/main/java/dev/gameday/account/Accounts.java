package dev.gameday.account;

import dev.gameday.web.Account;

import dev.gameday.audit.Audit;
import dev.gameday.web.Emails;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Passwords;
import dev.gameday.web.Session;
import io.vertx.ext.web.RoutingContext;
import dev.gameday.web.Tokens;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reviewer, recruiter and admin accounts, sign-in with throttling, and the one-time links that create accounts. */
public final class Accounts {
  /** Failures one address may make on one email before each further attempt must wait. */
  public static final int FREE_FAILURES = 5;
  /** The longest wait between attempts of one (email, address) pair: 15 minutes. */
  public static final int MAX_WAIT_SECONDS = 900;
  /** Failures one address may make on all emails together in one window, before unknown pairs must wait. */
  public static final int MAX_FAILURES_PER_ADDRESS = 100;
  public static final int ADDRESS_WINDOW_SECONDS = 900;

  // the address row first, then the pair's: every claim locks in this order
  private static final String ENSURE_ADDRESS = """
      insert into login_address_throttle (address, window_start, failures) values ($1, now(), 0)
      on conflict (address) do nothing""";
  private static final String ENSURE_PAIR = "insert into login_throttle (email, address) values ($1, $2) on conflict do nothing";
  private static final String LOCK_ADDRESS = """
      select case when window_start <= now() - make_interval(secs => $2::int) or failures < $3::int then 0
                  else extract(epoch from window_start + make_interval(secs => $2::int) - now())::float8 end as wait
        from login_address_throttle where address = $1 for update""";
  private static final String LOCK_PAIR = """
      select coalesce(last_success_at > now() - interval '30 days', false) as known,
             case when failures < $3::int or last_failure_at is null or last_failure_at < now() - interval '24 hours' then 0
                  else extract(epoch from last_failure_at
                       + make_interval(secs => least(power(2, least(failures - $3::int + 1, 20)), $4::int)) - now())::float8 end as wait
        from login_throttle where email = $1 and address = $2 for update""";
  private static final String COUNT_ADDRESS = """
      update login_address_throttle
         set window_start = case when window_start <= now() - make_interval(secs => $2::int) then now() else window_start end,
             failures = case when window_start <= now() - make_interval(secs => $2::int) then 1 else failures + 1 end
       where address = $1""";
  private static final String COUNT_PAIR = """
      update login_throttle
         set failures = case when last_failure_at < now() - interval '24 hours' then 1 else failures + 1 end,
             last_failure_at = now()
       where email = $1 and address = $2""";
  private static final String FAILED_PAIR = """
      update login_throttle set last_failure_at = now() where email = $1 and address = $2 and failures > 0""";
  private static final String SUCCEEDED_PAIR = """
      update login_throttle set failures = 0, last_failure_at = null, last_success_at = now()
       where email = $1 and address = $2""";
  private static final String SUCCEEDED_ADDRESS =
      "update login_address_throttle set failures = greatest(failures - 1, 0) where address = $1";

  /** The roles an account may have: reviewers score blind, recruiters look after candidates, admins do both. */
  public static final java.util.List<String> ROLES = java.util.List.of("reviewer", "recruiter", "admin", "compliance");

  private final Vertx vertx;
  private final Pool pool;

  public Accounts(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public Future<Boolean> adminExists() {
    return pool.query("select exists (select 1 from accounts where role = 'admin' and not disabled) as any").execute()
        .map(rows -> rows.iterator().next().getBoolean("any"));
  }

  /** A fresh first-admin link, valid 24 hours. Earlier unused ones are withdrawn: only the last printed works. */
  public Future<String> newFirstAdminToken() {
    String token = Tokens.newToken();
    return pool.withTransaction(conn -> conn.query("delete from setup_tokens where purpose = 'first-admin' and used_at is null")
        .execute()
        .compose(v -> conn.preparedQuery("""
            insert into setup_tokens (token_hash, purpose, role, expires_at)
            values ($1, 'first-admin', 'admin', now() + interval '24 hours')""").execute(Tuple.of(Tokens.hash(token))))
        .map(token));
  }

  /** A link for a new reviewer (or admin) to create their own account, valid 7 days. */
  public Future<String> inviteToken(String role, Account by) {
    if (!ROLES.contains(role)) {
      return Future.failedFuture(new ClientError(400, "invalid_role", "The role must be reviewer, recruiter, admin or compliance."));
    }
    String token = Tokens.newToken();
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into setup_tokens (token_hash, purpose, role, expires_at, created_by)
            values ($1, 'account-invite', $2, now() + interval '7 days', $3) returning id""").execute(Tuple.of(Tokens.hash(token), role, by.email()))
        .compose(r -> Audit.record(conn, by.email(), "account.invited", "setup-link:" + r.iterator().next().getLong("id"),
            new JsonObject().put("role", role)))
        .map(token));
  }

  /** The role a usable setup link (unused, not expired) creates, or null. */
  public Future<String> setupTokenRole(String token) {
    if (token == null || token.length() > 100) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("select role from setup_tokens where token_hash = $1 and used_at is null and expires_at > now()")
        .execute(Tuple.of(Tokens.hash(token))).map(rows -> rows.size() == 1 ? rows.iterator().next().getString("role") : null);
  }

  /**
   * Uses the setup token and creates the account in one transaction; the token works once. An address that already
   * has an account uses the token up too (409 {@code email_taken}, audited), so one link can tell at most one
   * address apart and cannot be used to enumerate accounts.
   */
  public Future<Account> createWithSetupToken(String token, String name, String email, String password) {
    String problem = validate(name, email, password);
    if (problem != null) {
      return Future.failedFuture(new ClientError(400, "invalid_account", problem));
    }
    String e = email.strip().toLowerCase();
    return vertx.executeBlocking(() -> Passwords.hash(password)).compose(hash -> pool.withTransaction(conn -> conn
        .preparedQuery("update setup_tokens set used_at = now() where token_hash = $1 and used_at is null and expires_at > now() returning role")
        .execute(Tuple.of(Tokens.hash(token)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(410, "link_used", "This link has been used or has expired."));
          }
          String role = rows.iterator().next().getString("role");
          return conn.preparedQuery("select exists (select 1 from accounts where email = $1) as taken").execute(Tuple.of(e))
              .compose(t -> t.iterator().next().getBoolean("taken")
                  ? Audit.record(conn, "setup link", "account.setup_refused", null,
                      new JsonObject().put("email", e).put("role", role).put("reason", "email_taken")).map((Account) null)
                  : insert(conn, name, email, hash, role, "setup link"));
        })))
        .compose(a -> a != null ? Future.succeededFuture(a) : Future.failedFuture(new ClientError(409, "email_taken",
            "An account with this email address already exists, so this link has now been used up. Sign in with that "
                + "address, or ask an admin for a new link.")))
        .recover(Accounts::duplicateEmail);
  }

  /** Adds an account directly (the CLI). The password is hashed here and never stored or logged in clear. */
  public Future<Account> add(String name, String email, String password, String role) {
    if (!ROLES.contains(role)) {
      return Future.failedFuture(new ClientError(400, "invalid_role", "The role must be reviewer, recruiter, admin or compliance."));
    }
    String problem = validate(name, email, password);
    if (problem != null) {
      return Future.failedFuture(new ClientError(400, "invalid_account", problem));
    }
    return vertx.executeBlocking(() -> Passwords.hash(password))
        .compose(hash -> pool.withTransaction(conn -> insert(conn, name, email, hash, role, "command line")))
        .recover(Accounts::duplicateEmail);
  }

  private static Future<Account> insert(io.vertx.sqlclient.SqlConnection conn, String name, String email, String hash,
                                        String role, String via) {
    String e = email.strip().toLowerCase();
    return conn.preparedQuery("insert into accounts (email, name, password_hash, role) values ($1, $2, $3, $4) returning id")
        .execute(Tuple.of(e, name.strip(), hash, role))
        .compose(r -> {
          long id = r.iterator().next().getLong("id");
          return Audit.record(conn, e, "account.created", "account:" + id, new JsonObject().put("role", role).put("via", via))
              .map(new Account(id, e, name.strip(), role));
        });
  }

  public Future<List<Account>> list() {
    return pool.query("select id, email, name, role from accounts where not disabled order by role, email").execute()
        .map(rows -> {
          List<Account> out = new ArrayList<>();
          rows.forEach(r -> out.add(account(r)));
          return out;
        });
  }

  public Future<Account> byId(long id) {
    return pool.preparedQuery("select id, email, name, role from accounts where id = $1 and not disabled").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : account(rows.iterator().next()));
  }

  private static Account account(Row r) {
    return new Account(r.getLong("id"), r.getString("email"), r.getString("name"), r.getString("role"));
  }

  /**
   * Checks a password, throttled by (email, address): after {@link #FREE_FAILURES} failures each further attempt
   * waits 2^k seconds after the last failure (2 s after the fifth, 4 s after the sixth ... at most 15 minutes); a
   * success clears the count.
   * Failures from one address on another address's pair never hold the right password back. Each address may also
   * fail {@link #MAX_FAILURES_PER_ADDRESS} times per 15-minute window on all emails together; past that, only pairs
   * that signed in from it in the last 30 days go on. A throttled attempt is answered 429 with the seconds to wait
   * ({@code retryAfter}), checks no password and counts for nothing, so retrying never extends the wait.
   *
   * <p>The attempt is counted as a failure before the password is checked (in the transaction that checks the
   * wait, holding the rows), so concurrent attempts cannot slip past the count; a success then takes it back. An
   * unknown email is throttled and answered exactly like a wrong password, after the same PBKDF2 work.
   */
  public Future<Account> login(String email, String password, String address) {
    String e = email == null ? "" : email.strip().toLowerCase();
    String addr = address == null ? "unknown" : address;
    if (e.isEmpty() || e.length() > 254 || password == null || password.isEmpty() || password.length() > Passwords.MAX_LENGTH) {
      return Future.failedFuture(badCredentials());
    }
    String key = throttleKey(addr);
    return claim(e, key).compose(wait -> {
      if (wait > 0) {
        return Future.failedFuture(throttled(wait));
      }
      return pool.preparedQuery("select id, email, name, role, password_hash from accounts where email = $1 and not disabled")
          .execute(Tuple.of(e))
          .compose(rows -> {
            Row r = rows.size() == 1 ? rows.iterator().next() : null;
            String stored = r == null ? DummyHash.VALUE : r.getString("password_hash");
            return vertx.executeBlocking(() -> Passwords.verify(password, stored) && r != null)
                .compose(ok -> {
                  if (!ok) {
                    // the wait runs from the end of the failed check, not from its start
                    return pool.preparedQuery(FAILED_PAIR).execute(Tuple.of(e, key))
                        .compose(v -> Future.failedFuture(badCredentials()));
                  }
                  Account a = account(r);
                  return pool.preparedQuery(SUCCEEDED_PAIR).execute(Tuple.of(e, key))
                      .compose(v -> pool.preparedQuery(SUCCEEDED_ADDRESS).execute(Tuple.of(key)))
                      .compose(v -> Audit.record(pool, a.email(), "login", "account:" + a.id(), new JsonObject().put("address", addr)))
                      .map(a);
                });
          });
    });
  }

  /** Seconds this attempt must wait (then nothing is counted), or 0 once the attempt is counted as a failure. */
  private Future<Long> claim(String email, String address) {
    return pool.withTransaction(conn -> conn.preparedQuery(ENSURE_ADDRESS).execute(Tuple.of(address))
        .compose(v -> conn.preparedQuery(ENSURE_PAIR).execute(Tuple.of(email, address)))
        .compose(v -> conn.preparedQuery(LOCK_ADDRESS).execute(Tuple.of(address, ADDRESS_WINDOW_SECONDS, MAX_FAILURES_PER_ADDRESS)))
        .compose(a -> conn.preparedQuery(LOCK_PAIR).execute(Tuple.of(email, address, FREE_FAILURES, MAX_WAIT_SECONDS)).map(p -> {
          Row pair = p.iterator().next();
          double addressWait = pair.getBoolean("known") ? 0 : a.iterator().next().getDouble("wait");
          double wait = Math.max(addressWait, pair.getDouble("wait"));
          return wait > 0 ? (long) Math.ceil(wait) : 0L;
        }))
        .compose(wait -> wait > 0 ? Future.succeededFuture(wait)
            : conn.preparedQuery(COUNT_ADDRESS).execute(Tuple.of(address, ADDRESS_WINDOW_SECONDS))
                .compose(v -> conn.preparedQuery(COUNT_PAIR).execute(Tuple.of(email, address)))
                .map(0L)));
  }

  /**
   * What the throttle counts by: an IPv4 address, or an IPv6 address's /64 (one subscriber usually holds a whole
   * /64, so counting single IPv6 addresses would let one attacker take a fresh address per attempt).
   */
  static String throttleKey(String address) {
    byte[] ip = address.indexOf(':') < 0 ? null : NetUtil.createByteArrayFromIpAddressString(address);
    if (ip == null || ip.length != 16) {
      return address;
    }
    java.util.Arrays.fill(ip, 8, 16, (byte) 0);
    return NetUtil.bytesToIpAddress(ip) + "/64";
  }

  /** Forgets throttle rows that no longer hold anyone back (run now and then). */
  public Future<Void> forgetOldAttempts() {
    return pool.query("""
            delete from login_throttle
             where (last_failure_at is null or last_failure_at < now() - interval '1 day')
               and (last_success_at is null or last_success_at < now() - interval '30 days')""").execute()
        .compose(v -> pool.query("delete from login_address_throttle where window_start < now() - interval '1 hour'").execute())
        // password reset links a day past their expiry, and the forgot-password form's old windows
        .compose(v -> pool.query("delete from password_resets where expires_at < now() - interval '1 day'").execute())
        .compose(v -> pool.query("delete from password_reset_throttle where window_start < now() - interval '1 hour'").execute())
        // second sign-in steps never finished, and wrong codes past the rate limit's window
        .compose(v -> pool.query("delete from totp_pending where expires_at < now()").execute())
        .compose(v -> pool.query("delete from totp_failures where at < now() - interval '1 hour'").execute())
        .mapEmpty();
  }

  private static ClientError throttled(long seconds) {
    String when = seconds < 120 ? seconds + (seconds == 1 ? " second" : " seconds")
        : (seconds + 59) / 60 + " minutes";
    return new ClientError(429, "too_many_attempts", "Too many sign-in attempts. Try again in " + when + ".",
        new JsonObject().put("retryAfter", seconds));
  }

  private static ClientError badCredentials() {
    return new ClientError(401, "bad_credentials", "The email or password is not right.");
  }

  /** Computed once, lazily: verifying against it costs what a real check costs. */
  private static final class DummyHash {
    static final String VALUE = Passwords.hash(Tokens.newToken());
  }

  private static Future<Account> duplicateEmail(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Future.failedFuture(new ClientError(409, "email_taken", "An account with this email address already exists."))
        : Future.failedFuture(err);
  }

  static String validate(String name, String email, String password) {
    if (name == null || name.isBlank() || name.strip().length() > 200) {
      return "Enter a name (at most 200 characters).";
    }
    if (email == null || !Emails.valid(email.strip())) {
      return "Enter a valid email address.";
    }
    return Passwords.problem(password);
  }
}
