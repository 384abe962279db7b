package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, PostgresExtension.class})
class CandidateApiTest {
  private static final String ANSWERS = "/api/v1/candidate/answers/incident-postmortem";
  private static TestApp app;
  private static Vertx vertx;

  private Browser candidate;
  private Created invitation;

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

  @BeforeEach
  void signIn() {
    invitation = app.invite("Ada Example", "ada@example.com");
    candidate = new Browser(vertx, app.port);
    HttpResponse<Buffer> r = await(candidate.get("/i/" + invitation.token()));
    assertEquals(303, r.statusCode());
  }

  private static JsonObject save(long rev, String section, String text) {
    return new JsonObject().put("rev", rev).put("sections", new JsonObject().put(section, text));
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(code, body.getString("error"));
    assertNotNull(body.getString("message"));
    assertFalse(body.getString("message").contains("Exception"), "no stack trace or exception name in " + body);
  }

  @Test
  @DisplayName("the invitation link sets a session cookie and redirects to /candidate without the token")
  void invitationLinkRedirects() {
    Browser fresh = new Browser(vertx, app.port);
    HttpResponse<Buffer> r = await(fresh.get("/i/" + invitation.token()));
    assertEquals(303, r.statusCode());
    assertEquals("/candidate", r.getHeader("Location"));
    assertNotNull(fresh.cookie("gameday"));
    String setCookie = r.cookies().stream().filter(c -> c.startsWith("gameday=")).findFirst().orElseThrow();
    assertTrue(setCookie.toLowerCase().contains("httponly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
    assertEquals(200, await(fresh.get("/candidate")).statusCode());
  }

  @Test
  @DisplayName("an unknown token gets a 404 page that reveals nothing")
  void unknownToken() {
    HttpResponse<Buffer> r = await(new Browser(vertx, app.port).get("/i/" + "x".repeat(43)));
    assertEquals(404, r.statusCode());
    assertTrue(r.bodyAsString().contains("This link is not valid"));
    assertNull(r.getHeader("Set-Cookie"));
  }

  @Test
  @DisplayName("an expired token gets the same 404 page")
  void expiredToken() {
    Created other = app.invite("Late Person", "late@example.com");
    app.sql("update invitations set deadline = now() - interval '1 minute', closes_at = now() - interval '1 minute' where id = $1", other.id());
    HttpResponse<Buffer> r = await(new Browser(vertx, app.port).get("/i/" + other.token()));
    assertEquals(404, r.statusCode());
    assertTrue(r.bodyAsString().contains("This link is not valid"));
  }

  @Test
  @DisplayName("the same link works on a second device, and both see the same saved text")
  void secondDevice() {
    assertEquals(200, await(candidate.put(ANSWERS, save(1, "summary", "written on the laptop"))).statusCode());
    Browser phone = new Browser(vertx, app.port);
    assertEquals(303, await(phone.get("/i/" + invitation.token())).statusCode());
    JsonObject answer = await(phone.get(ANSWERS)).bodyAsJsonObject();
    assertEquals(1, answer.getLong("rev"));
    assertEquals("written on the laptop", answer.getJsonObject("sections").getString("summary"));
  }

  @Test
  @DisplayName("GET /api/v1/candidate lists every exercise with id, title, status and rev, the deadline and submitted")
  void overviewJson() {
    await(candidate.put(ANSWERS, save(3, "summary", "started")));
    JsonObject o = await(candidate.get("/api/v1/candidate")).bodyAsJsonObject();
    assertEquals(5, o.getJsonArray("exercises").size());
    JsonObject first = o.getJsonArray("exercises").getJsonObject(0);
    assertEquals("incident-postmortem", first.getString("id"));
    assertEquals("in_progress", first.getString("status"));
    assertEquals(3, first.getLong("rev"));
    assertNotNull(first.getString("title"));
    assertEquals("not_started", o.getJsonArray("exercises").getJsonObject(1).getString("status"));
    assertNotNull(o.getString("deadline"));
    assertFalse(o.getBoolean("submitted"));
    assertFalse(o.encode().contains("ada@example.com"), "the overview does not echo identity it does not need");
  }

  @Test
  @DisplayName("words written count every section, also when saves send one section at a time (stored counts merged like the text)")
  void wordsWritten() {
    await(candidate.put(ANSWERS, save(11, "summary", "one two three")));
    JsonObject saved = new JsonObject().put("rev", 12).put("sections", new JsonObject().put("timeline", "  four\n\tfive  "));
    assertEquals(200, await(candidate.put(ANSWERS, saved)).statusCode());
    JsonObject first = await(candidate.get("/api/v1/candidate")).bodyAsJsonObject().getJsonArray("exercises").getJsonObject(0);
    assertEquals(5, first.getInteger("words"));
    await(candidate.put(ANSWERS, save(13, "summary", "")));
    assertEquals(2, await(candidate.get("/api/v1/candidate")).bodyAsJsonObject().getJsonArray("exercises").getJsonObject(0).getInteger("words"));
    assertTrue(await(candidate.get("/candidate")).bodyAsString().contains("In progress, 2 words"));
  }

  @Test
  @DisplayName("the save's word count (Java) and the migration's backfill (gameday_word_count in SQL) agree")
  void wordCountsAgree() {
    for (String t : List.of("", "   ", "one", " one  two ", "a\tb\nc\r\nd", "14:06 2.3 % -- x", "ünïcode wörds – dash", "x\fy\u000Bz", "love lives")) {
      int sql = app.one("select gameday_word_count($1) as n", t).orElseThrow().getInteger("n");
      assertEquals(sql, Answers.wordCount(t), "'" + t + "'");
    }
  }

  @Test
  @DisplayName("without a session every candidate endpoint answers 401 with a JSON error")
  void noSession() {
    Browser stranger = new Browser(vertx, app.port);
    assertError(await(stranger.get("/api/v1/candidate")), 401, "no_session");
    assertError(await(stranger.get(ANSWERS)), 401, "no_session");
    assertError(await(stranger.put(ANSWERS, save(1, "summary", "x"))), 401, "no_session");
    assertError(await(stranger.post("/api/v1/candidate/submit", null)), 401, "no_session");
    assertEquals(401, await(stranger.get("/candidate")).statusCode());
  }

  @Test
  @DisplayName("GET answers lists every section of the exercise, empty when unwritten")
  void answersListEverySection() {
    JsonObject a = await(candidate.get(ANSWERS)).bodyAsJsonObject();
    assertEquals(0, a.getLong("rev"));
    Set<String> ids = app.app.catalog.track("sre-senior").orElseThrow().versions().get(0).exercise().sections().stream()
        .map(s -> s.id()).collect(Collectors.toSet());
    assertEquals(ids, a.getJsonObject("sections").fieldNames());
    a.getJsonObject("sections").forEach(e -> assertEquals("", e.getValue()));
  }

  @Test
  @DisplayName("a save returns the rev and savedAt, and the text reads back")
  void saveAndRead() {
    HttpResponse<Buffer> r = await(candidate.put(ANSWERS, save(1, "summary", "The registry failed.")));
    assertEquals(200, r.statusCode());
    assertEquals(1, r.bodyAsJsonObject().getLong("rev"));
    assertNotNull(r.bodyAsJsonObject().getString("savedAt"));
    JsonObject a = await(candidate.get(ANSWERS)).bodyAsJsonObject();
    assertEquals("The registry failed.", a.getJsonObject("sections").getString("summary"));
  }

  @Test
  @DisplayName("a stale autosave is refused with 409 stale_rev carrying the stored rev, and keeps the newer text")
  void staleRevision() {
    await(candidate.put(ANSWERS, save(5, "summary", "newer text")));
    HttpResponse<Buffer> r = await(candidate.put(ANSWERS, save(4, "summary", "older text")));
    assertError(r, 409, "stale_rev");
    assertEquals(5, r.bodyAsJsonObject().getLong("rev"));
    assertEquals("newer text", await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary"));
  }

  @Test
  @DisplayName("a duplicated request gets the same answer as the first and stores nothing twice")
  void duplicateRequest() {
    HttpResponse<Buffer> first = await(candidate.put(ANSWERS, save(2, "summary", "same")));
    HttpResponse<Buffer> again = await(candidate.put(ANSWERS, save(2, "summary", "same")));
    assertEquals(200, again.statusCode());
    assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
    assertEquals(1L, app.one("select count(*) as n from answer_section_history where invitation_id = $1", invitation.id())
        .orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("accepted revisions reach the history (one row per section per minute, its newest text); refused ones do not")
  void history() {
    await(candidate.put(ANSWERS, save(1, "summary", "one")));
    app.sql("update answer_section_history set started_at = started_at - interval '1 hour' where invitation_id = $1",
        invitation.id());
    await(candidate.put(ANSWERS, save(2, "summary", "two")));
    await(candidate.put(ANSWERS, save(1, "summary", "late")));
    List<String> texts = app.sql("select text as t from answer_section_history where invitation_id = $1 order by rev",
        invitation.id()).stream().map(r -> r.getString("t")).toList();
    assertEquals(List.of("one", "two"), texts);
  }

  @Test
  @DisplayName("saving one section keeps the other sections' text")
  void partialSaveMerges() {
    await(candidate.put(ANSWERS, save(1, "summary", "summary text")));
    await(candidate.put(ANSWERS, save(2, "impact", "impact text")));
    JsonObject s = await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections");
    assertEquals("summary text", s.getString("summary"));
    assertEquals("impact text", s.getString("impact"));
  }

  @Test
  @DisplayName("two overlapping saves with the same CSRF token both succeed (the token does not rotate)")
  void overlappingSaves() {
    Future<HttpResponse<Buffer>> a = candidate.put(ANSWERS, save(1, "summary", "first"));
    Future<HttpResponse<Buffer>> b = candidate.put("/api/v1/candidate/answers/scaling-plan", save(1, "assumptions", "second"));
    assertEquals(200, await(a).statusCode());
    assertEquals(200, await(b).statusCode());
  }

  @Test
  @DisplayName("a state change without the CSRF token is refused with 403 and changes nothing")
  void missingCsrf() {
    Browser noToken = new Browser(vertx, app.port).withoutCsrf();
    await(noToken.get("/i/" + invitation.token()));
    assertError(await(noToken.put(ANSWERS, save(1, "summary", "forged"))), 403, "csrf");
    assertError(await(noToken.post("/api/v1/candidate/submit", null)), 403, "csrf");
    assertEquals(0, await(candidate.get(ANSWERS)).bodyAsJsonObject().getLong("rev"));
  }

  @Test
  @DisplayName("a request from another origin is refused even with the token")
  void crossOrigin() {
    HttpResponse<Buffer> r = await(candidate.get("/api/v1/candidate", java.util.Map.of()));
    assertEquals(200, r.statusCode());
    var client = io.vertx.ext.web.client.WebClient.create(vertx);
    HttpResponse<Buffer> forged = await(client.put(app.port, "localhost", ANSWERS)
        .putHeader("Origin", "https://evil.example")
        .putHeader("Cookie", "gameday=" + candidate.cookie("gameday") + "; XSRF-TOKEN=" + candidate.cookie("XSRF-TOKEN"))
        .putHeader("X-XSRF-TOKEN", candidate.cookie("XSRF-TOKEN"))
        .putHeader("Content-Type", "application/json")
        .sendBuffer(save(1, "summary", "forged").toBuffer()));
    assertError(forged, 403, "csrf");
  }

  @Test
  @DisplayName("an unknown section is refused with 400 and nothing is stored")
  void unknownSection() {
    assertError(await(candidate.put(ANSWERS, save(1, "no-such-section", "x"))), 400, "unknown_section");
    assertEquals(0, await(candidate.get(ANSWERS)).bodyAsJsonObject().getLong("rev"));
  }

  @Test
  @DisplayName("an unknown exercise is 404 for reading and saving")
  void unknownExercise() {
    assertError(await(candidate.get("/api/v1/candidate/answers/nope")), 404, "unknown_exercise");
    assertError(await(candidate.put("/api/v1/candidate/answers/nope", save(1, "summary", "x"))), 404, "unknown_exercise");
  }

  @Test
  @DisplayName("malformed JSON, a missing rev and a non-text section are 400s")
  void malformed() {
    assertError(await(candidate.putRaw(ANSWERS, "{\"rev\": 1, ")), 400, "malformed_json");
    assertError(await(candidate.putRaw(ANSWERS, "[1, 2]")), 400, "malformed_json");
    assertError(await(candidate.put(ANSWERS, new JsonObject().put("sections", new JsonObject()))), 400, "invalid_rev");
    assertError(await(candidate.put(ANSWERS, new JsonObject().put("rev", 1.5).put("sections", new JsonObject()))), 400, "invalid_rev");
    assertError(await(candidate.put(ANSWERS, new JsonObject().put("rev", 1).put("sections", "text"))), 400, "invalid_sections");
    assertError(await(candidate.put(ANSWERS, new JsonObject().put("rev", 1).put("sections", new JsonObject().put("summary", 5)))), 400, "invalid_sections");
  }

  @Test
  @DisplayName("a 100,000-character section is accepted and read back whole")
  void largestSection() {
    String text = "é".repeat(50_000) + "x".repeat(50_000);
    assertEquals(200, await(candidate.put(ANSWERS, save(1, "summary", text))).statusCode());
    assertEquals(text, await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary"));
  }

  @Test
  @DisplayName("a section over 100,000 characters is refused with 413 and the stored text stays")
  void tooLongSection() {
    await(candidate.put(ANSWERS, save(1, "summary", "kept")));
    assertError(await(candidate.put(ANSWERS, save(2, "summary", "x".repeat(100_001)))), 413, "too_large");
    assertEquals("kept", await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary"));
  }

  @Test
  @DisplayName("a body over the limit is refused with 413 JSON")
  void oversizedBody() {
    String big = "{\"rev\": 1, \"sections\": {\"summary\": \"" + "x".repeat(6 * 1024 * 1024) + "\"}}";
    assertError(await(candidate.putRaw(ANSWERS, big)), 413, "too_large");
  }

  @Test
  @DisplayName("submit returns a receipt whose SHA-256 matches the sealed snapshot, and repeating it returns the same receipt")
  void submitOnce() throws Exception {
    await(candidate.put(ANSWERS, save(1, "summary", "final words")));
    HttpResponse<Buffer> first = await(candidate.post("/api/v1/candidate/submit", null));
    assertEquals(200, first.statusCode());
    JsonObject receipt = first.bodyAsJsonObject();
    assertNotNull(receipt.getString("submissionId"));
    assertNotNull(receipt.getString("submittedAt"));
    String snapshot = app.one("select snapshot from submissions where invitation_id = $1", invitation.id()).orElseThrow().getString("snapshot");
    assertEquals(dev.gameday.web.Tokens.sha256Hex(snapshot.getBytes(java.nio.charset.StandardCharsets.UTF_8)), receipt.getString("sha256"));
    assertTrue(snapshot.contains("final words"));
    assertFalse(snapshot.contains("ada@example.com") || snapshot.contains("Ada Example"), "the snapshot carries no identity");
    assertEquals(receipt, await(candidate.post("/api/v1/candidate/submit", null)).bodyAsJsonObject());
    assertTrue(await(candidate.get("/api/v1/candidate")).bodyAsJsonObject().getBoolean("submitted"));
  }

  @Test
  @DisplayName("two concurrent submits produce one submission and the same receipt")
  void concurrentSubmits() {
    await(candidate.put(ANSWERS, save(1, "summary", "racing")));
    Future<HttpResponse<Buffer>> a = candidate.post("/api/v1/candidate/submit", null);
    Future<HttpResponse<Buffer>> b = candidate.post("/api/v1/candidate/submit", null);
    JsonObject ra = await(a).bodyAsJsonObject();
    JsonObject rb = await(b).bodyAsJsonObject();
    assertEquals(ra, rb);
    assertEquals(1L, app.one("select count(*) as n from submissions where invitation_id = $1", invitation.id()).orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("a save after submit is refused with 409 submitted, and the sealed text is unchanged")
  void saveAfterSubmit() {
    await(candidate.put(ANSWERS, save(1, "summary", "sealed")));
    await(candidate.post("/api/v1/candidate/submit", null));
    assertError(await(candidate.put(ANSWERS, save(2, "summary", "too late"))), 409, "submitted");
    assertEquals("sealed", await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary"));
  }

  @Test
  @DisplayName("after submit the invitation link leads to the receipt (issue 21), and nothing can be changed through it")
  void linkAfterSubmit() {
    await(candidate.post("/api/v1/candidate/submit", null));
    Browser other = new Browser(vertx, app.port);
    HttpResponse<Buffer> r = await(other.get("/i/" + invitation.token()));
    assertEquals(303, r.statusCode());
    assertEquals("/candidate/receipt", r.getHeader("Location"));
    assertError(await(other.put(ANSWERS, save(5, "summary", "changed later"))), 409, "submitted");
  }

  @Test
  @DisplayName("a save after the deadline is refused with 410 expired, enforced by the server")
  void saveAfterDeadline() {
    await(candidate.put(ANSWERS, save(1, "summary", "in time")));
    app.sql("update invitations set closes_at = now() - interval '1 second' where id = $1", invitation.id());
    assertError(await(candidate.put(ANSWERS, save(2, "summary", "late"))), 410, "expired");
    assertError(await(candidate.post("/api/v1/candidate/submit", null)), 410, "expired");
    assertEquals("in time", await(candidate.get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary"));
  }

  @Test
  @DisplayName("a time limit starts when the link is first opened and closes answers before the deadline")
  void timeLimit() {
    Created timed = inviteWithTimeLimit();
    Browser b = new Browser(vertx, app.port);
    await(b.get("/i/" + timed.token()));
    var row = app.one("select closes_at < deadline as early, closes_at > now() + interval '50 minutes' as later,"
        + " closes_at < now() + interval '70 minutes' as sooner from invitations where id = $1", timed.id()).orElseThrow();
    assertTrue(row.getBoolean("early") && row.getBoolean("later") && row.getBoolean("sooner"));
  }

  @Test
  @DisplayName("a time multiplier stretches the deadline window and never reaches the candidate's JSON")
  void timeMultiplier() {
    Created c = await(app.app.invitations.create("sre-senior", "Extra Time", "extra@example.com", 10,
        new java.math.BigDecimal("1.5"), false));
    var row = app.one("select deadline > now() + interval '14 days 23 hours' as later,"
        + " deadline < now() + interval '15 days 1 hour' as sooner from invitations where id = $1", c.id()).orElseThrow();
    assertTrue(row.getBoolean("later") && row.getBoolean("sooner"), "10 days x 1.5 = 15 days");
    Browser b = new Browser(vertx, app.port);
    await(b.get("/i/" + c.token()));
    String json = await(b.get("/api/v1/candidate")).bodyAsString();
    // timestamps can contain the digits "1.5" ("...:11.583Z"): look for the multiplier as a value of its own
    String values = json.replaceAll("\"\\d{4}-\\d{2}-\\d{2}T[^\"]*\"", "\"time\"");
    assertFalse(values.matches("(?s).*(?<![\\d.])1\\.50?(?![\\d]).*") || json.contains("multiplier"), json);
  }

  private Created inviteWithTimeLimit() {
    Created c = app.invite("Timed Person", "timed@example.com");
    app.sql("update invitations set time_limit_minutes = 60 where id = $1", c.id());
    return c;
  }

  @Test
  @DisplayName("the preview renders Markdown safely: no script, no javascript: or data: links")
  void preview() {
    JsonObject r = await(candidate.post("/api/v1/candidate/preview", new JsonObject().put("markdown",
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) [y](data:text/html,hi) [ok](https://example.com)")))
        .bodyAsJsonObject();
    String html = r.getString("html");
    assertTrue(html.contains("<strong>bold</strong>"), html);
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("javascript:"), html);
    assertFalse(html.contains("data:text"), html);
    assertTrue(html.contains("href=\"https://example.com\""), html);
  }

  @Test
  @DisplayName("every candidate page renders: overview, each exercise, review, and the receipt after submit")
  void pages() {
    HttpResponse<Buffer> overview = await(candidate.get("/candidate"));
    assertEquals(200, overview.statusCode());
    assertTrue(overview.bodyAsString().contains("Senior Service Reliability Engineer"));
    assertTrue(overview.bodyAsString().contains("What we record"));
    for (var v : app.app.catalog.track("sre-senior").orElseThrow().versions()) {
      HttpResponse<Buffer> page = await(candidate.get("/candidate/exercises/" + v.exercise().id()));
      assertEquals(200, page.statusCode(), v.exercise().id());
      assertTrue(page.bodyAsString().contains(v.exercise().sections().get(0).title()));
      assertTrue(page.bodyAsString().contains("What we look for"));
    }
    assertEquals(404, await(candidate.get("/candidate/exercises/nope")).statusCode());
    assertEquals(303, await(candidate.get("/candidate/receipt")).statusCode(), "no receipt before submitting");
    HttpResponse<Buffer> review = await(candidate.get("/candidate/review"));
    assertEquals(200, review.statusCode());
    HttpResponse<Buffer> submitted = await(candidate.postForm("/candidate/submit",
        MultiMap.caseInsensitiveMultiMap().add("_csrf", candidate.cookie("XSRF-TOKEN"))));
    assertEquals(303, submitted.statusCode());
    HttpResponse<Buffer> receipt = await(candidate.get("/candidate/receipt"));
    assertEquals(200, receipt.statusCode());
    String sha = app.one("select sha256 from submissions where invitation_id = $1", invitation.id()).orElseThrow().getString("sha256");
    assertTrue(receipt.bodyAsString().contains(sha));
  }

  @Test
  @DisplayName("evidence files are served to the candidate with an ETag, and a matching ETag gets 304")
  void evidence() {
    HttpResponse<Buffer> r = await(candidate.get("/candidate/exercises/incident-postmortem/evidence/0"));
    assertEquals(200, r.statusCode());
    assertTrue(r.body().length() > 1000);
    String etag = r.getHeader("ETag");
    assertNotNull(etag);
    assertEquals(304, await(candidate.get("/candidate/exercises/incident-postmortem/evidence/0",
        java.util.Map.of("If-None-Match", etag))).statusCode());
    assertEquals(404, await(candidate.get("/candidate/exercises/incident-postmortem/evidence/99")).statusCode());
    assertEquals(401, await(new Browser(vertx, app.port).get("/candidate/exercises/incident-postmortem/evidence/0")).statusCode());
  }

  @Test
  @DisplayName("pages carry CSP, nosniff, Referrer-Policy and frame-ancestors")
  void securityHeaders() {
    HttpResponse<Buffer> r = await(candidate.get("/candidate"));
    String csp = r.getHeader("Content-Security-Policy");
    assertTrue(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
    assertEquals("no-referrer", r.getHeader("Referrer-Policy"));
  }

  @Test
  @DisplayName("/health answers while the process is up and /ready while Postgres is reachable")
  void healthAndReady() {
    Browser b = new Browser(vertx, app.port);
    assertEquals(200, await(b.get("/health")).statusCode());
    HttpResponse<Buffer> ready = await(b.get("/ready"));
    assertEquals(200, ready.statusCode());
    assertEquals("ready", ready.bodyAsJsonObject().getString("status"));
  }
}
