package dev.gameday.account;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.support.Browser;
import dev.gameday.support.Mailbox;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import dev.gameday.web.Tokens;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Password reset by email, with email on, against GreenMail's SMTP server in this JVM. */
@ExtendWith(PostgresExtension.class)
class PasswordResetTest {
  static final String NEW_PASSWORD = "a much newer passphrase";
  static final Pattern LINK = Pattern.compile("/password/reset/([A-Za-z0-9_-]{43})");
  static GreenMail smtp;
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    int port = TestApp.freePort();
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    app = TestApp.start(db, Path.of("exercises"), c -> c.withSmtp("smtp://127.0.0.1:" + port));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
    smtp.stop();
  }

  @BeforeEach
  void freshWindow() {
    app.sql("delete from password_reset_throttle");
  }

  static HttpResponse<Buffer> forgot(String email) {
    Browser b = new Browser(vertx, app.port);
    await(b.get("/password/forgot"));
    return await(b.postForm("/password/forgot", MultiMap.caseInsensitiveMultiMap().add("email", email)
        .add("_csrf", b.cookie("XSRF-TOKEN"))));
  }

  static List<MimeMessage> to(String address, int atLeast) throws Exception {
    return Mailbox.received(smtp, address, "", atLeast);
  }

  static String token(MimeMessage m) {
    Matcher x = LINK.matcher(GreenMailUtil.getBody(m));
    assertTrue(x.find(), GreenMailUtil.getBody(m));
    return x.group(1);
  }

  static HttpResponse<Buffer> setPassword(Browser b, String password, String again) {
    return await(b.postForm("/password/reset", MultiMap.caseInsensitiveMultiMap().add("password", password)
        .add("password2", again).add("_csrf", b.cookie("XSRF-TOKEN"))));
  }

  static int signIn(String email, String password) {
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    return await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", password)
        .add("_csrf", b.cookie("XSRF-TOKEN")))).statusCode();
  }

  @Test
  @DisplayName("a reset link arrives by email, works once, is stored hashed, and ends every session of the account")
  void resetByEmail() throws Exception {
    String email = app.account("reviewer");
    Browser before = app.signIn(vertx, email);
    HttpResponse<Buffer> r = forgot(email);
    assertEquals(303, r.statusCode());
    assertEquals("/password/forgot?sent=1", r.getHeader("Location"));
    List<MimeMessage> mails = to(email, 1);
    assertEquals(1, mails.size());
    assertEquals("Reset your Gameday password", mails.get(0).getSubject());
    String token = token(mails.get(0));
    var stored = app.one("select token_hash, extract(epoch from expires_at - created_at)::int as valid from password_resets where account_id = "
        + "(select id from accounts where email = $1)", email).orElseThrow();
    assertArrayEquals(Tokens.hash(token), stored.getBuffer("token_hash").getBytes(), "only the hash is stored");
    assertEquals(1800, stored.getInteger("valid"), "valid 30 minutes");
    assertFalse(app.one("select 1 from email_outbox where link like '%' || $1", token).isPresent(),
        "the delivered email's link is wiped from the outbox");

    Browser b = new Browser(vertx, app.port);
    HttpResponse<Buffer> open = await(b.get("/password/reset/" + token));
    assertEquals(303, open.statusCode());
    assertEquals("/password/reset", open.getHeader("Location"));
    assertEquals(200, await(b.get("/password/reset")).statusCode());
    HttpResponse<Buffer> differ = setPassword(b, NEW_PASSWORD, NEW_PASSWORD + "x");
    assertEquals("/password/reset?problem=mismatch", differ.getHeader("Location"));
    assertEquals("/password/reset?problem=invalid_password", setPassword(b, "short", "short").getHeader("Location"));
    HttpResponse<Buffer> done = setPassword(b, NEW_PASSWORD, NEW_PASSWORD);
    assertEquals(303, done.statusCode());
    assertEquals("/login?done=password", done.getHeader("Location"));
    assertTrue(await(b.get("/login?done=password")).bodyAsString().contains("Your password is changed"));

    assertEquals(401, await(before.get("/account")).statusCode(), "the session from before the reset ended");
    assertEquals(401, signIn(email, TestApp.PASSWORD), "the old password no longer works");
    assertEquals(303, signIn(email, NEW_PASSWORD));
    assertEquals(404, await(new Browser(vertx, app.port).get("/password/reset/" + token)).statusCode(), "the link works once");
    assertEquals(404, await(b.get("/password/reset")).statusCode());
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'password.reset' and actor = $1", email)
        .orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("an unknown or disabled address gets exactly the answer a known one gets, and no email")
  void sameAnswer() throws Exception {
    String known = app.account("recruiter");
    String disabled = app.account("reviewer");
    app.sql("update accounts set disabled = true where email = $1", disabled);
    String unknown = "nobody-here@example.com";
    HttpResponse<Buffer> a = forgot(known);
    HttpResponse<Buffer> b = forgot(unknown);
    HttpResponse<Buffer> c = forgot(disabled);
    for (HttpResponse<Buffer> r : List.of(a, b, c)) {
      assertEquals(303, r.statusCode());
      assertEquals("/password/forgot?sent=1", r.getHeader("Location"));
      assertEquals("", r.bodyAsString() == null ? "" : r.bodyAsString());
    }
    assertEquals(1, to(known, 1).size());
    assertEquals(0, to(unknown, 0).size());
    assertEquals(0, to(disabled, 0).size());
    String page = await(new Browser(vertx, app.port).get("/password/forgot?sent=1")).bodyAsString();
    assertTrue(page.contains("If an active account uses this address"), page);
  }

  @Test
  @DisplayName("an expired link gets the invalid-link page")
  void expires() throws Exception {
    String email = app.account("reviewer");
    forgot(email);
    String token = token(to(email, 1).get(0));
    app.sql("update password_resets set expires_at = now() - interval '1 second' where token_hash = $1", (Object) Tokens.hash(token));
    assertEquals(404, await(new Browser(vertx, app.port).get("/password/reset/" + token)).statusCode());
  }

  @Test
  @DisplayName("rate limits: three links per account an hour (then the same answer, no email), ten requests per address per window (then refused)")
  void rateLimited() throws Exception {
    String email = app.account("reviewer");
    for (int i = 0; i < 4; i++) {
      assertEquals("/password/forgot?sent=1", forgot(email).getHeader("Location"), "request " + i);
    }
    assertEquals(3, to(email, 3).size());
    assertEquals(3, to(email, 0).size(), "the fourth request sends nothing (3 s later, still 3)");
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'password.reset_limited' and actor = $1", email)
        .orElseThrow().getLong("n"));
    for (int i = 4; i < 10; i++) {
      assertEquals("/password/forgot?sent=1", forgot("someone" + i + "@example.com").getHeader("Location"));
    }
    HttpResponse<Buffer> refused = forgot("someone-else@example.com");
    assertEquals(303, refused.statusCode());
    assertEquals("/password/forgot?problem=too_many_requests", refused.getHeader("Location"));
    assertTrue(await(new Browser(vertx, app.port).get("/password/forgot?problem=too_many_requests")).bodyAsString()
        .contains("Too many requests"));
  }

  @Test
  @DisplayName("an admin starts a reset for an account: the link is emailed (form 303, API JSON), audited")
  void adminStartsReset() throws Exception {
    Browser admin = app.signIn(vertx, app.account("admin"));
    String email = app.account("reviewer");
    long id = app.one("select id from accounts where email = $1", email).orElseThrow().getLong("id");
    HttpResponse<Buffer> r = await(admin.postForm("/admin/accounts/" + id + "/password-reset",
        MultiMap.caseInsensitiveMultiMap().add("_csrf", admin.cookie("XSRF-TOKEN"))));
    assertEquals(303, r.statusCode());
    assertEquals("/admin/accounts?done=reset_emailed", r.getHeader("Location"));
    String first = token(to(email, 1).get(0));
    var json = await(admin.post("/api/v1/admin/accounts/" + id + "/password-reset", null));
    assertEquals(200, json.statusCode(), json.bodyAsString());
    assertEquals(true, json.bodyAsJsonObject().getBoolean("emailed"));
    assertFalse(json.bodyAsJsonObject().containsKey("link"), "an emailed link is never shown to the admin");
    String second = token(to(email, 2).get(1));
    assertEquals(404, await(new Browser(vertx, app.port).get("/password/reset/" + first)).statusCode(), "the newer link replaces the older");
    assertEquals(303, await(new Browser(vertx, app.port).get("/password/reset/" + second)).statusCode());
    assertEquals(2L, app.one("select count(*) as n from audit_log where action = 'account.password_reset_started' and subject = $1",
        "account:" + id).orElseThrow().getLong("n"));
  }
}
