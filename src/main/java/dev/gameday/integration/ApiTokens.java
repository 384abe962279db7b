package dev.gameday.integration;

import dev.gameday.web.ApiCaller;
import dev.gameday.audit.Audit;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Session;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * API tokens: a name, scopes, an optional expiry; only the SHA-256 of the secret is stored (the secret has 256 random
 * bits, so a fast hash is enough: nothing to brute-force). {@link #authenticate} is the one handler that turns an
 * {@code Authorization} header into a {@link ApiCaller}: {@code Bearer} on {@code /api/v1/candidates...} only, HTTP
 * Basic (the token as the username) on {@code /integrations/greenhouse/...} only. Anywhere else the header is ignored,
 * so a token never opens a page, a review or an admin route. Every use is written to the audit log under the token's
 * name.
 */
public final class ApiTokens {
  public static final List<String> SCOPES = List.of("invitations:write", "invitations:read", "results:read");
  public static final String PREFIX = "gdt_";
  public static final int MAX_EXPIRY_DAYS = 3650;

  private static final String COLUMNS = """
      id, name, scopes, created_by, created_at, expires_at, revoked_at, revoked_by, last_used_at,
      case when revoked_at is not null then 'revoked' when expires_at <= now() then 'expired' else 'active' end as status""";
  private static final String INSERT = "insert into api_tokens (name, secret_hash, scopes, created_by, expires_at) values ($1, $2, $3, $4, "
      + "case when $5::int is null then null else now() + make_interval(days => $5::int) end) returning " + COLUMNS;
  private static final String LOOKUP = "select " + COLUMNS + " from api_tokens where secret_hash = $1";
  private static final String USED = """
      update api_tokens set last_used_at = now()
       where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')""";
  private static final String REVOKE = "update api_tokens set revoked_at = now(), revoked_by = $2 where id = $1 and revoked_at is null returning " + COLUMNS;

  private final Pool pool;

  public ApiTokens(Pool pool) {
    this.pool = pool;
  }

  /** A new token; the answer's {@code secret} is the only copy of it. */
  public Future<JsonObject> create(String actor, String name, List<String> scopes, Integer expiresDays) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > 100 || n.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
      return Future.failedFuture(new ClientError(400, "invalid_name", "The name must be 1 to 100 characters."));
    }
    Set<String> s = new LinkedHashSet<>();
    for (String scope : scopes == null ? List.<String>of() : scopes) {
      String x = scope == null ? "" : scope.strip();
      if (!SCOPES.contains(x)) {
        return Future.failedFuture(new ClientError(400, "invalid_scope", "Unknown scope '" + shorten(x) + "'; the scopes are "
            + String.join(", ", SCOPES) + "."));
      }
      s.add(x);
    }
    if (s.isEmpty()) {
      return Future.failedFuture(new ClientError(400, "invalid_scope", "Give at least one scope: " + String.join(", ", SCOPES) + "."));
    }
    if (expiresDays != null && (expiresDays < 1 || expiresDays > MAX_EXPIRY_DAYS)) {
      return Future.failedFuture(new ClientError(400, "invalid_expiry", "A token expires after 1 to " + MAX_EXPIRY_DAYS
          + " days, or never."));
    }
    String secret = PREFIX + Tokens.newToken();
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.of(n, Tokens.hash(secret), s.toArray(String[]::new), actor, expiresDays))
            .compose(rows -> {
              JsonObject t = json(rows.iterator().next());
              return Audit.record(conn, actor, "token.created", "token:" + t.getLong("id"),
                  new JsonObject().put("name", n).put("scopes", new JsonArray(List.copyOf(s))).put("expiresAt", t.getString("expiresAt")))
                  .map(t);
            }))
        .recover(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState()) && String.valueOf(pg.getConstraint()).contains("name")
            ? Future.failedFuture(new ClientError(409, "duplicate_name", "A token named '" + n + "' exists already; names are never reused."))
            : Future.failedFuture(err))
        .map(t -> t.put("secret", secret));
  }

  /** Revokes a token by id; 404 for none, 409 when it is already revoked. */
  public Future<JsonObject> revoke(String actor, long id) {
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE).execute(Tuple.of(id, actor)).compose(rows -> {
      if (rows.size() == 0) {
        return conn.preparedQuery("select 1 from api_tokens where id = $1").execute(Tuple.of(id))
            .compose(r -> Future.failedFuture(r.size() == 0 ? unknown()
                : new ClientError(409, "already_revoked", "This token is revoked already.")));
      }
      JsonObject t = json(rows.iterator().next());
      return Audit.record(conn, actor, "token.revoked", "token:" + id, new JsonObject().put("name", t.getString("name"))).map(t);
    }));
  }

  public Future<JsonObject> revokeByName(String actor, String name) {
    return pool.preparedQuery("select id from api_tokens where name = $1").execute(Tuple.of(name == null ? "" : name.strip()))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(unknown()) : revoke(actor, rows.iterator().next().getLong("id")));
  }

  private static ClientError unknown() {
    return new ClientError(404, "unknown_token", "There is no token with that id or name.");
  }

  public Future<List<JsonObject>> list() {
    return pool.query("select " + COLUMNS + " from api_tokens order by revoked_at is not null, created_at desc, id desc").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(json(r)));
          return out;
        });
  }

  private static JsonObject json(Row r) {
    String status = r.getString("status");
    return new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name"))
        .put("scopes", new JsonArray(List.of(r.getArrayOfStrings("scopes")))).put("createdBy", r.getString("created_by"))
        .put("createdAt", iso(r.getOffsetDateTime("created_at"))).put("expiresAt", iso(r.getOffsetDateTime("expires_at")))
        .put("revokedAt", iso(r.getOffsetDateTime("revoked_at"))).put("revokedBy", r.getString("revoked_by"))
        .put("lastUsedAt", iso(r.getOffsetDateTime("last_used_at"))).put("status", status).put("active", "active".equals(status));
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(java.time.ZoneOffset.UTC).toString();
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  // ---- the request handler

  /** True for the paths a Bearer token opens: the recruiter workspace's JSON, nothing else. */
  static boolean bearerPath(String path) {
    return "/api/v1/candidates".equals(path) || path.startsWith("/api/v1/candidates/");
  }

  static boolean greenhousePath(String path) {
    return path.startsWith("/integrations/greenhouse/");
  }

  /**
   * Runs after the session is loaded and before the CSRF check. With a valid token the request's principal is the
   * token alone (a session cookie sent beside it is ignored), and the CSRF check does not apply: a token is not
   * ambient authority a browser attaches by itself.
   */
  public void authenticate(RoutingContext ctx) {
    String path = Http.path(ctx);
    String header = ctx.request().getHeader("Authorization");
    String secret;
    if (greenhousePath(path)) {
      secret = basicUser(header);
      if (secret == null) {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Gameday\"");
        ctx.fail(401, new ClientError(401, "invalid_token", "Authenticate with HTTP Basic: the API token as the username."));
        return;
      }
    } else if (bearerPath(path) && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      secret = header.substring(7).strip();
    } else {
      ctx.next();
      return;
    }
    lookup(secret).onSuccess(caller -> {
      if (caller == null) {
        if (greenhousePath(path)) {
          ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Gameday\"");
        } else {
          ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        ctx.fail(401, new ClientError(401, "invalid_token", "The API token is unknown, revoked or expired."));
        return;
      }
      ctx.remove(Session.KEY);
      ctx.put(Http.API_CALLER, caller);
      String route = ctx.request().method() + " " + path;
      pool.preparedQuery(USED).execute(Tuple.of(caller.tokenId()))
          .compose(v -> Audit.record(pool, caller.actor(), "token.used", "token:" + caller.tokenId(),
              new JsonObject().put("request", route.length() > 200 ? route.substring(0, 200) : route)))
          .onSuccess(v -> ctx.next())
          .onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  /** The token with this secret if it is active, else null. */
  Future<ApiCaller> lookup(String secret) {
    if (secret == null || secret.isEmpty() || secret.length() > 200) {
      return Future.succeededFuture(null);
    }
    // SHA-256 of a short string: microseconds, fine on the event loop
    return pool.preparedQuery(LOOKUP).execute(Tuple.of(Tokens.hash(secret))).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      if (!"active".equals(r.getString("status"))) {
        return null;
      }
      return new ApiCaller(r.getLong("id"), r.getString("name"), new LinkedHashSet<>(List.of(r.getArrayOfStrings("scopes"))));
    });
  }

  /** The username of an HTTP Basic header (Greenhouse sends the API key as the username, with an empty password). */
  static String basicUser(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isEmpty() ? null : user;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
