package dev.gameday.account;

import dev.gameday.audit.Audit;
import dev.gameday.web.Emails;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Passwords;
import dev.gameday.web.Session;
import io.vertx.ext.web.RoutingContext;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reviewer and admin accounts, sign-in with throttling, and the one-time links that create accounts. */
public final class Accounts {
  public static final int MAX_FAILURES_PER_ACCOUNT = 5;
  public static final int MAX_FAILURES_PER_ADDRESS = 20;
  private static final String THROTTLE = """
      select (select count(*) from login_attempts
               where email = $1 and not success and at > now() - interval '15 minutes') as by_email,
             (select count(*) from login_attempts
               where address = $2 and not success and at > now() - interval '15 minutes') as by_address""";

  /** A signed-in account. */
  public record Account(long id, String email, String name, String role) {
    public boolean admin() {
      return "admin".equals(role);
    }
  }

  private final Vertx vertx;
  private final Pool pool;

  public Accounts(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** The signed-in account, or null after answering 401 (nobody) or 403 (a candidate, or not an admin). */
  public static Account signedIn(RoutingContext ctx, boolean adminOnly) {
    Session s = ctx.get(Session.KEY);
    if (s == null) {
      ctx.fail(401, new ClientError(401, "no_session", "Sign in to see this page."));
      return null;
    }
    if (!s.account() || adminOnly && !s.admin()) {
      ctx.fail(403, new ClientError(403, "forbidden", "Your account may not see this."));
      return null;
    }
    return new Account(s.accountId(), s.email(), s.name(), s.role());
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
    if (!"reviewer".equals(role) && !"admin".equals(role)) {
      return Future.failedFuture(new ClientError(400, "invalid_role", "The role must be reviewer or admin."));
    }
    String token = Tokens.newToken();
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into setup_tokens (token_hash, purpose, role, expires_at)
            values ($1, 'account-invite', $2, now() + interval '7 days')""").execute(Tuple.of(Tokens.hash(token), role))
        .compose(v -> Audit.record(conn, by.email(), "account.invited", null, new JsonObject().put("role", role)))
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
            return Future.failedFuture(new ClientError(410, "link_used", "This link has been used or has expired."));
          }
          return insert(conn, name, email, hash, rows.iterator().next().getString("role"), "setup link");
        })))
        .recover(Accounts::duplicateEmail);
  }

  /** Adds an account directly (the CLI). The password is hashed here and never stored or logged in clear. */
  public Future<Account> add(String name, String email, String password, String role) {
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
   * Checks a password, throttled per account (5 failures in 15 minutes) and per address (20). An unknown email
   * costs the same PBKDF2 work as a wrong password and gets the same answer.
   */
  public Future<Account> login(String email, String password, String address) {
    String e = email == null ? "" : email.strip().toLowerCase();
    String addr = address == null ? "unknown" : address;
    if (e.isEmpty() || e.length() > 254 || password == null || password.isEmpty() || password.length() > Passwords.MAX_LENGTH) {
      return Future.failedFuture(badCredentials());
    }
    return pool.preparedQuery(THROTTLE).execute(Tuple.of(e, addr)).compose(t -> {
      Row counts = t.iterator().next();
      if (counts.getLong("by_email") >= MAX_FAILURES_PER_ACCOUNT || counts.getLong("by_address") >= MAX_FAILURES_PER_ADDRESS) {
        return attempt(e, addr, false).compose(v -> Future.failedFuture(new ClientError(429, "too_many_attempts",
            "Too many sign-in attempts. Wait 15 minutes, then try again.")));
      }
      return pool.preparedQuery("select id, email, name, role, password_hash from accounts where email = $1 and not disabled")
          .execute(Tuple.of(e))
          .compose(rows -> {
            Row r = rows.size() == 1 ? rows.iterator().next() : null;
            String stored = r == null ? DummyHash.VALUE : r.getString("password_hash");
            return vertx.executeBlocking(() -> Passwords.verify(password, stored) && r != null)
                .compose(ok -> attempt(e, addr, ok).compose(v -> {
                  if (!ok) {
                    return Future.failedFuture(badCredentials());
                  }
                  Account a = account(r);
                  return Audit.record(pool, a.email(), "login", "account:" + a.id(), new JsonObject().put("address", addr)).map(a);
                }));
          });
    });
  }

  private static ClientError badCredentials() {
    return new ClientError(401, "bad_credentials", "The email or password is not right.");
  }

  private Future<Void> attempt(String email, String address, boolean success) {
    return pool.preparedQuery("insert into login_attempts (email, address, success) values ($1, $2, $3)")
        .execute(Tuple.of(email, address, success)).mapEmpty();
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
