package dev.gameday.account;

import dev.gameday.web.Account;
import dev.gameday.audit.Audit;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * What an admin can change about an account after it exists: disable and re-enable it, change its role, delete it
 * while it has done nothing, and withdraw setup links not yet used. Every change is one transaction with its audit
 * entry.
 *
 * <p>The last active admin can be neither disabled nor demoted: each such change first locks every active admin's
 * row ({@code for update}), so two admins demoting each other at once cannot both succeed. Disabling deletes the
 * account's sessions (the session lookup also refuses a disabled account, so no request gets through in between) and
 * revokes the API tokens it created; re-enabling does not bring them back.
 */
public final class Lifecycle {
  /** Audit actions that do not count as history: an account that only signed in may still be deleted. */
  private static final String HISTORY = """
      select exists (select 1 from audit_log where actor = $1
                        and action not in ('login', 'logout', 'account.created') and action not like 'session.%'
                        and action not like 'password.%' and action not like 'totp.%' and action not like 'login.2fa_%'
                        and action not in ('account.2fa_enrolment_started', 'account.2fa_enrolment_failed', 'account.2fa_enabled'))
          or exists (select 1 from invitations where invited_by = $1)
          or exists (select 1 from api_tokens where created_by = $1) as history""";
  private static final String LOCK_ADMINS = "select id from accounts where role = 'admin' and not disabled order by id for update";
  private static final String LOCK_ONE = "select id, email, name, role, disabled from accounts where id = $1 for update";

  /** An account as the admin page lists it. */
  public record Listed(long id, String email, String name, String role, boolean disabled, String disabledAt,
                       boolean self) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("email", email).put("name", name).put("role", role)
          .put("status", disabled ? "disabled" : "active").put("disabledAt", disabledAt);
    }
  }

  /** A setup link not yet used (the link itself is never stored: only who made it, its role and expiry). */
  public record PendingLink(long id, String role, String purpose, String createdBy, String createdAt, String expiresAt) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("role", role).put("purpose", purpose).put("createdBy", createdBy)
          .put("createdAt", createdAt).put("expiresAt", expiresAt);
    }
  }

  private final Pool pool;

  public Lifecycle(Pool pool) {
    this.pool = pool;
  }

  /** Every account, disabled ones included: active first, by role and email. */
  public Future<List<Listed>> all(long me) {
    return pool.query("""
            select id, email, name, role, disabled, to_char(disabled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as disabled_at
              from accounts order by disabled, role, email""").execute()
        .map(rows -> {
          List<Listed> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Listed(r.getLong("id"), r.getString("email"), r.getString("name"), r.getString("role"),
              r.getBoolean("disabled"), r.getString("disabled_at"), r.getLong("id") == me)));
          return out;
        });
  }

  /** Setup links not used, not expired, newest first. */
  public Future<List<PendingLink>> pendingLinks() {
    return pool.query("""
            select id, role, purpose, coalesce(created_by, '') as created_by,
                   to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
                   to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as expires_at
              from setup_tokens where used_at is null and expires_at > now() order by created_at desc, id desc""").execute()
        .map(rows -> {
          List<PendingLink> out = new ArrayList<>();
          rows.forEach(r -> out.add(new PendingLink(r.getLong("id"), r.getString("role"), r.getString("purpose"),
              r.getString("created_by"), r.getString("created_at"), r.getString("expires_at"))));
          return out;
        });
  }

  /** Disables an account: its sessions end, its API tokens are revoked. Idempotent for a disabled account. */
  public Future<Void> disable(Account by, long id) {
    if (by.id() == id) {
      return Future.failedFuture(new ClientError(409, "own_account",
          "You cannot disable your own account. Ask another admin to do it."));
    }
    return pool.withTransaction(conn -> lockAdmins(conn).compose(admins -> target(conn, id).compose(t -> {
      if (t.getBoolean("disabled")) {
        return Future.succeededFuture();
      }
      if ("admin".equals(t.getString("role")) && admins == 1) {
        return Future.failedFuture(lastAdmin());
      }
      String email = t.getString("email");
      return conn.preparedQuery("update accounts set disabled = true, disabled_at = now(), disabled_by = $2 where id = $1")
          .execute(Tuple.of(id, by.email()))
          .compose(v -> conn.preparedQuery("delete from sessions where account_id = $1").execute(Tuple.of(id)))
          .compose(sessions -> conn.preparedQuery("""
                  update api_tokens set revoked_at = now(), revoked_by = $2 where created_by = $1 and revoked_at is null""")
              .execute(Tuple.of(email, by.email()))
              .compose(tokens -> Audit.record(conn, by.email(), "account.disabled", "account:" + id, new JsonObject()
                  .put("email", email).put("sessionsEnded", sessions.rowCount()).put("tokensRevoked", tokens.rowCount()))));
    })));
  }

  /** Enables a disabled account again (a new sign-in is needed: its sessions ended when it was disabled). */
  public Future<Void> enable(Account by, long id) {
    return pool.withTransaction(conn -> target(conn, id).compose(t -> !t.getBoolean("disabled") ? Future.succeededFuture()
        : conn.preparedQuery("update accounts set disabled = false, disabled_at = null, disabled_by = null where id = $1")
            .execute(Tuple.of(id))
            .compose(v -> Audit.record(conn, by.email(), "account.enabled", "account:" + id,
                new JsonObject().put("email", t.getString("email"))))));
  }

  /** Changes an account's role; the next request of each of its sessions has the new role. */
  public Future<Void> setRole(Account by, long id, String role) {
    if (role == null || !Accounts.ROLES.contains(role)) {
      return Future.failedFuture(new ClientError(400, "invalid_role", "The role must be reviewer, recruiter or admin."));
    }
    return pool.withTransaction(conn -> lockAdmins(conn).compose(admins -> target(conn, id).compose(t -> {
      String old = t.getString("role");
      if (old.equals(role)) {
        return Future.succeededFuture();
      }
      if ("admin".equals(old) && !t.getBoolean("disabled") && admins == 1) {
        return Future.failedFuture(lastAdmin());
      }
      return conn.preparedQuery("update accounts set role = $2 where id = $1").execute(Tuple.of(id, role))
          .compose(v -> Audit.record(conn, by.email(), "account.role_changed", "account:" + id,
              new JsonObject().put("email", t.getString("email")).put("from", old).put("to", role)));
    })));
  }

  /**
   * Deletes an account that has done nothing (no review, decision, calibration, invitation, token or audited action
   * of its own beyond signing in); anything else is refused with 409 {@code has_history}: disable it instead, so that
   * history stays attributable.
   */
  public Future<Void> delete(Account by, long id) {
    if (by.id() == id) {
      return Future.failedFuture(new ClientError(409, "own_account", "You cannot delete your own account."));
    }
    return pool.withTransaction(conn -> lockAdmins(conn).compose(admins -> target(conn, id).compose(t -> {
      String email = t.getString("email");
      if ("admin".equals(t.getString("role")) && !t.getBoolean("disabled") && admins == 1) {
        return Future.failedFuture(lastAdmin());
      }
      return conn.preparedQuery(HISTORY).execute(Tuple.of(email)).compose(h -> {
        if (h.iterator().next().getBoolean("history")) {
          return Future.failedFuture(hasHistory());
        }
        return conn.preparedQuery("delete from sessions where account_id = $1").execute(Tuple.of(id))
            .compose(v -> conn.preparedQuery("delete from accounts where id = $1").execute(Tuple.of(id)))
            .compose(v -> Audit.record(conn, by.email(), "account.deleted", "account:" + id,
                new JsonObject().put("email", email).put("name", t.getString("name")).put("role", t.getString("role"))));
      });
    }))).recover(err -> err instanceof PgException pg && "23503".equals(pg.getSqlState())
        // a review, decision or calibration row still points at the account
        ? Future.failedFuture(hasHistory()) : Future.failedFuture(err));
  }

  /** Withdraws a setup link not yet used: it then gets the same page as an unknown link. */
  public Future<Void> withdrawLink(Account by, long linkId) {
    return pool.withTransaction(conn -> conn.preparedQuery(
            "delete from setup_tokens where id = $1 and used_at is null returning role, purpose, created_by").execute(Tuple.of(linkId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(404, "not_found", "There is no unused setup link with this id."));
          }
          Row r = rows.iterator().next();
          return Audit.record(conn, by.email(), "account.link_withdrawn", "setup-link:" + linkId, new JsonObject()
              .put("role", r.getString("role")).put("purpose", r.getString("purpose")).put("createdBy", r.getString("created_by")));
        }));
  }

  /** Locks every active admin's row; answers how many there are. */
  private static Future<Integer> lockAdmins(SqlConnection conn) {
    return conn.query(LOCK_ADMINS).execute().map(rows -> rows.size());
  }

  private static Future<Row> target(SqlConnection conn, long id) {
    return conn.preparedQuery(LOCK_ONE).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(new ClientError(404, "not_found", "There is no account with this id."))
        : Future.succeededFuture(rows.iterator().next()));
  }

  private static ClientError lastAdmin() {
    return new ClientError(409, "last_admin",
        "This is the last active admin: make another account admin first, so that someone can still manage accounts.");
  }

  private static ClientError hasHistory() {
    return new ClientError(409, "has_history",
        "This account has history (reviews, decisions, invitations or audited actions), so it cannot be deleted. "
            + "Disable it instead: its history stays attributable.");
  }
}
