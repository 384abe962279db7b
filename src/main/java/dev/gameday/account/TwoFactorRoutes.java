package dev.gameday.account;

import dev.gameday.web.Access;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import dev.gameday.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two-factor pages: enrolment at {@code /account/2fa}, the second sign-in step at {@code /login/code}, and the policy
 * gate that keeps an account whose role requires a second factor on enrolment until it has one. Every POST answers
 * 303 to a GET that names the outcome from a fixed list of codes.
 */
final class TwoFactorRoutes {
  static final String PENDING_COOKIE = "gameday_2fa";
  static final String CODES_COOKIE = "gameday_2fa_codes";
  static final Map<String, String> NOTICES = Map.of(
      "enabled", "Two-factor authentication is on. Keep the recovery codes below somewhere safe.");
  static final Map<String, String> PROBLEMS = Map.of(
      "wrong_code", "That code is not right (or was already used). Try the newest code the app shows.",
      "too_many_codes", "Too many wrong codes. Wait 15 minutes, then try again; or ask an admin.",
      "not_started", "Start the set-up again: there is no code to confirm.",
      "already_on", "Two-factor authentication is already on.");
  /** What a required-role account without a second factor may still reach. */
  private static final List<String> OPEN_WHILE_REQUIRED = List.of("/account/2fa", "/account/2fa/start", "/account/2fa/confirm", "/logout");

  private final TwoFactor twoFactor;
  private final Sessions sessions;
  private final Pages pages;
  private final boolean https;

  TwoFactorRoutes(TwoFactor twoFactor, Sessions sessions, Pages pages, boolean https) {
    this.twoFactor = twoFactor;
    this.sessions = sessions;
    this.pages = pages;
    this.https = https;
  }

  /** Enrolment on a {@link dev.gameday.web.Access.Rule#STAFF} group; the second sign-in step, before any session, for anyone. */
  void mount(Access.Routes anyone, Access.Routes staff) {
    staff.get("/account/2fa", this::page);
    staff.post("/account/2fa/start", ctx -> {
      Session s = Access.session(ctx);
      outcome(ctx, twoFactor.start(s.accountId(), s.email()).map("/account/2fa"), "/account/2fa");
    });
    staff.post("/account/2fa/confirm", this::confirm);
    anyone.get("/login/code", this::codePage);
    anyone.post("/login/code", this::code);
  }

  /**
   * Route handler, after the session is loaded: a staff session whose role requires a second factor, and whose
   * account has none, reaches only enrolment (pages redirect there; anything else is refused 403).
   */
  void gate(RoutingContext ctx) {
    Session s = ctx.get(Session.KEY);
    if (s == null || !s.account() || !twoFactor.required(s.role()) || OPEN_WHILE_REQUIRED.contains(Http.path(ctx))) {
      ctx.next();
      return;
    }
    twoFactor.enabled(s.accountId()).onSuccess(on -> {
      if (on) {
        ctx.next();
      } else if (ctx.request().method() == HttpMethod.GET && !Http.isApi(ctx)) {
        Http.redirect(ctx, "/account/2fa");
      } else {
        ctx.fail(403, new ClientError(403, "second_factor_required",
            "Your role must use two-factor authentication: set it up at /account/2fa first."));
      }
    }).onFailure(ctx::fail);
  }

  private void page(RoutingContext ctx) {
    Session s = Access.session(ctx);
    twoFactor.status(s.accountId()).onSuccess(st -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Two-factor authentication");
      m.put("enabled", st.enabled());
      m.put("enabledAt", st.enabledAt());
      m.put("recoveryLeft", st.recoveryLeft());
      m.put("required", twoFactor.required(s.role()) && !st.enabled());
      if (st.pendingSecret() != null) {
        m.put("pending", true);
        m.put("secret", Totp.grouped(st.pendingSecret()));
        m.put("qr", Totp.qrDataUrl(Totp.uri("Gameday", s.email(), st.pendingSecret())));
      }
      Cookie codes = ctx.request().getCookie(CODES_COOKIE);
      if (codes != null && st.enabled() && codes.getValue().matches("[a-z2-7-]{11}(\\.[a-z2-7-]{11}){0,9}")) {
        // shown once: the cookie goes with this answer
        m.put("recoveryCodes", List.of(codes.getValue().split("\\.")));
      }
      if (codes != null) {
        ctx.response().addCookie(Cookie.cookie(CODES_COOKIE, "").setPath("/account/2fa").setMaxAge(0));
      }
      notices(ctx, m);
      pages.render(ctx, 200, "account-2fa", m);
    }).onFailure(ctx::fail);
  }

  private void confirm(RoutingContext ctx) {
    Session s = Access.session(ctx);
    outcome(ctx, twoFactor.confirm(s.accountId(), s.email(), ctx.request().getFormAttribute("code")).map(codes -> {
      ctx.response().addCookie(Cookie.cookie(CODES_COOKIE, String.join(".", codes)).setPath("/account/2fa")
          .setHttpOnly(true).setSecure(https).setSameSite(CookieSameSite.STRICT).setMaxAge(300));
      return "/account/2fa?done=enabled";
    }), "/account/2fa");
  }

  private void codePage(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(PENDING_COOKIE);
    twoFactor.pendingAccount(c == null ? null : c.getValue()).onSuccess(a -> {
      if (a == null) {
        Http.redirect(ctx, "/login");
        return;
      }
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Enter your code");
      m.put("email", a.email());
      String next = Http.safeNext(ctx.request().getParam("next"));
      if (next != null) {
        m.put("next", next);
      }
      m.put("csrf", SetupRoutes.preSessionCsrf(ctx, sessions));
      notices(ctx, m);
      pages.render(ctx, 200, "login-code", m);
    }).onFailure(ctx::fail);
  }

  private void code(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(PENDING_COOKIE);
    String token = c == null ? null : c.getValue();
    String next = Http.safeNext(ctx.request().getFormAttribute("next"));
    String back = "/login/code" + (next == null ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    twoFactor.pendingAccount(token).onSuccess(a -> {
      if (a == null) {
        Http.redirect(ctx, "/login");
        return;
      }
      outcome(ctx, twoFactor.check(a.id(), a.email(), ctx.request().getFormAttribute("code"))
          .compose(v -> twoFactor.endPending(token))
          .compose(v -> sessions.start(ctx, "account", null, a.id(), a.role(), a.email(), a.name()))
          .map(session -> {
            ctx.response().addCookie(Cookie.cookie(PENDING_COOKIE, "").setPath("/login").setMaxAge(0));
            return next != null ? next : SetupRoutes.landing(a.role());
          }), back);
    }).onFailure(ctx::fail);
  }

  /** 303 to where the action leads, or back to {@code problemPage} naming a client error's code. */
  private static void outcome(RoutingContext ctx, Future<String> action, String problemPage) {
    action.onSuccess(to -> Http.redirect(ctx, to)).onFailure(err -> {
      if (err instanceof ClientError ce) {
        Http.redirect(ctx, problemPage + (problemPage.contains("?") ? "&" : "?") + "problem=" + ce.code());
      } else {
        ctx.fail(err);
      }
    });
  }

  private static void notices(RoutingContext ctx, Map<String, Object> m) {
    String done = NOTICES.get(String.valueOf(ctx.request().getParam("done")));
    String problem = PROBLEMS.get(String.valueOf(ctx.request().getParam("problem")));
    if (done != null) {
      m.put("notice", done);
    }
    if (problem != null) {
      m.put("problem", problem);
    }
  }

  /**
   * After the first factor (a password, or single sign-on): the second step when the account has a second factor (no
   * session exists until the code is given), else the session, and then where to go: enrolment when the role requires
   * a second factor, the page asked for, or the role's landing page.
   */
  Future<String> afterFirstFactor(RoutingContext ctx, dev.gameday.web.Account a, String next) {
    return twoFactor.enabled(a.id()).compose(on -> on
        ? twoFactor.pending(a.id()).map(token -> {
            pendingCookie(ctx, token);
            return "/login/code" + (next == null ? "" : "?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
          })
        : sessions.start(ctx, "account", null, a.id(), a.role(), a.email(), a.name())
            .map(s -> twoFactor.required(a.role()) ? "/account/2fa" : next != null ? next : SetupRoutes.landing(a.role())));
  }

  /** Sets the pending sign-in's cookie (path /login: nothing else ever sees it). */
  void pendingCookie(RoutingContext ctx, String token) {
    ctx.response().addCookie(Cookie.cookie(PENDING_COOKIE, token).setPath("/login").setHttpOnly(true).setSecure(https)
        .setSameSite(CookieSameSite.STRICT).setMaxAge(TwoFactor.PENDING_SECONDS));
  }

}
