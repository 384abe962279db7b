package dev.gameday.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/** Handlers that every request passes: security headers, and the CSRF check on state-changing requests. */
public final class Guards {
  private static final String CSP = String.join("; ",
      "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
      "font-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'");

  private final boolean https;
  private final String publicOrigin;

  public Guards(boolean https, String publicUrl) {
    this.https = https;
    URI u = URI.create(publicUrl);
    this.publicOrigin = u.getScheme() + "://" + u.getAuthority();
  }

  public void headers(RoutingContext ctx) {
    var h = ctx.response().headers();
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    if (https) {
      h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    ctx.next();
  }

  /**
   * Every POST, PUT, PATCH and DELETE must echo the CSRF token: the session's own token when signed in, or the
   * {@code XSRF-TOKEN} cookie (double submit) on pages used before sign-in. A cross-site {@code Origin} is refused
   * outright.
   */
  public void csrf(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !origin.equals("null") && !origin.equals(publicOrigin) && !sameHost(ctx, origin)) {
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

  private static boolean sameHost(RoutingContext ctx, String origin) {
    try {
      String host = ctx.request().getHeader("Host");
      return host != null && host.equalsIgnoreCase(URI.create(origin).getAuthority());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
