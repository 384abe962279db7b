package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.ReviewerQualification;
import dev.gameday.support.Browser;
import dev.gameday.support.Library;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24 item 6, reviewer qualification, on a real database: the shipped library (sre-senior requires 80% of at
 * least 10 calibration criteria within one level) plus a track "sre-open" with the same exercises and no requirement.
 */
@ExtendWith(PostgresExtension.class)
class QualificationTest {
  static final String EX = "incident-postmortem";
  static final String OPEN = "sre-open";
  static final AtomicInteger counter = new AtomicInteger();
  static TestApp app;
  static Vertx vertx;
  static List<Criterion> rubric;

  @BeforeAll
  static void start(TestDatabase db, @TempDir Path tmp) throws Exception {
    Path lib = Library.copy(tmp);
    String open = Files.readString(lib.resolve("tracks/sre-senior.yaml")).replace("id: sre-senior", "id: " + OPEN)
        .replace("title: Senior Service Reliability Engineer", "title: Open review track");
    Files.writeString(lib.resolve("tracks/" + OPEN + ".yaml"), open);
    Library.withoutQualification(lib); // from every track; then sre-senior gets its shipped file back
    Files.writeString(lib.resolve("tracks/sre-senior.yaml"), Files.readString(Path.of("exercises/tracks/sre-senior.yaml")));
    assertTrue(Files.readString(lib.resolve("tracks/sre-senior.yaml")).contains("reviewerQualification"));
    assertFalse(Files.readString(lib.resolve("tracks/" + OPEN + ".yaml")).contains("reviewerQualification"));
    app = TestApp.start(db, lib);
    vertx = Vertx.vertx();
    rubric = exercise(EX).rubric();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static Exercise exercise(String id) {
    return app.app.catalog.currentVersions().stream().map(v -> v.exercise()).filter(e -> e.id().equals(id)).findFirst().orElseThrow();
  }

  /** A candidate of {@code track} who answered EX and submitted; returns the submission id. */
  static String submitted(String track) {
    int n = counter.incrementAndGet();
    var c = await(app.app.invitations.create(track, "Candidate " + n, "q" + n + "@example.com", 7, BigDecimal.ONE, false));
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool was exhausted after the release."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static int[] all(int level) {
    int[] l = new int[rubric.size()];
    Arrays.fill(l, level);
    return l;
  }

  /** Submits a review of EX with these levels; answers the review as JSON. */
  static JsonObject review(Browser b, String sid, int[] levels) {
    HttpResponse<Buffer> r = await(b.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
        new JsonObject().put("scores", AgreementLiveTest.scores(rubric, levels)).put("recommendation", "yes")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /**
   * Scores the first {@code samples} sample answers of an exercise: the first {@code far} criteria scored (counting
   * across the samples) two levels from the reference, the others one level from it (close, never exact).
   */
  static int calibrate(Browser b, String exerciseId, int samples, int far) {
    Exercise ex = exercise(exerciseId);
    int scored = 0;
    for (var cal : CalibrationRoutes.samples(ex).subList(0, samples)) {
      JsonObject scores = new JsonObject();
      for (Criterion c : ex.rubric()) {
        int ref = cal.scores().get(c.id());
        int level = scored++ < far ? (ref <= 2 ? ref + 2 : ref - 2) : (ref == 4 ? 3 : ref + 1);
        scores.put(c.id(), new JsonObject().put("level", level));
      }
      HttpResponse<Buffer> r = await(b.post("/api/v1/review/calibration/" + exerciseId + "/"
          + CalibrationRoutes.sampleId(ex, cal.name()), new JsonObject().put("scores", scores)));
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
    return scored;
  }

  /** A reviewer who scored every sample answer of EX within one level: qualified for sre-senior. */
  static Browser qualified() {
    Browser b = app.signIn(vertx, app.account("reviewer"));
    calibrate(b, EX, exercise(EX).calibration().size(), 0);
    return b;
  }

  /** My qualification for sre-senior from the calibration JSON. */
  static JsonObject standing(Browser b) {
    return await(b.get("/api/v1/review/calibration")).bodyAsJsonObject().getJsonArray("qualification").stream()
        .map(o -> (JsonObject) o).filter(o -> "sre-senior".equals(o.getString("track"))).findFirst().orElseThrow();
  }

  static int agreementItems(Browser admin) {
    return AgreementLiveTest.rows(admin).stream().filter(r -> EX.equals(r.getString("exercise")) && "total".equals(r.getString("criterion")))
        .mapToInt(r -> r.getInteger("items")).sum();
  }

  @Test
  @DisplayName("an unqualified reviewer's review is practice: not counted, no disagreement, not in the result, agreement or severity")
  void practiceCountsForNothing() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    Browser a = qualified();
    Browser b = qualified();
    Browser novice = app.signIn(vertx, app.account("reviewer"));
    int itemsBefore = agreementItems(admin);

    String sid = submitted("sre-senior");
    review(a, sid, all(3));
    String page = await(novice.get("/review/" + sid + "/" + EX)).bodyAsString();
    assertTrue(page.contains("Practice review:"), "said before submitting");
    assertTrue(page.contains("No calibration criteria scored yet for this track"), page);
    JsonObject mine = review(novice, sid, all(1));
    assertTrue(mine.getBoolean("practice"));
    review(b, sid, all(3));

    var item = app.one("select reviews_submitted, reviews_active, disagreement, adjudication from review_items"
        + " where submission_id = $1::uuid and exercise_id = $2", sid, EX).orElseThrow();
    assertEquals(2, item.getInteger("reviews_submitted"), "the practice review is not counted");
    assertEquals(2, item.getInteger("reviews_active"));
    assertFalse(item.getBoolean("disagreement"), "levels 1 against 3 would be a disagreement if it counted");
    assertNull(item.getString("adjudication"));
    assertEquals(2L, app.one("select count(*) as n from reviews where submission_id = $1::uuid and not practice", sid)
        .orElseThrow().getLong("n"));
    // the adverse impact report's sums (V83's trigger) hold the two counting reviews' levels only
    assertEquals(2 * rubric.size(), app.one("select ratings from review_exercise_sums where submission_id = $1::uuid and exercise_id = $2",
        sid, EX).orElseThrow().getInteger("ratings"));
    assertEquals(6.0 * rubric.size(), app.one("select total from review_exercise_sums where submission_id = $1::uuid and exercise_id = $2",
        sid, EX).orElseThrow().getDouble("total"), 1e-9);

    // the result and the decision's scores: the mean of the two that count, 3, not 2.33
    JsonObject sub = await(admin.get("/api/v1/review/submissions/" + sid)).bodyAsJsonObject();
    JsonObject agg = sub.getJsonArray("exercises").stream().map(o -> (JsonObject) o).filter(e -> EX.equals(e.getString("exerciseId")))
        .findFirst().orElseThrow().getJsonObject("aggregate");
    assertEquals(3.0, agg.getDouble("overall"), 1e-9);
    assertEquals(2, agg.getInteger("reviews"));
    assertFalse(agg.getBoolean("disagreement"));

    // who sees it: its author (labelled) and admins (labelled); another reviewer never
    String item2 = "/api/v1/review/submissions/" + sid + "/exercises/" + EX;
    assertTrue(await(novice.get(item2)).bodyAsJsonObject().getJsonObject("myReview").getBoolean("practice"));
    assertTrue(await(novice.get("/review/" + sid + "/" + EX)).bodyAsString().contains("your review was submitted before you qualified"));
    assertEquals(1, await(b.get(item2)).bodyAsJsonObject().getJsonArray("otherReviews").size(), "b sees a's review only");
    var adminView = await(admin.get(item2)).bodyAsJsonObject();
    assertEquals(3, adminView.getJsonArray("otherReviews").size());
    assertEquals(1, adminView.getJsonArray("otherReviews").stream().filter(o -> ((JsonObject) o).getBoolean("practice")).count());
    assertTrue(await(admin.get("/review/" + sid + "/" + EX)).bodyAsString().contains("<span class=\"flag\">practice</span>"));

    // agreement and severity: an answer reviewed by one counting reviewer and one practice reviewer is not double-marked
    String lone = submitted("sre-senior");
    review(a, lone, all(2));
    review(novice, lone, all(4));
    assertEquals(itemsBefore + 1, agreementItems(admin), "only the answer with two counting reviews adds to agreement");
    assertTrue(await(admin.get("/api/v1/review/severity")).bodyAsJsonObject().getJsonArray("reviewers").stream()
        .map(o -> (JsonObject) o).noneMatch(r -> r.getString("reviewer").equals(name(novice))), "no severity from practice");
    // and it does not hold a reviewer's place: the answer still wants a second review
    assertEquals(1, app.one("select reviews_active from review_items where submission_id = $1::uuid and exercise_id = $2", lone, EX)
        .orElseThrow().getInteger("reviews_active"));
  }

  static String name(Browser b) {
    return await(b.get("/api/v1/review/calibration")).bodyAsJsonObject().getJsonArray("qualification").getJsonObject(0).getString("reviewer");
  }

  @Test
  @DisplayName("after reaching 80% a reviewer's new reviews count; the review given before stays practice")
  void qualifyingLater() {
    Browser r = app.signIn(vertx, app.account("reviewer"));
    String before = submitted("sre-senior");
    assertTrue(review(r, before, all(2)).getBoolean("practice"));
    assertTrue(await(r.get("/review")).bodyAsString().contains("practice-tracks"), "the queue says the reviews are practice");
    int scored = calibrate(r, EX, 2, 0);
    assertEquals(12, scored);
    JsonObject s = standing(r);
    assertTrue(s.getBoolean("qualified"), s.encode());
    assertFalse(await(r.get("/review")).bodyAsString().contains("practice-tracks"), "qualified: no practice notice on the queue");
    String after = submitted("sre-senior");
    assertFalse(review(r, after, all(2)).getBoolean("practice"));
    assertEquals(1, app.one("select reviews_submitted from review_items where submission_id = $1::uuid and exercise_id = $2", after, EX)
        .orElseThrow().getInteger("reviews_submitted"));
    assertTrue(app.one("select practice from reviews where submission_id = $1::uuid", before).orElseThrow().getBoolean("practice"),
        "submitted before qualifying: stays practice");
    assertEquals(0, app.one("select reviews_submitted from review_items where submission_id = $1::uuid and exercise_id = $2", before, EX)
        .orElseThrow().getInteger("reviews_submitted"));
  }

  @Test
  @DisplayName("a track without reviewerQualification counts an uncalibrated reviewer's review as before")
  void trackWithoutRequirement() {
    Browser r = app.signIn(vertx, app.account("reviewer"));
    String sid = submitted(OPEN);
    assertFalse(await(r.get("/review/" + sid + "/" + EX)).bodyAsString().contains("Practice review:"));
    assertFalse(review(r, sid, all(2)).getBoolean("practice"));
    assertEquals(1, app.one("select reviews_submitted from review_items where submission_id = $1::uuid and exercise_id = $2", sid, EX)
        .orElseThrow().getInteger("reviews_submitted"));
    assertTrue(await(r.get("/api/v1/review/calibration")).bodyAsJsonObject().getJsonArray("qualification").stream()
        .map(o -> ((JsonObject) o).getString("track")).noneMatch(OPEN::equals), "nothing to qualify for on the open track");
  }

  @Test
  @DisplayName("exactly 80% within one level qualifies (8 of 10); 79% does not (19 of 24); two levels off is not close")
  void boundary() {
    Browser eighty = app.signIn(vertx, app.account("reviewer"));
    assertEquals(10, calibrate(eighty, "scaling-plan", 2, 2));
    JsonObject e = standing(eighty);
    assertEquals(10, e.getInteger("scored"));
    assertEquals(8, e.getInteger("within"));
    assertTrue(e.getBoolean("qualified"), e.encode());
    assertFalse(review(eighty, submitted("sre-senior"), all(3)).getBoolean("practice"));

    Browser seventyNine = app.signIn(vertx, app.account("reviewer"));
    assertEquals(24, calibrate(seventyNine, EX, 4, 5));
    JsonObject n = standing(seventyNine);
    assertEquals(19, n.getInteger("within"));
    assertFalse(n.getBoolean("qualified"), n.encode());
    assertTrue(n.getString("summary").startsWith("Scored 19 of 24 criteria within one level of the reference: 79%, needs 80%."),
        n.getString("summary"));
    assertTrue(review(seventyNine, submitted("sre-senior"), all(3)).getBoolean("practice"));

    // too few criteria: 5 of 5 close is 100%, but under the minimum of 10
    Browser few = app.signIn(vertx, app.account("reviewer"));
    calibrate(few, "scaling-plan", 1, 0);
    JsonObject f = standing(few);
    assertFalse(f.getBoolean("qualified"));
    assertTrue(f.getString("summary").contains("score 5 more"), f.getString("summary"));
  }

  @Test
  @DisplayName("the rule itself: the share's boundary, the minimum, and the percentage never rounded up to a pass")
  void rule() {
    ReviewerQualification r = new ReviewerQualification(1, 0.8, 10);
    assertTrue(Qualifications.qualifies(r, 10, 8));
    assertFalse(Qualifications.qualifies(r, 10, 7));
    assertFalse(Qualifications.qualifies(r, 100, 79));
    assertTrue(Qualifications.qualifies(r, 100, 80));
    assertFalse(Qualifications.qualifies(r, 9, 9), "under the minimum");
    assertFalse(Qualifications.qualifies(r, 0, 0));
    var s = new Qualifications.Status("t", "T", 1, "R", r, 199, 159); // 79.9%
    assertEquals(79, s.percent());
    assertFalse(s.qualified());
  }

  @Test
  @DisplayName("admins see every reviewer's standing per track on the calibration page; a reviewer only their own")
  void adminView() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    Browser q = qualified();
    Browser novice = app.signIn(vertx, app.account("reviewer"));
    String page = await(admin.get("/review/calibration")).bodyAsString();
    assertTrue(page.contains("Every reviewer's qualification per track"), page);
    assertTrue(page.contains(name(q)) && page.contains(name(novice)));
    var everyone = await(admin.get("/api/v1/review/calibration")).bodyAsJsonObject().getJsonArray("qualification");
    assertTrue(everyone.stream().map(o -> (JsonObject) o).anyMatch(o -> o.getString("reviewer").equals(name(q)) && o.getBoolean("qualified")));
    assertTrue(everyone.stream().map(o -> (JsonObject) o).anyMatch(o -> o.getString("reviewer").equals(name(novice)) && !o.getBoolean("qualified")));
    var own = await(novice.get("/api/v1/review/calibration")).bodyAsJsonObject().getJsonArray("qualification");
    assertEquals(1, own.size(), "a reviewer sees their own standing, for the one track that requires it");
    String mine = await(novice.get("/review/calibration")).bodyAsString();
    assertTrue(mine.contains("not yet qualified"));
    assertFalse(mine.contains("Every reviewer's qualification per track"));
  }
}
