package dev.gameday.account;

import dev.gameday.web.Access;
import dev.gameday.web.Account;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import dev.gameday.web.Sessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Forgot password ({@code /password/forgot}), the reset link ({@code /password/reset/{token}}, moved into a short-lived
 * HttpOnly cookie as setup links are, so the secret leaves the address bar), and an admin's reset for an account. Every
 * POST answers 303.
 */
final class PasswordRoutes {
  static final String COOKIE = "gameday_reset";
  /** The link an admin created while email is off, carried once to the accounts page. */
  static final String LINK_COOKIE = "gameday_reset_link";
  static final Map<String, String> PROBLEMS = Map.of(
      "mismatch", "The two passwords differ.",
      "invalid_password", "Choose a password of at least 12 characters (at most 1,000).",
      "too_many_requests", "Too many requests from your address. Try again in a quarter of an hour.");

  private final PasswordResets resets;
  private final Sessions sessions;
  private final Pages pages;
  private final boolean https;
  private final Function<RoutingContext, String> csrf;

  PasswordRoutes(PasswordResets resets, Sessions sessions, Pages pages, boolean https, Function<RoutingContext, String> csrf) {
    this.resets = resets;
    this.sessions = sessions;
    this.pages = pages;
    this.https = https;
    this.csrf = csrf;
  }

  /** Forgot password and the reset link for anyone; an admin's reset on an {@link dev.gameday.web.Access.Rule#ADMIN} group. */
  void mount(Access.Routes anyone, Access.Routes admin) {
    anyone.get("/password/forgot", this::forgotForm);
    anyone.post("/password/forgot", this::forgot);
    anyone.get("/password/reset/:token", this::exchange);
    anyone.get("/password/reset", this::resetForm);
    anyone.post("/password/reset", this::reset);
    admin.post("/admin/accounts/:id/password-reset", this::adminForm);
    admin.post("/api/v1/admin/accounts/:id/password-reset", this::adminApi);
  }

  private void forgotForm(RoutingContext ctx) {
    resets.emailOn().onSuccess(on -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Forgot your password?");
      m.put("csrf", csrf.apply(ctx));
      m.put("emailOn", on);
      m.put("sent", "1".equals(ctx.request().getParam("sent")));
      String problem = PROBLEMS.get(String.valueOf(ctx.request().getParam("problem")));
      if (problem != null) {
        m.put("problem", problem);
      }
      pages.render(ctx, 200, "password-forgot", m);
    }).onFailure(ctx::fail);
  }

  private void forgot(RoutingContext ctx) {
    resets.request(ctx.request().getFormAttribute("email"), sessions.clientAddress(ctx))
        .onSuccess(v -> Http.redirect(ctx, "/password/forgot?sent=1"))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 429) {
            Http.redirect(ctx, "/password/forgot?problem=too_many_requests");
          } else {
            ctx.fail(err);
          }
        });
  }

  private void exchange(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    resets.usable(token).onSuccess(ok -> {
      if (!ok) {
        pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
        return;
      }
      ctx.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/password").setHttpOnly(true).setSecure(https)
          .setSameSite(CookieSameSite.STRICT).setMaxAge(PasswordResets.VALID_MINUTES * 60L));
      Http.redirect(ctx, "/password/reset");
    }).onFailure(ctx::fail);
  }

  private void resetForm(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    resets.usable(c == null ? null : c.getValue()).onSuccess(ok -> {
      if (!ok) {
        pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
        return;
      }
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Choose a new password");
      m.put("csrf", csrf.apply(ctx));
      String problem = PROBLEMS.get(String.valueOf(ctx.request().getParam("problem")));
      if (problem != null) {
        m.put("problem", problem);
      }
      pages.render(ctx, 200, "password-reset", m);
    }).onFailure(ctx::fail);
  }

  private void reset(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    var form = ctx.request().formAttributes();
    String password = form.get("password");
    if (password != null && !password.equals(form.get("password2"))) {
      Http.redirect(ctx, "/password/reset?problem=mismatch");
      return;
    }
    resets.complete(c == null ? null : c.getValue(), password).onSuccess(v -> {
      ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/password").setMaxAge(0));
      // the session this browser may hold ended with every other of the account: sign in anew
      Http.redirect(ctx, "/login?done=password");
    }).onFailure(err -> {
      if (err instanceof ClientError ce && ce.status() == 400) {
        Http.redirect(ctx, "/password/reset?problem=invalid_password");
      } else if (err instanceof ClientError ce && ce.status() == 410) {
        // the form's GET shows the invalid-link page
        Http.redirect(ctx, "/password/reset");
      } else {
        ctx.fail(err);
      }
    });
  }

  private void adminForm(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = SetupRoutes.parseLong(ctx.pathParam("id"));
    (id == null ? io.vertx.core.Future.<String>failedFuture(new ClientError(404, "not_found", "No such account.")) : resets.byAdmin(me, id))
        .onSuccess(link -> {
          if (link != null) {
            ctx.response().addCookie(Cookie.cookie(LINK_COOKIE, link.substring(link.lastIndexOf('/') + 1)).setPath("/admin/accounts")
                .setHttpOnly(true).setSecure(https).setSameSite(CookieSameSite.STRICT).setMaxAge(120));
          }
          Http.redirect(ctx, "/admin/accounts?done=" + (link == null ? "reset_emailed" : "reset_link"));
        })
        .onFailure(err -> {
          if (err instanceof ClientError ce) {
            Http.redirect(ctx, "/admin/accounts?problem=" + ce.code());
          } else {
            ctx.fail(err);
          }
        });
  }

  private void adminApi(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = SetupRoutes.parseLong(ctx.pathParam("id"));
    if (id == null) {
      ctx.fail(404, new ClientError(404, "not_found", "There is no active account with this id."));
      return;
    }
    resets.byAdmin(me, id)
        .onSuccess(link -> Http.json(ctx, 200, link == null ? new JsonObject().put("emailed", true)
            : new JsonObject().put("emailed", false).put("link", link)))
        .onFailure(ctx::fail);
  }
}
