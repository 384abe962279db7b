package dev.gameday.account;

import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import dev.gameday.web.Sessions;
import dev.gameday.web.Tokens;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The first-admin link printed at start-up. {@code GET /setup/{token}} moves the token into a short-lived
 * HttpOnly cookie and redirects to {@code /setup}, so the secret does not stay in the address bar or history.
 */
public final class SetupRoutes {
  private static final String COOKIE = "gameday_setup";

  private final Accounts accounts;
  private final Sessions sessions;
  private final Pages pages;
  private final boolean https;

  public SetupRoutes(Accounts accounts, Sessions sessions, Pages pages, boolean https) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.pages = pages;
    this.https = https;
  }

  public void mount(Router router) {
    router.get("/setup/:token").handler(this::exchange);
    router.get("/setup").handler(this::form);
    router.post("/setup").handler(this::create);
  }

  private void exchange(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    accounts.setupTokenValid(token).onSuccess(valid -> {
      if (!valid) {
        pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
        return;
      }
      ctx.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/setup").setHttpOnly(true).setSecure(https)
          .setSameSite(CookieSameSite.STRICT).setMaxAge(3600));
      Http.redirect(ctx, "/setup");
    }).onFailure(ctx::fail);
  }

  private void form(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    String token = c == null ? null : c.getValue();
    accounts.setupTokenValid(token).onSuccess(valid -> {
      if (!valid) {
        pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
        return;
      }
      render(ctx, 200, Map.of());
    }).onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, int status, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>(extra);
    m.put("title", "Create the first admin account");
    Cookie csrf = ctx.request().getCookie("XSRF-TOKEN");
    String token = csrf == null ? Tokens.newToken() : csrf.getValue();
    if (csrf == null) {
      sessions.setCsrfCookie(ctx, token);
    }
    m.put("csrf", token);
    pages.render(ctx, status, "setup", m);
  }

  private void create(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    var form = ctx.request().formAttributes();
    String name = form.get("name");
    String email = form.get("email");
    String password = form.get("password");
    if (c == null) {
      pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
      return;
    }
    if (password != null && !password.equals(form.get("password2"))) {
      render(ctx, 400, Map.of("error", "The two passwords differ.", "name", nz(name), "email", nz(email)));
      return;
    }
    accounts.createWithSetupToken(c.getValue(), name, email, password)
        .compose(account -> sessions.start(ctx, "account", null, account.id(), account.role()).map(account))
        .onSuccess(account -> {
          ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/setup").setMaxAge(0));
          pages.render(ctx, 200, "setup-done", Map.of("title", "Your account is ready", "name", account.name(),
              "email", account.email(), "role", account.role()));
        })
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 400 || err instanceof ClientError ce2 && ce2.status() == 409) {
            render(ctx, ((ClientError) err).status(), Map.of("error", err.getMessage(), "name", nz(name), "email", nz(email)));
          } else {
            ctx.fail(err);
          }
        });
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
