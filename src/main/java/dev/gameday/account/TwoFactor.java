package dev.gameday.account;

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
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Staff accounts' second factor: enrolment (a secret confirmed with a first code, then 10 one-time recovery codes),
 * the check at sign-in (a code from the current step or one either side, never a step already used; or an unused
 * recovery code), at most {@link #MAX_FAILURES} wrong codes per account per 15 minutes, and an admin's reset.
 */
public final class TwoFactor {
  public static final int MAX_FAILURES = 5;
  public static final int FAILURE_WINDOW_SECONDS = 900;
  public static final int RECOVERY_CODES = 10;
  /** How long the second step of a sign-in waits for its code. */
  public static final int PENDING_SECONDS = 300;

  /** Where an account stands: no second factor, an enrolment awaiting its first code, or on. */
  public record Status(boolean enabled, byte[] pendingSecret, String enabledAt, int recoveryLeft) {
  }

  private final Pool pool;
  private final Set<String> requiredRoles;
  private final LongSupplier clock;

  public TwoFactor(Pool pool, java.util.Collection<String> requiredRoles) {
    this(pool, requiredRoles, () -> System.currentTimeMillis() / 1000);
  }

  TwoFactor(Pool pool, java.util.Collection<String> requiredRoles, LongSupplier epochSeconds) {
    this.pool = pool;
    this.requiredRoles = Set.copyOf(requiredRoles);
    this.clock = epochSeconds;
  }

  /** Whether the policy (GAMEDAY_2FA_REQUIRED_ROLES) requires a second factor of this role. */
  public boolean required(String role) {
    return requiredRoles.contains(role);
  }

  public Future<Status> status(long accountId) {
    return pool.preparedQuery("""
            select t.secret, t.enabled_at is not null as enabled,
                   to_char(t.enabled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
                   (select count(*) from totp_recovery_codes r where r.account_id = $1 and r.used_at is null) as left
              from account_totp t where t.account_id = $1""").execute(Tuple.of(accountId))
        .map(rows -> {
          if (rows.size() == 0) {
            return new Status(false, null, null, 0);
          }
          Row r = rows.iterator().next();
          boolean on = r.getBoolean("enabled");
          return new Status(on, on ? null : r.getBuffer("secret").getBytes(), r.getString("since"), r.getInteger("left"));
        });
  }

  public Future<Boolean> enabled(long accountId) {
    return pool.preparedQuery("select 1 from account_totp where account_id = $1 and enabled_at is not null")
        .execute(Tuple.of(accountId)).map(rows -> rows.size() == 1);
  }

  /** A new secret awaiting its first code (replacing an unconfirmed one); refused while a second factor is on. */
  public Future<Void> start(long accountId, String actor) {
    byte[] secret = Totp.newSecret();
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into account_totp (account_id, secret) values ($1, $2)
            on conflict (account_id) do update set secret = excluded.secret, created_at = now(), last_step = null
             where account_totp.enabled_at is null
            returning account_id""").execute(Tuple.of(accountId, io.vertx.core.buffer.Buffer.buffer(secret)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ClientError(409, "already_on", "Two-factor authentication is already on."))
            : Audit.record(conn, actor, "account.2fa_enrolment_started", "account:" + accountId, new JsonObject())));
  }

  /**
   * Switches the second factor on if the code matches the unconfirmed secret; answers the recovery codes (shown
   * once: only their hashes are kept).
   */
  @SuppressWarnings("unchecked")
  public Future<List<String>> confirm(long accountId, String actor, String code) {
    return pool.<Object>withTransaction(conn -> lock(conn, accountId).compose(v -> conn.preparedQuery(
            "select secret from account_totp where account_id = $1 and enabled_at is null for update").execute(Tuple.of(accountId)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(409, "not_started", "Start the set-up again: there is no code to confirm."));
          }
          long step = Totp.verify(rows.iterator().next().getBuffer("secret").getBytes(), code, clock.getAsLong(), null);
          if (step < 0) {
            return failed(conn, accountId, actor, "account.2fa_enrolment_failed");
          }
          List<String> codes = new ArrayList<>();
          List<Tuple> hashes = new ArrayList<>();
          for (int i = 0; i < RECOVERY_CODES; i++) {
            String c = Totp.newRecoveryCode();
            codes.add(c);
            hashes.add(Tuple.of(accountId, Tokens.hash(Totp.normaliseRecovery(c))));
          }
          return conn.preparedQuery("update account_totp set enabled_at = now(), last_step = $2 where account_id = $1")
              .execute(Tuple.of(accountId, step))
              .compose(v -> conn.preparedQuery("delete from totp_recovery_codes where account_id = $1").execute(Tuple.of(accountId)))
              .compose(v -> conn.preparedQuery("insert into totp_recovery_codes (account_id, code_hash) values ($1, $2)")
                  .executeBatch(hashes))
              .compose(v -> Audit.record(conn, actor, "account.2fa_enabled", "account:" + accountId, new JsonObject()))
              .map((Object) codes);
        }))
        .compose(x -> x instanceof WrongCode ? Future.failedFuture(wrongCode()) : Future.succeededFuture((List<String>) x));
  }

  /**
   * The second step of a sign-in: a code of the account's secret (not of a step already used) or an unused
   * recovery code. Wrong codes count towards the limit and are audited; so are successes, with the method.
   */
  public Future<Void> check(long accountId, String actor, String code) {
    return pool.<Object>withTransaction(conn -> lock(conn, accountId).compose(v -> conn.preparedQuery(
            "select secret, last_step from account_totp where account_id = $1 and enabled_at is not null for update")
            .execute(Tuple.of(accountId)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(409, "not_on", "This account has no second factor."));
          }
          Row r = rows.iterator().next();
          long step = Totp.verify(r.getBuffer("secret").getBytes(), code, clock.getAsLong(), r.getLong("last_step"));
          if (step >= 0) {
            return conn.preparedQuery("update account_totp set last_step = $2 where account_id = $1").execute(Tuple.of(accountId, step))
                .compose(v -> Audit.record(conn, actor, "login.2fa_succeeded", "account:" + accountId,
                    new JsonObject().put("method", "code")))
                .map((Object) "ok");
          }
          String recovery = Totp.normaliseRecovery(code);
          Future<Boolean> used = recovery == null ? Future.succeededFuture(false) : conn.preparedQuery("""
                  update totp_recovery_codes set used_at = now()
                   where id = (select id from totp_recovery_codes where account_id = $1 and code_hash = $2 and used_at is null limit 1)
                  returning id""").execute(Tuple.of(accountId, Tokens.hash(recovery))).map(x -> x.size() == 1);
          return used.compose(ok -> ok
              ? Audit.record(conn, actor, "login.2fa_succeeded", "account:" + accountId,
                  new JsonObject().put("method", "recovery code")).map((Object) "ok")
              : failed(conn, accountId, actor, "login.2fa_failed"));
        }))
        .compose(x -> x instanceof WrongCode ? Future.failedFuture(wrongCode()) : Future.<Void>succeededFuture());
  }

  /** Locks the account (so concurrent guesses queue) and refuses once the wrong codes of 15 minutes reach the limit. */
  private static Future<Void> lock(SqlConnection conn, long accountId) {
    return conn.preparedQuery("select id from accounts where id = $1 for update").execute(Tuple.of(accountId))
        .compose(v -> conn.preparedQuery("""
            select count(*) as n from totp_failures where account_id = $1 and at > now() - make_interval(secs => $2::int)""")
            .execute(Tuple.of(accountId, FAILURE_WINDOW_SECONDS)))
        .compose(rows -> rows.iterator().next().getLong("n") >= MAX_FAILURES
            ? Future.failedFuture(new ClientError(429, "too_many_codes",
                "Too many wrong codes. Wait 15 minutes, then try again; or ask an admin."))
            : Future.succeededFuture());
  }

  /** Counts and audits a wrong code; the transaction commits (a failure would roll the count back), then fails. */
  private static Future<Object> failed(SqlConnection conn, long accountId, String actor, String action) {
    return conn.preparedQuery("insert into totp_failures (account_id) values ($1)").execute(Tuple.of(accountId))
        .compose(v -> Audit.record(conn, actor, action, "account:" + accountId, new JsonObject()))
        .map(v -> new WrongCode());
  }

  static ClientError wrongCode() {
    return new ClientError(400, "wrong_code", "That code is not right (or was already used). Try the newest code.");
  }

  /** Marker answered inside the transaction so the failure's rows commit; turned into a 400 outside. */
  static final class WrongCode {
  }

  /** An admin takes the second factor off an account (lost phone): it signs in with its password, then enrols again. */
  public Future<Void> reset(Account admin, long accountId) {
    return pool.withTransaction(conn -> conn.preparedQuery("delete from account_totp where account_id = $1 returning account_id")
        .execute(Tuple.of(accountId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ClientError(404, "no_second_factor", "That account has no second factor to reset."))
            : conn.preparedQuery("delete from totp_recovery_codes where account_id = $1").execute(Tuple.of(accountId))
                .compose(v -> conn.preparedQuery("delete from totp_failures where account_id = $1").execute(Tuple.of(accountId)))
                .compose(v -> Audit.record(conn, admin.email(), "account.2fa_reset", "account:" + accountId, new JsonObject()))));
  }

  /** The accounts with a second factor on (for the admin page). */
  public Future<Set<Long>> enabledAccounts() {
    return pool.query("select account_id from account_totp where enabled_at is not null").execute().map(rows -> {
      Set<Long> out = new java.util.HashSet<>();
      rows.forEach(r -> out.add(r.getLong("account_id")));
      return out;
    });
  }

  /** A sign-in whose password was right, awaiting its code: the token for the cookie. */
  public Future<String> pending(long accountId) {
    String token = Tokens.newToken();
    return pool.preparedQuery("insert into totp_pending (token_hash, account_id, expires_at) values ($1, $2, now() + make_interval(secs => $3::int))")
        .execute(Tuple.of(Tokens.hash(token), accountId, PENDING_SECONDS)).map(token);
  }

  /** The account a pending sign-in's token belongs to (not expired, not disabled), or null. */
  public Future<Account> pendingAccount(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("""
            select a.id, a.email, a.name, a.role from totp_pending p join accounts a on a.id = p.account_id
             where p.token_hash = $1 and p.expires_at > now() and not a.disabled""").execute(Tuple.of(Tokens.hash(token)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Account(r.getLong("id"), r.getString("email"), r.getString("name"), r.getString("role"));
        });
  }

  public Future<Void> endPending(String token) {
    return pool.preparedQuery("delete from totp_pending where token_hash = $1 or expires_at < now()")
        .execute(Tuple.of(Tokens.hash(token))).mapEmpty();
  }
}
