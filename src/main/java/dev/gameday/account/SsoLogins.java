package dev.gameday.account;

import dev.gameday.audit.Audit;
import dev.gameday.web.Account;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * What single sign-on keeps in Postgres: the sign-ins under way (state, nonce, PKCE verifier; table
 * {@code sso_logins}, 10 minutes, taken once), and the account a verified email signs in to.
 */
public final class SsoLogins {
  /** How long a started sign-in may take to come back from the provider. */
  static final int FLOW_SECONDS = 600;

  /** A sign-in this browser started: what the callback checks the provider's answer against. */
  record Pending(String nonce, String codeVerifier, String next) {
  }

  private final Pool pool;

  public SsoLogins(Pool pool) {
    this.pool = pool;
  }

  /** Records a sign-in started; expired ones (never finished) are deleted on the way. */
  Future<Void> begin(byte[] stateHash, byte[] browserHash, String nonce, String codeVerifier, String next) {
    return pool.preparedQuery("""
            with gone as (delete from sso_logins where expires_at < now())
            insert into sso_logins (state_hash, browser_hash, nonce, code_verifier, next, expires_at)
            values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::int))""")
        .execute(Tuple.of(stateHash, browserHash, nonce, codeVerifier, next, FLOW_SECONDS)).mapEmpty();
  }

  /**
   * Takes the sign-in this state names, if this browser started it and it has not expired: the row is deleted in the
   * same statement, so a state (and the code that comes with it) works once. Null when there is none.
   */
  Future<Pending> take(byte[] stateHash, byte[] browserHash) {
    return pool.preparedQuery("""
            delete from sso_logins where state_hash = $1 and browser_hash = $2
            returning nonce, code_verifier, next, expires_at > now() as live""")
        .execute(Tuple.of(stateHash, browserHash))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return r.getBoolean("live") ? new Pending(r.getString("nonce"), r.getString("code_verifier"), r.getString("next")) : null;
        });
  }

  /**
   * The active account with this (verified) email, matched without regard to case; else, when {@code create}, a new
   * reviewer account (audited as {@code account.created} via {@code oidc}). Refused: a disabled account (403
   * {@code account_disabled}), and an unknown address when not {@code create} (403 {@code unknown_account}); both
   * audited as {@code login.sso_refused}.
   */
  Future<Account> account(String email, String name, boolean create) {
    String e = email.strip().toLowerCase(java.util.Locale.ROOT);
    return find(e).compose(row -> {
      if (row != null) {
        if (row.getBoolean("disabled")) {
          return refused(e, "account_disabled").compose(v -> Future.failedFuture(new ClientError(403, "account_disabled",
              "Your Gameday account is disabled, so single sign-on cannot sign you in. Ask an admin if this is a mistake.")));
        }
        return Future.succeededFuture(account(row));
      }
      if (!create) {
        return refused(e, "unknown_account").compose(v -> Future.failedFuture(new ClientError(403, "unknown_account",
            "There is no Gameday account for " + e + ". Ask an admin to invite you first; then sign in with single sign-on again.")));
      }
      String n = name == null || name.isBlank() ? e.substring(0, e.indexOf('@')) : name.strip();
      String shortName = n.length() > 200 ? n.substring(0, 200) : n;
      // no usable password: verify() refuses any hash not in its format; a password reset can set one
      return pool.withTransaction(conn -> conn.preparedQuery("""
              insert into accounts (email, name, password_hash, role) values ($1, $2, '!oidc', 'reviewer')
              on conflict (email) do nothing returning id""").execute(Tuple.of(e, shortName))
          .compose(rows -> {
            if (rows.size() == 0) {
              return Future.succeededFuture((Account) null); // created meanwhile by a sign-in beside this one
            }
            long id = rows.iterator().next().getLong("id");
            return Audit.record(conn, e, "account.created", "account:" + id,
                    new JsonObject().put("role", "reviewer").put("via", "oidc"))
                .map(new Account(id, e, shortName, "reviewer"));
          }))
          .compose(a -> a != null ? Future.succeededFuture(a) : find(e).compose(again -> again == null || again.getBoolean("disabled")
              ? Future.failedFuture(new ClientError(403, "account_disabled", "Your Gameday account is disabled. Ask an admin."))
              : Future.succeededFuture(account(again))));
    });
  }

  /** Audits a sign-in through single sign-on as password sign-in is audited ({@code login}), with its method. */
  Future<Void> audit(Account a, String address) {
    return Audit.record(pool, a.email(), "login", "account:" + a.id(),
        new JsonObject().put("address", address == null ? "unknown" : address).put("method", "oidc"));
  }

  /** Audits a sign-in the provider vouched for but Gameday refused. */
  Future<Void> refused(String email, String reason) {
    return Audit.record(pool, email, "login.sso_refused", null, new JsonObject().put("reason", reason));
  }

  private Future<Row> find(String email) {
    return pool.preparedQuery("select id, email, name, role, disabled from accounts where lower(email) = $1")
        .execute(Tuple.of(email)).map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private static Account account(Row r) {
    return new Account(r.getLong("id"), r.getString("email"), r.getString("name"), r.getString("role"));
  }
}
