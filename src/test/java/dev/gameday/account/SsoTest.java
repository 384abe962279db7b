package dev.gameday.account;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Single sign-on against a real OpenID Connect provider in this JVM (mock-oauth2-server: discovery, JWKS, an
 * authorization endpoint and a token endpoint that signs ID tokens), not a stub of Gameday's own code.
 */
@ExtendWith(PostgresExtension.class)
class SsoTest {
  static final String CLIENT = "gameday-test";
  static final String ALLOWED = "sso.example.org";
  static MockOAuth2Server provider;
  static TestApp app;
  static Vertx vertx;
  static WebClient web;
  static TestDatabase database;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    database = db;
    provider = new MockOAuth2Server();
    provider.start();
    app = TestApp.start(db, Path.of("exercises"), c -> c.withSso(sso(false)));
    vertx = Vertx.vertx();
    web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
  }

  static SsoConfig sso(boolean only) {
    return SsoConfig.parse(provider.issuerUrl("default").toString(), CLIENT, "not-a-real-secret", ALLOWED, String.valueOf(only));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
    provider.shutdown();
  }

  /** The provider's next ID token: these claims, for our client. */
  static void nextToken(Map<String, Object> claims) {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "subject-" + claims.get("email"), "JWT", List.of(CLIENT),
        claims, 3600));
  }

  static Map<String, Object> verified(String email) {
    Map<String, Object> claims = new HashMap<>();
    claims.put("email", email);
    claims.put("email_verified", true);
    claims.put("name", "Sam Single");
    return claims;
  }

  /** Starts single sign-on in {@code b}: Gameday's redirect to the provider. */
  static String authorizeUrl(Browser b, String path) {
    HttpResponse<Buffer> r = await(b.get(path));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    return r.getHeader("Location");
  }

  /** The provider signs the user in (no form: mock-oauth2-server's default) and sends back to the callback: its path. */
  static String providerAnswers(String authorizeUrl) {
    HttpResponse<Buffer> r = await(web.getAbs(authorizeUrl).send());
    assertEquals(302, r.statusCode(), r.bodyAsString());
    String location = r.getHeader("Location");
    assertTrue(location.matches("http://localhost:[0-9]+/login/sso/callback\\?.*"), location);
    return location.substring(location.indexOf("/login/sso/callback"));
  }

  static Map<String, String> query(String url) {
    Map<String, String> q = new HashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  static String withParam(String url, String name, String value) {
    return url.replaceFirst("([?&]" + name + "=)[^&]*", "$1" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  static void assertRefused(HttpResponse<Buffer> r, int status, String sentence) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
    assertTrue(r.bodyAsString().contains(sentence), r.bodyAsString());
    assertTrue(r.bodyAsString().contains("href=\"/login\""), "a way back to the sign-in page");
  }

  static long count(String sql, Object... params) {
    return app.one(sql, params).orElseThrow().getLong(0);
  }

  @Test
  @DisplayName("end to end: the sign-in page offers SSO; PKCE S256, state and nonce; the account with that email (any case) is signed in and audited")
  void signsIn() {
    String email = app.account("reviewer");
    Browser b = new Browser(vertx, app.port);
    String page = await(b.get("/login?next=/review")).bodyAsString();
    assertTrue(page.contains("Sign in with single sign-on"), page);
    assertTrue(page.contains("href=\"/login/sso?next&#x3D;%2Freview\""), page);
    assertTrue(page.contains("name=\"password\""), "passwords still work beside SSO");

    HttpResponse<Buffer> start = await(b.get("/login/sso?next=/review"));
    assertEquals(303, start.statusCode());
    String cookie = start.cookies().stream().filter(c -> c.startsWith("gameday_sso=")).findFirst().orElseThrow();
    assertTrue(cookie.toLowerCase().contains("httponly") && cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=600"), cookie);
    String authorize = start.getHeader("Location");
    Map<String, String> q = query(authorize);
    assertTrue(authorize.startsWith(provider.authorizationEndpointUrl("default").toString()), authorize);
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals(43, q.get("code_challenge").length());
    assertEquals(CLIENT, q.get("client_id"));
    assertEquals("http://localhost:" + app.port + "/login/sso/callback", q.get("redirect_uri"));
    assertTrue(q.get("scope").contains("openid") && q.get("scope").contains("email"), q.get("scope"));
    assertTrue(q.get("state").length() >= 43 && q.get("nonce").length() >= 43);
    byte[] browser = dev.gameday.web.Tokens.hash(b.cookie("gameday_sso"));
    byte[] state = dev.gameday.web.Tokens.hash(q.get("state"));
    assertEquals(1, count("select count(*) from sso_logins where browser_hash = $1 and state_hash = $2 and nonce = $3"
        + " and expires_at between now() + interval '9 minutes' and now() + interval '10 minutes'", browser, state, q.get("nonce")));

    nextToken(verified(email.toUpperCase(java.util.Locale.ROOT)));
    HttpResponse<Buffer> done = await(b.get(providerAnswers(authorize)));
    assertEquals(303, done.statusCode(), done.bodyAsString());
    assertEquals("/review", done.getHeader("Location"));
    assertEquals(200, await(b.get("/account")).statusCode(), "a staff session");
    assertEquals(0, count("select count(*) from sso_logins where state_hash = $1", state), "taken: single use");
    assertEquals(1, count("select count(*) from audit_log where action = 'login' and actor = $1 and detail->>'method' = 'oidc'", email));
    // the token request carried the PKCE verifier of the challenge sent before
    okhttp3.mockwebserver.RecordedRequest token = null;
    while (true) {
      okhttp3.mockwebserver.RecordedRequest r;
      try {
        r = provider.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (RuntimeException none) {
        break; // "no request found in queue within timeout"
      }
      if (r == null) {
        break;
      }
      if (r.getPath().contains("/token")) {
        token = r; // the last one: this sign-in's
      }
    }
    assertNotNull(token);
    Map<String, String> form = query("http://x/?" + token.getBody().readUtf8());
    assertEquals(q.get("code_challenge"), SsoRoutes.challenge(form.get("code_verifier")));
  }

  @Test
  @DisplayName("a wrong or missing state, or a state from another browser, is refused with a clear 400 page")
  void wrongState() {
    String email = app.account("reviewer");
    Browser b = new Browser(vertx, app.port);
    // no token is enqueued: none of these reaches the provider's token endpoint (a callback left in the queue would
    // answer another test's exchange)
    String callback = providerAnswers(authorizeUrl(b, "/login/sso"));
    assertRefused(await(b.get(withParam(callback, "state", "not-the-state"))), 400, "was not started in this browser");
    assertRefused(await(b.get(callback.replaceFirst("&?state=[^&]*", ""))), 400, "was not started in this browser");
    assertRefused(await(new Browser(vertx, app.port).get(callback)), 400, "was not started in this browser");
    assertEquals(401, await(b.get("/account")).statusCode(), "nobody signed in");
  }

  @Test
  @DisplayName("a replayed answer or code is refused with a clear 400 page: the state is single use, and a code under another state fails")
  void replayedCode() {
    String email = app.account("reviewer");
    Browser b = new Browser(vertx, app.port);
    nextToken(verified(email));
    String first = providerAnswers(authorizeUrl(b, "/login/sso"));
    assertEquals(303, await(b.get(first)).statusCode());
    // the same answer again: its state was taken
    assertRefused(await(b.get(first)), 400, "was already used");
    // the used code under a fresh state of another browser: mock-oauth2-server 2.1.10 forgets a used code but still
    // answers (an ID token without a nonce), which the nonce check refuses
    Browser other = new Browser(vertx, app.port);
    nextToken(verified(email));
    String fresh = providerAnswers(authorizeUrl(other, "/login/sso"));
    HttpResponse<Buffer> replay = await(other.get(withParam(fresh, "code", query("http://x" + first).get("code"))));
    assertRefused(replay, 400, "Start again from the sign-in page");
    assertEquals(401, await(other.get("/account")).statusCode());
  }

  @Test
  @DisplayName("a code issued for one sign-in, brought back under another sign-in's state, is refused by the provider (PKCE): 400 page")
  void injectedCodeRefusedByProvider() {
    String email = app.account("reviewer");
    Browser b = new Browser(vertx, app.port);
    String answerA = providerAnswers(authorizeUrl(b, "/login/sso"));
    String authorizeB = authorizeUrl(b, "/login/sso");
    String injected = withParam(answerA, "state", query(authorizeB).get("state"));
    assertRefused(await(b.get(injected)), 400, "Your identity provider refused this sign-in");
    assertEquals(401, await(b.get("/account")).statusCode());
  }

  @Test
  @DisplayName("an ID token whose nonce is not this browser's is refused with a clear 400 page")
  void nonceMismatch() {
    String email = app.account("reviewer");
    Browser b = new Browser(vertx, app.port);
    // the authorization request is altered on its way: the provider signs another nonce into the ID token
    String authorize = withParam(authorizeUrl(b, "/login/sso"), "nonce", "a-nonce-someone-else-chose");
    nextToken(verified(email));
    assertRefused(await(b.get(providerAnswers(authorize))), 400, "its nonce differs");
    assertEquals(401, await(b.get("/account")).statusCode());
    assertEquals(0, count("select count(*) from audit_log where action = 'login' and actor = $1", email));
  }

  @Test
  @DisplayName("an email the provider has not verified is refused (403 page)")
  void unverifiedEmail() {
    String email = app.account("reviewer");
    Map<String, Object> claims = verified(email);
    claims.put("email_verified", false);
    Browser b = new Browser(vertx, app.port);
    String authorize = authorizeUrl(b, "/login/sso");
    nextToken(claims);
    assertRefused(await(b.get(providerAnswers(authorize))), 403, "has not verified the email address");
    assertEquals(401, await(b.get("/account")).statusCode());

    Map<String, Object> without = verified(email);
    without.remove("email_verified");
    Browser c = new Browser(vertx, app.port);
    authorize = authorizeUrl(c, "/login/sso");
    nextToken(without);
    assertRefused(await(c.get(providerAnswers(authorize))), 403, "has not verified the email address");
  }

  @Test
  @DisplayName("an unknown email outside the allowed domains is refused (403 page) and no account is created")
  void unknownEmail() {
    Browser b = new Browser(vertx, app.port);
    String authorize = authorizeUrl(b, "/login/sso");
    nextToken(verified("stranger@elsewhere.example.net"));
    assertRefused(await(b.get(providerAnswers(authorize))), 403, "There is no Gameday account for stranger@elsewhere.example.net");
    assertEquals(0, count("select count(*) from accounts where email = 'stranger@elsewhere.example.net'"));
    assertEquals(1, count("select count(*) from audit_log where action = 'login.sso_refused' and actor = 'stranger@elsewhere.example.net'"));
  }

  @Test
  @DisplayName("a disabled account is refused (403 page)")
  void disabledAccount() {
    String email = app.account("reviewer");
    app.sql("update accounts set disabled = true, disabled_at = now() where email = $1", email);
    Browser b = new Browser(vertx, app.port);
    String authorize = authorizeUrl(b, "/login/sso");
    nextToken(verified(email));
    assertRefused(await(b.get(providerAnswers(authorize))), 403, "is disabled");
    assertEquals(401, await(b.get("/account")).statusCode());
  }

  @Test
  @DisplayName("a verified email in an allowed domain creates a reviewer account at its first sign-in (audited)")
  void allowedDomainCreatesReviewer() {
    Browser b = new Browser(vertx, app.port);
    String authorize = authorizeUrl(b, "/login/sso");
    nextToken(verified("New.Person@SSO.example.org"));
    HttpResponse<Buffer> done = await(b.get(providerAnswers(authorize)));
    assertEquals(303, done.statusCode(), done.bodyAsString());
    assertEquals("/review", done.getHeader("Location"));
    var row = app.one("select role, name from accounts where email = 'new.person@sso.example.org'").orElseThrow();
    assertEquals("reviewer", row.getString("role"));
    assertEquals("Sam Single", row.getString("name"));
    assertEquals(1, count("select count(*) from audit_log where action = 'account.created' and detail->>'via' = 'oidc'"
        + " and actor = 'new.person@sso.example.org'"));
    assertEquals(200, await(b.get("/review")).statusCode());
  }

  @Test
  @DisplayName("an account with two-factor on gets the second step after SSO, as after a password")
  void secondFactorStillAsked() {
    String email = app.account("reviewer");
    app.sql("insert into account_totp (account_id, secret, enabled_at) select id, '\\x00'::bytea, now() from accounts where email = $1", email);
    Browser b = new Browser(vertx, app.port);
    String authorize = authorizeUrl(b, "/login/sso");
    nextToken(verified(email));
    HttpResponse<Buffer> done = await(b.get(providerAnswers(authorize)));
    assertEquals(303, done.statusCode(), done.bodyAsString());
    assertEquals("/login/code", done.getHeader("Location"));
    assertEquals(401, await(b.get("/account")).statusCode(), "no session before the code");
  }

  @Test
  @DisplayName("SSO only: the sign-in page has no password form, POST /login and password reset are refused (403), setup links work")
  void ssoOnly() throws Exception {
    String email = app.account("reviewer");
    try (TestApp only = TestApp.start(database, Path.of("exercises"), c -> c.withSso(sso(true)))) {
      Browser b = new Browser(vertx, only.port);
      String page = await(b.get("/login")).bodyAsString();
      assertTrue(page.contains("Sign in with single sign-on"), page);
      assertFalse(page.contains("name=\"password\""), page);
      assertFalse(page.contains("/password/forgot"), page);
      HttpResponse<Buffer> post = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap().add("email", email)
          .add("password", TestApp.PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
      assertEquals(403, post.statusCode());
      assertTrue(post.bodyAsString().contains("Password sign-in is turned off here"), post.bodyAsString());
      assertEquals(401, await(b.get("/account")).statusCode());
      HttpResponse<Buffer> forgot = await(b.get("/password/forgot"));
      assertEquals(403, forgot.statusCode());
      assertTrue(forgot.bodyAsString().contains("no password to reset"), forgot.bodyAsString());
      assertEquals(403, await(b.get("/password/reset/abc")).statusCode());
      // a setup link still creates an account
      String token = await(only.app.accounts.newFirstAdminToken());
      Browser admin = new Browser(vertx, only.port);
      assertEquals(303, await(admin.get("/setup/" + token)).statusCode());
      assertEquals(200, await(admin.get("/setup")).statusCode());
      // and SSO signs in
      nextToken(verified(email));
      assertEquals(303, await(b.get(providerAnswers(authorizeUrl(b, "/login/sso")))).statusCode());
    }
  }

  @Test
  @DisplayName("a provider that cannot be reached: the server starts, and single sign-on answers a clear 503 page")
  void providerUnreachable() throws Exception {
    int closed = TestApp.freePort();
    try (TestApp down = TestApp.start(database, Path.of("exercises"), c -> c.withSso(SsoConfig.parse(
        "http://127.0.0.1:" + closed + "/default", CLIENT, null, null, null)))) {
      Browser b = new Browser(vertx, down.port);
      assertTrue(await(b.get("/login")).bodyAsString().contains("Sign in with single sign-on"));
      HttpResponse<Buffer> r = await(b.get("/login/sso"));
      assertRefused(r, 503, "cannot be reached");
      assertEquals("30", r.getHeader("Retry-After"));
    }
  }

  @Test
  @DisplayName("a token endpoint that never answers: the callback gives up at the deadline with a 503 page, not a hang")
  void exchangeHasADeadline() throws Exception {
    String email = app.account("reviewer");
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      // a provider whose discovery document and keys are mock-oauth2-server's, but whose token endpoint never answers
      io.vertx.core.http.HttpServer discovery = vertx.createHttpServer();
      int port = TestApp.freePort();
      String issuer = "http://localhost:" + port + "/silent";
      io.vertx.core.json.JsonObject doc = new io.vertx.core.json.JsonObject()
          .put("issuer", issuer)
          .put("authorization_endpoint", provider.authorizationEndpointUrl("default").toString())
          .put("token_endpoint", "http://127.0.0.1:" + silent.getLocalPort() + "/token")
          .put("jwks_uri", provider.jwksUrl("default").toString());
      await(discovery.requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(doc.encode()))
          .listen(port, "localhost"));
      try (TestApp hanging = TestApp.start(database, Path.of("exercises"), c -> c.withSso(SsoConfig.parse(issuer, CLIENT,
          null, null, null)))) {
        Browser b = new Browser(vertx, hanging.port);
        String callback = providerAnswers(authorizeUrl(b, "/login/sso"));
        long started = System.nanoTime();
        assertRefused(await(b.get(callback)), 503, "cannot be reached");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertTrue(seconds >= 9 && seconds < 20, "gave up after " + seconds + " s");
      } finally {
        await(discovery.close());
      }
    }
    assertEquals(0, count("select count(*) from audit_log where action = 'login' and actor = $1", email));
  }

  @Test
  @DisplayName("a provider that accepts connections and never answers: start-up and /login/sso each give up at the deadline (503)")
  void silentProviderHasADeadline() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      long started = System.nanoTime();
      try (TestApp down = TestApp.start(database, Path.of("exercises"), c -> c.withSso(SsoConfig.parse(
          "http://127.0.0.1:" + silent.getLocalPort() + "/default", CLIENT, null, null, null)))) {
        assertTrue((System.nanoTime() - started) / 1_000_000_000L < 40, "start-up waited for discovery at most its deadline");
        long asked = System.nanoTime();
        assertRefused(await(new Browser(vertx, down.port).get("/login/sso")), 503, "cannot be reached");
        long seconds = (System.nanoTime() - asked) / 1_000_000_000L;
        assertTrue(seconds >= 9 && seconds < 20, "gave up after " + seconds + " s");
      }
    }
  }

  @Test
  @DisplayName("the settings: off unless issuer and client id are set; a half-done or malformed one fails with a sentence")
  void settings() {
    assertFalse(SsoConfig.parse(null, null, null, null, null).enabled());
    assertFalse(SsoConfig.parse(" ", "", null, null, "false").enabled());
    SsoConfig on = SsoConfig.parse("https://login.example.com/tenant/", "id", "s3cret", "Example.com, b.example.org", "TRUE");
    assertEquals("https://login.example.com/tenant", on.issuer());
    assertEquals(List.of("example.com", "b.example.org"), on.allowedDomains());
    assertTrue(on.ssoOnly() && on.allows("x@EXAMPLE.com") && !on.allows("x@evil-example.com"));
    assertFalse(on.toString().contains("s3cret"));
    Map<String, String[]> bad = Map.of(
        "GAMEDAY_OIDC_CLIENT_ID", new String[] {"https://login.example.com", null, null, null, null},
        "GAMEDAY_OIDC_ISSUER and", new String[] {null, "id", null, null, null},
        "GAMEDAY_SSO_ONLY=true", new String[] {null, null, null, null, "true"},
        "GAMEDAY_SSO_ONLY must be", new String[] {"https://login.example.com", "id", null, null, "yes"},
        "must use https://", new String[] {"http://login.example.com", "id", null, null, null},
        "issuer URL", new String[] {"login.example.com", "id", null, null, null},
        "is not a domain", new String[] {"https://login.example.com", "id", null, "example.com, not a domain", null});
    bad.forEach((sentence, v) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SsoConfig.parse(v[0], v[1], v[2], v[3], v[4]));
      assertTrue(e.getMessage().contains(sentence), e.getMessage());
    });
    assertEquals("https://idp.example.com", dev.gameday.Config.fromEnvironment(Map.of("GAMEDAY_OIDC_ISSUER", "https://idp.example.com",
        "GAMEDAY_OIDC_CLIENT_ID", "gameday")).sso().issuer());
  }
}
