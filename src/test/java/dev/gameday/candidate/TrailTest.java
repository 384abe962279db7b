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
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The investigation trail: recorded from the exercise page, bounded, sealed at submit, shown to its two readers only. */
@ExtendWith(PostgresExtension.class)
class TrailTest {
  private static final String EX = "incident-postmortem";
  private static final String TRAIL = "/api/v1/candidate/trail/" + EX;
  private static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger counter = new AtomicInteger();
  private static TestApp app;
  private static Vertx vertx;
  private static int files;

  private Created invitation;
  private Browser candidate;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    files = app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise().evidence().size();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  @BeforeEach
  void signIn() {
    invitation = app.invite("Tess Trail", "tess" + counter.incrementAndGet() + "@example.com");
    candidate = signedIn(invitation);
  }

  private static Browser signedIn(Created inv) {
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + inv.token())).statusCode());
    return b;
  }

  private static JsonObject event(String at, String kind, Object evidence, Object detail) {
    return new JsonObject().put("at", at).put("kind", kind).put("evidence", evidence).put("detail", detail);
  }

  private static JsonObject batch(JsonObject... events) {
    return new JsonObject().put("events", new JsonArray(List.of((Object[]) events)));
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(code, body.getString("error"), body.encode());
    assertNotNull(body.getString("message"));
    assertFalse(body.getString("message").contains("Exception"), body.encode());
  }

  private long stored() {
    return app.one("select count(*) as n from trail_events where invitation_id = $1", invitation.id()).orElseThrow().getLong("n");
  }

  /** Fills the exercise's trail up to n events directly, as if sent earlier. */
  private void prefill(int n) {
    app.sql("""
        insert into trail_events (invitation_id, exercise_id, at, kind, evidence, detail)
        select $1, $2, now() - make_interval(secs => g), 'filter', 0, 'text ' || g from generate_series(1, $3) g""",
        invitation.id(), EX, n);
  }

  private static String account(String role) {
    String email = role + counter.incrementAndGet() + "@example.com";
    await(app.app.accounts.add("Person " + counter.get(), email, PASSWORD, role));
    return email;
  }

  private static Browser reviewer() {
    String email = account("reviewer");
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    HttpResponse<Buffer> r = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    return b;
  }

  @Test
  @DisplayName("a batch of events is stored and reads back in the order they happened")
  void records() {
    HttpResponse<Buffer> r = await(candidate.post(TRAIL, batch(
        event("2026-12-01T09:02:00.500Z", "filter", 1, "text \u201cERROR\u201d"),
        event("2026-12-01T09:01:00Z", "opened", 1, ""),
        event("2026-12-01T09:03:00Z", "cite", 1, "line 42: ERROR pool exhausted"))));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(3, r.bodyAsJsonObject().getLong("stored"));
    JsonArray events = await(candidate.get(TRAIL)).bodyAsJsonObject().getJsonArray("events");
    assertEquals(List.of("opened", "filter", "cite"), events.stream().map(o -> ((JsonObject) o).getString("kind")).toList());
    JsonObject filter = events.getJsonObject(1);
    assertEquals("2026-12-01T09:02:00.500Z", filter.getString("at"));
    assertEquals(1, filter.getInteger("evidence"));
    assertEquals("text \u201cERROR\u201d", filter.getString("detail"));
  }

  @Test
  @DisplayName("a batch sent again (its answer was lost) stores nothing twice")
  void retriedBatch() {
    JsonObject b = batch(event("2026-12-01T09:01:00Z", "opened", 0, ""), event("2026-12-01T09:01:05Z", "table", 0, ""));
    assertEquals(2, await(candidate.post(TRAIL, b)).bodyAsJsonObject().getLong("stored"));
    HttpResponse<Buffer> again = await(candidate.post(TRAIL, b));
    assertEquals(200, again.statusCode());
    assertEquals(0, again.bodyAsJsonObject().getLong("stored"));
    assertEquals(2, stored());
  }

  @Test
  @DisplayName("bad input gets a 4xx in the error shape and stores nothing")
  void badInput() {
    String at = "2026-12-01T09:01:00Z";
    assertError(await(candidate.post(TRAIL, new JsonObject().put("events", "opened"))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, new JsonObject())), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, new JsonObject().put("events", new JsonArray().add(3)))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event(at, "keystroke", 0, "")))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event(at, "opened", files, "")))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event(at, "opened", -1, "")))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event(at, "opened", 0.5, "")))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event(at, "opened", "0", "")))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event("yesterday", "opened", 0, "")))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event(at, "opened", 0, 7)))), 400, "invalid_events");
    assertError(await(candidate.post(TRAIL, batch(event(at, "filter", 0, "x".repeat(Trails.MAX_DETAIL + 1))))), 400,
        "invalid_events");
    JsonObject[] many = new JsonObject[Trails.MAX_PER_REQUEST + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = event(Instant.parse(at).plusSeconds(i).toString(), "opened", 0, "");
    }
    assertError(await(candidate.post(TRAIL, batch(many))), 413, "too_large");
    assertError(await(candidate.raw(io.vertx.core.http.HttpMethod.POST, TRAIL, "application/json",
        Buffer.buffer("{\"events\": ["))), 400, "malformed_json");
    assertError(await(candidate.post("/api/v1/candidate/trail/no-such-exercise", batch(event(at, "opened", 0, "")))),
        404, "unknown_exercise");
    assertEquals(0, stored());
    // the longest detail allowed, in 4-byte characters, is taken
    String emoji = "\uD83D\uDE00".repeat(Trails.MAX_DETAIL);
    assertEquals(200, await(candidate.post(TRAIL, batch(event(at, "filter", 0, emoji)))).statusCode());
  }

  @Test
  @DisplayName("without a session 401, without the CSRF token 403, nothing stored")
  void authority() {
    JsonObject b = batch(event("2026-12-01T09:01:00Z", "opened", 0, ""));
    assertError(await(new Browser(vertx, app.port).post(TRAIL, b)), 401, "no_session");
    assertError(await(new Browser(vertx, app.port).get(TRAIL)), 401, "no_session");
    assertError(await(candidate.withoutCsrf().post(TRAIL, b)), 403, "csrf");
    assertEquals(0, stored());
  }

  @Test
  @DisplayName("an exercise's trail holds at most 2,000 events: a batch fills what is left, then 409 trail_full")
  void cap() {
    prefill(Trails.MAX_PER_EXERCISE - 10);
    JsonObject[] twenty = new JsonObject[20];
    for (int i = 0; i < twenty.length; i++) {
      twenty[i] = event(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i).toString(), "zoom", 0, "zoom " + i);
    }
    HttpResponse<Buffer> r = await(candidate.post(TRAIL, batch(twenty)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(10, r.bodyAsJsonObject().getLong("stored"));
    assertTrue(r.bodyAsJsonObject().getBoolean("full"));
    assertError(await(candidate.post(TRAIL, batch(event("2026-12-01T11:00:00Z", "cite", 0, "one more")))), 409, "trail_full");
    assertEquals(Trails.MAX_PER_EXERCISE, stored());
    // another exercise has room of its own
    assertEquals(200, await(candidate.post("/api/v1/candidate/trail/oncall-triage",
        batch(event("2026-12-01T11:00:00Z", "opened", 0, "")))).statusCode());
  }

  @Test
  @DisplayName("two batches at once (two tabs) do not take the trail past the cap")
  void capUnderConcurrency() {
    prefill(Trails.MAX_PER_EXERCISE - 50);
    JsonObject[] a = new JsonObject[100];
    JsonObject[] b = new JsonObject[100];
    for (int i = 0; i < 100; i++) {
      a[i] = event(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i).toString(), "cite", 0, "tab a " + i);
      b[i] = event(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i).toString(), "cite", 0, "tab b " + i);
    }
    Browser second = signedIn(invitation);
    Future<HttpResponse<Buffer>> one = candidate.post(TRAIL, batch(a));
    Future<HttpResponse<Buffer>> two = second.post(TRAIL, batch(b));
    await(Future.join(one, two));
    assertEquals(Trails.MAX_PER_EXERCISE, stored());
  }

  @Test
  @DisplayName("the sealed snapshot carries every exercise's trail, its SHA-256 matches the receipt, and later events are refused with 409")
  void sealed() {
    await(candidate.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool ran dry."))));
    await(candidate.post(TRAIL, batch(event("2026-12-01T09:01:00Z", "opened", 2, ""),
        event("2026-12-01T09:02:00Z", "cite", 2, "line 7: sealed-marker"))));
    JsonObject receipt = await(candidate.post("/api/v1/candidate/submit", null)).bodyAsJsonObject();
    String snapshot = app.one("select snapshot from submissions where invitation_id = $1", invitation.id()).orElseThrow()
        .getString("snapshot");
    assertEquals(Tokens.sha256Hex(snapshot.getBytes(StandardCharsets.UTF_8)), receipt.getString("sha256"));
    JsonArray exercises = new JsonObject(snapshot).getJsonArray("exercises");
    for (Object o : exercises) {
      assertTrue(((JsonObject) o).getValue("trail") instanceof JsonArray, "every exercise has its trail: " + o);
    }
    JsonObject mine = exercises.stream().map(o -> (JsonObject) o).filter(e -> e.getString("exerciseId").equals(EX))
        .findFirst().orElseThrow();
    assertEquals(new JsonArray().add(event("2026-12-01T09:01:00Z", "opened", 2, ""))
        .add(event("2026-12-01T09:02:00Z", "cite", 2, "line 7: sealed-marker")), mine.getJsonArray("trail"));
    assertError(await(candidate.post(TRAIL, batch(event("2026-12-01T09:03:00Z", "opened", 0, "")))), 409, "submitted");
    assertEquals(2, stored());
  }

  @Test
  @DisplayName("after the deadline events are refused with 410")
  void expired() {
    app.sql("update invitations set closes_at = now() - interval '1 second' where id = $1", invitation.id());
    assertError(await(candidate.post(TRAIL, batch(event("2026-12-01T09:03:00Z", "opened", 0, "")))), 410, "expired");
  }

  @Test
  @DisplayName("the exercise page says what is recorded and loads the recorder; the overview lists it under what we record")
  void candidateIsTold() {
    String page = await(candidate.get("/candidate/exercises/" + EX)).bodyAsString();
    assertTrue(page.contains("Your investigation is recorded."), "the notice is on the page");
    assertTrue(page.contains("/static/js/trail.js"));
    assertTrue(page.contains("data-evidence=\"0\""));
    assertTrue(await(candidate.get("/candidate")).bodyAsString().contains("Your investigation trail"));
    await(candidate.post("/api/v1/candidate/submit", null));
    assertFalse(await(candidate.get("/candidate/exercises/" + EX)).bodyAsString().contains("/static/js/trail.js"),
        "nothing is recorded once submitted");
  }

  @Test
  @DisplayName("an exercise page with CSV evidence links uPlot's stylesheet as well as its script (without it the charts overlap their legends)")
  void chartStylesheetLinked() {
    String page = await(candidate.get("/candidate/exercises/" + EX)).bodyAsString();
    assertTrue(page.contains("/dist/uPlot.iife.min.js"), "the chart script");
    assertTrue(page.contains("<link rel=\"stylesheet\" href=\"/webjars/uplot/1.6.30/dist/uPlot.min.css\">"),
        "the chart stylesheet");
  }

  @Test
  @DisplayName("the candidate sees their trail as a timeline on the review page before submitting")
  void candidateView() {
    await(candidate.post(TRAIL, batch(event("2026-12-01T09:01:00Z", "opened", 1, ""),
        event("2026-12-01T09:02:00Z", "filter", 1, "text \u201cmy-review-marker\u201d"),
        event("2026-12-01T09:02:30Z", "cite", 1, "line 9: x"),
        event("2026-12-01T09:02:31Z", "cite", 1, "line 9: x"))));
    String page = await(candidate.get("/candidate/review")).bodyAsString();
    assertTrue(page.contains("Your investigation trail"));
    assertTrue(page.contains("my-review-marker"), "the filter is listed");
    assertTrue(page.contains("4 events, 2026-12-01 09:01:00 to 09:02:31 UTC"), "the span is given");
    assertTrue(page.contains("(2 times)"), "the same event twice in a row is one line with a count");
    assertTrue(page.contains("Nothing recorded yet"), "an exercise without events says so");
  }

  @Test
  @DisplayName("reviewers see the sealed trail beside the answer, on the scoring page and in the item JSON")
  void reviewerView() {
    await(candidate.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Answer."))));
    await(candidate.post(TRAIL, batch(event("2026-12-01T09:01:00Z", "opened", 0, ""),
        event("2026-12-01T09:05:00Z", "zoom", 0, "reviewer-marker 09:00 to 09:30 UTC"))));
    String sid = await(candidate.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Browser reviewer = reviewer();
    JsonObject item = await(reviewer.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX)).bodyAsJsonObject();
    JsonArray trail = item.getJsonArray("trail");
    assertEquals(2, trail.size(), item.encode());
    assertEquals("reviewer-marker 09:00 to 09:30 UTC", trail.getJsonObject(1).getString("detail"));
    assertEquals("zoom", trail.getJsonObject(1).getString("kind"));
    String page = await(reviewer.get("/review/" + sid + "/" + EX)).bodyAsString();
    assertTrue(page.contains("Investigation trail"));
    assertTrue(page.contains("reviewer-marker"));
    assertTrue(page.contains("about 4 minutes"), "the span in minutes");
  }

  @Test
  @DisplayName("a snapshot sealed before trails existed stays valid: its hash is unchanged and reviewers read 'not recorded'")
  void olderSnapshot() {
    await(candidate.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Old answer."))));
    String sid = await(candidate.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    // rewrite it as the earlier code sealed it: no "trail" key
    JsonObject snap = new JsonObject(app.one("select snapshot from submissions where id = $1::uuid", sid).orElseThrow()
        .getString("snapshot"));
    snap.getJsonArray("exercises").forEach(o -> ((JsonObject) o).remove("trail"));
    String old = snap.encode();
    String sha = Tokens.sha256Hex(old.getBytes(StandardCharsets.UTF_8));
    app.sql("update submissions set snapshot = $2, sha256 = $3 where id = $1::uuid", sid, old, sha);
    Browser reviewer = reviewer();
    HttpResponse<Buffer> r = await(reviewer.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().containsKey("trail"));
    assertNull(r.bodyAsJsonObject().getValue("trail"));
    assertTrue(r.bodyAsJsonObject().encode().contains("Old answer."));
    String page = await(reviewer.get("/review/" + sid + "/" + EX)).bodyAsString();
    assertTrue(page.contains("Not recorded: this answer was submitted before Gameday recorded investigation trails."));
    assertEquals(old, app.one("select snapshot from submissions where id = $1::uuid", sid).orElseThrow().getString("snapshot"));
    assertEquals(sha, app.one("select sha256 from submissions where id = $1::uuid", sid).orElseThrow().getString("sha256"));
  }

  @Test
  @DisplayName("no trail data reaches anyone else: anonymous requests, another candidate, public pages, a candidate on reviewer routes")
  void noLeak() {
    String marker = "leak-marker-" + counter.incrementAndGet();
    await(candidate.post(TRAIL, batch(event("2026-12-01T09:01:00Z", "filter", 0, marker))));
    String sid = await(candidate.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");

    Browser anonymous = new Browser(vertx, app.port);
    Browser other = signedIn(app.invite("Otto Other", "otto" + counter.incrementAndGet() + "@example.com"));
    List<String> publicPaths = List.of("/", "/rubrics", "/rubrics/" + EX, "/api/v1/rubrics", "/api/v1/rubrics/" + EX,
        "/health", "/ready", "/login");
    for (String p : publicPaths) {
      assertFalse(await(anonymous.get(p)).bodyAsString().contains(marker), p);
      assertFalse(await(other.get(p)).bodyAsString().contains(marker), p);
    }
    for (String p : List.of(TRAIL, "/candidate/review", "/candidate/exercises/" + EX, "/api/v1/candidate",
        "/api/v1/candidate/answers/" + EX)) {
      HttpResponse<Buffer> mineNot = await(other.get(p));
      assertEquals(200, mineNot.statusCode(), p);
      assertFalse(mineNot.bodyAsString().contains(marker), "another candidate reads only their own: " + p);
      HttpResponse<Buffer> anon = await(anonymous.get(p));
      assertEquals(401, anon.statusCode(), p);
      assertFalse(anon.bodyAsString().contains(marker), p);
    }
    assertEquals(0, await(other.get(TRAIL)).bodyAsJsonObject().getJsonArray("events").size());
    String item = "/api/v1/review/submissions/" + sid + "/exercises/" + EX;
    for (String p : List.of(item, "/review/" + sid + "/" + EX, "/api/v1/review/submissions/" + sid, "/api/v1/admin/export.csv")) {
      HttpResponse<Buffer> anon = await(anonymous.get(p));
      assertEquals(401, anon.statusCode(), p);
      assertFalse(anon.bodyAsString().contains(marker), p);
      HttpResponse<Buffer> cand = await(other.get(p));
      assertEquals(403, cand.statusCode(), p);
      assertFalse(cand.bodyAsString().contains(marker), p);
    }
    assertTrue(await(reviewer().get(item)).bodyAsString().contains(marker), "the test is not vacuous: reviewers do see it");
  }
}
