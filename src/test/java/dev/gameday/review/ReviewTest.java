package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.Model.Criterion;
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
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, PostgresExtension.class})
class ReviewTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String EX = "incident-postmortem";
  static final String PLANTED_NAME = "Zebulon Plantedname";
  static final String PLANTED_EMAIL = "zebulon.planted@example.com";
  static TestApp app;
  static Vertx vertx;
  static List<Criterion> rubric;
  static final AtomicInteger counter = new AtomicInteger();

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    rubric = app.app.catalog.track("sre-senior").orElseThrow().versions().get(0).exercise().rubric();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  // ---- helpers

  static String account(String role) {
    return app.account(role);
  }

  static Browser signIn(String email) {
    return app.signIn(vertx, email);
  }

  /** A candidate who submits an answer; returns the submission id. */
  static String submittedCandidate(String name, String email) {
    Created c = app.invite(name, email);
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Answer by the candidate: the pool was exhausted."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static JsonObject scores(int level) {
    JsonObject s = new JsonObject();
    rubric.forEach(c -> s.put(c.id(), new JsonObject().put("level", level).put("note", "note " + level)));
    return s;
  }

  static String item(String sid) {
    return "/api/v1/review/submissions/" + sid + "/exercises/" + EX;
  }

  static HttpResponse<Buffer> submitReview(Browser b, String sid, JsonObject scores, String rec) {
    return await(b.post(item(sid) + "/review/submit", new JsonObject().put("scores", scores).put("recommendation", rec)));
  }

  static void assertError(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
  }

  // ---- sign-in

  @Test
  @DisplayName("a wrong password and an unknown email get the same answer; a good one gets a new session id")
  void signInAnswers() {
    String email = account("reviewer");
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    MultiMap wrong = MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", "not the password").add("_csrf", b.cookie("XSRF-TOKEN"));
    MultiMap unknown = MultiMap.caseInsensitiveMultiMap().add("email", "nobody" + counter.incrementAndGet() + "@example.com")
        .add("password", "not the password").add("_csrf", b.cookie("XSRF-TOKEN"));
    HttpResponse<Buffer> r1 = await(b.postForm("/login", wrong));
    HttpResponse<Buffer> r2 = await(b.postForm("/login", unknown));
    assertEquals(401, r1.statusCode());
    assertEquals(r1.statusCode(), r2.statusCode());
    assertEquals(r1.bodyAsString().replace(email, "X"), r2.bodyAsString().replaceAll("nobody\\d+@example.com", "X"));
    Browser ok = signIn(email);
    String first = ok.cookie("gameday");
    await(ok.postForm("/login", MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", PASSWORD).add("_csrf", ok.cookie("XSRF-TOKEN"))));
    assertNotEquals(first, ok.cookie("gameday"), "signing in again issues a new session id");
    assertEquals(401, await(new Browser(vertx, app.port).get("/api/v1/review/queue", Map.of("Cookie", "gameday=" + first))).statusCode(),
        "the old session id no longer works");
  }

  @Test
  @DisplayName("after five failures an account is throttled, even with the right password")
  void throttled() {
    String email = account("reviewer");
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    for (int i = 0; i < 5; i++) {
      assertEquals(401, await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", "wrong password " + i)
          .add("_csrf", b.cookie("XSRF-TOKEN")))).statusCode());
    }
    HttpResponse<Buffer> r = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", PASSWORD)
        .add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertEquals(429, r.statusCode());
    assertNull(b.cookie("gameday"));
  }

  @Test
  @DisplayName("logout ends the session on the server")
  void logout() {
    Browser b = signIn(account("reviewer"));
    String cookie = b.cookie("gameday");
    assertEquals(200, await(b.get("/api/v1/review/queue")).statusCode());
    assertEquals(303, await(b.postForm("/logout", MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN")))).statusCode());
    assertEquals(401, await(new Browser(vertx, app.port).get("/api/v1/review/queue", Map.of("Cookie", "gameday=" + cookie))).statusCode());
  }

  @Test
  @DisplayName("an admin's invitation link lets a new reviewer create an account and sign in")
  void inviteReviewer() {
    Browser admin = signIn(account("admin"));
    HttpResponse<Buffer> page = await(admin.submitForm("/admin/accounts/invite", MultiMap.caseInsensitiveMultiMap()
        .add("role", "reviewer").add("_csrf", admin.cookie("XSRF-TOKEN"))));
    assertEquals(200, page.statusCode());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/setup/([A-Za-z0-9_-]{43})").matcher(page.bodyAsString());
    assertTrue(m.find());
    Browser fresh = new Browser(vertx, app.port);
    assertEquals(303, await(fresh.get("/setup/" + m.group(1))).statusCode());
    assertEquals(200, await(fresh.get("/setup")).statusCode());
    String email = "invited" + counter.incrementAndGet() + "@example.com";
    HttpResponse<Buffer> created = await(fresh.postForm("/setup", MultiMap.caseInsensitiveMultiMap().add("name", "New Reviewer")
        .add("email", email).add("password", PASSWORD).add("password2", PASSWORD).add("_csrf", fresh.cookie("XSRF-TOKEN"))));
    assertEquals(303, created.statusCode(), created.bodyAsString());
    assertEquals("reviewer", app.one("select role from accounts where email = $1", email).orElseThrow().getString("role"));
    assertEquals(404, await(new Browser(vertx, app.port).get("/setup/" + m.group(1))).statusCode(), "the link works once");
    signIn(email);
  }

  // ---- blind and independent

  @Test
  @DisplayName("a planted candidate name and email appear in no reviewer-facing response for a blind submission")
  void blind() {
    String sid = submittedCandidate(PLANTED_NAME, PLANTED_EMAIL);
    Browser r = signIn(account("reviewer"));
    submitReview(r, sid, scores(3), "yes");
    List<String> paths = List.of("/review", "/review?status=all", "/api/v1/review/queue?status=all", "/review/" + sid,
        "/api/v1/review/submissions/" + sid, "/review/" + sid + "/" + EX, item(sid), "/review/calibration",
        "/api/v1/review/calibration", "/api/v1/admin/export.csv", "/rubrics", "/api/v1/rubrics", "/review/" + sid + "/" + EX + "/evidence/0");
    for (String p : paths) {
      HttpResponse<Buffer> res = await(r.get(p));
      assertEquals(200, res.statusCode(), p);
      String body = res.bodyAsString();
      assertFalse(body.contains("Zebulon") || body.contains("Plantedname") || body.contains("zebulon.planted"), p + " leaks identity");
    }
    assertTrue(await(r.get(item(sid))).bodyAsString().contains("Answer by the candidate"), "the answer itself is shown");
    // the recruiter's pages hold names and emails: a reviewer is refused them
    for (String p : List.of("/candidates", "/candidates?q=zebulon", "/api/v1/candidates", "/api/v1/candidates?q=zebulon")) {
      HttpResponse<Buffer> res = await(r.get(p));
      assertEquals(403, res.statusCode(), p);
      assertFalse(res.bodyAsString().contains("Zebulon") || res.bodyAsString().contains("zebulon.planted"), p + " leaks identity");
    }
  }

  @Test
  @DisplayName("a reviewer sees another reviewer's scores only after submitting their own")
  void independence() {
    String sid = submittedCandidate("Ind Candidate", "ind@example.com");
    Browser a = signIn(account("reviewer"));
    Browser b = signIn(account("reviewer"));
    assertEquals(200, submitReview(a, sid, scores(4), "strong_yes").statusCode());
    await(b.put(item(sid) + "/review", new JsonObject().put("scores", scores(2))));
    JsonObject before = await(b.get(item(sid))).bodyAsJsonObject();
    assertEquals(0, before.getJsonArray("otherReviews").size());
    assertNull(before.getJsonObject("aggregate"));
    String page = await(b.get("/review/" + sid + "/" + EX)).bodyAsString();
    assertFalse(page.contains("class=\"others\""), "no other reviewer's levels or recommendation before submitting");
    assertTrue(page.contains("Their scores appear here after you submit yours"));
    assertEquals(200, submitReview(b, sid, scores(2), "no").statusCode());
    JsonObject after = await(b.get(item(sid))).bodyAsJsonObject();
    assertEquals(1, after.getJsonArray("otherReviews").size());
    assertEquals(4, after.getJsonArray("otherReviews").getJsonObject(0).getJsonObject("scores").getJsonObject(rubric.get(0).id()).getInteger("level"));
    assertEquals(3.0, after.getJsonObject("aggregate").getDouble("overall"));
  }

  @Test
  @DisplayName("a reviewer never sees another reviewer's draft, and a submitted review cannot be changed")
  void drafts() {
    String sid = submittedCandidate("Draft Candidate", "draft@example.com");
    Browser a = signIn(account("reviewer"));
    Browser b = signIn(account("reviewer"));
    await(a.put(item(sid) + "/review", new JsonObject().put("scores", scores(1))));
    submitReview(b, sid, scores(3), "yes");
    assertEquals(0, await(b.get(item(sid))).bodyAsJsonObject().getJsonArray("otherReviews").size());
    assertError(submitReview(b, sid, scores(4), "yes"), 409);
  }

  @Test
  @DisplayName("'review the next answer' picks an open answer with the fewest reviews, never one I already review")
  void nextSpreadsWork() {
    submittedCandidate("Next Candidate", "next@example.com");
    Browser a = signIn(account("reviewer"));
    HttpResponse<Buffer> first = await(a.get("/review/next?exercise=" + EX));
    assertEquals(303, first.statusCode());
    String location = first.getHeader("Location");
    String sid = location.split("/")[2];
    long min = app.one("select min(reviews_active) as m from review_items where exercise_id = $1 and not decided"
        + " and reviews_active < reviews_required", EX).orElseThrow().getLong("m");
    assertEquals(min, app.one("select reviews_active as n from review_items where submission_id = $1::uuid and exercise_id = $2", sid, EX)
        .orElseThrow().getLong("n"));
    await(a.put(item(sid) + "/review", new JsonObject().put("scores", scores(3))));
    String second = await(a.get("/review/next?exercise=" + EX)).getHeader("Location");
    assertNotEquals(location, second, "an answer I already review is not offered again");
  }

  @Test
  @DisplayName("two reviewers two or more levels apart on a criterion raise the disagreement flag")
  void disagreement() {
    String sid = submittedCandidate("Disagree Candidate", "dis@example.com");
    Browser a = signIn(account("reviewer"));
    Browser b = signIn(account("reviewer"));
    submitReview(a, sid, scores(3), "yes");
    JsonObject oneApart = scores(3);
    oneApart.getJsonObject(rubric.get(0).id()).put("level", 2);
    submitReview(b, sid, oneApart, "yes");
    assertFalse(app.one("select disagreement from review_items where submission_id = $1::uuid and exercise_id = $2", sid, EX)
        .orElseThrow().getBoolean("disagreement"), "one level apart is no disagreement");
    Browser c = signIn(account("reviewer"));
    JsonObject twoApart = scores(3);
    twoApart.getJsonObject(rubric.get(1).id()).put("level", 1);
    submitReview(c, sid, twoApart, "no");
    assertTrue(await(c.get(item(sid))).bodyAsJsonObject().getBoolean("disagreement"));
    JsonArray flagged = await(c.get("/api/v1/review/queue?status=disagreement")).bodyAsJsonObject().getJsonArray("items");
    assertTrue(flagged.stream().anyMatch(o -> ((JsonObject) o).getString("submissionId").equals(sid)));
  }

  @Test
  @DisplayName("the queue lists submissions without building their candidates' variants (fifty per page made its deep pages ten times slower); an item's page builds its own")
  void queueBuildsNoVariant() {
    String first = submittedCandidate("Queue Variant One", "qv1@example.com");
    submittedCandidate("Queue Variant Two", "qv2@example.com");
    Browser a = signIn(account("reviewer"));
    long before = app.app.catalog.variantsBuilt();
    JsonArray items = await(a.get("/api/v1/review/queue?status=all")).bodyAsJsonObject().getJsonArray("items");
    assertTrue(items.size() >= 2);
    assertEquals(200, await(a.get("/review?status=all")).statusCode());
    assertEquals(before, app.app.catalog.variantsBuilt(), "the queue built no variant");
    assertEquals(200, await(a.get(item(first))).statusCode());
    assertTrue(app.app.catalog.variantsBuilt() <= before + 1, "an item's page builds at most its own variant");
  }

  @Test
  @DisplayName("incomplete or invalid scores are refused with 400 and a sentence")
  void invalidScores() {
    String sid = submittedCandidate("Invalid Candidate", "inv@example.com");
    Browser a = signIn(account("reviewer"));
    JsonObject partial = new JsonObject().put(rubric.get(0).id(), new JsonObject().put("level", 3));
    assertError(submitReview(a, sid, partial, "yes"), 400);
    assertError(submitReview(a, sid, scores(5), "yes"), 400);
    assertError(submitReview(a, sid, scores(3), "maybe"), 400);
    JsonObject unknown = scores(3).put("charisma", new JsonObject().put("level", 4));
    assertError(submitReview(a, sid, unknown, "yes"), 400);
    JsonObject longNote = scores(3);
    longNote.getJsonObject(rubric.get(0).id()).put("note", "x".repeat(2001));
    assertError(await(a.put(item(sid) + "/review", new JsonObject().put("scores", longNote))), 400);
    assertEquals(400, await(a.putRaw(item(sid) + "/review", "{not json")).statusCode());
  }

  // ---- decisions and identity

  @Test
  @DisplayName("an admin decides with a rationale; then reviews are read-only, and deciding again is refused")
  void decide() {
    String sid = submittedCandidate("Decide Candidate", "decide@example.com");
    Browser reviewer = signIn(account("reviewer"));
    Browser admin = signIn(account("admin"));
    assertError(await(reviewer.post("/api/v1/review/submissions/" + sid + "/decision",
        new JsonObject().put("decision", "advance").put("rationale", "good"))), 403);
    assertError(await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject().put("decision", "advance").put("confirmIncomplete", true))), 400);
    HttpResponse<Buffer> ok = await(admin.post("/api/v1/review/submissions/" + sid + "/decision",
        new JsonObject().put("decision", "hold").put("rationale", "Strong analysis, weak action items.").put("confirmIncomplete", true)));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("hold", ok.bodyAsJsonObject().getString("decision"));
    assertError(await(admin.post("/api/v1/review/submissions/" + sid + "/decision",
        new JsonObject().put("decision", "advance").put("rationale", "changed my mind").put("confirmIncomplete", true))), 409);
    assertError(submitReview(reviewer, sid, scores(3), "yes"), 409);
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'decision.made' and subject = $1", "submission:" + sid)
        .orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("the decision form takes a 5,000-character rationale in any script, and refuses a longer one")
  void longRationaleForm() {
    String sid = submittedCandidate("Form Candidate", "form@example.com");
    Browser admin = signIn(account("admin"));
    HttpResponse<Buffer> tooLong = await(admin.submitForm("/review/" + sid + "/decision", MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", admin.cookie("XSRF-TOKEN")).add("decision", "hold").add("rationale", "x".repeat(5001)).add("confirmIncomplete", "1")));
    assertTrue(tooLong.bodyAsString().contains("notice error"), "refused, and said so after the redirect");
    assertFalse(app.one("select 1 from decisions where submission_id = $1::uuid", sid).isPresent());
    HttpResponse<Buffer> ok = await(admin.postForm("/review/" + sid + "/decision", MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", admin.cookie("XSRF-TOKEN")).add("decision", "hold").add("rationale", "\u00e9\u6f22".repeat(2500)).add("confirmIncomplete", "1")));
    assertEquals(303, ok.statusCode(), ok.bodyAsString());
    assertEquals(5000, app.one("select length(rationale) as n from decisions where submission_id = $1::uuid", sid).orElseThrow().getInteger("n"));
  }

  @Test
  @DisplayName("identity is revealed only to an admin, only after a decision, and each reveal is audited")
  void reveal() {
    String sid = submittedCandidate(PLANTED_NAME, PLANTED_EMAIL);
    Browser reviewer = signIn(account("reviewer"));
    Browser admin = signIn(account("admin"));
    assertError(await(admin.post("/api/v1/review/submissions/" + sid + "/reveal", null)), 409);
    await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject().put("decision", "decline").put("rationale", "r").put("confirmIncomplete", true)));
    assertError(await(reviewer.post("/api/v1/review/submissions/" + sid + "/reveal", null)), 403);
    HttpResponse<Buffer> r = await(admin.post("/api/v1/review/submissions/" + sid + "/reveal", null));
    assertEquals(200, r.statusCode());
    assertEquals(PLANTED_NAME, r.bodyAsJsonObject().getString("name"));
    assertEquals(PLANTED_EMAIL, r.bodyAsJsonObject().getString("email"));
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'identity.revealed' and subject = $1", "submission:" + sid)
        .orElseThrow().getLong("n"));
    HttpResponse<Buffer> audit = await(admin.get("/api/v1/admin/audit?action=identity."));
    assertTrue(audit.bodyAsString().contains("submission:" + sid));
  }

  @Test
  @DisplayName("the CSV export: a row per submission for admins, decided ones for reviewers; identity only for admins, once decided")
  void export() {
    String sid = submittedCandidate(PLANTED_NAME, PLANTED_EMAIL);
    Browser reviewer = signIn(account("reviewer"));
    submitReview(reviewer, sid, scores(3), "yes");
    Browser admin = signIn(account("admin"));
    HttpResponse<Buffer> streamed = await(admin.get("/api/v1/admin/export.csv"));
    assertEquals("chunked", streamed.getHeader("Transfer-Encoding"), "the file streams from a cursor, not built in memory");
    assertNull(streamed.getHeader("Content-Length"));
    String before = streamed.bodyAsString();
    assertTrue(before.startsWith("submission_id,pseudonym,track,submitted_at"));
    assertTrue(before.lines().findFirst().orElseThrow().endsWith(",name,email"));
    String row = before.lines().filter(l -> l.startsWith(sid)).findFirst().orElseThrow();
    assertFalse(await(reviewer.get("/api/v1/admin/export.csv")).bodyAsString().contains(sid),
        "a reviewer's export holds no undecided submission, so it cannot show others' scores early");
    assertFalse(row.contains(PLANTED_NAME), "undecided: identity not filled");
    assertTrue(row.contains("3.00"), row);
    await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject().put("decision", "advance").put("rationale", "r").put("confirmIncomplete", true)));
    String after = await(admin.get("/api/v1/admin/export.csv")).bodyAsString();
    assertTrue(after.lines().filter(l -> l.startsWith(sid)).findFirst().orElseThrow().contains(PLANTED_EMAIL));
    String asReviewer = await(reviewer.get("/api/v1/admin/export.csv")).bodyAsString();
    assertTrue(asReviewer.contains(sid), "decided: now in the reviewer's export");
    assertFalse(asReviewer.lines().findFirst().orElseThrow().contains("email"));
    assertFalse(asReviewer.contains(PLANTED_NAME) || asReviewer.contains(PLANTED_EMAIL));
  }

  // ---- access and CSRF

  @Test
  @DisplayName("access matrix: anonymous 401, candidate 403, reviewer 403 on admin endpoints, unknown objects 404; never data")
  void accessMatrix() {
    String sid = submittedCandidate("Matrix Candidate", "matrix@example.com");
    Browser anonymous = new Browser(vertx, app.port);
    Created c = app.invite("Other Candidate", "other@example.com");
    Browser candidate = new Browser(vertx, app.port);
    await(candidate.get("/i/" + c.token()));
    Browser reviewer = signIn(account("reviewer"));
    Browser admin = signIn(account("admin"));
    Browser recruiter = signIn(account("recruiter"));
    String missing = "00000000-0000-0000-0000-000000000000";
    List<String> reviewerGets = List.of("/review", "/review/" + sid, "/review/" + sid + "/" + EX, "/review/calibration",
        "/api/v1/review/queue", "/api/v1/review/submissions/" + sid, item(sid), "/api/v1/review/calibration",
        "/api/v1/admin/export.csv", "/review/" + sid + "/" + EX + "/evidence/0", "/review/calibration/" + EX + "/" + sample("strong"));
    List<String> adminGets = List.of("/admin/accounts", "/admin/audit", "/api/v1/admin/audit");
    for (String p : reviewerGets) {
      assertEquals(401, await(anonymous.get(p)).statusCode(), "anonymous " + p);
      assertEquals(403, await(candidate.get(p)).statusCode(), "candidate " + p);
      assertEquals(200, await(reviewer.get(p)).statusCode(), "reviewer " + p);
      assertEquals(403, await(recruiter.get(p)).statusCode(), "recruiter " + p);
    }
    for (String p : adminGets) {
      assertEquals(401, await(anonymous.get(p)).statusCode(), "anonymous " + p);
      assertEquals(403, await(candidate.get(p)).statusCode(), "candidate " + p);
      assertEquals(403, await(reviewer.get(p)).statusCode(), "reviewer " + p);
      assertEquals(200, await(admin.get(p)).statusCode(), "admin " + p);
    }
    for (String p : List.of("/review/" + missing, "/api/v1/review/submissions/" + missing, "/review/" + missing + "/" + EX,
        "/api/v1/review/submissions/" + missing + "/exercises/" + EX, "/review/not-a-uuid", "/review/" + sid + "/no-such-exercise")) {
      HttpResponse<Buffer> r = await(admin.get(p));
      assertEquals(404, r.statusCode(), "admin " + p);
    }
    // a reviewer's state changes on admin objects, and a candidate's on review objects
    assertEquals(403, await(reviewer.post("/api/v1/review/submissions/" + sid + "/reveal", null)).statusCode());
    assertEquals(403, await(candidate.post(item(sid) + "/review/submit", new JsonObject())).statusCode());
    assertEquals(401, await(anonymous.post(item(sid) + "/review/submit", new JsonObject())).statusCode());
    // reviewers cannot reach candidate answers through the candidate API
    assertEquals(401, await(reviewer.get("/api/v1/candidate/answers/" + EX)).statusCode());
    // "Ask for more time" is the candidate's; granting it is a recruiter's (issue 20, defect 4)
    assertEquals(401, await(reviewer.post("/candidate/more-time", new JsonObject())).statusCode());
    // without a session a page form is refused by the CSRF check (403), the API by the missing session (401)
    assertEquals(403, await(anonymous.post("/candidate/more-time", new JsonObject())).statusCode());
    for (String p : List.of("/candidates/" + c.id() + "/grant-time", "/api/v1/candidates/" + c.id() + "/grant-time")) {
      assertEquals(p.startsWith("/api/") ? 401 : 403, await(anonymous.post(p, new JsonObject())).statusCode(), "anonymous " + p);
      assertEquals(403, await(candidate.post(p, new JsonObject())).statusCode(), "candidate " + p);
      assertEquals(403, await(reviewer.post(p, new JsonObject())).statusCode(), "reviewer " + p);
    }
    accountRoutes(anonymous, candidate, reviewer, recruiter, admin);
  }

  /**
   * The account lifecycle routes (issue 23): admins only. Anonymous 401, candidate, reviewer and recruiter 403, and an
   * admin whose account was disabled 401 (the session is gone); none of them changes anything.
   */
  static void accountRoutes(Browser anonymous, Browser candidate, Browser reviewer, Browser recruiter, Browser admin) {
    String disabledEmail = account("admin");
    Browser disabled = signIn(disabledEmail);
    long disabledId = app.one("select id from accounts where email = $1", disabledEmail).orElseThrow().getLong("id");
    assertEquals(303, await(admin.postForm("/admin/accounts/" + disabledId + "/disable",
        MultiMap.caseInsensitiveMultiMap().add("_csrf", admin.cookie("XSRF-TOKEN")))).statusCode());
    await(anonymous.get("/login")); // a double-submit token, so that the CSRF check is passed and access is what is tested
    long target = app.one("select id from accounts where email = $1", account("reviewer")).orElseThrow().getLong("id");
    String token = await(app.app.accounts.inviteToken("reviewer", new dev.gameday.web.Account(0, "matrix", "m", "admin")));
    long link = app.one("select id from setup_tokens where token_hash = $1", (Object) dev.gameday.web.Tokens.hash(token))
        .orElseThrow().getLong("id");
    Map<String, Integer> others = new java.util.LinkedHashMap<>();
    others.put("anonymous", 401);
    others.put("candidate", 403);
    others.put("reviewer", 403);
    others.put("recruiter", 403);
    others.put("disabled admin", 401);
    Map<String, Browser> who = Map.of("anonymous", anonymous, "candidate", candidate, "reviewer", reviewer,
        "recruiter", recruiter, "disabled admin", disabled);
    for (String p : List.of("/admin/accounts", "/api/v1/admin/accounts")) {
      others.forEach((w, status) -> assertEquals(status, await(who.get(w).get(p)).statusCode(), w + " GET " + p));
      assertEquals(200, await(admin.get(p)).statusCode(), "admin GET " + p);
    }
    List<String> forms = List.of("/admin/accounts/" + target + "/disable", "/admin/accounts/" + target + "/enable",
        "/admin/accounts/" + target + "/role", "/admin/accounts/" + target + "/delete", "/admin/setup-links/" + link + "/withdraw",
        "/admin/accounts/" + target + "/password-reset", "/admin/accounts/" + target + "/2fa/reset");
    List<Map.Entry<io.vertx.core.http.HttpMethod, String>> api = List.of(
        Map.entry(io.vertx.core.http.HttpMethod.POST, "/api/v1/admin/accounts/" + target + "/disable"),
        Map.entry(io.vertx.core.http.HttpMethod.POST, "/api/v1/admin/accounts/" + target + "/enable"),
        Map.entry(io.vertx.core.http.HttpMethod.PUT, "/api/v1/admin/accounts/" + target + "/role"),
        Map.entry(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/admin/accounts/" + target),
        Map.entry(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/admin/setup-links/" + link),
        Map.entry(io.vertx.core.http.HttpMethod.POST, "/api/v1/admin/accounts/" + target + "/password-reset"));
    others.forEach((w, status) -> {
      Browser b = who.get(w);
      for (String p : forms) {
        assertEquals(status, await(b.postForm(p, MultiMap.caseInsensitiveMultiMap().add("role", "admin")
            .add("_csrf", b.cookie("XSRF-TOKEN")))).statusCode(), w + " POST " + p);
      }
      for (var e : api) {
        assertEquals(status, await(b.raw(e.getKey(), e.getValue(), "application/json",
            Buffer.buffer("{\"role\":\"admin\"}"))).statusCode(), w + " " + e.getKey() + " " + e.getValue());
      }
    });
    // one's own account page and sessions: any staff account; nobody else (a candidate has no account)
    for (String p : List.of("/account", "/api/v1/account/sessions", "/account/2fa")) {
      assertEquals(401, await(anonymous.get(p)).statusCode(), "anonymous " + p);
      assertEquals(401, await(candidate.get(p)).statusCode(), "candidate " + p);
      assertEquals(401, await(disabled.get(p)).statusCode(), "disabled admin " + p);
      for (Browser b : List.of(reviewer, recruiter, admin)) {
        assertEquals(200, await(b.get(p)).statusCode(), p);
      }
    }
    assertEquals(401, await(disabled.postForm("/account/sessions/others/end",
        MultiMap.caseInsensitiveMultiMap().add("_csrf", disabled.cookie("XSRF-TOKEN")))).statusCode());
    assertFalse(app.one("select 1 from password_resets where account_id = $1", target).isPresent(), "no reset was started");
    // two-factor enrolment is one's own (staff only); the second sign-in step needs a pending sign-in, else back to /login
    for (Browser b : List.of(anonymous, candidate, disabled)) {
      for (String p : List.of("/account/2fa/start", "/account/2fa/confirm")) {
        assertEquals(401, await(b.postForm(p, MultiMap.caseInsensitiveMultiMap().add("code", "123456")
            .add("_csrf", b.cookie("XSRF-TOKEN")))).statusCode(), "POST " + p);
      }
    }
    for (Browser b : List.of(anonymous, candidate, reviewer, recruiter, admin, disabled)) {
      HttpResponse<Buffer> r = await(b.get("/login/code"));
      assertEquals(303, r.statusCode());
      assertEquals("/login", r.getHeader("Location"));
      HttpResponse<Buffer> post = await(b.postForm("/login/code", MultiMap.caseInsensitiveMultiMap().add("code", "123456")
          .add("_csrf", b.cookie("XSRF-TOKEN"))));
      assertEquals(303, post.statusCode());
      assertEquals("/login", post.getHeader("Location"));
    }
    assertFalse(app.one("select 1 from account_totp").isPresent(), "nobody started an enrolment");
    // the forgot-password and reset pages are for anyone, signed in or not (a reset link is its own authority)
    for (Browser b : List.of(anonymous, candidate, reviewer, recruiter, admin, disabled)) {
      assertEquals(200, await(b.get("/password/forgot")).statusCode());
      assertEquals(404, await(b.get("/password/reset")).statusCode(), "no reset link, no form");
    }
    var t = app.one("select role, disabled from accounts where id = $1", target).orElseThrow();
    assertEquals("reviewer", t.getString("role"), "no role changed");
    assertFalse(t.getBoolean("disabled"), "nobody but an admin disabled it");
    assertEquals(303, await(new Browser(vertx, app.port).get("/setup/" + token)).statusCode(), "the link still works");
  }

  @Test
  @DisplayName("every form refuses a request without its CSRF token")
  void csrfOnEveryForm() {
    String sid = submittedCandidate("Csrf Candidate", "csrf@example.com");
    String adminEmail = account("admin");
    Browser admin = signIn(adminEmail);
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    Map<String, MultiMap> forms = Map.of(
        "/review/" + sid + "/" + EX, MultiMap.caseInsensitiveMultiMap().add("action", "save"),
        "/review/" + sid + "/decision", MultiMap.caseInsensitiveMultiMap().add("decision", "advance").add("rationale", "x"),
        "/review/" + sid + "/reveal", none,
        "/review/calibration/" + EX + "/" + sample("strong"), none,
        "/admin/accounts/invite", MultiMap.caseInsensitiveMultiMap().add("role", "reviewer"),
        "/logout", none);
    forms.forEach((path, form) -> assertEquals(403, await(admin.postForm(path, form)).statusCode(), path));
    assertEquals(200, await(admin.get("/api/v1/review/queue")).statusCode(), "still signed in after the refused logout");
    Browser anon = new Browser(vertx, app.port);
    await(anon.get("/login"));
    assertEquals(403, await(anon.postForm("/login", MultiMap.caseInsensitiveMultiMap().add("email", adminEmail).add("password", PASSWORD))).statusCode());
    assertEquals(403, await(anon.postForm("/setup", MultiMap.caseInsensitiveMultiMap().add("name", "x"))).statusCode());
    assertEquals(0L, app.one("select count(*) as n from decisions where submission_id = $1::uuid", sid).orElseThrow().getLong("n"));
  }

  // ---- rubrics and calibration

  @Test
  @DisplayName("rubric JSON has criteria with value, weight and four levels; reviewer notes only for signed-in reviewers")
  void rubrics() {
    JsonObject anon = await(new Browser(vertx, app.port).get("/api/v1/rubrics/" + EX)).bodyAsJsonObject();
    assertEquals(EX, anon.getString("exerciseId"));
    assertNotNull(anon.getString("version"));
    JsonObject first = anon.getJsonArray("criteria").getJsonObject(0);
    for (String k : List.of("id", "title", "value", "weight", "description", "levels")) {
      assertTrue(first.containsKey(k), k);
    }
    assertEquals(4, first.getJsonArray("levels").size());
    assertEquals(List.of("score", "label", "descriptor"), new ArrayList<>(first.getJsonArray("levels").getJsonObject(0).fieldNames()));
    assertNull(anon.getString("reviewerNotes"));
    assertFalse(await(new Browser(vertx, app.port).get("/rubrics/" + EX)).bodyAsString().contains("Reviewer notes"));
    Browser r = signIn(account("reviewer"));
    assertNotNull(await(r.get("/api/v1/rubrics/" + EX)).bodyAsJsonObject().getString("reviewerNotes"));
    assertTrue(await(r.get("/rubrics/" + EX)).bodyAsString().contains("Reviewer notes"));
    assertEquals(5, await(r.get("/api/v1/rubrics")).bodyAsJsonObject().getJsonArray("rubrics").size());
    assertEquals(404, await(r.get("/api/v1/rubrics/nope")).statusCode());
  }

  /** How Handlebars escapes {{text}}. */
  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#x27;").replace("`", "&#x60;").replace("=", "&#x3D;");
  }

  @Test
  @DisplayName("every exercise's rubric page renders every criterion with its four level descriptors")
  void everyRubricPage() {
    Browser anonymous = new Browser(vertx, app.port);
    assertEquals(200, await(anonymous.get("/rubrics")).statusCode());
    for (var v : app.app.catalog.track("sre-senior").orElseThrow().versions()) {
      HttpResponse<Buffer> res = await(anonymous.get("/rubrics/" + v.exercise().id()));
      assertEquals(200, res.statusCode());
      String page = res.bodyAsString();
      for (Criterion c : v.exercise().rubric()) {
        assertTrue(page.contains(html(c.title())), v.exercise().id() + " " + c.id());
        c.levels().forEach(l -> assertTrue(page.contains(html(l.descriptor())), v.exercise().id() + " " + c.id() + " level " + l.score()));
      }
    }
  }

  @Test
  @DisplayName("scoring a calibration answer shows the reference and never counts as a review")
  void calibrationPractice() {
    Browser r = signIn(account("reviewer"));
    long reviewsBefore = app.one("select count(*) as n from reviews").orElseThrow().getLong("n");
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", r.cookie("XSRF-TOKEN"));
    rubric.forEach(c -> form.add("level." + c.id(), "4"));
    assertEquals(303, await(r.postForm("/review/calibration/" + EX + "/" + sample("strong"), form)).statusCode());
    String page = await(r.get("/review/calibration/" + EX + "/" + sample("strong"))).bodyAsString();
    assertTrue(page.contains("reference: <strong>"), "the reference is shown after scoring");
    assertEquals(reviewsBefore, app.one("select count(*) as n from reviews").orElseThrow().getLong("n"));
    HttpResponse<Buffer> viaJson = await(r.post("/api/v1/review/calibration/" + EX + "/" + sample("weak"), new JsonObject().put("scores", scores(2))));
    assertEquals(200, viaJson.statusCode(), viaJson.bodyAsString());
    JsonObject compared = viaJson.bodyAsJsonObject().getJsonArray("criteria").getJsonObject(0);
    assertEquals(2, compared.getInteger("mine"));
    assertNotNull(compared.getInteger("reference"));
    assertEquals(400, await(r.post("/api/v1/review/calibration/" + EX + "/" + sample("weak"), new JsonObject().put("scores", new JsonObject()))).statusCode());
    JsonObject figures = await(r.get("/api/v1/review/calibration")).bodyAsJsonObject();
    assertTrue(figures.getJsonArray("reference").stream().anyMatch(o -> ((JsonObject) o).getInteger("ratings") == 2 * rubric.size()), "both practice answers count");
  }

  /** The neutral address of a calibration answer, by its file name. */
  static String sample(String name) {
    return CalibrationRoutes.sampleId(app.app.catalog.currentVersions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise(), name);
  }
}
