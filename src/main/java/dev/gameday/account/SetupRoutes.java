package dev.gameday.account;

import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import dev.gameday.web.Sessions;
import dev.gameday.web.Tokens;
import dev.gameday.web.TrustedProxies;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Signing in and out, the one-time account links (the first admin's, printed at start-up, and those admins send to
 * reviewers), and the admin page listing accounts. {@code GET /setup/{token}} moves the token into a short-lived
 * HttpOnly cookie and redirects to {@code /setup}, so the secret does not stay in the address bar or history.
 */
public final class SetupRoutes {
  private static final String COOKIE = "gameday_setup";

  private final Accounts accounts;
  private final Sessions sessions;
  private final Pages pages;
  private final AccountServices services;
  private final boolean https;
  private final String publicUrl;
  private final TrustedProxies trustedProxies;
  private final Lifecycle lifecycle;
  private final TwoFactor twoFactor;
  private final TwoFactorRoutes twoFactorRoutes;

  public SetupRoutes(Accounts accounts, AccountServices services, Sessions sessions, Pages pages, boolean https,
                     String publicUrl, TrustedProxies trustedProxies) {
    this.accounts = accounts;
    this.services = services;
    this.sessions = sessions;
    this.pages = pages;
    this.https = https;
    this.publicUrl = publicUrl;
    this.trustedProxies = trustedProxies;
    this.lifecycle = services.lifecycle();
    this.twoFactor = services.twoFactor();
    this.twoFactorRoutes = new TwoFactorRoutes(twoFactor, sessions, pages, https);
  }

  /**
   * Mount before every other route (after the session is loaded): keeps an account whose role requires a second
   * factor, and that has none, on enrolment.
   */
  public void gate(Router router) {
    Access.middleware(router.route().handler(twoFactorRoutes::gate));
  }

  /**
   * Every account route, each group under its rule: sign-in, setup and password links for anyone; the own account for
   * any staff member; account administration for admins. (The audit log's routes are the audit feature's own.)
   */
  public void mount(Router router) {
    Access.Routes anyone = Access.on(router, Rule.PUBLIC);
    Access.Routes staff = Access.on(router, Rule.STAFF);
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    anyone.get("/setup/:token", this::exchange);
    anyone.get("/setup", this::form);
    anyone.post("/setup", this::create);
    staff.get("/welcome", this::welcome);
    anyone.get("/login", ctx -> renderLogin(ctx, 200, Map.of()));
    anyone.post("/login", this::login);
    admin.get("/admin/accounts", this::accountsPage);
    admin.post("/admin/accounts/invite", this::invite);
    new AccountRoutes(lifecycle).mount(admin);
    new AccountPage(services.ownSessions(), pages).mount(staff);
    twoFactorRoutes.mount(anyone, staff);
    admin.post("/admin/accounts/:id/2fa/reset", this::resetSecondFactor);
    new PasswordRoutes(services.passwordResets(), sessions, pages, https, this::preSessionCsrf)
        .mount(anyone, admin);
  }

  private void exchange(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    accounts.setupTokenRole(token).onSuccess(role -> {
      if (role == null) {
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
    accounts.setupTokenRole(c == null ? null : c.getValue()).onSuccess(role -> {
      if (role == null) {
        pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
        return;
      }
      renderSetup(ctx, 200, Map.of("role", role));
    }).onFailure(ctx::fail);
  }

  /** Pages used before sign-in carry a double-submit CSRF token: the XSRF-TOKEN cookie, echoed in a form field. */
  private String preSessionCsrf(RoutingContext ctx) {
    return preSessionCsrf(ctx, sessions);
  }

  static String preSessionCsrf(RoutingContext ctx, Sessions sessions) {
    Session s = ctx.get(Session.KEY);
    if (s != null) {
      return s.csrfToken();
    }
    Cookie csrf = ctx.request().getCookie("XSRF-TOKEN");
    if (csrf != null && !csrf.getValue().isEmpty()) {
      return csrf.getValue();
    }
    String token = Tokens.newToken();
    sessions.setCsrfCookie(ctx, token);
    return token;
  }

  private void renderSetup(RoutingContext ctx, int status, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>(extra);
    m.putIfAbsent("role", "reviewer");
    m.put("title", "Create your " + m.get("role") + " account");
    m.put("csrf", preSessionCsrf(ctx));
    pages.render(ctx, status, "setup", m);
  }

  /** The form again with an error, for the role the link creates (not the default "reviewer"). */
  private void renderSetupError(RoutingContext ctx, int status, String token, Map<String, Object> extra) {
    accounts.setupTokenRole(token).onSuccess(role -> {
      Map<String, Object> m = new HashMap<>(extra);
      if (role != null) {
        m.put("role", role);
      }
      renderSetup(ctx, status, m);
    }).onFailure(ctx::fail);
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
      renderSetupError(ctx, 400, c.getValue(), Map.of("error", "The two passwords differ.", "name", nz(name), "email", nz(email)));
      return;
    }
    accounts.createWithSetupToken(c.getValue(), name, email, password)
        .compose(a -> sessions.start(ctx, "account", null, a.id(), a.role(), a.email(), a.name()).map(a))
        .onSuccess(a -> {
          ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/setup").setMaxAge(0));
          Flash.redirect(ctx, "/welcome", new io.vertx.core.json.JsonObject().put("created", true));
        })
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 409) {
            // the link is used up: no form to show again
            ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/setup").setMaxAge(0));
            pages.render(ctx, 409, "error", Map.of("title", "This link has been used up", "status", 409,
                "message", ce.getMessage()));
          } else if (err instanceof ClientError ce && ce.status() == 400) {
            renderSetupError(ctx, ce.status(), c.getValue(), Map.of("error", ce.getMessage(), "name", nz(name), "email", nz(email)));
          } else {
            ctx.fail(err);
          }
        });
  }

  /** Where a new account lands (Post/Redirect/Get after {@code POST /setup}): what each role finds where. */
  private void welcome(RoutingContext ctx) {
    Account a = Access.account(ctx);
    pages.render(ctx, 200, "setup-done", Map.of("title", "Welcome", "name", a.name(), "email", a.email(), "role", a.role(),
        "admin", a.admin(), "recruits", a.recruits(), "reviews", "reviewer".equals(a.role()) || a.admin(),
        "compliance", "compliance".equals(a.role())));
  }

  private void renderLogin(RoutingContext ctx, int status, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>(extra);
    m.put("title", "Sign in");
    m.put("csrf", preSessionCsrf(ctx));
    String next = Http.safeNext(ctx.request().method() == io.vertx.core.http.HttpMethod.GET
        ? ctx.request().getParam("next") : ctx.request().getFormAttribute("next"));
    if (next != null) {
      m.put("next", next);
    }
    if (ctx.request().method() == io.vertx.core.http.HttpMethod.GET && "password".equals(ctx.request().getParam("done"))) {
      m.put("notice", "Your password is changed, and every session of your account has ended. Sign in with the new password.");
    }
    pages.render(ctx, status, "login", m);
  }

  private void login(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    String email = form.get("email");
    String peer = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    String address = trustedProxies.clientAddress(peer, ctx.request().headers().getAll("X-Forwarded-For"));
    String next = Http.safeNext(form.get("next"));
    accounts.login(email, form.get("password"), address)
        .compose(a -> twoFactorRoutes.afterFirstFactor(ctx, a, next))
        .onSuccess(to -> Http.redirect(ctx, to))
        .onFailure(err -> {
          if (err instanceof ClientError ce) {
            if (ce.status() == 429) {
              ctx.response().putHeader("Retry-After", String.valueOf(ce.body().getLong("retryAfter")));
            }
            renderLogin(ctx, ce.status(), Map.of("error", ce.getMessage(), "email", nz(email)));
          } else {
            ctx.fail(err);
          }
        });
  }

  /** Where a staff member lands after signing in, by role. */
  static String landing(String role) {
    return "recruiter".equals(role) ? "/candidates" : "compliance".equals(role) ? "/compliance" : "/review";
  }

  private void resetSecondFactor(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = parseLong(ctx.pathParam("id"));
    (id == null ? io.vertx.core.Future.<Void>failedFuture(new ClientError(404, "not_found", "There is no account with this id."))
        : twoFactor.reset(me, id))
        .onSuccess(v -> Http.redirect(ctx, "/admin/accounts?done=second_factor_reset"))
        .onFailure(err -> {
          if (err instanceof ClientError ce) {
            Http.redirect(ctx, "/admin/accounts?problem=" + ce.code());
          } else {
            ctx.fail(err);
          }
        });
  }

  private void accountsPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    accountsModel(me).onSuccess(m -> {
      String done = AccountRoutes.NOTICES.get(nz(ctx.request().getParam("done")));
      String problem = AccountRoutes.PROBLEMS.get(nz(ctx.request().getParam("problem")));
      if (done != null) {
        m.put("notice", done);
      }
      if (problem != null) {
        m.put("problem", problem);
      }
      Cookie resetLink = ctx.request().getCookie(PasswordRoutes.LINK_COOKIE);
      if (resetLink != null && resetLink.getValue().matches("[A-Za-z0-9_-]{1,100}")) {
        // shown once: a reset link an admin made while email is off
        m.put("resetLink", publicUrl + "/password/reset/" + resetLink.getValue());
        ctx.response().addCookie(Cookie.cookie(PasswordRoutes.LINK_COOKIE, "").setPath("/admin/accounts").setMaxAge(0));
      }
      pages.render(ctx, 200, "admin-accounts", m);
    }).onFailure(ctx::fail);
  }

  /** The accounts page: every account (disabled ones too) with its role choices, and the setup links not yet used. */
  private io.vertx.core.Future<Map<String, Object>> accountsModel(Account me) {
    return lifecycle.all(me.id()).compose(list -> lifecycle.pendingLinks().compose(links -> twoFactor.enabledAccounts().map(twoFactorOn -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Accounts");
      m.put("admin", true);
      m.put("accounts", list.stream().map(a -> {
        Map<String, Object> row = new HashMap<>();
        row.put("id", a.id());
        row.put("name", a.name());
        row.put("email", a.email());
        row.put("role", a.role());
        row.put("disabled", a.disabled());
        row.put("disabledAt", a.disabledAt());
        row.put("twoFactor", twoFactorOn.contains(a.id()));
        row.put("self", a.self());
        row.put("roleOptions", Accounts.ROLES.stream().map(r -> Map.of("value", r, "selected", r.equals(a.role()))).toList());
        return row;
      }).toList());
      m.put("links", links);
      return m;
    })));
  }

  private void invite(RoutingContext ctx) {
    Account me = Access.account(ctx);
    String role = ctx.request().getFormAttribute("role");
    accounts.inviteToken(role == null ? "reviewer" : role, me)
        .onSuccess(token -> Flash.redirect(ctx, "/admin/accounts", new io.vertx.core.json.JsonObject()
            .put("link", publicUrl + "/setup/" + token).put("linkRole", role == null ? "reviewer" : role)))
        .onFailure(ctx::fail);
  }

  static Long parseLong(String s) {
    try {
      return s == null || s.isBlank() ? null : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
