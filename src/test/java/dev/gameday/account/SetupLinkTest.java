package dev.gameday.account;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.web.Account;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One-time account links and sign-in with the default configuration (no trusted proxy). */
@ExtendWith(PostgresExtension.class)
class SetupLinkTest {
  static final String PASSWORD = "correct horse battery staple";
  static final AtomicInteger counter = new AtomicInteger();
  static TestApp app;
  static Vertx vertx;
  static Account admin;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    admin = await(app.app.accounts.add("Admin", "setup-admin@example.com", PASSWORD, "admin"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static String existing() {
    String email = "existing" + counter.incrementAndGet() + "@example.com";
    await(app.app.accounts.add("Existing " + counter.get(), email, PASSWORD, "reviewer"));
    return email;
  }

  /** A browser holding a fresh reviewer setup link, on the form. */
  static Browser linkHolder() {
    String token = await(app.app.accounts.inviteToken("reviewer", admin));
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/setup/" + token)).statusCode());
    assertEquals(200, await(b.get("/setup")).statusCode());
    return b;
  }

  static HttpResponse<Buffer> create(Browser b, String email) {
    return await(b.postForm("/setup", MultiMap.caseInsensitiveMultiMap().add("name", "Prober").add("email", email)
        .add("password", PASSWORD).add("password2", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
  }

  static String normalised(HttpResponse<Buffer> r, String email) {
    return r.statusCode() + " " + r.bodyAsString().replace(email, "EMAIL").replaceAll("value=\"[A-Za-z0-9_-]{20,}\"", "value=\"T\"");
  }

  @Test
  @DisplayName("a setup link cannot enumerate emails: after one taken address the link is used up, and known and unknown emails get the same answer")
  void noEnumeration() {
    Browser prober = linkHolder();
    HttpResponse<Buffer> first = create(prober, existing());
    assertEquals(409, first.statusCode(), "the first taken address is told apart once");
    String known = existing();
    String unknown = "fresh" + counter.incrementAndGet() + "@example.com";
    HttpResponse<Buffer> knownAgain = create(prober, known);
    HttpResponse<Buffer> unknownAgain = create(prober, unknown);
    assertEquals(normalised(knownAgain, known), normalised(unknownAgain, unknown),
        "the same answer whether or not the address has an account");
    assertTrue(knownAgain.statusCode() >= 400, "the link no longer creates anything");
    assertFalse(app.one("select 1 from accounts where email = $1", unknown).isPresent(), "no account was created");
  }

  @Test
  @DisplayName("a setup link still creates an account for a new address")
  void createsAccount() {
    Browser b = linkHolder();
    String email = "new" + counter.incrementAndGet() + "@example.com";
    assertEquals(303, create(b, email).statusCode());
    assertTrue(app.one("select 1 from accounts where email = $1", email).isPresent());
  }

  @Test
  @DisplayName("without a trusted proxy, X-Forwarded-For is ignored: a client cannot claim a fresh address")
  void forwardedForIgnoredWithoutTrustedProxy() {
    String email = existing();
    WebClient client = WebClient.create(vertx);
    for (int i = 0; i < 6; i++) {
      String token = "tok" + counter.incrementAndGet() + "abcdefghijklmnopqrstuvwxyz";
      HttpResponse<Buffer> r = await(client.post(app.port, "localhost", "/login")
          .putHeader("X-Forwarded-For", "198.51.100." + i).putHeader("Cookie", "XSRF-TOKEN=" + token)
          .sendForm(MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", i < 5 ? "wrong " + i : PASSWORD)
              .add("_csrf", token)));
      assertEquals(i < 5 ? 401 : 429, r.statusCode(), "attempt " + i);
    }
  }
}
