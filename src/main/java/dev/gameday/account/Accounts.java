package dev.gameday.account;

import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Passwords;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/** Reviewer and admin accounts, and the one-time links that create them. */
public final class Accounts {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}$");

  /** A signed-in account. */
  public record Account(long id, String email, String name, String role) {
  }

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

  /**
   * A fresh first-admin link, valid for 24 hours. Earlier unused ones are withdrawn, so only the link printed last
   * works.
   */
  public Future<String> newFirstAdminToken() {
    String token = Tokens.newToken();
    return pool.withTransaction(conn -> conn.query("delete from setup_tokens where purpose = 'first-admin' and used_at is null")
        .execute()
        .compose(v -> conn.preparedQuery("""
            insert into setup_tokens (token_hash, purpose, role, expires_at)
            values ($1, 'first-admin', 'admin', now() + interval '24 hours')""").execute(Tuple.of(Tokens.hash(token))))
        .map(token));
  }

  /** True when the token is a usable setup link (unused and not expired). */
  public Future<Boolean> setupTokenValid(String token) {
    if (token == null || token.length() > 100) {
      return Future.succeededFuture(false);
    }
    return pool.preparedQuery("select 1 from setup_tokens where token_hash = $1 and used_at is null and expires_at > now()")
        .execute(Tuple.of(Tokens.hash(token))).map(rows -> rows.size() == 1);
  }

  /** Uses the setup token and creates the account in one transaction; the token works once. */
  public Future<Account> createWithSetupToken(String token, String name, String email, String password) {
    String problem = validate(name, email, password);
    if (problem != null) {
      return Future.failedFuture(new ClientError(400, "invalid_account", problem));
    }
    return vertx.executeBlocking(() -> Passwords.hash(password)).compose(hash -> pool.withTransaction(conn -> conn
        .preparedQuery("update setup_tokens set used_at = now() where token_hash = $1 and used_at is null and expires_at > now() returning role")
        .execute(Tuple.of(Tokens.hash(token)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(410, "link_used", "This setup link has been used or has expired."));
          }
          String role = rows.iterator().next().getString("role");
          return conn.preparedQuery("insert into accounts (email, name, password_hash, role) values ($1, $2, $3, $4) returning id")
              .execute(Tuple.of(email.strip().toLowerCase(), name.strip(), hash, role))
              .compose(r -> {
                long id = r.iterator().next().getLong("id");
                return conn.preparedQuery("insert into audit_log (actor, action, subject, detail) values ($1, 'account.created', $2, $3)")
                    .execute(Tuple.of("setup-link", "account:" + id, new JsonObject().put("role", role)))
                    .map(new Account(id, email.strip().toLowerCase(), name.strip(), role));
              });
        })))
        .recover(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.failedFuture(new ClientError(409, "email_taken", "An account with this email address already exists."))
            : Future.failedFuture(err));
  }

  static String validate(String name, String email, String password) {
    if (name == null || name.isBlank() || name.strip().length() > 200) {
      return "Enter your name (at most 200 characters).";
    }
    if (email == null || email.strip().length() > 254 || !EMAIL.matcher(email.strip()).matches()) {
      return "Enter a valid email address.";
    }
    return Passwords.problem(password);
  }
}
