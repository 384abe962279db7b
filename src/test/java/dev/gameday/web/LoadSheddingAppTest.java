package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole application with every autosave slot taken: saves are shed at once (at the front door: no wait is
 * configured), everything else answers.
 */
@ExtendWith(PostgresExtension.class)
class LoadSheddingAppTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    // no wait: with every slot held a save is refused at the front door, before the router (LoadShedding.front);
    // the route's own refusal after a wait is tested in LoadSheddingTest and the browser test
    LoadShedding.Limits d = LoadShedding.Limits.DEFAULT;
    app = TestApp.start(db, dev.gameday.support.Library.everyReviewCounts(), c -> c.withAutosave(new LoadShedding.Limits(
        d.maxInFlight(), 0, d.maxWaitMillis(), 0, d.retryAfterSeconds())));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  @Test
  @DisplayName("autosaves beyond capacity: 503 overloaded with Retry-After, counted; health, readiness, reviewer and other candidate routes answer; then saves pass again")
  void shedsOnlyAutosaves() throws Exception {
    Created inv = app.invite("Shed Candidate", "shed@example.com");
    Browser cand = new Browser(vertx, app.port);
    assertEquals(303, await(cand.get("/i/" + inv.token())).statusCode());
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    String path = "/api/v1/candidate/answers/" + EX;

    LoadShedding shedding = LoadShedding.of(app.app.vertx);
    assertNotNull(shedding, "the server made the shared instance");
    assertEquals(app.app.config.autosave(), shedding.limits());
    int held = 0;
    while (shedding.tryAcquire()) {
      held++;
    }
    assertEquals(shedding.limits().maxInFlight(), held);
    assertEquals(held, app.app.ops.registry.get("gameday.autosave.in.flight").gauge().value(), "the gauge shows the slots taken");
    try {
      HttpResponse<Buffer> r = await(cand.put(path, new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put("summary", "Written during a storm"))));
      assertEquals(503, r.statusCode(), r.bodyAsString());
      assertEquals(String.valueOf(shedding.limits().retryAfterSeconds()), r.getHeader("Retry-After"));
      assertEquals("overloaded", r.bodyAsJsonObject().getString("error"));
      assertTrue(r.bodyAsJsonObject().getString("message").contains("kept in this browser"));
      assertEquals(0, shedding.waiting(), "the refused save left the wait");
      assertEquals("", app.one("select coalesce(sections ->> 'summary', '') from answers where invitation_id = $1"
          + " and exercise_id = $2", inv.id(), EX).map(row -> row.getString(0)).orElse(""), "nothing was written");

      assertEquals(200, await(cand.get("/health")).statusCode());
      assertEquals(200, await(cand.get("/ready")).statusCode());
      assertEquals(200, await(cand.get(path)).statusCode(), "reading the answer is not shed");
      assertEquals(200, await(cand.get("/candidate/exercises/" + EX)).statusCode());
      assertEquals(200, await(reviewer.get("/review")).statusCode(), "reviewer pages are not shed");
      Thread.sleep(200); // the access log and metrics run at the response's end
      double shed = app.app.ops.registry.counter("gameday.autosaves", "outcome", "unavailable", "reason", "overloaded").count();
      assertEquals(1.0, shed, "the shed save is counted as unavailable/overloaded");
      assertTrue(app.app.ops.registry.scrape().lines().anyMatch(l -> l.startsWith("vertx_http_server_requests_total")
          && l.contains("code=\"5xx\"") && l.contains("route=\"" + LoadShedding.AUTOSAVE_PATH + "\"")),
          "the HTTP metrics count the refusal under the autosave route, not as unmatched");
    } finally {
      for (int i = 0; i < held; i++) {
        shedding.release();
      }
    }
    HttpResponse<Buffer> ok = await(cand.put(path, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Written after the storm"))));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    for (int i = 0; i < 100 && shedding.inFlight() > 0; i++) {
      Thread.sleep(10);
    }
    assertEquals(0, shedding.inFlight(), "the save gave its slot back");
  }
}
