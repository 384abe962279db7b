package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 24 item 4: a third, blind reviewer on a disagreement, offered first to the best calibrated; median of three. */
@ExtendWith(PostgresExtension.class)
class AdjudicationTest {
  static final String EX = AgreementLiveTest.EX;
  static TestApp app;
  static Vertx vertx;
  static Exercise exercise;
  static List<Criterion> rubric;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    exercise = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise();
    rubric = exercise.rubric();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** Scores every calibration answer of the exercise at {@code level(reference)} on every criterion. */
  static void calibrate(Browser b, IntUnaryOperator level) {
    for (var cal : exercise.calibration()) {
      JsonObject scores = new JsonObject();
      cal.scores().forEach((criterion, ref) -> scores.put(criterion, new JsonObject().put("level", level.applyAsInt(ref))));
      HttpResponse<Buffer> r = await(b.post("/api/v1/review/calibration/" + EX + "/" + CalibrationRoutes.sampleId(exercise, cal.name()),
          new JsonObject().put("scores", scores)));
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
  }

  static int[] levels(int first, int rest) {
    int[] l = new int[rubric.size()];
    java.util.Arrays.fill(l, rest);
    l[0] = first;
    return l;
  }

  @Test
  @DisplayName("two reviewers two levels apart: the answer goes blind to the best-calibrated third reviewer, then the median of three and the record")
  void thirdReviewer() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    Browser a = app.signIn(vertx, app.account("reviewer"));
    Browser b = app.signIn(vertx, app.account("reviewer"));
    Browser best = app.signIn(vertx, app.account("reviewer"));
    Browser good = app.signIn(vertx, app.account("reviewer"));
    Browser poor = app.signIn(vertx, app.account("reviewer"));
    Browser uncalibrated = app.signIn(vertx, app.account("reviewer"));
    calibrate(best, ref -> ref);                                   // on the reference every time
    calibrate(good, ref -> ref == 4 ? 3 : ref + 1);               // within one, never exact
    calibrate(poor, ref -> 5 - ref);                               // far off

    String sid = AgreementLiveTest.submitted(app, vertx);
    AgreementLiveTest.review(a, sid, rubric, levels(1, 3));
    AgreementLiveTest.review(b, sid, rubric, levels(3, 3));
    var row = app.one("select adjudication, reviews_required, disagreement from review_items where submission_id = $1::uuid and exercise_id = $2",
        sid, EX).orElseThrow();
    assertEquals("needed", row.getString("adjudication"));
    assertEquals(3, row.getInteger("reviews_required"), "the answer now wants a third review");

    // offered first to the best calibrated: a reviewer ranked below the first three is not offered it yet
    HttpResponse<Buffer> none = await(uncalibrated.get("/review/next?exercise=" + EX));
    assertEquals(303, none.statusCode());
    assertTrue(none.getHeader("Location").startsWith("/review?status=mine"), none.getHeader("Location"));
    HttpResponse<Buffer> offered = await(best.get("/review/next?exercise=" + EX));
    assertEquals("/review/" + sid + "/" + EX, offered.getHeader("Location"));

    // blind: neither the earlier levels nor that it is disputed
    String item = "/api/v1/review/submissions/" + sid + "/exercises/" + EX;
    JsonObject seen = await(best.get(item)).bodyAsJsonObject();
    assertEquals(0, seen.getJsonArray("otherReviews").size());
    assertNull(seen.getValue("disagreement"));
    assertFalse(seen.containsKey("aggregate"));
    assertEquals("needs_reviews", seen.getString("status"));
    String page = await(best.get("/review/" + sid + "/" + EX)).bodyAsString();
    assertFalse(page.contains("levels apart"), "no disagreement banner");
    assertFalse(page.contains("Disagreement"));
    assertFalse(page.contains("class=\"others\""), "no other reviewer's level or note");
    JsonObject queued = await(best.get("/api/v1/review/queue?status=mine&exercise=" + EX)).bodyAsJsonObject().getJsonArray("items")
        .stream().map(o -> (JsonObject) o).filter(o -> sid.equals(o.getString("submissionId"))).findFirst().orElseThrow();
    assertNull(queued.getValue("disagreement"));
    assertEquals("needs_reviews", queued.getString("status"));

    AgreementLiveTest.review(best, sid, rubric, levels(3, 3));
    assertEquals("done", app.one("select adjudication from review_items where submission_id = $1::uuid and exercise_id = $2", sid, EX)
        .orElseThrow().getString("adjudication"));
    JsonObject after = await(best.get(item)).bodyAsJsonObject();
    assertEquals(2, after.getJsonArray("otherReviews").size(), "after submitting, the others appear");
    assertTrue(after.getJsonObject("myReview").getBoolean("adjudicator"));
    // levels 1, 3, 3: the median 3, where the mean would be 2.33
    assertEquals(3.0, after.getJsonObject("aggregate").getJsonObject("criteria").getDouble(rubric.get(0).id()), 1e-9);
    assertTrue(await(best.get("/review/" + sid + "/" + EX)).bodyAsString().contains("median per criterion (a third reviewer adjudicated"));

    JsonObject record = await(admin.get("/api/v1/review/adjudications")).bodyAsJsonObject().getJsonArray("items").stream()
        .map(o -> (JsonObject) o).filter(o -> sid.equals(o.getString("submissionId"))).findFirst().orElseThrow();
    assertEquals("done", record.getString("state"));
    JsonObject first = record.getJsonArray("criteria").getJsonObject(0);
    assertEquals(2.0, first.getDouble("before"), 1e-9);
    assertEquals(3.0, first.getDouble("after"), 1e-9);
    int w = rubric.stream().mapToInt(Criterion::weight).sum();
    double before = (2.0 * rubric.get(0).weight() + 3.0 * (w - rubric.get(0).weight())) / w;
    assertEquals(Math.round(before * 100) / 100.0, record.getDouble("overallBefore"), 1e-9);
    assertEquals(3.0, record.getDouble("overallAfter"), 1e-9);
    assertEquals(Math.round((3.0 - Math.round(before * 100) / 100.0) * 100) / 100.0, record.getDouble("moved"), 1e-9);
    assertTrue(await(admin.get("/review/agreement")).bodyAsString().contains("adjudicated"));
    // another reviewer is not offered it any more
    assertTrue(await(good.get("/review/next?exercise=" + EX)).getHeader("Location").startsWith("/review?status=mine"));
    // the disagreement is resolved: a decision needs no override for it
    HttpResponse<Buffer> decided = await(admin.post("/api/v1/review/submissions/" + sid + "/decision",
        new JsonObject().put("decision", "hold").put("rationale", "r").put("confirmIncomplete", true)));
    assertEquals(200, decided.statusCode(), decided.bodyAsString());
    // the export gives the adjudicated level too: the median 3.00, not the mean 2.33
    List<String> csv = await(admin.get("/api/v1/admin/export.csv")).bodyAsString().lines().toList();
    int col = List.of(csv.get(0).split(",")).indexOf("mean " + EX + ":" + rubric.get(0).id());
    String line = csv.stream().filter(l -> l.startsWith(sid)).findFirst().orElseThrow();
    assertEquals("3.00", line.split(",")[col], line);
  }
}
