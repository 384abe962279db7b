package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The origin check on state-changing requests compares with GAMEDAY_PUBLIC_URL, never with what the client sends. */
@ExtendWith(PostgresExtension.class)
class OriginCheckTest {
  static final String ANSWERS = "/api/v1/candidate/answers/incident-postmortem";
  static final AtomicInteger rev = new AtomicInteger();
  static TestApp app;
  static Vertx vertx;
  static Browser candidate;
  static WebClient client;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    candidate = new Browser(vertx, app.port);
    await(candidate.get("/i/" + app.invite("Origin Tester", "origin@example.com").token()));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** A save carrying the candidate's valid session and CSRF token, with the given extra headers. */
  static HttpResponse<Buffer> save(Map<String, String> headers) {
    HttpRequest<Buffer> r = client.put(app.port, "localhost", ANSWERS)
        .putHeader("Cookie", "gameday=" + candidate.cookie("gameday") + "; XSRF-TOKEN=" + candidate.cookie("XSRF-TOKEN"))
        .putHeader("X-XSRF-TOKEN", candidate.cookie("XSRF-TOKEN"))
        .putHeader("Content-Type", "application/json");
    headers.forEach(r::putHeader);
    JsonObject body = new JsonObject().put("rev", rev.incrementAndGet())
        .put("sections", new JsonObject().put("summary", "text " + rev.get()));
    return await(r.sendBuffer(body.toBuffer()));
  }

  static void assertCsrf(HttpResponse<Buffer> r) {
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertEquals("csrf", r.bodyAsJsonObject().getString("error"));
  }

  @Test
  @DisplayName("the public origin, or no Origin at all (a non-browser client with the token), is accepted")
  void sameOrigin() {
    assertEquals(200, save(Map.of("Origin", "http://localhost:" + app.port)).statusCode());
    assertEquals(200, save(Map.of()).statusCode());
    assertEquals(200, save(Map.of("Referer", "http://localhost:" + app.port + "/candidate/exercises/x")).statusCode());
  }

  @Test
  @DisplayName("Origin: null (sandboxed frames, data: pages, some redirects) is refused 403 csrf")
  void nullOrigin() {
    assertCsrf(save(Map.of("Origin", "null")));
    assertCsrf(save(Map.of("Origin", "null", "Sec-Fetch-Site", "cross-site")));
    assertCsrf(save(Map.of("Origin", "null", "Sec-Fetch-Site", "same-site")));
  }

  @Test
  @DisplayName("a browser's own form post (Origin: null under Referrer-Policy: no-referrer, Sec-Fetch-Site: same-origin) passes")
  void ownFormPost() {
    assertEquals(200, save(Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin")).statusCode());
  }

  @Test
  @DisplayName("a form posted from this site's own page carries Origin: null (Referrer-Policy: no-referrer): accepted when"
      + " the browser's Sec-Fetch-Site says same-origin, refused when it says anything else")
  void nullOriginOfOurOwnForm() {
    assertEquals(200, save(Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin")).statusCode());
    assertCsrf(save(Map.of("Origin", "null", "Sec-Fetch-Site", "cross-site")));
    assertCsrf(save(Map.of("Origin", "null", "Sec-Fetch-Site", "same-site")));
    assertCsrf(save(Map.of("Origin", "null", "Sec-Fetch-Site", "none")));
  }

  @Test
  @DisplayName("an Origin matching a spoofed Host header is refused: the check compares with GAMEDAY_PUBLIC_URL")
  void hostSpoofing() {
    assertCsrf(save(Map.of("Host", "evil.example", "Origin", "http://evil.example")));
    assertCsrf(save(Map.of("Host", "127.0.0.1:" + app.port, "Origin", "http://127.0.0.1:" + app.port)));
  }

  @Test
  @DisplayName("without Origin, a Referer from another site is refused")
  void crossSiteReferer() {
    assertCsrf(save(Map.of("Referer", "https://evil.example/page")));
    assertCsrf(save(Map.of("Referer", "http://localhost:" + app.port + ".evil.example/")));
  }

  @Test
  @DisplayName("origins compare by scheme, host and effective port")
  void originNormalisation() {
    assertEquals("https://gameday.example", Guards.origin("https://Gameday.Example:443/x"));
    assertEquals("http://localhost:8080", Guards.origin("http://localhost:8080"));
    assertEquals("http://gameday.example", Guards.origin("http://gameday.example:80"));
    assertEquals(null, Guards.origin("null"));
    assertEquals(null, Guards.origin("not a url"));
  }
}
