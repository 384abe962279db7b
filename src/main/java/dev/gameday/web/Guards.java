package dev.gameday.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Handlers that every request passes: security headers, and the CSRF check on state-changing requests. */
public final class Guards {
  private static final String CSP = String.join("; ",
      "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
      "font-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'");

  private final boolean https;
  private final String publicOrigin;

  public Guards(boolean https, String publicUrl) {
    this.https = https;
    this.publicOrigin = origin(publicUrl);
    if (publicOrigin == null) {
      throw new IllegalArgumentException("GAMEDAY_PUBLIC_URL has no http(s) origin: " + publicUrl);
    }
  }

  public void headers(RoutingContext ctx) {
    headers(ctx.response().headers());
    ctx.next();
  }

  /** The security headers every response carries, set on {@code h}. */
  public void headers(io.vertx.core.MultiMap h) {
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    if (https) {
      h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
  }

  /**
   * Every POST, PUT, PATCH and DELETE must echo the CSRF token: the session's own token when signed in, or the
   * {@code XSRF-TOKEN} cookie (double submit) on pages used before sign-in. Before the token, the request's
   * {@code Origin} (or, without one, its {@code Referer}) must be the origin of {@code GAMEDAY_PUBLIC_URL}: any other
   * origin, {@code Origin: null} (sandboxed frames, {@code data:} pages, cross-origin redirects; but not our own forms,
   * which browsers post with {@code Origin: null} under {@code no-referrer} and {@code Sec-Fetch-Site: same-origin}) and an origin that
   * merely matches the request's own {@code Host} header are refused. A request with neither header (not a browser)
   * still needs the token.
   */
  public void csrf(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || ctx.get(Http.API_CALLER) != null) {
      // a request authenticated by an API token carries no ambient authority a browser adds by itself: no CSRF
      ctx.next();
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    if ("null".equals(origin) && "same-origin".equals(ctx.request().getHeader("Sec-Fetch-Site"))) {
      // under Referrer-Policy: no-referrer a browser posts even our own forms with "Origin: null" (Fetch standard);
      // Sec-Fetch-Site, which no page can set, says it came from this very origin (the token is still required)
      origin = publicOrigin;
    }
    String from = origin != null ? origin : ctx.request().getHeader("Referer");
    if (from != null && !publicOrigin.equals(origin(from))) {
      ctx.fail(403, new Http.ClientError(403, "csrf", "This request came from another site and was refused."));
      return;
    }
    String sent = ctx.request().getHeader("X-XSRF-TOKEN");
    if (sent == null) {
      sent = ctx.request().getFormAttribute("_csrf");
    }
    Session s = ctx.get(Session.KEY);
    if (s == null && Http.isApi(ctx)) {
      // no session, no authority to abuse: the endpoint itself answers 401
      ctx.next();
      return;
    }
    String expected;
    if (s != null) {
      expected = s.csrfToken();
    } else {
      Cookie c = ctx.request().getCookie("XSRF-TOKEN");
      expected = c == null ? null : c.getValue();
    }
    if (expected == null || expected.isEmpty() || !Tokens.same(expected, sent)) {
      ctx.fail(403, new Http.ClientError(403, "csrf",
          "The security token is missing or out of date. Reload the page and try again; nothing you wrote is lost."));
      return;
    }
    ctx.next();
  }

  /**
   * The origin of an absolute http(s) URL: lower-case scheme and host, and the port unless it is the scheme's
   * default; null for anything else ({@code null}, a relative or malformed URL, another scheme).
   */
  static String origin(String url) {
    URI u;
    try {
      u = new URI(url.strip());
    } catch (URISyntaxException | NullPointerException e) {
      return null;
    }
    String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    String host = u.getHost();
    if (host == null || !("http".equals(scheme) || "https".equals(scheme))) {
      return null;
    }
    int port = u.getPort();
    boolean defaultPort = port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }
}
