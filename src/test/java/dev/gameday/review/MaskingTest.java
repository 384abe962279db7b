package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 24 item 8: personal details typed into an answer are masked on every reviewer route and JSON. */
@ExtendWith(PostgresExtension.class)
class MaskingTest {
  static final String EX = AgreementLiveTest.EX;
  static final String NAME = "Zebulon Plantedname";
  static final String EMAIL = "zebulon.planted@example.com";
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

  @Test
  @DisplayName("name, email, phone and profile link in an answer: masked for reviewers and admins, shown to an admin only after the audited reveal")
  void masked() {
    var c = app.invite(NAME, EMAIL);
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    assertTrue(await(cand.get("/candidate")).bodyAsString().contains("masked before a reviewer reads them"), "the candidate is warned");
    String text = "I, Zebulon Plantedname (" + EMAIL + ", +44 20 7946 0958, https://www.linkedin.com/in/zplanted), found the pool"
        + " exhausted at 14:03. Zebulon signing off.";
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1).put("sections", new JsonObject().put("summary", text))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");

    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    Browser admin = app.signIn(vertx, app.account("admin"));
    List<String> leaks = List.of("Zebulon", "Plantedname", EMAIL, "7946", "zplanted");
    for (Browser b : List.of(reviewer, admin)) {
      for (String path : List.of("/review/" + sid + "/" + EX, "/api/v1/review/submissions/" + sid + "/exercises/" + EX,
          "/review/" + sid, "/api/v1/review/submissions/" + sid, "/review?status=all", "/api/v1/review/queue?status=all")) {
        String body = await(b.get(path)).bodyAsString();
        for (String leak : leaks) {
          assertFalse(body.contains(leak), path + " shows " + leak);
        }
      }
      String json = await(b.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX)).bodyAsString();
      assertTrue(json.contains(PersonalDetails.NAME) && json.contains(PersonalDetails.EMAIL) && json.contains(PersonalDetails.PHONE)
          && json.contains(PersonalDetails.PROFILE), json);
      assertTrue(json.contains("found the pool exhausted at 14:03"), "the rest of the answer is intact");
    }
    // after a decision and the audited reveal, an admin reads the answer as written
    assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject().put("decision", "decline")
        .put("rationale", "r").put("confirmIncomplete", true))).statusCode());
    assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/reveal", null)).statusCode());
    assertTrue(await(admin.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX)).bodyAsString().contains(NAME));
    assertFalse(await(reviewer.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX)).bodyAsString().contains("Zebulon"),
        "reviewers never");
  }
}
