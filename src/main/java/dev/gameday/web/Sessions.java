package dev.gameday.web;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Server-side sessions in Postgres, so every instance behind a load balancer shares them and logout ends a
 * session for good. The cookie holds 256 random bits; only their SHA-256 is stored. Each session has an idle
 * timeout (refreshed at most once a minute, so page views do not each write) and an absolute one.
 *
 * <p>CSRF: each session has its own token, sent once in the readable {@code XSRF-TOKEN} cookie and required in
 * the {@code X-XSRF-TOKEN} header (or the {@code _csrf} form field) of every state-changing request. It does
 * not rotate per request, so two autosaves in flight never invalidate each other.
 */
public final class Sessions {
  public static final Duration CANDIDATE_IDLE = Duration.ofHours(24);
  public static final Duration CANDIDATE_ABSOLUTE = Duration.ofDays(30);
  public static final Duration ACCOUNT_IDLE = Duration.ofHours(2);
  public static final Duration ACCOUNT_ABSOLUTE = Duration.ofHours(12);

  private static final String LOOKUP = """
      select s.kind, s.invitation_id, s.account_id, s.csrf_token, a.role, a.email, a.name,
             s.last_seen_at < now() - interval '1 minute' as stale, s.flash is not null as has_flash
        from sessions s left join accounts a on a.id = s.account_id
       where s.id_hash = $1 and s.expires_at > now()
         and s.last_seen_at > now() - make_interval(secs => case when s.kind = 'candidate' then $2::float8 else $3::float8 end)
         and (a.id is null or not a.disabled)""";
  private static final String TOUCH = "update sessions set last_seen_at = now() where id_hash = $1";
  private static final String CREATE = """
      insert into sessions (id_hash, kind, invitation_id, account_id, csrf_token, expires_at)
      values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::float8))""";
  private static final String DELETE = "delete from sessions where id_hash = $1";

  private final Pool pool;
  private final boolean https;

  public Sessions(Pool pool, boolean https) {
    this.pool = pool;
    this.https = https;
  }

  public String cookieName() {
    return https ? "__Host-gameday" : "gameday";
  }

  /** Route handler: resolves the cookie to a {@link Session} (or none) and moves on. */
  public void load(RoutingContext ctx) {
    ctx.put(Flash.SESSIONS, pool);
    Cookie cookie = ctx.request().getCookie(cookieName());
    if (cookie == null || cookie.getValue().isEmpty() || cookie.getValue().length() > 100) {
      ctx.next();
      return;
    }
    byte[] idHash = Tokens.hash(cookie.getValue());
    pool.preparedQuery(LOOKUP).execute(Tuple.of(idHash, CANDIDATE_IDLE.getSeconds(), ACCOUNT_IDLE.getSeconds()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : use(ctx, idHash, rows.iterator().next()))
        .onSuccess(v -> ctx.next())
        .onFailure(ctx::fail);
  }

  private Future<Void> use(RoutingContext ctx, byte[] idHash, Row r) {
    ctx.put(Session.KEY, new Session(idHash, r.getString("kind"), r.getLong("invitation_id"), r.getLong("account_id"),
        r.getString("role"), r.getString("csrf_token"), r.getString("email"), r.getString("name")));
    Future<Void> flash = Boolean.TRUE.equals(r.getBoolean("has_flash")) && Flash.shows(ctx)
        ? Flash.take(ctx, pool, idHash) : Future.succeededFuture();
    if (Boolean.TRUE.equals(r.getBoolean("stale"))) {
      return flash.compose(v -> pool.preparedQuery(TOUCH).execute(Tuple.of(idHash)).mapEmpty());
    }
    return flash;
  }

  /** Starts a new session (a new id every time: never reuses one from before sign-in) and sets its cookies. */
  public Future<Session> start(RoutingContext ctx, String kind, Long invitationId, Long accountId, String role) {
    return start(ctx, kind, invitationId, accountId, role, null, null);
  }

  public Future<Session> start(RoutingContext ctx, String kind, Long invitationId, Long accountId, String role,
                               String email, String name) {
    String id = Tokens.newToken();
    String csrf = Tokens.newToken();
    byte[] idHash = Tokens.hash(id);
    Duration absolute = "candidate".equals(kind) ? CANDIDATE_ABSOLUTE : ACCOUNT_ABSOLUTE;
    Cookie old = ctx.request().getCookie(cookieName());
    Future<?> end = old == null ? Future.succeededFuture()
        : pool.preparedQuery(DELETE).execute(Tuple.of(Tokens.hash(old.getValue())));
    return end.compose(v -> pool.preparedQuery(CREATE)
            .execute(Tuple.of(idHash, kind, invitationId, accountId, csrf, absolute.getSeconds())))
        .map(v -> {
          ctx.response().addCookie(Cookie.cookie(cookieName(), id).setPath("/").setHttpOnly(true).setSecure(https)
              .setSameSite(CookieSameSite.LAX).setMaxAge(absolute.getSeconds()));
          setCsrfCookie(ctx, csrf);
          Session s = new Session(idHash, kind, invitationId, accountId, role, csrf, email, name);
          ctx.put(Session.KEY, s);
          return s;
        });
  }

  public void setCsrfCookie(RoutingContext ctx, String token) {
    // readable by the page's script (it echoes it in X-XSRF-TOKEN); Strict: never sent cross-site
    ctx.response().addCookie(Cookie.cookie("XSRF-TOKEN", token).setPath("/").setHttpOnly(false).setSecure(https)
        .setSameSite(CookieSameSite.STRICT));
  }

  /** Ends the session on the server and clears the cookie. */
  public Future<Void> end(RoutingContext ctx) {
    Session s = ctx.get(Session.KEY);
    ctx.response().addCookie(Cookie.cookie(cookieName(), "").setPath("/").setHttpOnly(true).setSecure(https)
        .setSameSite(CookieSameSite.LAX).setMaxAge(0));
    if (s == null) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(DELETE).execute(Tuple.of(s.idHash())).mapEmpty();
  }
}
