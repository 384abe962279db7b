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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reviewer's blind, independent judgement does not leak: not through the calibration figures, the disagreement
 * flag, the audit log of drafts, a second calibration score, or an export that fills names unaudited.
 */
@ExtendWith(PostgresExtension.class)
class BlindJudgementTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String EX = "incident-postmortem";
  static final String EX2 = "scaling-plan";
  static TestApp app;
  static Vertx vertx;
  static final AtomicInteger counter = new AtomicInteger();

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

  // ---- helpers

  static String account(String role) {
    return app.account(role);
  }

  static Browser signIn(String email) {
    return app.signIn(vertx, email);
  }

  static String submittedCandidate() {
    int n = counter.incrementAndGet();
    Created c = app.invite("Candidate " + n, "candidate" + n + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool was exhausted."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static List<Criterion> rubric(String exercise) {
    return app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(exercise)).findFirst().orElseThrow().exercise().rubric();
  }

  static JsonObject scores(String exercise, int level) {
    JsonObject s = new JsonObject();
    rubric(exercise).forEach(c -> s.put(c.id(), new JsonObject().put("level", level).put("note", "note " + level)));
    return s;
  }

  static String item(String sid, String exercise) {
    return "/api/v1/review/submissions/" + sid + "/exercises/" + exercise;
  }

  static void submit(Browser b, String sid, String exercise, int level) {
    HttpResponse<Buffer> r = await(b.post(item(sid, exercise) + "/review/submit",
        new JsonObject().put("scores", scores(exercise, level)).put("recommendation", "yes")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  static JsonObject figures(Browser b) {
    HttpResponse<Buffer> r = await(b.get("/api/v1/review/calibration"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static Stream<JsonObject> criteria(JsonObject figures) {
    return figures.getJsonArray("criteria").stream().map(o -> (JsonObject) o);
  }

  static JsonObject queueRow(Browser b, String status, String sid, String exercise) {
    JsonArray items = await(b.get("/api/v1/review/queue?status=" + status)).bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("submissionId").equals(sid) && o.getString("exerciseId").equals(exercise)).findFirst().orElse(null);
  }

  // ---- 3: calibration figures

  @Test
  @DisplayName("between-reviewer figures cover only answers I have reviewed: others' reviews elsewhere change nothing I see")
  void figuresOnlyOverMyItems() {
    Browser me = signIn(account("reviewer"));
    Browser a = signIn(account("reviewer"));
    Browser b = signIn(account("reviewer"));
    JsonObject nothingYet = figures(me);
    assertTrue(criteria(nothingYet).allMatch(c -> c.getValue("alpha") == null), "no between-reviewer figure: " + nothingYet);
    // on one submission, A and B agree on one exercise and differ on another: alpha null vs 0.0 would tell them apart
    String x = submittedCandidate();
    submit(a, x, EX, 3);
    submit(b, x, EX, 3);
    submit(a, x, EX2, 4);
    submit(b, x, EX2, 1);
    JsonObject after = figures(me);
    assertEquals(nothingYet, after, "a reviewer who reviewed neither answer learns nothing about them");
    assertTrue(criteria(after).allMatch(c -> c.getValue("alpha") == null && !c.getBoolean("enough", false)));

    // with one answer that I have reviewed too, the figure says "not enough ratings yet" whether or not they differed
    String y = submittedCandidate();
    submit(me, y, EX, 2);
    submit(a, y, EX, 2);
    submit(b, y, EX, 2); // everyone agrees: alpha would be undefined
    String z = submittedCandidate();
    submit(me, z, EX2, 2);
    submit(a, z, EX2, 4);
    submit(b, z, EX2, 1); // they differ: alpha would be a number
    JsonObject mine = figures(me);
    assertTrue(criteria(mine).allMatch(c -> c.getValue("alpha") == null && !c.getBoolean("enough")), mine.encodePrettily());
    assertTrue(criteria(mine).flatMap(c -> c.getJsonArray("pairs").stream().map(o -> (JsonObject) o))
        .allMatch(p -> p.getValue("kappa") == null), "no pair's kappa over one answer");
    JsonObject one = criteria(mine).filter(c -> c.getString("criterion").startsWith(EX + ":")).findFirst().orElseThrow();
    assertEquals(3, one.getInteger("ratings"), "only the ratings on the answer I reviewed count: " + one);
    assertEquals(1, one.getInteger("units"));
    String page = await(me.get("/review/calibration")).bodyAsString();
    assertTrue(page.contains("not enough ratings yet"), page);
  }

  @Test
  @DisplayName("from five answers rated by two reviewers, alpha and the pair's kappa are shown; admins see every answer")
  void figuresAboveTheMinimum() {
    Browser me = signIn(account("reviewer"));
    Browser other = signIn(account("reviewer"));
    Browser late = signIn(account("reviewer"));
    int[][] levels = {{1, 1}, {2, 3}, {3, 3}, {4, 3}, {2, 2}};
    String first = null;
    for (int[] l : levels) {
      String sid = submittedCandidate();
      first = first == null ? sid : first;
      submit(me, sid, EX, l[0]);
      submit(other, sid, EX, l[1]);
    }
    submit(late, first, EX, 2);
    JsonObject mine = criteria(figures(me)).filter(c -> c.getString("criterion").startsWith(EX + ":")).findFirst().orElseThrow();
    assertTrue(mine.getBoolean("enough"), mine.encode());
    assertEquals(5, mine.getInteger("units"));
    assertEquals(11, mine.getInteger("ratings"));
    assertNotNull(mine.getDouble("alpha"));
    JsonObject pair = mine.getJsonArray("pairs").stream().map(o -> (JsonObject) o).filter(p -> p.getInteger("items") == 5)
        .findFirst().orElseThrow();
    assertNotNull(pair.getDouble("kappa"));
    assertTrue(mine.getJsonArray("pairs").stream().map(o -> (JsonObject) o).filter(p -> p.getInteger("items") < 5)
        .allMatch(p -> p.getValue("kappa") == null), "a pair over fewer than five answers gets no kappa");
    JsonObject lateOne = criteria(figures(late)).filter(c -> c.getString("criterion").startsWith(EX + ":")).findFirst().orElseThrow();
    assertFalse(lateOne.getBoolean("enough"), "one answer reviewed: not enough");
    assertEquals(1, lateOne.getInteger("units"));
    Browser admin = signIn(account("admin"));
    JsonObject all = criteria(figures(admin)).filter(c -> c.getString("criterion").startsWith(EX + ":")).findFirst().orElseThrow();
    assertTrue(all.getInteger("units") >= 5 && all.getBoolean("enough"), all.encode());
    assertTrue(await(me.get("/review/calibration")).bodyAsString().contains(String.format(java.util.Locale.ROOT, "%.2f", mine.getDouble("alpha"))),
        "the page shows the alpha");
  }

  @Test
  @DisplayName("a reviewer sees their own agreement with the reference, not other reviewers'; an admin sees everyone's")
  void referenceRowsAreMine() {
    String meEmail = account("reviewer");
    Browser me = signIn(meEmail);
    Browser other = signIn(account("reviewer"));
    assertEquals(200, await(other.post("/api/v1/review/calibration/" + EX + "/" + sample("strong"),
        new JsonObject().put("scores", scores(EX, 1)))).statusCode());
    assertEquals(0, figures(me).getJsonArray("reference").size(), "no row for another reviewer's practice");
    assertEquals(200, await(me.post("/api/v1/review/calibration/" + EX + "/" + sample("strong"),
        new JsonObject().put("scores", scores(EX, 4)))).statusCode());
    JsonArray rows = figures(me).getJsonArray("reference");
    assertEquals(1, rows.size());
    String myName = app.one("select name from accounts where email = $1", meEmail).orElseThrow().getString("name");
    assertEquals(myName, rows.getJsonObject(0).getString("reviewer"));
    assertTrue(figures(signIn(account("admin"))).getJsonArray("reference").size() >= 2);
  }

  // ---- 5: the disagreement flag

  @Test
  @DisplayName("the disagreement flag stays hidden from a reviewer until they submit on that answer; an admin sees it")
  void disagreementHiddenUntilMine() {
    String sid = submittedCandidate();
    Browser a = signIn(account("reviewer"));
    Browser b = signIn(account("reviewer"));
    submit(a, sid, EX, 4);
    submit(b, sid, EX, 1);
    assertTrue(app.one("select disagreement from review_items where submission_id = $1::uuid and exercise_id = $2", sid, EX)
        .orElseThrow().getBoolean("disagreement"));
    Browser c = signIn(account("reviewer"));
    for (int round = 0; round < 2; round++) { // before any review of mine, then with a draft
      JsonObject row = queueRow(c, "all", sid, EX);
      assertNotNull(row);
      assertNotEquals(Boolean.TRUE, row.getValue("disagreement"), row.encode());
      assertNotEquals("disagreement", row.getString("status"));
      assertNull(queueRow(c, "disagreement", sid, EX), "the disagreement filter lists only answers I have submitted on");
      JsonObject sub = await(c.get("/api/v1/review/submissions/" + sid)).bodyAsJsonObject();
      assertTrue(sub.getJsonArray("exercises").stream().map(o -> (JsonObject) o)
          .noneMatch(e -> Boolean.TRUE.equals(e.getValue("disagreement")) || "disagreement".equals(e.getString("status"))), sub.encode());
      JsonObject one = await(c.get(item(sid, EX))).bodyAsJsonObject();
      assertNotEquals(Boolean.TRUE, one.getValue("disagreement"));
      assertNotEquals("disagreement", one.getString("status"));
      assertFalse(await(c.get("/review/" + sid + "/" + EX)).bodyAsString().contains("Disagreement"), "no banner");
      assertFalse(await(c.get("/review/" + sid)).bodyAsString().contains("Disagreement"), "no flag on the submission page");
      assertFalse(await(c.get("/review?status=all")).bodyAsString().contains("flag warn"), "no flag in the queue page");
      assertEquals(200, await(c.put(item(sid, EX) + "/review", new JsonObject().put("scores", scores(EX, 2)))).statusCode());
    }
    Browser admin = signIn(account("admin"));
    assertEquals(Boolean.TRUE, queueRow(admin, "disagreement", sid, EX).getValue("disagreement"));
    assertEquals(Boolean.TRUE, await(admin.get(item(sid, EX))).bodyAsJsonObject().getValue("disagreement"));
    assertTrue(await(admin.get("/review/" + sid + "/" + EX)).bodyAsString().contains("Disagreement"));
    submit(c, sid, EX, 2);
    assertEquals(Boolean.TRUE, queueRow(c, "disagreement", sid, EX).getValue("disagreement"));
    assertEquals("disagreement", await(c.get(item(sid, EX))).bodyAsJsonObject().getString("status"));
    assertTrue(await(c.get("/review/" + sid + "/" + EX)).bodyAsString().contains("Disagreement"));
  }

  // ---- 6: drafts in the audit log

  @Test
  @DisplayName("the audit log records that a draft was saved, by whom and on which answer, not its levels or notes")
  void draftsAuditedWithoutContent() {
    String sid = submittedCandidate();
    String email = account("reviewer");
    Browser r = signIn(email);
    JsonObject draft = scores(EX, 1);
    draft.getJsonObject(rubric(EX).get(0).id()).put("note", "DRAFT-SECRET-4711");
    assertEquals(200, await(r.put(item(sid, EX) + "/review", new JsonObject().put("scores", draft).put("recommendation", "strong_no")))
        .statusCode());
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", r.cookie("XSRF-TOKEN")).add("action", "save")
        .add("note." + rubric(EX).get(0).id(), "FORM-DRAFT-SECRET-0815");
    assertEquals(303, await(r.postForm("/review/" + sid + "/" + EX, form)).statusCode());
    Browser admin = signIn(account("admin"));
    JsonArray entries = await(admin.get("/api/v1/admin/audit?action=review.draft_saved&q=" + sid)).bodyAsJsonObject()
        .getJsonArray("entries");
    assertEquals(2, entries.size(), entries.encode());
    for (Object o : entries) {
      JsonObject e = (JsonObject) o;
      assertEquals(email, e.getString("actor"));
      assertEquals("submission:" + sid + "/" + EX, e.getString("subject"));
      assertEquals(new JsonObject(), e.getJsonObject("detail"), "no levels, notes or recommendation: " + e.encode());
    }
    String page = await(admin.get("/admin/audit")).bodyAsString();
    assertFalse(page.contains("DRAFT-SECRET") || page.contains("strong_no"), "the audit page shows no draft content");
    JsonObject done = scores(EX, 3);
    done.getJsonObject(rubric(EX).get(0).id()).put("note", "SUBMITTED-NOTE-1234");
    assertEquals(200, await(r.post(item(sid, EX) + "/review/submit", new JsonObject().put("scores", done).put("recommendation", "yes")))
        .statusCode());
    JsonObject submitted = await(admin.get("/api/v1/admin/audit?action=review.submitted&q=" + sid)).bodyAsJsonObject()
        .getJsonArray("entries").getJsonObject(0);
    assertEquals("SUBMITTED-NOTE-1234", submitted.getJsonObject("detail").getJsonObject("scores")
        .getJsonObject(rubric(EX).get(0).id()).getString("note"), "submitted content is kept");
  }

  // ---- 10: the first calibration score is final

  @Test
  @DisplayName("after the reference is shown, a second calibration score is refused (409) and the first one stays")
  void firstCalibrationScoreIsFinal() {
    Browser r = signIn(account("reviewer"));
    String path = "/api/v1/review/calibration/" + EX + "/" + sample("weak");
    assertEquals(200, await(r.post(path, new JsonObject().put("scores", scores(EX, 2)))).statusCode());
    JsonObject before = figures(r);
    HttpResponse<Buffer> again = await(r.post(path, new JsonObject().put("scores", scores(EX, 4))));
    assertEquals(409, again.statusCode(), again.bodyAsString());
    assertEquals("already_scored", again.bodyAsJsonObject().getString("error"));
    assertNotNull(again.bodyAsJsonObject().getString("message"));
    assertEquals(2, await(r.get(path)).bodyAsJsonObject().getJsonArray("criteria").getJsonObject(0).getInteger("mine"));
    assertEquals(before, figures(r), "the recorded figures do not change");
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", r.cookie("XSRF-TOKEN"));
    rubric(EX).forEach(c -> form.add("level." + c.id(), "4"));
    HttpResponse<Buffer> page = await(r.submitForm("/review/calibration/" + EX + "/" + sample("weak"), form));
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("already scored"), page.bodyAsString());
    assertTrue(page.bodyAsString().contains("You: <strong>2</strong>"), "the page shows the first score with the reference");
    String view = await(r.get("/review/calibration/" + EX + "/" + sample("weak"))).bodyAsString();
    assertFalse(view.contains("Score again"));
    assertTrue(view.contains("You: <strong>2</strong>"));
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'calibration.scored' and subject = $1",
        "calibration:" + EX + "/" + sample("weak")).orElseThrow().getLong("n"));
  }

  // ---- 11b: names in the export

  @Test
  @DisplayName("an admin's export writes one identity reveal to the audit log per decided submission whose name it fills")
  void exportAuditsEachReveal() {
    String decided = submittedCandidate();
    String open = submittedCandidate();
    Browser admin = signIn(account("admin"));
    await(admin.post("/api/v1/review/submissions/" + decided + "/decision", new JsonObject().put("decision", "advance").put("rationale", "r").put("confirmIncomplete", true)));
    String csv = await(admin.get("/api/v1/admin/export.csv")).bodyAsString();
    assertTrue(csv.lines().filter(l -> l.startsWith(decided)).findFirst().orElseThrow().contains("@example.com"));
    String reveals = "select count(*) as n from audit_log where action = 'identity.revealed' and subject = $1";
    assertEquals(1L, app.one(reveals, "submission:" + decided).orElseThrow().getLong("n"));
    assertEquals(0L, app.one(reveals, "submission:" + open).orElseThrow().getLong("n"), "no name filled, no reveal");
    JsonObject detail = app.one("select detail from audit_log where action = 'identity.revealed' and subject = $1",
        "submission:" + decided).orElseThrow().getJsonObject("detail");
    assertEquals("export.csv", detail.getString("via"));
    assertNotNull(detail.getString("pseudonym"));
    await(admin.get("/api/v1/admin/export.csv"));
    assertEquals(2L, app.one(reveals, "submission:" + decided).orElseThrow().getLong("n"), "every export is audited");
    Browser reviewer = signIn(account("reviewer"));
    await(reviewer.get("/api/v1/admin/export.csv"));
    assertEquals(2L, app.one(reveals, "submission:" + decided).orElseThrow().getLong("n"), "a reviewer's export reveals nothing");
  }

  /** The neutral address of a calibration answer, by its file name. */
  static String sample(String name) {
    return CalibrationRoutes.sampleId(app.app.catalog.currentVersions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise(), name);
  }
}
