package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Calibration;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reviewer pages as issue 9 found them: defects 8 (sample names), 9 (agreement page), 10 (aggregate and banner). */
@ExtendWith(PostgresExtension.class)
class ReviewerPagesTest {
  static TestApp app;
  static Vertx vertx;

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

  static Browser reviewer(String email) {
    await(app.app.accounts.add("Neutral Reviewer", email, TestApp.PASSWORD, "reviewer"));
    return app.signIn(vertx, email);
  }

  @Test
  @DisplayName("sample answers are named neutrally, in text and address, until scored; then the kind is shown")
  void neutralUntilScored() {
    Browser b = reviewer("neutral@example.com");
    String page = await(b.get("/review/calibration")).bodyAsString();
    Set<String> kinds = new HashSet<>();
    for (var v : app.app.catalog.currentVersions()) {
      Exercise ex = v.exercise();
      for (Calibration c : ex.calibration()) {
        kinds.add(c.label());
        String id = CalibrationRoutes.sampleId(ex, c.name());
        assertTrue(id.matches("sample-\\d"), id);
        assertTrue(page.contains("/review/calibration/" + ex.id() + "/" + id), "link to " + id);
        assertFalse(page.contains("/review/calibration/" + ex.id() + "/" + c.name() + "\""), "address names the kind " + c.name());
        String item = await(b.get("/review/calibration/" + ex.id() + "/" + id)).bodyAsString();
        assertFalse(item.contains(c.label()), ex.id() + "/" + id + " says " + c.label() + " before scoring");
        JsonObject json = await(b.get("/api/v1/review/calibration/" + ex.id() + "/" + id)).bodyAsJsonObject();
        assertFalse(json.encode().toLowerCase(Locale.ROOT).contains(c.kind()), "JSON names the kind " + c.kind());
        assertEquals(404, await(b.get("/review/calibration/" + ex.id() + "/" + c.name())).statusCode(),
            "the old, telling address is gone");
      }
    }
    // calibration at every level (issue 19): the level-3 samples are listed like the others
    assertTrue(kinds.contains("Solid answer"), "the page lists the level-3 samples: " + kinds);
    for (String kind : kinds) {
      assertFalse(page.contains(kind), "the list says " + kind + " before scoring");
    }
    // the order is not strong, mixed, weak for every exercise (it is by a hash of the names)
    Set<String> firsts = new HashSet<>();
    for (var v : app.app.catalog.currentVersions()) {
      firsts.add(CalibrationRoutes.samples(v.exercise()).get(0).kind());
    }
    assertTrue(firsts.size() > 1, "the first sample is of the same kind in every exercise: " + firsts);

    Exercise ex = app.app.catalog.currentVersions().get(0).exercise();
    Calibration c = ex.calibration().get(0);
    String id = CalibrationRoutes.sampleId(ex, c.name());
    JsonObject scores = new JsonObject();
    ex.rubric().forEach(cr -> scores.put(cr.id(), new JsonObject().put("level", 3)));
    assertEquals(200, await(b.post("/api/v1/review/calibration/" + ex.id() + "/" + id, new JsonObject().put("scores", scores))).statusCode());
    assertTrue(await(b.get("/review/calibration/" + ex.id() + "/" + id)).bodyAsString().contains(c.label()), "shown once scored");
    assertTrue(await(b.get("/review/calibration")).bodyAsString().contains(c.label()), "listed once scored");
  }

  @Test
  @DisplayName("the agreement page names criteria by exercise and criterion title, not raw ids, and explains each figure")
  void agreementPageReadable() {
    Browser a = reviewer("agree-a@example.com");
    Browser b = reviewer("agree-b@example.com");
    var invitation = app.invite("Agree Candidate", "agree-candidate@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + invitation.token()));
    String ex = "incident-postmortem";
    await(cand.put("/api/v1/candidate/answers/" + ex, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Exercise exercise = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(ex)).findFirst()
        .orElseThrow().exercise();
    JsonObject scores = new JsonObject();
    exercise.rubric().forEach(c -> scores.put(c.id(), new JsonObject().put("level", 3).put("note", "n")));
    for (Browser r : java.util.List.of(a, b)) {
      assertEquals(200, await(r.post("/api/v1/review/submissions/" + sid + "/exercises/" + ex + "/review/submit",
          new JsonObject().put("scores", scores).put("recommendation", "yes"))).statusCode());
    }
    String page = await(a.get("/review/calibration")).bodyAsString();
    var first = exercise.rubric().get(0);
    assertTrue(page.contains(exercise.title() + ": " + first.title()), "criterion named by its titles");
    assertFalse(page.contains(ex + ":" + first.id()), "no raw criterion id");
    assertTrue(page.contains("not enough ratings yet"), "one answer is below the minimum");
    assertTrue(page.contains("<strong>Alpha</strong>") && page.contains("<strong>Kappa</strong>"), "each figure explained");
  }

  @Test
  @DisplayName("after one's own review: each reviewer's level beside the mean, and the banner names the criteria apart")
  void aggregateShowsLevels() {
    Browser a = reviewer("levels-a@example.com");
    Browser b = reviewer("levels-b@example.com");
    var invitation = app.invite("Levels Candidate", "levels-candidate@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + invitation.token()));
    String ex = "incident-postmortem";
    await(cand.put("/api/v1/candidate/answers/" + ex, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Exercise exercise = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(ex)).findFirst()
        .orElseThrow().exercise();
    var first = exercise.rubric().get(0);
    var second = exercise.rubric().get(1);
    int n = 0;
    for (Browser r : java.util.List.of(a, b)) {
      JsonObject scores = new JsonObject();
      int level = n++ == 0 ? 1 : 4;
      exercise.rubric().forEach(c -> scores.put(c.id(), new JsonObject().put("level", c == first ? level : 3).put("note", "n")));
      assertEquals(200, await(r.post("/api/v1/review/submissions/" + sid + "/exercises/" + ex + "/review/submit",
          new JsonObject().put("scores", scores).put("recommendation", "yes"))).statusCode());
    }
    String page = await(a.get("/review/" + sid + "/" + ex)).bodyAsString();
    assertTrue(page.contains("two or more levels apart on " + first.title().replace(",", "&#x2C;"))
        || page.contains("two or more levels apart on " + first.title()), "the banner names the criterion");
    assertFalse(page.contains("apart on " + second.title()), "only the criteria apart");
    String table = page.substring(page.indexOf("<h2>Aggregate</h2>"));
    assertTrue(table.contains("Neutral Reviewer"), "each reviewer has a column");
    String row = table.substring(table.indexOf(first.title().substring(0, 10)));
    row = row.substring(0, row.indexOf("</tr>"));
    assertTrue(row.contains("<td>1</td>") && row.contains("<td>4</td>") && row.contains("2.50"), row);
  }

  @Test
  @DisplayName("a blank exercise is marked in the queue, wants one review, and one reviewer records no answer in one step")
  void noAnswerInOneStep() {
    Browser r = reviewer("blank-reviewer@example.com");
    var invitation = app.invite("Blank Candidate", "blank-candidate@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + invitation.token()));
    await(cand.put("/api/v1/candidate/answers/incident-postmortem", new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Only this exercise has text."))));
    await(cand.put("/api/v1/candidate/answers/scaling-plan", new JsonObject().put("rev", 1)
        .put("sections", new JsonObject())));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");

    JsonObject blank = await(r.get("/api/v1/review/submissions/" + sid + "/exercises/scaling-plan")).bodyAsJsonObject();
    var items = await(r.get("/api/v1/review/queue?status=all")).bodyAsJsonObject().getJsonArray("items");
    JsonObject blankRow = null;
    JsonObject textRow = null;
    for (Object o : items) {
      JsonObject i = (JsonObject) o;
      if (i.getString("submissionId").equals(sid) && i.getString("exerciseId").equals("scaling-plan")) {
        blankRow = i;
      }
      if (i.getString("submissionId").equals(sid) && i.getString("exerciseId").equals("incident-postmortem")) {
        textRow = i;
      }
    }
    assertTrue(blankRow != null && textRow != null, items.encode());
    assertEquals(true, blankRow.getBoolean("noAnswer"));
    assertEquals(1, blankRow.getInteger("reviewsRequired"), "a blank exercise wants one review");
    assertEquals(false, textRow.getBoolean("noAnswer"));
    assertEquals(2, textRow.getInteger("reviewsRequired"));
    assertTrue(await(r.get("/review")).bodyAsString().contains("No answer written"), "the queue page marks it");
    assertTrue(await(r.get("/review/" + sid + "/scaling-plan")).bodyAsString().contains("Record no answer"));
    assertFalse(await(r.get("/review/" + sid + "/incident-postmortem")).bodyAsString().contains("Record no answer"));
    assertTrue(blank != null);

    assertEquals(303, await(r.postForm("/review/" + sid + "/scaling-plan", MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", r.cookie("XSRF-TOKEN")).add("action", "no_answer"))).statusCode());
    JsonObject after = await(r.get("/api/v1/review/submissions/" + sid + "/exercises/scaling-plan")).bodyAsJsonObject();
    String encoded = after.encode();
    assertTrue(encoded.contains("\"state\":\"submitted\""), encoded);
    assertTrue(encoded.contains(ReviewRoutes.NO_ANSWER_NOTE), encoded);
    var row = app.one("select reviews_submitted, reviews_required from review_items where submission_id = $1::uuid and exercise_id = 'scaling-plan'", sid).orElseThrow();
    assertEquals(1, row.getInteger("reviews_submitted"));
    assertEquals(1, row.getInteger("reviews_required"));

    var refused = await(r.post("/api/v1/review/submissions/" + sid + "/exercises/incident-postmortem/review/no-answer", new JsonObject()));
    assertEquals(409, refused.statusCode());
    assertEquals("has_answer", refused.bodyAsJsonObject().getString("error"));
  }
}
