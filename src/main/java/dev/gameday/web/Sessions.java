package dev.gameday.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

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
  /** Staff sessions' defaults (GAMEDAY_SESSION_IDLE_MINUTES and GAMEDAY_SESSION_HOURS change them). */
  public static final Duration ACCOUNT_IDLE = Duration.ofHours(2);
  public static final Duration ACCOUNT_ABSOLUTE = Duration.ofHours(12);

  private static final String LOOKUP = """
      select s.kind, s.invitation_id, s.account_id, s.csrf_token, a.role, a.email, a.name,
             s.last_seen_at < now() - interval '1 minute' as stale, s.flash is not null as has_flash
        from sessions s left join accounts a on a.id = s.account_id
       where s.id_hash = $1 and s.expires_at > now()
         and s.last_seen_at > now() - make_interval(secs => case when s.kind = 'candidate' then $2::float8 else $3::float8 end)
         and (a.id is null or not a.disabled)
         and (s.kind = 'candidate' or s.created_at > now() - make_interval(secs => $4::float8))""";
  private static final String TOUCH = "update sessions set last_seen_at = now() where id_hash = $1";
  private static final String CREATE = """
      insert into sessions (id_hash, kind, invitation_id, account_id, csrf_token, expires_at, user_agent, address)
      values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::float8), $7, $8)""";
  private static final String DELETE = "delete from sessions where id_hash = $1";
  /**
   * A candidate session's check as the autosave's statement repeats it ({@code candidate.Answers}): the session
   * exists, is a candidate's, is the invitation's, and has reached neither its expiry nor its idle timeout. The
   * arguments name the statement's parameters holding the id hash, the idle timeout in seconds and the invitation.
   */
  public static String candidateSessionLive(String idHash, String idleSeconds, String invitation) {
    return "exists (select 1 from sessions s where s.id_hash = " + idHash + " and s.kind = 'candidate'"
        + " and s.invitation_id = " + invitation + " and s.expires_at > now()"
        + " and s.last_seen_at > now() - make_interval(secs => " + idleSeconds + "::float8))";
  }
  /** Candidate sessions kept for autosaves: a few hundred bytes each. */
  static final int CANDIDATES_KEPT = 20_000;
  /**
   * Candidate sessions as last read from the database, for the autosave only (issue 28: the session lookup folded
   * into the save's round trip). What is kept never changes while a session lives (its invitation and CSRF token),
   * and the save's own statement checks again that the session is live ({@link #candidateSessionLive}) and moves
   * its last-seen time; so a session ended here, on another instance or by its timeouts is refused by the save,
   * never served from here. Every other request reads the session from the database.
   */
  private final Cache<ByteBuffer, Session> candidates = Caffeine.newBuilder().maximumSize(CANDIDATES_KEPT)
      .expireAfterWrite(Duration.ofMinutes(10)).build();
  private final AtomicLong lookups = new AtomicLong();

  private final Pool pool;
  private final boolean https;
  private final Duration accountIdle;
  private final Duration accountAbsolute;
  private final TrustedProxies proxies;

  public Sessions(Pool pool, boolean https) {
    this(pool, https, ACCOUNT_IDLE, ACCOUNT_ABSOLUTE, TrustedProxies.NONE);
  }

  /** With staff sessions' idle and absolute timeouts, and the proxies whose X-Forwarded-For names the client. */
  public Sessions(Pool pool, boolean https, Duration accountIdle, Duration accountAbsolute, TrustedProxies proxies) {
    this.pool = pool;
    this.https = https;
    this.accountIdle = accountIdle;
    this.accountAbsolute = accountAbsolute;
    this.proxies = proxies;
  }

  /** The client's address as the sign-in throttle and the session list name it. */
  public String clientAddress(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    return proxies.clientAddress(peer, ctx.request().headers().getAll("X-Forwarded-For"));
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
    if (ctx.request().method() == HttpMethod.PUT && LoadShedding.isAutosave(ctx.normalizedPath())) {
      Session kept = candidates.getIfPresent(ByteBuffer.wrap(idHash));
      if (kept != null) {
        ctx.put(Session.KEY, kept); // checked again, and touched, by the save's own statement (Answers.SAVE)
        ctx.next();
        return;
      }
    }
    lookups.incrementAndGet();
    pool.preparedQuery(LOOKUP).execute(Tuple.of(idHash, CANDIDATE_IDLE.getSeconds(), accountIdle.getSeconds(),
            accountAbsolute.getSeconds()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : use(ctx, idHash, rows.iterator().next()))
        .onSuccess(v -> ctx.next())
        .onFailure(ctx::fail);
  }

  /** Session lookups sent to the database so far; for tests. */
  public long lookups() {
    return lookups.get();
  }

  private Future<Void> use(RoutingContext ctx, byte[] idHash, Row r) {
    Session session = new Session(idHash, r.getString("kind"), r.getLong("invitation_id"), r.getLong("account_id"),
        r.getString("role"), r.getString("csrf_token"), r.getString("email"), r.getString("name"));
    ctx.put(Session.KEY, session);
    if (session.candidate()) {
      candidates.put(ByteBuffer.wrap(idHash), session);
    }
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
    Duration absolute = "candidate".equals(kind) ? CANDIDATE_ABSOLUTE : accountAbsolute;
    String ua = ctx.request().getHeader("User-Agent");
    String agent = ua == null ? null : ua.length() > 300 ? ua.substring(0, 300) : ua;
    String addr = "account".equals(kind) ? clientAddress(ctx) : null;
    String address = addr == null || addr.length() > 100 ? null : addr;
    Cookie old = ctx.request().getCookie(cookieName());
    Future<?> end = old == null ? Future.succeededFuture() : forget(Tokens.hash(old.getValue()));
    return end.compose(v -> pool.preparedQuery(CREATE)
            .execute(Tuple.of(idHash, kind, invitationId, accountId, csrf, absolute.getSeconds(), agent, address)))
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

  /** One of a staff member's live sessions, as their session list shows it. */
  public record Active(long id, String userAgent, String address, String createdAt, String lastSeenAt, boolean current) {
    public io.vertx.core.json.JsonObject toJson() {
      return new io.vertx.core.json.JsonObject().put("id", id).put("userAgent", userAgent).put("address", address)
          .put("createdAt", createdAt).put("lastSeenAt", lastSeenAt).put("current", current);
    }
  }

  private static final String LIVE = """
      account_id = $1 and kind = 'account' and expires_at > now()
        and last_seen_at > now() - make_interval(secs => $2::float8) and created_at > now() - make_interval(secs => $3::float8)""";

  /** The account's live sessions, the most recently used first; {@code current} marks the one asking. */
  public Future<java.util.List<Active>> live(Session s) {
    return pool.preparedQuery("""
            select id, user_agent, address, id_hash = $4 as current,
                   to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created,
                   to_char(last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as seen
              from sessions""" + " where " + LIVE + " order by id_hash = $4 desc, last_seen_at desc, id desc")
        .execute(Tuple.of(s.accountId(), accountIdle.getSeconds(), accountAbsolute.getSeconds(), s.idHash()))
        .map(rows -> {
          java.util.List<Active> out = new java.util.ArrayList<>();
          rows.forEach(r -> out.add(new Active(r.getLong("id"), r.getString("user_agent"), r.getString("address"),
              r.getString("created"), r.getString("seen"), r.getBoolean("current"))));
          return out;
        });
  }

  /** Ends every other session of the signed-in account; answers how many ended. */
  public Future<Integer> endOthers(Session s) {
    return pool.preparedQuery("delete from sessions where account_id = $1 and kind = 'account' and id_hash <> $2")
        .execute(Tuple.of(s.accountId(), s.idHash())).map(r -> r.rowCount());
  }

  /** Ends one session of the signed-in account by its id; false when it is not theirs or already gone. */
  public Future<Boolean> endOne(Session s, long id) {
    return pool.preparedQuery("delete from sessions where account_id = $1 and kind = 'account' and id = $2")
        .execute(Tuple.of(s.accountId(), id)).map(r -> r.rowCount() == 1);
  }

  /** Removes sessions past their expiry or unused for a day (the audit log keeps the history). */
  public Future<Void> forgetExpired() {
    return pool.query("delete from sessions where expires_at < now() or last_seen_at < now() - interval '1 day'").execute()
        .mapEmpty();
  }

  /** Ends the session on the server and clears the cookie. */
  public Future<Void> end(RoutingContext ctx) {
    Session s = ctx.get(Session.KEY);
    ctx.response().addCookie(Cookie.cookie(cookieName(), "").setPath("/").setHttpOnly(true).setSecure(https)
        .setSameSite(CookieSameSite.LAX).setMaxAge(0));
    if (s == null) {
      return Future.succeededFuture();
    }
    return forget(s.idHash());
  }

  private Future<Void> forget(byte[] idHash) {
    candidates.invalidate(ByteBuffer.wrap(idHash));
    return pool.preparedQuery(DELETE).execute(Tuple.of(idHash)).mapEmpty();
  }
}
