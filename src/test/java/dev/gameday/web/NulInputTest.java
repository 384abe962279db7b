package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Finding 8 of issue 8: NUL bytes in ids, queries, form fields and answers, and invalid UTF-8 in JSON bodies. */
@ExtendWith(PostgresExtension.class)
class NulInputTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final String ANSWERS = "/api/v1/candidate/answers/incident-postmortem";
  private static TestApp app;
  private static Vertx vertx;
  private static Browser candidate;
  private static Browser admin;
  private static String submissionId;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    Created submitted = app.invite("Sub Mitted", "submitted@example.com");
    Browser s = new Browser(vertx, app.port);
    await(s.get("/i/" + submitted.token()));
    await(s.put(ANSWERS, new JsonObject().put("rev", 1).put("sections", new JsonObject().put("summary", "done"))));
    submissionId = await(s.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");

    Created c = app.invite("Nul Person", "nul@example.com");
    candidate = new Browser(vertx, app.port);
    assertEquals(303, await(candidate.get("/i/" + c.token())).statusCode());
    await(app.app.accounts.add("Admin Nul", "admin-nul@example.com", PASSWORD, "admin"));
    admin = new Browser(vertx, app.port);
    await(admin.get("/login"));
    assertEquals(303, await(admin.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", "admin-nul@example.com").add("password", PASSWORD).add("_csrf", admin.cookie("XSRF-TOKEN"))))
        .statusCode());
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  private static void assertClientError(String what, HttpResponse<Buffer> r, boolean json) {
    assertTrue(r.statusCode() == 400 || r.statusCode() == 404, what + " answered " + r.statusCode() + ": " + r.bodyAsString());
    if (json) {
      JsonObject body = r.bodyAsJsonObject();
      assertNotNull(body.getString("error"), what);
      assertNotNull(body.getString("message"), what);
    }
    assertFalse(r.bodyAsString().contains("Exception"), what);
  }

  @Test
  @DisplayName("NUL (%00) in an id or a query answers 400/404 in the documented shape on every route, never 500")
  void nulInPathsAndQueries() {
    String sid = submissionId;
    List<String> candidateRoutes = List.of(
        "/api/v1/candidate/answers/%00",
        "/api/v1/candidate/answers/incident%00postmortem",
        "/candidate/exercises/%00",
        "/candidate/exercises/%00/evidence/0",
        "/api/v1/candidate?x=%00",
        "/static/js/answer%00.js",
        "/static/%00");
    List<String> adminRoutes = List.of(
        "/api/v1/review/queue?track=%00",
        "/api/v1/review/queue?exercise=%00",
        "/api/v1/review/queue?status=%00",
        "/review?track=%00",
        "/review?exercise=%00",
        "/api/v1/admin/audit?q=%00",
        "/api/v1/admin/audit?action=%00",
        "/admin/audit?q=%00",
        "/admin/audit?action=%00",
        "/api/v1/review/submissions/%00",
        "/api/v1/review/submissions/" + sid + "/exercises/%00",
        "/review/" + sid + "/%00",
        "/review/%00",
        "/api/v1/review/calibration/%00/strong",
        "/review/calibration/incident-postmortem/%00",
        "/api/v1/rubrics/%00",
        "/rubrics/%00");
    List<String> failures = new ArrayList<>();
    for (String path : candidateRoutes) {
      check(failures, "GET " + path, await(candidate.get(path)), path.startsWith("/api/"));
    }
    for (String path : adminRoutes) {
      check(failures, "GET " + path, await(admin.get(path)), path.startsWith("/api/"));
    }
    check(failures, "PUT answers/%00", await(candidate.put("/api/v1/candidate/answers/%00",
        new JsonObject().put("rev", 1).put("sections", new JsonObject()))), true);
    check(failures, "GET /i/%00", await(new Browser(vertx, app.port).get("/i/%00")), false);
    check(failures, "GET /setup/%00", await(new Browser(vertx, app.port).get("/setup/%00")), false);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  @DisplayName("a broken percent-escape in the path ('/%', '%zz') answers the readable 400 page or JSON, not the router's bare text")
  void brokenEscapeInPath() {
    for (String path : List.of("/%", "/review/x%zz", "/candidate/exercises/%e", "/api/v1/candidate/answers/%zz")) {
      HttpResponse<Buffer> r = await(admin.get(path));
      assertEquals(400, r.statusCode(), path + ": " + r.bodyAsString());
      if (path.startsWith("/api/")) {
        assertEquals("bad_request", r.bodyAsJsonObject().getString("error"), path);
      } else {
        assertTrue(r.bodyAsString().contains("<main"), path + " answers the site's error page: " + r.bodyAsString());
        assertTrue(r.bodyAsString().contains("could not be understood"), path);
      }
    }
  }

  private static void check(List<String> failures, String what, HttpResponse<Buffer> r, boolean json) {
    try {
      assertClientError(what, r, json);
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }

  @Test
  @DisplayName("a login email or password with a NUL is a wrong sign-in (4xx page), not a 500")
  void nulInLoginForm() {
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    HttpResponse<Buffer> r = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", "admin-nul@example.com\u0000").add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.bodyAsString());
    HttpResponse<Buffer> r2 = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", "x\u0000@example.com").add("password", "a\u0000b").add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertTrue(r2.statusCode() >= 400 && r2.statusCode() < 500, r2.statusCode() + " " + r2.bodyAsString());
  }

  @Test
  @DisplayName("an answer containing U+0000 is saved with U+FFFD instead, and the response says so")
  void nulInAnswerIsReplaced() {
    HttpResponse<Buffer> r = await(candidate.put(ANSWERS, new JsonObject().put("rev", 5)
        .put("sections", new JsonObject().put("summary", "before\u0000after"))));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonArray().add("nul"), r.bodyAsJsonObject().getJsonArray("replaced"));
    String stored = await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary");
    assertEquals("before\uFFFDafter", stored);
    HttpResponse<Buffer> clean = await(candidate.put(ANSWERS, new JsonObject().put("rev", 6)
        .put("sections", new JsonObject().put("summary", "clean"))));
    assertEquals(200, clean.statusCode());
    assertFalse(clean.bodyAsJsonObject().containsKey("replaced"), "no warning when nothing was replaced");
  }

  @Test
  @DisplayName("a lone surrogate escape (with or without a NUL after it) is saved as U+FFFD, never a 500; a surrogate pair is kept")
  void loneSurrogateIsReplaced() {
    // found by MalformedInputProperties: "\\uD800\\u0000" reached Postgres as bytes it refuses (invalid UTF-8 0xfd)
    String[][] cases = {
        {"\\uD800\\u0000", "\uFFFD\uFFFD"},
        {"a\\uDC00b", "a\uFFFDb"},
        {"x\\uDDF2\\uDEEE\\uDA41\\u0000", "x\uFFFD\uFFFD\uFFFD\uFFFD"},
        {"smile \\uD83D\\uDE00\\u0000", "smile \uD83D\uDE00\uFFFD"}};
    Created own = app.invite("Sur Rogate", "surrogate@example.com"); // its own answer: the other tests' revisions stay theirs
    Browser candidate = new Browser(vertx, app.port);
    assertEquals(303, await(candidate.get("/i/" + own.token())).statusCode());
    long rev = 1;
    for (String[] c : cases) {
      HttpResponse<Buffer> r = await(candidate.putRaw(ANSWERS, "{\"rev\": " + rev++ + ", \"sections\": {\"summary\": \"" + c[0] + "\"}}"));
      assertEquals(200, r.statusCode(), c[0] + ": " + r.bodyAsString());
      String stored = await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary");
      assertEquals(c[1], stored, c[0]);
    }
  }

  @Test
  @DisplayName("a NUL in the preview text or in a section key never gives a 500")
  void nulElsewhereInJson() {
    HttpResponse<Buffer> p = await(candidate.post("/api/v1/candidate/preview", new JsonObject().put("markdown", "a\u0000b")));
    assertEquals(200, p.statusCode(), p.bodyAsString());
    HttpResponse<Buffer> k = await(candidate.put(ANSWERS, new JsonObject().put("rev", 9)
        .put("sections", new JsonObject().put("sum\u0000mary", "x"))));
    assertEquals(400, k.statusCode(), k.bodyAsString());
    assertEquals("unknown_section", k.bodyAsJsonObject().getString("error"));
  }

  @Test
  @DisplayName("invalid UTF-8 in a JSON body is 400 malformed_json, and nothing is stored")
  void invalidUtf8() {
    byte[] prefix = "{\"rev\": 20, \"sections\": {\"summary\": \"caf".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] suffix = "\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte[] bad : List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        new byte[] {(byte) 0xC0, (byte) 0x80})) {
      Buffer body = Buffer.buffer().appendBytes(prefix).appendBytes(bad).appendBytes(suffix);
      HttpResponse<Buffer> r = await(candidate.putRaw(ANSWERS, body));
      assertEquals(400, r.statusCode(), r.bodyAsString());
      assertEquals("malformed_json", r.bodyAsJsonObject().getString("error"));
    }
    JsonObject a = await(candidate.get(ANSWERS)).bodyAsJsonObject();
    assertTrue(a.getLong("rev") < 20, "nothing stored: " + a);
  }
}
