package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Criterion;
import dev.gameday.review.LiveAgreement.Figure;
import dev.gameday.review.LiveAgreement.Group;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Live agreement on a real database: the figures, their privacy floor, who may see them, and their cache. */
@ExtendWith(PostgresExtension.class)
class AgreementLiveTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static List<Criterion> rubric;
  static final AtomicInteger counter = new AtomicInteger();

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    rubric = app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise().rubric();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** A candidate who wrote an answer to EX and submitted; returns the submission id. */
  static String submitted(TestApp app, Vertx vertx) {
    int n = counter.incrementAndGet();
    var c = app.invite("Candidate " + n, "cand" + n + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool was exhausted after the release."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static JsonObject scores(List<Criterion> rubric, int[] levels) {
    JsonObject s = new JsonObject();
    for (int c = 0; c < rubric.size(); c++) {
      s.put(rubric.get(c).id(), new JsonObject().put("level", levels[c]).put("note", "seen"));
    }
    return s;
  }

  static void review(Browser b, String sid, List<Criterion> rubric, int[] levels) {
    HttpResponse<Buffer> r = await(b.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
        new JsonObject().put("scores", scores(rubric, levels)).put("recommendation", "yes")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  /** Reviewer A's levels on item i: varied; B's: the same except a one-level slip on every third item. */
  static int[] levelsA(int i, int k) {
    int[] l = new int[k];
    for (int c = 0; c < k; c++) {
      l[c] = 1 + (i + c) % 4;
    }
    return l;
  }

  static int[] levelsB(int i, int k) {
    int[] l = levelsA(i, k);
    if (i % 3 == 0) {
      l[0] = l[0] == 4 ? 3 : l[0] + 1;
    }
    return l;
  }

  static List<JsonObject> rows(Browser admin) {
    HttpResponse<Buffer> r = await(admin.get("/api/v1/review/agreement"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray a = r.bodyAsJsonObject().getJsonArray("criteria");
    List<JsonObject> out = new ArrayList<>();
    a.forEach(o -> out.add((JsonObject) o));
    return out.stream().filter(o -> EX.equals(o.getString("exercise"))).toList();
  }

  @Test
  @DisplayName("figures per criterion and total: too-few and hidden below 10 items; at 12, alpha and CI as the reference computes them")
  void liveFigures() {
    Browser a = app.signIn(vertx, app.account("reviewer"));
    Browser b = app.signIn(vertx, app.account("reviewer"));
    Browser admin = app.signIn(vertx, app.account("admin"));
    int k = rubric.size();
    List<int[][]> items = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String sid = submitted(app, vertx);
      review(a, sid, rubric, levelsA(i, k));
      review(b, sid, rubric, levelsB(i, k));
      items.add(new int[][] {levelsA(i, k), levelsB(i, k)});
    }
    List<JsonObject> nine = rows(admin);
    assertEquals(k + 1, nine.size(), nine.toString());
    for (JsonObject row : nine) {
      assertEquals("too-few", row.getString("grade"));
      assertEquals(9, row.getInteger("items"));
      assertTrue(row.containsKey("alpha") && row.getValue("alpha") == null, "no alpha below 10 items: " + row);
      assertNull(row.getValue("ci_low"));
      assertNull(row.getValue("ci_high"));
      assertEquals(RubricVersions.of(app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX))
          .findFirst().orElseThrow()), row.getString("rubric_version"));
    }
    for (int i = 9; i < 12; i++) {
      String sid = submitted(app, vertx);
      review(a, sid, rubric, levelsA(i, k));
      review(b, sid, rubric, levelsB(i, k));
      items.add(new int[][] {levelsA(i, k), levelsB(i, k)});
    }
    // a third answer with one review only counts nowhere
    review(a, submitted(app, vertx), rubric, levelsA(0, k));
    List<JsonObject> twelve = rows(admin); // the cache was dropped by the new reviews
    List<Figure> reference = LiveAgreement.compute(new Group(EX, "v", rubric.stream().map(Criterion::id).toList(),
        rubric.stream().mapToInt(Criterion::weight).toArray(), items), LiveAgreement.RESAMPLES, LiveAgreement.SEED);
    assertEquals(k + 1, twelve.size());
    for (int j = 0; j <= k; j++) {
      JsonObject row = twelve.get(j);
      Figure f = reference.get(j);
      assertEquals(j < k ? rubric.get(j).id() : "total", row.getString("criterion"));
      assertEquals(12, row.getInteger("items"));
      assertEquals(f.alpha(), row.getDouble("alpha"), 5e-4, row.toString());
      assertEquals(f.ciLow(), row.getDouble("ci_low"), 5e-4);
      assertEquals(f.ciHigh(), row.getDouble("ci_high"), 5e-4);
      assertEquals(f.grade(), row.getString("grade"));
    }
    // the criteria where A and B never differ agree perfectly; the first, with a slip on every third item, less so
    assertEquals(1.0, twelve.get(1).getDouble("alpha"), 1e-9);
    assertEquals("decision-grade", twelve.get(1).getString("grade"));
    assertTrue(twelve.get(0).getDouble("alpha") < 1.0);
    var page = await(admin.get("/review/agreement"));
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("data-agreement-chart"), "the chart beside the table");
    assertTrue(page.bodyAsString().contains("/static/js/agreement-chart.js"));
    assertTrue(page.bodyAsString().contains("Decision-grade"));
  }

  @Test
  @DisplayName("reviewers and recruiters get 403 on the agreement page and JSON; nobody signed in 401")
  void adminsOnly() {
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    for (Browser b : List.of(reviewer, recruiter)) {
      assertEquals(403, await(b.get("/api/v1/review/agreement")).statusCode());
      assertEquals(403, await(b.get("/review/agreement")).statusCode());
    }
    HttpResponse<Buffer> anon = await(new Browser(vertx, app.port).get("/api/v1/review/agreement"));
    assertEquals(401, anon.statusCode());
    assertNotNull(anon.bodyAsJsonObject().getString("error"));
  }
}
