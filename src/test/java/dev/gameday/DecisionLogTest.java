package dev.gameday;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tamper-evident decision log (issue 26 item 4) and {@code gameday audit verify}. */
@ExtendWith(PostgresExtension.class)
class DecisionLogTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database) throws Exception {
    db = database;
    app = TestApp.start(database);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    Main.environment = System::getenv;
    app.close();
    await(vertx.close());
  }

  static String submitted(String name, String email) {
    Created c = app.invite(name, email);
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool was exhausted."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static OpsCommandsTest.Run verify() {
    try {
      return OpsCommandsTest.gameday(db.url(), "audit", "verify");
    } finally {
      Main.environment = System::getenv;
    }
  }

  @Test
  @DisplayName("decisions, reveals and erasures (some concurrent) are chained; verify passes, then names the entry a test edits")
  void chainAndVerify() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sids.add(submitted("Chain Candidate " + i, "chain" + i + "@example.com"));
    }
    // six decisions at once, from six requests: the head's row lock serialises the appends
    List<Future<?>> all = new ArrayList<>();
    for (String sid : sids) {
      all.add(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject().put("decision", "advance")
          .put("rationale", "Clear analysis of " + sid).put("confirmIncomplete", true)));
    }
    await(Future.all(all));
    for (String sid : sids.subList(0, 2)) {
      assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/reveal", null)).statusCode());
    }
    long invitation = app.one("select invitation_id from submissions where id = $1::uuid", sids.get(2)).orElseThrow().getLong(0);
    var erased = await(admin.post("/api/v1/candidates/" + invitation + "/erase", new JsonObject().put("reason", "asked")));
    assertEquals(200, erased.statusCode(), erased.bodyAsString());

    List<Row> chain = new ArrayList<>();
    app.sql("select l.seq, l.audit_id, a.action from decision_log l join audit_log a on a.id = l.audit_id order by l.seq")
        .forEach(chain::add);
    assertEquals(6 + 2 + 1, chain.size(), "every decision, reveal and erasure, and nothing else");
    assertEquals(Map.of("decision.made", 6L, "identity.revealed", 2L, "candidate.erased", 1L),
        chain.stream().collect(java.util.stream.Collectors.groupingBy(r -> r.getString("action"), java.util.stream.Collectors.counting())));
    for (int i = 0; i < chain.size(); i++) {
      assertEquals(i + 1, chain.get(i).getLong("seq"), "no gaps");
    }

    OpsCommandsTest.Run ok = verify();
    assertEquals(0, ok.code(), ok.out() + ok.err());
    assertTrue(ok.out().contains("intact: 9 entries"), ok.out());

    // the export's header carries the head
    String head = app.one("select sha256 from decision_log_head").orElseThrow().getString(0);
    assertTrue(ok.out().contains("head " + head), ok.out());
    OpsCommandsTest.Run export;
    try {
      export = OpsCommandsTest.gameday(db.url(), "export");
    } finally {
      Main.environment = System::getenv;
    }
    JsonObject header = new JsonObject(export.out().lines().findFirst().orElseThrow());
    assertEquals(new JsonObject().put("entries", 9).put("sha256", head), header.getJsonObject("decisionLogHead"));

    // an edit of one decision's audit entry: verify fails and names that entry
    Row fourth = chain.get(3);
    long auditId = fourth.getLong("audit_id");
    app.sql("update audit_log set detail = jsonb_set(detail, '{decision}', '\"decline\"') where id = $1", auditId);
    OpsCommandsTest.Run broken = verify();
    assertEquals(1, broken.code(), broken.out() + broken.err());
    assertTrue(broken.out().contains("entry 4 (audit entry " + auditId + ")"), broken.out());
    app.sql("update audit_log set detail = jsonb_set(detail, '{decision}', '\"advance\"') where id = $1", auditId);
    assertEquals(0, verify().code(), "restored, intact again");

    // an edit of the chain itself (a hash recomputed over other bytes) is found at that entry too
    app.sql("update decision_log set sha256 = repeat('a', 64) where seq = 7");
    OpsCommandsTest.Run chainEdited = verify();
    assertEquals(1, chainEdited.code());
    assertTrue(chainEdited.out().contains("entry 7 (audit entry " + chain.get(6).getLong("audit_id") + ")"), chainEdited.out());
  }
}
