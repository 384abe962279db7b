package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Criterion;
import dev.gameday.support.Browser;
import dev.gameday.support.Library;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 24 item 2: every submitted review records its rubric version; an edited rubric starts a new one. */
@ExtendWith(PostgresExtension.class)
class RubricVersionTest {
  static final String EX = AgreementLiveTest.EX;

  private static List<Criterion> rubric(TestApp app) {
    return app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow()
        .exercise().rubric();
  }

  /** Ten answers, each reviewed by the same two reviewers; returns the submission ids. */
  private static List<String> tenReviewed(TestApp app, Vertx vertx, String emailA, String emailB) {
    Browser a = app.signIn(vertx, emailA);
    Browser b = app.signIn(vertx, emailB);
    List<Criterion> rubric = rubric(app);
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String sid = AgreementLiveTest.submitted(app, vertx);
      AgreementLiveTest.review(a, sid, rubric, AgreementLiveTest.levelsA(i, rubric.size()));
      AgreementLiveTest.review(b, sid, rubric, AgreementLiveTest.levelsB(i, rubric.size()));
      sids.add(sid);
    }
    return sids;
  }

  @Test
  @DisplayName("a rubric edit gives a new version: reviews record theirs, the item page shows it, agreement splits per version")
  void editSplitsAgreement(TestDatabase db, @TempDir Path dir) throws Exception {
    Path lib = Library.withoutQualification(Library.copy(dir)); // its reviewers do not calibrate: every review counts
    Vertx vertx = Vertx.vertx();
    String before;
    String emailA;
    String emailB;
    String admin;
    List<String> first;
    try (TestApp app = TestApp.start(db, lib)) {
      emailA = app.account("reviewer");
      emailB = app.account("reviewer");
      admin = app.account("admin");
      first = tenReviewed(app, vertx, emailA, emailB);
      before = RubricVersions.of(app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX))
          .findFirst().orElseThrow());
    }
    // an edit of what reviewers score against: a criterion's title
    Library.replace(lib, EX + "/rubric.yaml", "title: Root cause and trigger, with evidence",
        "title: Root cause and trigger, each with evidence");
    try (TestApp app = TestApp.start(db, lib)) {
      String after = RubricVersions.of(app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX))
          .findFirst().orElseThrow());
      assertNotEquals(before, after, "an edited rubric is a new version");
      List<String> second = tenReviewed(app, vertx, emailA, emailB);

      Set<String> recorded = new TreeSet<>();
      app.sql("select distinct rubric_version from reviews where state = 'submitted' and exercise_id = $1", EX)
          .forEach(r -> recorded.add(r.getString("rubric_version")));
      assertEquals(new TreeSet<>(List.of(before, after)), recorded, "each submitted review records its rubric version");

      Browser ad = app.signIn(vertx, admin);
      JsonObject json = await(ad.get("/api/v1/review/agreement")).bodyAsJsonObject();
      List<JsonObject> rows = json.getJsonArray("criteria").stream().map(o -> (JsonObject) o)
          .filter(o -> EX.equals(o.getString("exercise"))).toList();
      assertEquals(Set.of(before, after), rows.stream().map(o -> o.getString("rubric_version")).collect(Collectors.toSet()));
      int k = rubric(app).size();
      for (String v : List.of(before, after)) {
        List<JsonObject> of = rows.stream().filter(o -> v.equals(o.getString("rubric_version"))).toList();
        assertEquals(k + 1, of.size());
        of.forEach(o -> assertEquals(10, o.getInteger("items"), "ten items per version, not twenty: " + o));
      }

      // the reviewer's item page says which version each review used
      Browser a = app.signIn(vertx, emailA);
      String oldPage = await(a.get("/review/" + first.get(0) + "/" + EX)).bodyAsString();
      String newPage = await(a.get("/review/" + second.get(0) + "/" + EX)).bodyAsString();
      assertTrue(oldPage.contains("your review was submitted against version <code>" + before + "</code>"), oldPage);
      assertTrue(newPage.contains("your review was submitted against version <code>" + after + "</code>"));
      JsonObject item = await(a.get("/api/v1/review/submissions/" + second.get(0) + "/exercises/" + EX)).bodyAsJsonObject();
      assertEquals(after, item.getString("rubricVersion"));
      assertEquals(after, item.getJsonObject("myReview").getString("rubricVersion"));
    } finally {
      await(vertx.close());
    }
  }
}
