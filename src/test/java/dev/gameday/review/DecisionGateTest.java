package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Criterion;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 24 item 3: a decision that cannot lean on the scores needs an override with a reason, audited and exported. */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(OrderAnnotation.class)
class DecisionGateTest {
  static final String EX = AgreementLiveTest.EX;
  static TestApp app;
  static Vertx vertx;
  static List<Criterion> rubric;
  static Browser a;
  static Browser b;
  static Browser admin;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    rubric = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow()
        .exercise().rubric();
    a = app.signIn(vertx, app.account("reviewer"));
    b = app.signIn(vertx, app.account("reviewer"));
    admin = app.signIn(vertx, app.account("admin"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static int[] levels(int first, int rest) {
    int[] l = new int[rubric.size()];
    java.util.Arrays.fill(l, rest);
    l[0] = first;
    return l;
  }

  static HttpResponse<Buffer> decide(String sid, String overrideReason) {
    JsonObject body = new JsonObject().put("decision", "hold").put("rationale", "Solid analysis.").put("confirmIncomplete", true);
    if (overrideReason != null) {
      body.put("override_reason", overrideReason);
    }
    return await(admin.post("/api/v1/review/submissions/" + sid + "/decision", body));
  }

  @Test
  @Order(1)
  @DisplayName("reviewers two levels apart, unresolved: the API answers 409 override_required; the form shows the override field; with a reason it is recorded")
  void unresolvedDisagreement() {
    String sid = AgreementLiveTest.submitted(app, vertx);
    AgreementLiveTest.review(a, sid, rubric, levels(1, 3));
    AgreementLiveTest.review(b, sid, rubric, levels(3, 3));
    HttpResponse<Buffer> refused = decide(sid, null);
    assertEquals(409, refused.statusCode(), refused.bodyAsString());
    assertEquals("override_required", refused.bodyAsJsonObject().getString("error"));
    assertTrue(refused.bodyAsJsonObject().getString("message").contains("two or more levels apart"), refused.bodyAsString());
    assertNull(app.one("select 1 from decisions where submission_id = $1::uuid", sid).orElse(null), "nothing recorded");
    // blank is no reason
    assertEquals(409, decide(sid, "   ").statusCode());

    String page = await(admin.get("/review/" + sid)).bodyAsString();
    assertTrue(page.contains("Unresolved disagreement"), "the decision page says so");
    assertTrue(page.contains("name=\"override_reason\""), "and asks for an override reason");
    HttpResponse<Buffer> form = await(admin.postForm("/review/" + sid + "/decision", MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", admin.cookie("XSRF-TOKEN")).add("decision", "hold").add("rationale", "r").add("confirmIncomplete", "1")));
    // Post/Redirect/Get: the refused form answers 303 and the page it leads to says why, once, keeping what was typed
    assertEquals(303, form.statusCode());
    assertNull(app.one("select 1 from decisions where submission_id = $1::uuid", sid).orElse(null), "nothing recorded");
    String after = await(admin.get("/review/" + sid)).bodyAsString();
    assertTrue(after.contains("Record it as an override with a written reason"), after);
    assertFalse(await(admin.get("/review/" + sid)).bodyAsString().contains("Record it as an override with a written reason"),
        "the message is shown once");

    HttpResponse<Buffer> ok = await(admin.postForm("/review/" + sid + "/decision", MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", admin.cookie("XSRF-TOKEN")).add("decision", "hold").add("rationale", "r").add("confirmIncomplete", "1")
        .add("override_reason", "Both reviewers agree the candidate should be held; the gap is on one criterion only.")));
    assertEquals(303, ok.statusCode(), ok.bodyAsString());
    JsonObject audit = app.one("select detail from audit_log where action = 'decision.made' and subject = $1", "submission:" + sid)
        .orElseThrow().getJsonObject("detail");
    assertEquals("Both reviewers agree the candidate should be held; the gap is on one criterion only.", audit.getString("override_reason"));
    assertTrue(audit.getJsonArray("override_for").encode().contains("two or more levels apart"));
  }

  @Test
  @Order(2)
  @DisplayName("a not-reliable criterion: 409 without override_reason; with one, the reason is in the audit log, the decision and the export")
  void notReliableCriterion() {
    // ten answers on which the reviewers swap levels 1 and 2 on the first criterion (never two apart, so no
    // disagreement flag) and agree on the rest: the first criterion's alpha is negative, not reliable
    for (int i = 0; i < 10; i++) {
      String sid = AgreementLiveTest.submitted(app, vertx);
      AgreementLiveTest.review(a, sid, rubric, levels(1 + i % 2, 1 + i % 4));
      AgreementLiveTest.review(b, sid, rubric, levels(2 - i % 2, 1 + i % 4));
    }
    String sid = AgreementLiveTest.submitted(app, vertx);
    AgreementLiveTest.review(a, sid, rubric, levels(2, 3));
    AgreementLiveTest.review(b, sid, rubric, levels(2, 3));
    String firstCriterion = rubric.get(0).title();

    HttpResponse<Buffer> refused = decide(sid, null);
    assertEquals(409, refused.statusCode(), refused.bodyAsString());
    JsonObject err = refused.bodyAsJsonObject();
    assertEquals("override_required", err.getString("error"));
    assertTrue(err.getString("message").contains(firstCriterion + " is not reliable"), err.encode());
    assertTrue(err.getJsonArray("reasons").size() >= 1);
    String page = await(admin.get("/review/" + sid)).bodyAsString();
    assertTrue(page.contains("Not reliable"), "the decision page shows the criterion's grade");

    String reason = "Hiring panel reviewed the answer itself; the analysis criterion is being recalibrated.";
    HttpResponse<Buffer> ok = decide(sid, reason);
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(reason, ok.bodyAsJsonObject().getString("override_reason"));
    JsonObject audit = app.one("select detail from audit_log where action = 'decision.made' and subject = $1", "submission:" + sid)
        .orElseThrow().getJsonObject("detail");
    assertEquals(reason, audit.getString("override_reason"));
    assertEquals(reason, app.one("select override_reason from decisions where submission_id = $1::uuid", sid).orElseThrow()
        .getString("override_reason"));
    String csv = await(admin.get("/api/v1/admin/export.csv")).bodyAsString();
    assertTrue(csv.lines().findFirst().orElseThrow().contains("override_reason"));
    assertTrue(csv.contains(reason), "the export shows the override reason");
  }
}
