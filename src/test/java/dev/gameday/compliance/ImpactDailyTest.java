package dev.gameday.compliance;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The report's per-day sums (V87) stay exactly what a full recomputation gives after every kind of change the triggers
 * watch: decisions, self-identification, reviews' level sums, demo flags.
 */
@ExtendWith(PostgresExtension.class)
class ImpactDailyTest {
  static TestApp app;
  static Vertx vertx;
  static Browser admin;
  static Browser compliance;
  static final List<String> sids = new ArrayList<>();

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    admin = app.signIn(vertx, app.account("admin"));
    compliance = app.signIn(vertx, app.account("compliance"));
    for (int i = 0; i < 12; i++) {
      Created c = app.invite("Daily " + i, "daily" + i + "@example.com");
      Browser b = new Browser(vertx, app.port);
      await(b.get("/i/" + c.token()));
      await(b.put("/api/v1/candidate/answers/" + ComplianceTest.EX, new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put("summary", "The pool was exhausted."))));
      String sid = await(b.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
      sids.add(sid);
      String page = await(b.get("/candidate/privacy")).bodyAsString();
      int at = page.indexOf("name=\"_csrf\" value=\"");
      assertEquals(303, await(b.postForm("/candidate/privacy/self-id", MultiMap.caseInsensitiveMultiMap()
          .add("_csrf", page.substring(at + 20, page.indexOf('"', at + 20)))
          .add("sex", i % 2 == 0 ? "female" : "male").add("race", i < 6 ? "white" : "black").add("disability", "no")
          .add("veteran", "prefer_not"))).statusCode());
      assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject()
          .put("decision", i % 3 == 0 ? "decline" : "advance").put("rationale", "Reasons.").put("confirmIncomplete", true)))
          .statusCode());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static JsonObject report() {
    var r = await(compliance.get("/api/v1/compliance/impact?track=sre-senior"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject o = r.bodyAsJsonObject();
    o.remove("generatedAt");
    return o;
  }

  /** The report from scratch: every day's sums dropped and every day marked stale. */
  static JsonObject recomputed() {
    app.sql("delete from impact_daily_decisions");
    app.sql("delete from impact_daily_levels");
    app.sql("insert into impact_stale (track_id, day) select distinct i.track_id, (s.submitted_at at time zone 'UTC')::date"
        + " from submissions s join invitations i on i.id = s.invitation_id on conflict do nothing");
    return report();
  }

  @Test
  @DisplayName("after each change the kept sums give the same report as a full recomputation, and the change shows")
  void sameAsRecomputed() {
    JsonObject before = report();
    assertEquals(before, recomputed());
    List<String> changes = List.of(
        "update decisions set decision = 'advance' where submission_id = '" + sids.get(0) + "'",
        "delete from self_identification where invitation_id = (select invitation_id from submissions where id = '" + sids.get(1) + "')",
        "update self_identification set race = 'asian' where invitation_id = (select invitation_id from submissions where id = '"
            + sids.get(2) + "')",
        "insert into reviews (submission_id, exercise_id, reviewer_id, state, recommendation, scores, submitted_at)"
            + " select '" + sids.get(3) + "', '" + ComplianceTest.EX + "', a.id, 'submitted', 'yes',"
            + " '{\"analysis\": {\"level\": 4, \"note\": \"\"}}', now() from accounts a where a.role = 'admin' limit 1",
        "delete from decisions where submission_id = '" + sids.get(4) + "'",
        "update invitations set demo = true where id = (select invitation_id from submissions where id = '" + sids.get(5) + "')");
    JsonObject last = before;
    for (String change : changes) {
      app.sql(change);
      JsonObject kept = report();
      assertNotEquals(last, kept, "the report shows the change: " + change);
      assertEquals(recomputed(), kept, "kept sums equal a recomputation after: " + change);
      last = kept;
    }
  }
}
