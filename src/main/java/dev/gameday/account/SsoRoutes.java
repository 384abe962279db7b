package dev.gameday.account;

import dev.gameday.web.Access;
import dev.gameday.web.Emails;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import dev.gameday.web.Sessions;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on with OpenID Connect (issue 23): the authorization code flow with PKCE (S256), state and nonce.
 * {@code GET /login/sso} starts it: state, nonce and code verifier stay in {@code sso_logins}, bound to this browser by
 * the SHA-256 of a random value in an HttpOnly cookie, for 10 minutes; the browser goes to the provider.
 * {@code GET /login/sso/callback} takes that row (once), exchanges the code, checks the ID token (signature through the
 * provider's JWKS, iss, aud, exp, nonce) and {@code email_verified}, and signs the account with that email in as
 * password sign-in does (the second factor when it has one, the role's two-factor policy, the audit entry
 * {@code login} with the method {@code oidc}). Every refusal is a page that says what happened, never a 500.
 *
 * <p>With {@code GAMEDAY_SSO_ONLY=true} the password form is hidden, {@code POST /login} is refused (403), and the
 * password reset pages answer 403; setup links (the first admin's included) still work.
 */
public final class SsoRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SsoRoutes.class);
  /** Total deadline of discovery (the configuration document and the JWKS). */
  static final long DISCOVERY_MS = 10_000;
  /** Total deadline of the code exchange. */
  static final long EXCHANGE_MS = 10_000;
  /** Clock difference tolerated on an ID token's expiry. */
  static final long LEEWAY_SECONDS = 60;

  private final Vertx vertx;
  private final SsoConfig config;
  private final Sessions sessions;
  private final Pages pages;
  private final boolean https;
  private final String callbackUrl;
  private final SsoLogins logins;
  private final TwoFactor twoFactor;
  private final TwoFactorRoutes twoFactorRoutes;
  private final AtomicReference<Future<OAuth2Auth>> provider = new AtomicReference<>();
  private final AtomicLong keysReloaded = new AtomicLong();

  /**
   * @param config    the single sign-on settings ({@link SsoConfig#OFF}: nothing is mounted)
   * @param logins    the sign-ins under way and the accounts they find
   * @param twoFactor the second factor and the roles that require it, as password sign-in uses them
   * @param publicUrl where the provider sends the browser back ({@code publicUrl + "/login/sso/callback"})
   * @param https     cookies carry Secure and the __Host- prefix
   */
  public SsoRoutes(Vertx vertx, SsoConfig config, SsoLogins logins, TwoFactor twoFactor, Sessions sessions, Pages pages,
                   String publicUrl, boolean https) {
    this.vertx = vertx;
    this.config = config;
    this.sessions = sessions;
    this.pages = pages;
    this.https = https;
    this.callbackUrl = publicUrl + "/login/sso/callback";
    this.logins = logins;
    this.twoFactor = twoFactor;
    this.twoFactorRoutes = new TwoFactorRoutes(twoFactor, sessions, pages, https);
  }

  /**
   * Discovers the provider (its configuration document, then its keys) within {@link #DISCOVERY_MS}, at start-up.
   * Never fails: a provider that cannot be reached is logged, and the next sign-in tries again (answering 503 until
   * it answers).
   */
  public Future<Void> discover() {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    return provider().<Void>mapEmpty()
        .onSuccess(v -> LOG.info("single sign-on: discovered {}", config.issuer()))
        .recover(err -> {
          LOG.warn("single sign-on: the provider {} could not be discovered ({}); sign-ins try again", config.issuer(),
              err.toString());
          return Future.succeededFuture();
        });
  }

  /** Mounts the routes (nothing when single sign-on is off). Mount before the password sign-in's routes. */
  public void mount(Router router) {
    if (!config.enabled()) {
      return;
    }
    Access.Routes open = Access.on(router, Access.Rule.PUBLIC);
    open.get("/login/sso", this::start);
    open.get("/login/sso/callback", this::callback);
    // the sign-in page offers single sign-on (its handler renders the page with these fields)
    open.get("/login", ctx -> {
      loginModel(ctx);
      ctx.next();
    });
    open.post("/login", ctx -> {
      if (config.ssoOnly()) {
        Map<String, Object> m = new HashMap<>();
        m.put("title", "Sign in");
        m.put("error", "Password sign-in is turned off here: sign in with single sign-on.");
        m.put("sso", true);
        m.put("ssoOnly", true);
        m.put("ssoHref", ssoHref(Http.safeNext(ctx.request().getFormAttribute("next"))));
        pages.render(ctx, 403, "login", m);
        return;
      }
      loginModel(ctx);
      ctx.next();
    });
    if (config.ssoOnly()) {
      for (String path : List.of("/password/forgot", "/password/reset", "/password/reset/:token")) {
        open.any(path, ctx -> refuse(ctx, 403, "Passwords are turned off",
            "Staff sign in with single sign-on here, so there is no password to reset: your identity provider looks after it."));
      }
    }
  }

  /** Adds what the sign-in page needs to offer single sign-on to the model its handler renders (see {@link Pages#render}). */
  private void loginModel(RoutingContext ctx) {
    String next = Http.safeNext(ctx.request().method() == io.vertx.core.http.HttpMethod.GET
        ? ctx.request().getParam("next") : ctx.request().getFormAttribute("next"));
    JsonObject extra = ctx.get(Flash.KEY);
    ctx.put(Flash.KEY, (extra == null ? new JsonObject() : extra.copy()).put("sso", true).put("ssoOnly", config.ssoOnly())
        .put("ssoHref", ssoHref(next)));
  }

  private static String ssoHref(String next) {
    return "/login/sso" + (next == null ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
  }

  private String cookieName() {
    return https ? "__Host-gameday_sso" : "gameday_sso";
  }

  /** {@code GET /login/sso}: records state, nonce and verifier for this browser, and sends it to the provider. */
  private void start(RoutingContext ctx) {
    String next = Http.safeNext(ctx.request().getParam("next"));
    provider().onSuccess(auth -> {
      String state = Tokens.newToken();
      String nonce = Tokens.newToken();
      String verifier = Tokens.newToken();
      Cookie held = ctx.request().getCookie(cookieName());
      String browser = held != null && held.getValue().matches("[A-Za-z0-9_-]{43}") ? held.getValue() : Tokens.newToken();
      logins.begin(Tokens.hash(state), Tokens.hash(browser), nonce, verifier, next).onSuccess(v -> {
        ctx.response().addCookie(Cookie.cookie(cookieName(), browser).setPath("/").setHttpOnly(true).setSecure(https)
            .setSameSite(CookieSameSite.LAX).setMaxAge(SsoLogins.FLOW_SECONDS));
        String url = auth.authorizeURL(new OAuth2AuthorizationURL().setRedirectUri(callbackUrl)
            .setScopes(List.of("openid", "email", "profile")).setState(state)
            .setCodeChallenge(challenge(verifier)).setCodeChallengeMethod("S256")
            .putAdditionalParameter("nonce", nonce));
        ctx.response().putHeader("Cache-Control", "no-store");
        Http.redirect(ctx, url);
      }).onFailure(ctx::fail);
    }).onFailure(err -> unavailable(ctx, err));
  }

  /** {@code GET /login/sso/callback}: the provider sends the browser back with a code (or an error) and the state. */
  private void callback(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    String code = ctx.request().getParam("code");
    String error = ctx.request().getParam("error");
    Cookie held = ctx.request().getCookie(cookieName());
    if (state == null || state.isEmpty() || state.length() > 200 || held == null || held.getValue().length() > 100) {
      wrongState(ctx);
      return;
    }
    String address = sessions.clientAddress(ctx);
    logins.take(Tokens.hash(state), Tokens.hash(held.getValue())).onSuccess(pending -> {
      if (pending == null) {
        wrongState(ctx);
        return;
      }
      if (error != null) {
        String reason = error.matches("[a-z_]{1,50}") ? error : "error";
        refuse(ctx, 400, "The sign-in did not finish", "Your identity provider did not sign you in (" + reason + "). "
            + "Start again from the sign-in page.");
        return;
      }
      if (code == null || code.isEmpty() || code.length() > 4000) {
        refuse(ctx, 400, "The sign-in did not finish", "The answer from your identity provider carried no code. Start again.");
        return;
      }
      provider().compose(auth -> auth.authenticate(new Oauth2Credentials().setFlow(OAuth2FlowType.AUTH_CODE).setCode(code)
              .setRedirectUri(callbackUrl).setCodeVerifier(pending.codeVerifier())).timeout(EXCHANGE_MS, TimeUnit.MILLISECONDS))
          .onFailure(err -> {
            if (unreachable(err)) {
              unavailable(ctx, err);
            } else {
              LOG.info("single sign-on: the provider refused the code exchange: {}", err.getMessage());
              refuse(ctx, 400, "The sign-in was refused", "Your identity provider refused this sign-in: its code was "
                  + "already used, has expired, or does not belong to this sign-in. Start again from the sign-in page.");
            }
          })
          .onSuccess(user -> signIn(ctx, user, pending, address));
    }).onFailure(ctx::fail);
  }

  private void signIn(RoutingContext ctx, User user, SsoLogins.Pending pending, String address) {
    JsonObject id = user.attributes().getJsonObject("idToken");
    String problem = idTokenProblem(id, pending.nonce());
    if (problem != null) {
      LOG.info("single sign-on: ID token refused: {}", problem);
      refuse(ctx, 400, "The sign-in could not be verified", "nonce".equals(problem)
          ? "The answer from your identity provider does not belong to the sign-in this browser started (its nonce "
              + "differs). Start again from the sign-in page."
          : "The answer from your identity provider could not be verified (" + problem + "). Start again; if this keeps "
              + "happening, tell an admin.");
      return;
    }
    String email = id.getValue("email") instanceof String s ? s.strip() : null;
    if (email == null || !Emails.valid(email)) {
      refuse(ctx, 403, "No email address", "Your identity provider did not say which email address you use, so Gameday "
          + "cannot find your account. Ask an admin to check the provider's settings (scope email).");
      return;
    }
    if (!Boolean.TRUE.equals(id.getValue("email_verified"))) {
      logins.refused(email.toLowerCase(java.util.Locale.ROOT), "email_unverified").onComplete(v ->
          refuse(ctx, 403, "Email address not verified", "Your identity provider has not verified the email address "
              + email + ", so it cannot sign you in here. Verify it with your provider, or ask an admin."));
      return;
    }
    String name = id.getValue("name") instanceof String s ? s : null;
    String next = pending.next();
    logins.account(email, name, config.allows(email))
        .compose(a -> logins.audit(a, address).map(a))
        .compose(a -> twoFactorRoutes.afterFirstFactor(ctx, a, next))
        .onSuccess(to -> Http.redirect(ctx, to))
        .onFailure(err -> {
          if (err instanceof ClientError ce) {
            refuse(ctx, ce.status(), "You cannot sign in here", ce.getMessage());
          } else {
            ctx.fail(err);
          }
        });
  }

  /** Null when the ID token is acceptable, else what is wrong ({@code nonce} for a nonce that differs). */
  String idTokenProblem(JsonObject id, String nonce) {
    if (id == null) {
      // vertx-auth leaves it out when the signature, the issuer or the audience does not check out
      return "no valid ID token";
    }
    String iss = id.getValue("iss") instanceof String s ? s : "";
    if (!stripSlash(iss).equals(config.issuer())) {
      return "issuer";
    }
    Object aud = id.getValue("aud");
    boolean ours = aud instanceof String s ? s.equals(config.clientId())
        : aud instanceof JsonArray arr && arr.contains(config.clientId());
    if (!ours) {
      return "audience";
    }
    if (!(id.getValue("exp") instanceof Number exp) || exp.longValue() + LEEWAY_SECONDS < System.currentTimeMillis() / 1000) {
      return "expired";
    }
    String got = id.getValue("nonce") instanceof String s ? s : "";
    if (!MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
      return "nonce";
    }
    return null;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The PKCE challenge of a verifier (S256: base64url of its SHA-256, no padding). */
  static String challenge(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The discovered provider; discovers it (once at a time) when not yet known or when the last attempt failed. */
  private Future<OAuth2Auth> provider() {
    while (true) {
      Future<OAuth2Auth> known = provider.get();
      if (known != null && !known.failed()) {
        return known;
      }
      Promise<OAuth2Auth> attempt = Promise.promise();
      if (provider.compareAndSet(known, attempt.future())) {
        OpenIDConnectAuth.discover(vertx, options()).timeout(DISCOVERY_MS, TimeUnit.MILLISECONDS)
            .map(auth -> auth.missingKeyHandler(kid -> reloadKeys(auth)))
            .onComplete(attempt);
        return attempt.future();
      }
    }
  }

  /** A token signed with a key the provider added since: fetch its keys again (at most once a minute). */
  private void reloadKeys(OAuth2Auth auth) {
    long now = System.currentTimeMillis();
    long last = keysReloaded.get();
    if (now - last > 60_000 && keysReloaded.compareAndSet(last, now)) {
      auth.jWKSet().timeout(DISCOVERY_MS, TimeUnit.MILLISECONDS)
          .onFailure(err -> LOG.warn("single sign-on: reloading the provider's keys failed: {}", err.toString()));
    }
  }

  private OAuth2Options options() {
    // every call to the provider: 5 s to connect, 10 s without a byte; the callers add a total deadline
    return new OAuth2Options().setSite(config.issuer()).setClientId(config.clientId())
        .setClientSecret(config.clientSecret().orElse(null)).setUserAgent("Gameday")
        .setHttpClientOptions(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(10)
            .setIdleTimeoutUnit(TimeUnit.SECONDS).setKeepAlive(true));
  }

  /** Whether a failure means the provider could not be reached or did not answer in time (503), not a refusal. */
  static boolean unreachable(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
          || t instanceof io.vertx.core.http.HttpClosedException || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof io.netty.channel.ConnectTimeoutException) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && (m.startsWith("Cannot handle content type") || m.equals("No Body"))) {
        return true; // the provider answered, but not as a token endpoint does (an outage page)
      }
    }
    return false;
  }

  private void wrongState(RoutingContext ctx) {
    refuse(ctx, 400, "This sign-in has expired", "This sign-in was not started in this browser, was already used, or is "
        + "more than 10 minutes old. Start again from the sign-in page.");
  }

  private void unavailable(RoutingContext ctx, Throwable err) {
    LOG.warn("single sign-on: the provider {} cannot be reached: {}", config.issuer(), err.toString());
    ctx.response().putHeader("Retry-After", "30");
    refuse(ctx, 503, "Single sign-on is unavailable", "Your identity provider cannot be reached just now. Try again in "
        + "a minute" + (config.ssoOnly() ? "." : ", or sign in with your password."));
  }

  private void refuse(RoutingContext ctx, int status, String title, String message) {
    Map<String, Object> m = new HashMap<>();
    m.put("title", title);
    m.put("status", status);
    m.put("message", message);
    m.put("homeHref", "/login");
    m.put("homeLabel", "Back to sign-in");
    pages.render(ctx, status, "error", m);
  }
}
