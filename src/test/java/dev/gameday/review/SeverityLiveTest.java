package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Criterion;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 24 item 5 on a real database: who sees which severity figures. */
@ExtendWith(PostgresExtension.class)
class SeverityLiveTest {
  static final String EX = AgreementLiveTest.EX;
  static TestApp app;
  static Vertx vertx;
  static List<Criterion> rubric;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    rubric = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow()
        .exercise().rubric();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  @Test
  @DisplayName("severity: a reviewer sees only their own offsets, an admin every reviewer's; recruiters 403")
  void severity() {
    String emailA = app.account("reviewer");
    String emailB = app.account("reviewer");
    Browser a = app.signIn(vertx, emailA);
    Browser b = app.signIn(vertx, emailB);
    int k = rubric.size();
    for (int i = 0; i < 3; i++) {
      String sid = AgreementLiveTest.submitted(app, vertx);
      int[] low = AgreementLiveTest.levelsA(0, k);
      java.util.Arrays.fill(low, 1);
      int[] high = low.clone();
      java.util.Arrays.fill(high, 3);
      AgreementLiveTest.review(a, sid, rubric, low);
      AgreementLiveTest.review(b, sid, rubric, high);
    }
    String nameA = app.one("select name from accounts where email = $1", emailA).orElseThrow().getString("name");
    String nameB = app.one("select name from accounts where email = $1", emailB).orElseThrow().getString("name");
    var mineResponse = await(a.get("/api/v1/review/severity"));
    assertEquals(200, mineResponse.statusCode(), mineResponse.bodyAsString());
    JsonArray mine = mineResponse.bodyAsJsonObject().getJsonArray("reviewers");
    assertTrue(mine.size() >= k);
    mine.forEach(o -> assertEquals(nameA, ((JsonObject) o).getString("reviewer"), "a reviewer sees their own figures only"));
    JsonObject first = mine.stream().map(o -> (JsonObject) o).filter(o -> o.getString("criterion").equals(EX + ":" + rubric.get(0).id()))
        .findFirst().orElseThrow();
    assertEquals(-2.0, first.getDouble("offset"), 1e-9);
    assertEquals(3, first.getInteger("items"));
    assertEquals(true, first.getBoolean("recalibrate"), "always two below, interval -2..-2");
    Browser admin = app.signIn(vertx, app.account("admin"));
    JsonArray all = await(admin.get("/api/v1/review/severity")).bodyAsJsonObject().getJsonArray("reviewers");
    assertTrue(all.stream().anyMatch(o -> nameB.equals(((JsonObject) o).getString("reviewer"))));
    assertTrue(all.stream().anyMatch(o -> nameA.equals(((JsonObject) o).getString("reviewer"))));
    assertEquals(200, await(a.get("/review/severity")).statusCode());
    assertEquals(403, await(app.signIn(vertx, app.account("recruiter")).get("/api/v1/review/severity")).statusCode());
  }

}
