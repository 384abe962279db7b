package dev.gameday.account;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two-factor sign-in end to end over HTTP, with codes computed from the secret the enrolment page shows. */
@ExtendWith(PostgresExtension.class)
class TwoFactorTest {
  static final Pattern SECRET = Pattern.compile("<code id=\"secret\" class=\"secret\">([A-Z2-7 ]+)</code>");
  static final Pattern RECOVERY = Pattern.compile("<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>");
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db, Path.of("exercises"), c -> c.withStaff(new Config.Staff(120, 12, List.of("recruiter"))));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static HttpResponse<Buffer> form(Browser b, String path, String... fields) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"));
    for (int i = 0; i < fields.length; i += 2) {
      m.add(fields[i], fields[i + 1]);
    }
    return await(b.postForm(path, m));
  }

  static String location(HttpResponse<Buffer> r) {
    assertEquals(303, r.statusCode(), r.bodyAsString());
    return r.getHeader("Location");
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** Enrols a signed-in browser; answers the secret (from the page's text) and the recovery codes (shown once). */
  static byte[] enrol(Browser b, List<String> recoveryOut) {
    assertEquals("/account/2fa", location(form(b, "/account/2fa/start")));
    String page = await(b.get("/account/2fa")).bodyAsString();
    Matcher m = SECRET.matcher(page);
    assertTrue(m.find(), page);
    assertTrue(page.contains("src=\"data:image/svg+xml;base64,"), "a QR code");
    byte[] secret = Totp.fromBase32(m.group(1));
    assertEquals("/account/2fa?problem=wrong_code", location(form(b, "/account/2fa/confirm", "code", "000000".equals(
        Totp.code(secret, Totp.step(now()))) ? "111111" : "000000")));
    assertEquals("/account/2fa?done=enabled", location(form(b, "/account/2fa/confirm", "code", Totp.code(secret, Totp.step(now())))));
    String done = await(b.get("/account/2fa")).bodyAsString();
    Matcher codes = RECOVERY.matcher(done);
    while (codes.find()) {
      recoveryOut.add(codes.group(1));
    }
    assertEquals(10, recoveryOut.size(), done);
    assertTrue(done.contains("is <strong>on</strong>"), done);
    assertFalse(RECOVERY.matcher(await(b.get("/account/2fa")).bodyAsString()).find(), "recovery codes are shown once");
    return secret;
  }

  /** Password step: answers the browser, which then holds only the pending sign-in's cookie. */
  static Browser password(String email, String expectLocation) {
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    assertEquals(expectLocation, location(form(b, "/login", "email", email, "password", TestApp.PASSWORD)));
    return b;
  }

  @Test
  @DisplayName("enrol, then sign in: password, then a code; no session before the code; replayed and used codes refused")
  void signIn() {
    String email = app.account("reviewer");
    Browser first = app.signIn(vertx, email);
    List<String> recovery = new ArrayList<>();
    byte[] secret = enrol(first, recovery);
    assertEquals(10, app.one("select count(*) as n from totp_recovery_codes where account_id = (select id from accounts where email = $1) "
        + "and used_at is null", email).orElseThrow().getLong("n"));
    assertTrue(app.sql("select code_hash from totp_recovery_codes").size() >= 10);

    Browser b = password(email, "/login/code");
    assertEquals(401, await(b.get("/account")).statusCode(), "no session before the second step");
    assertEquals(200, await(b.get("/login/code")).statusCode());
    String used = Totp.code(secret, Totp.step(now()));
    // the enrolment used this step's code (or, if the step has moved on since, an older one): refused either way
    String stale = Totp.code(secret, Totp.step(now()) - 1);
    assertEquals("/login/code?problem=wrong_code", location(form(b, "/login/code", "code", used.equals(stale) ? "000000" : stale)));
    String fresh = Totp.code(secret, Totp.step(now()) + 1);
    assertEquals("/review", location(form(b, "/login/code", "code", fresh)));
    assertEquals(200, await(b.get("/account")).statusCode());

    Browser again = password(email, "/login/code");
    assertEquals("/login/code?problem=wrong_code", location(form(again, "/login/code", "code", fresh)), "the same code twice");
    assertEquals(401, await(again.get("/account")).statusCode());
    assertEquals("/review", location(form(again, "/login/code", "code", recovery.get(0).toUpperCase())), "a recovery code");

    Browser third = password(email, "/login/code");
    assertEquals("/login/code?problem=wrong_code", location(form(third, "/login/code", "code", recovery.get(0))),
        "a recovery code works once");
    assertEquals("/candidates", location(form(third, "/login/code", "code", recovery.get(1), "next", "/candidates")),
        "next is kept through the second step");

    List<String> actions = app.sql("select action from audit_log where subject = (select 'account:' || id from accounts where email = $1) order by id",
        email).stream().map(r -> r.getString("action")).toList();
    assertTrue(actions.containsAll(List.of("account.2fa_enrolment_started", "account.2fa_enrolment_failed", "account.2fa_enabled",
        "login.2fa_failed", "login.2fa_succeeded")), actions.toString());
    assertEquals(3, actions.stream().filter("login.2fa_succeeded"::equals).count(), actions.toString());

    Browser noCookie = new Browser(vertx, app.port);
    await(noCookie.get("/login"));
    assertEquals("/login", location(form(noCookie, "/login/code", "code", Totp.code(secret, Totp.step(now())))),
        "no pending sign-in: back to the password");
  }

  @Test
  @DisplayName("five wrong codes in 15 minutes hold the account: even the right code is refused after them")
  void rateLimit() {
    String email = app.account("reviewer");
    byte[] secret = enrol(app.signIn(vertx, email), new ArrayList<>());
    Browser b = password(email, "/login/code");
    // the enrolment's wrong code counts too: four more make five
    for (int i = 1; i < TwoFactor.MAX_FAILURES; i++) {
      assertEquals("/login/code?problem=wrong_code", location(form(b, "/login/code", "code", "not-a-code")));
    }
    assertEquals("/login/code?problem=too_many_codes", location(form(b, "/login/code", "code", Totp.code(secret, Totp.step(now()) + 1))));
    assertEquals(401, await(b.get("/account")).statusCode());
    assertTrue(await(b.get("/login/code?problem=too_many_codes")).bodyAsString().contains("Too many wrong codes"));
    assertEquals(4, app.one("select count(*) as n from audit_log where action = 'login.2fa_failed' and actor = $1", email)
        .orElseThrow().getLong("n"));
    assertEquals(5, app.one("select count(*) as n from totp_failures where account_id = (select id from accounts where email = $1)",
        email).orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("a role that requires two-factor reaches only enrolment until enrolled (pages redirect, API and forms 403)")
  void policy() {
    String email = app.account("recruiter");
    Browser b = password(email, "/account/2fa");
    assertEquals("/account/2fa", location(await(b.get("/candidates"))));
    assertEquals("/account/2fa", location(await(b.get("/account"))));
    HttpResponse<Buffer> api = await(b.get("/api/v1/account/sessions"));
    assertEquals(403, api.statusCode());
    assertEquals("second_factor_required", api.bodyAsJsonObject().getString("error"));
    assertEquals(403, form(b, "/account/sessions/others/end").statusCode());
    assertTrue(await(b.get("/account/2fa")).bodyAsString().contains("Your role must use two-factor authentication"));
    byte[] secret = enrol(b, new ArrayList<>());
    assertEquals(200, await(b.get("/candidates")).statusCode());
    assertNotNull(secret);
    // a reviewer is not required to
    Browser reviewer = password(app.account("reviewer"), "/review");
    assertEquals(200, await(reviewer.get("/account")).statusCode());
  }

  @Test
  @DisplayName("an admin resets a user's second factor (303, audited); then the password alone signs in; others may not")
  void adminReset() {
    String email = app.account("reviewer");
    enrol(app.signIn(vertx, email), new ArrayList<>());
    long id = app.one("select id from accounts where email = $1", email).orElseThrow().getLong("id");
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    assertEquals(403, form(reviewer, "/admin/accounts/" + id + "/2fa/reset").statusCode());
    String adminEmail = app.account("admin");
    Browser admin = app.signIn(vertx, adminEmail);
    String page = await(admin.get("/admin/accounts")).bodyAsString();
    assertTrue(page.contains("/admin/accounts/" + id + "/2fa/reset"), "a reset button for an account with two-factor");
    assertEquals("/admin/accounts?done=second_factor_reset", location(form(admin, "/admin/accounts/" + id + "/2fa/reset")));
    assertEquals("/admin/accounts?problem=no_second_factor", location(form(admin, "/admin/accounts/" + id + "/2fa/reset")));
    assertEquals("/admin/accounts?problem=not_found", location(form(admin, "/admin/accounts/x/2fa/reset")));
    assertTrue(await(admin.get("/admin/accounts?done=second_factor_reset")).bodyAsString().contains("second factor is reset"));
    assertEquals(1, app.one("select count(*) as n from audit_log where action = 'account.2fa_reset' and actor = $1 and subject = $2",
        adminEmail, "account:" + id).orElseThrow().getLong("n"));
    assertEquals(0, app.one("select count(*) as n from totp_recovery_codes where account_id = $1", id).orElseThrow().getLong("n"));
    password(email, "/review");
  }

  @Test
  @DisplayName("enrolling and signing in with a second factor is not history: such an account can still be deleted")
  void notHistory() {
    String email = app.account("reviewer");
    byte[] secret = enrol(app.signIn(vertx, email), new ArrayList<>());
    Browser b = password(email, "/login/code");
    assertEquals("/login/code?problem=wrong_code", location(form(b, "/login/code", "code", "bad")));
    assertEquals("/review", location(form(b, "/login/code", "code", Totp.code(secret, Totp.step(now()) + 1))));
    long id = app.one("select id from accounts where email = $1", email).orElseThrow().getLong("id");
    Browser admin = app.signIn(vertx, app.account("admin"));
    assertEquals("/admin/accounts?done=deleted", location(form(admin, "/admin/accounts/" + id + "/delete")));
    assertTrue(app.one("select 1 from account_totp where account_id = $1", id).isEmpty());
  }

  @Test
  @DisplayName("GAMEDAY_2FA_REQUIRED_ROLES: a comma-separated list of roles, none by default; an unknown role fails start-up")
  void config() {
    assertEquals(List.of(), Config.fromEnvironment(Map.of()).staff().twoFactorRoles());
    assertEquals(List.of("admin", "recruiter"),
        Config.fromEnvironment(Map.of("GAMEDAY_2FA_REQUIRED_ROLES", " Admin, recruiter ,")).staff().twoFactorRoles());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnvironment(Map.of("GAMEDAY_2FA_REQUIRED_ROLES", "admin,boss")));
    assertTrue(e.getMessage().contains("boss"), e.getMessage());
  }
}
