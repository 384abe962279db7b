package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Finding 7 of issue 8: an invitation link asks before it replaces a signed-in session. */
@ExtendWith(PostgresExtension.class)
class InvitationSwitchTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger counter = new AtomicInteger();
  private static TestApp app;
  private static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  private static Browser reviewer() {
    String email = "switch" + counter.incrementAndGet() + "@example.com";
    await(app.app.accounts.add("Rita Switch", email, PASSWORD, "reviewer"));
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    assertEquals(303, await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN")))).statusCode());
    return b;
  }

  private static boolean opened(Created c) {
    return app.one("select first_opened_at is not null as o from invitations where id = $1", c.id()).orElseThrow()
        .getBoolean("o");
  }

  private static HttpResponse<Buffer> confirm(Browser b, Created c, boolean withToken) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    if (withToken) {
      form.add("_csrf", b.cookie("XSRF-TOKEN"));
    }
    return await(b.postForm("/i/" + c.token(), form));
  }

  @Test
  @DisplayName("a signed-in reviewer opening a candidate link is asked first, and stays signed in until confirming")
  void reviewerIsAsked() {
    Browser b = reviewer();
    String before = b.cookie("gameday");
    Created c = app.invite("Ada Switch", "ada.switch@example.com");
    HttpResponse<Buffer> page = await(b.get("/i/" + c.token()));
    assertEquals(200, page.statusCode(), "a confirmation page, not a redirect");
    String html = page.bodyAsString();
    assertTrue(html.contains("You are signed in as Rita Switch"), html);
    assertTrue(html.contains("method=\"post\" action=\"/i/" + c.token() + "\""), html);
    assertTrue(html.contains("name=\"_csrf\""), html);
    assertNull(page.getHeader("Set-Cookie"), "the session is not replaced before confirming");
    assertEquals(before, b.cookie("gameday"));
    assertEquals(200, await(b.get("/api/v1/review/queue")).statusCode(), "still the reviewer");
    assertTrue(!opened(c), "nothing consumed: the time limit has not started");

    HttpResponse<Buffer> forged = confirm(b, c, false);
    assertEquals(403, forged.statusCode(), "continuing needs the CSRF token");
    assertEquals(200, await(b.get("/api/v1/review/queue")).statusCode());

    HttpResponse<Buffer> ok = confirm(b, c, true);
    assertEquals(303, ok.statusCode());
    assertEquals("/candidate", ok.getHeader("Location"));
    assertNotEquals(before, b.cookie("gameday"));
    assertEquals(200, await(b.get("/api/v1/candidate")).statusCode(), "now the candidate");
    assertEquals(403, await(b.get("/api/v1/review/queue")).statusCode(), "no longer the reviewer");
    assertTrue(opened(c));
    assertEquals(0L, app.one("select count(*) as n from sessions where id_hash = $1",
        dev.gameday.web.Tokens.hash(before)).orElseThrow().getLong("n"), "the reviewer's session ended on the server");
  }

  @Test
  @DisplayName("a signed-in reviewer opening an invalid link gets the 404 page and stays signed in")
  void reviewerInvalidLink() {
    Browser b = reviewer();
    assertEquals(404, await(b.get("/i/" + "x".repeat(43))).statusCode());
    assertEquals(200, await(b.get("/api/v1/review/queue")).statusCode());
  }

  @Test
  @DisplayName("a candidate opening another invitation's link is asked too; their own link goes straight on")
  void otherCandidate() {
    Created first = app.invite("First Switch", "first.switch@example.com");
    Created second = app.invite("Second Switch", "second.switch@example.com");
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + first.token())).statusCode());
    String session = b.cookie("gameday");

    HttpResponse<Buffer> own = await(b.get("/i/" + first.token()));
    assertEquals(303, own.statusCode());
    assertEquals("/candidate", own.getHeader("Location"));
    assertEquals(session, b.cookie("gameday"), "the own link keeps the session");

    HttpResponse<Buffer> page = await(b.get("/i/" + second.token()));
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("signed in to another assessment"));
    assertTrue(!opened(second));
    assertEquals(session, b.cookie("gameday"));

    assertEquals(303, confirm(b, second, true).statusCode());
    assertTrue(opened(second));
    assertNotEquals(session, b.cookie("gameday"));
  }

  @Test
  @DisplayName("with nobody signed in the link signs in at once, as before")
  void nobodySignedIn() {
    Created c = app.invite("Fresh Switch", "fresh.switch@example.com");
    Browser b = new Browser(vertx, app.port);
    HttpResponse<Buffer> r = await(b.get("/i/" + c.token()));
    assertEquals(303, r.statusCode());
    assertEquals("/candidate", r.getHeader("Location"));
  }
}
