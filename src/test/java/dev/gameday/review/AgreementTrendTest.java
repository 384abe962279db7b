package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Agreement per calendar month (issue 24, item 1): a fixed data set, pure and through the admin's JSON and page. */
@ExtendWith(PostgresExtension.class)
class AgreementTrendTest {
  static final String EX = AgreementLiveTest.EX;
  static TestApp app;
  static Vertx vertx;
  static List<Criterion> rubric;

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

  @Test
  @DisplayName("pure: each month's figures are LiveAgreement's on that month's items; under 10 items too-few and no alpha; months in order")
  void pure() {
    int k = 2;
    List<int[][]> march = new ArrayList<>();
    List<int[][]> april = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      march.add(new int[][] {AgreementLiveTest.levelsA(i, k), AgreementLiveTest.levelsB(i, k)});
    }
    for (int i = 0; i < 4; i++) {
      april.add(new int[][] {AgreementLiveTest.levelsA(i, k), AgreementLiveTest.levelsA(i + 1, k)});
    }
    List<int[][]> all = new ArrayList<>(march);
    all.addAll(april);
    Group g = new Group("ex", "v", List.of("a", "b"), new int[] {1, 2}, all);
    List<AgreementTrend.Point> trend = AgreementTrend.compute(g, Map.of("2026-04", april, "2026-03", march), 1000, 24L);
    assertEquals(2 * (k + 1), trend.size());
    List<Figure> reference = LiveAgreement.compute(new Group("ex", "v", List.of("a", "b"), new int[] {1, 2}, march), 1000, 24L);
    for (int j = 0; j <= k; j++) {
      AgreementTrend.Point p = trend.get(j);
      assertEquals("2026-03", p.month());
      assertEquals(reference.get(j), p.figure());
      assertEquals(12, p.figure().items());
      AgreementTrend.Point q = trend.get(k + 1 + j);
      assertEquals("2026-04", q.month());
      assertEquals("too-few", q.figure().grade());
      assertEquals(4, q.figure().items());
      assertNull(q.figure().alpha());
    }
    // reproducible for the seed
    assertEquals(trend, AgreementTrend.compute(g, Map.of("2026-04", april, "2026-03", march), 1000, 24L));
  }

  @Test
  @DisplayName("live: an answer counts in the month of its latest review; the JSON's trend and the page's table per month")
  void live() {
    Browser a = app.signIn(vertx, app.account("reviewer"));
    Browser b = app.signIn(vertx, app.account("reviewer"));
    Browser admin = app.signIn(vertx, app.account("admin"));
    int k = rubric.size();
    List<int[][]> now = new ArrayList<>();
    List<String> earlier = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      String sid = AgreementLiveTest.submitted(app, vertx);
      AgreementLiveTest.review(a, sid, rubric, AgreementLiveTest.levelsA(i, k));
      AgreementLiveTest.review(b, sid, rubric, AgreementLiveTest.levelsB(i, k));
      if (i < 12) {
        now.add(new int[][] {AgreementLiveTest.levelsA(i, k), AgreementLiveTest.levelsB(i, k)});
      } else {
        earlier.add(sid);
      }
    }
    // three answers reviewed in January 2026 (both reviews), before anything was read (the figures are cached per review write)
    for (String sid : earlier) {
      app.sql("update reviews set submitted_at = timestamptz '2026-01-15 12:00:00+00' where submission_id = $1", UUID.fromString(sid));
    }
    String thisMonth = YearMonth.now(ZoneOffset.UTC).toString();
    HttpResponse<Buffer> r = await(admin.get("/api/v1/review/agreement"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<JsonObject> trend = r.bodyAsJsonObject().getJsonArray("trend").stream().map(o -> (JsonObject) o)
        .filter(o -> EX.equals(o.getString("exercise"))).toList();
    assertEquals(2 * (k + 1), trend.size(), trend.toString());
    List<Figure> reference = LiveAgreement.compute(new Group(EX, "v", rubric.stream().map(Criterion::id).toList(),
        rubric.stream().mapToInt(Criterion::weight).toArray(), now), LiveAgreement.RESAMPLES, LiveAgreement.SEED);
    for (int j = 0; j <= k; j++) {
      JsonObject jan = trend.get(j);
      assertEquals("2026-01", jan.getString("month"));
      assertEquals("too-few", jan.getString("grade"));
      assertEquals(3, jan.getInteger("items"));
      assertNull(jan.getValue("alpha"));
      JsonObject cur = trend.get(k + 1 + j);
      assertEquals(thisMonth, cur.getString("month"));
      assertEquals(j < k ? rubric.get(j).id() : "total", cur.getString("criterion"));
      assertEquals(12, cur.getInteger("items"));
      assertEquals(reference.get(j).alpha(), cur.getDouble("alpha"), 5e-4);
      assertEquals(reference.get(j).ciLow(), cur.getDouble("ci_low"), 5e-4);
      assertEquals(reference.get(j).grade(), cur.getString("grade"));
      assertTrue(cur.containsKey("rubric_version") && cur.containsKey("ci_high"));
    }
    String page = await(admin.get("/review/agreement")).bodyAsString();
    assertTrue(page.contains("Trend per month"), "the page has the trend table");
    assertTrue(page.contains("<th scope=\"row\">2026-01</th>") && page.contains("<th scope=\"row\">" + thisMonth + "</th>"), "a row per month");
    assertTrue(page.contains("too few (3)"));
  }
}
