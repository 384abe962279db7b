package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 27, defect 3: claims are leases, so a sender that dies mid-delivery loses its rows to another. */
@ExtendWith(PostgresExtension.class)
class WebhookLeaseTest {
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db, Path.of("exercises"), LocalEgress::allow);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  @Test
  @DisplayName("a claimed delivery is not claimed again until its lease passes; then another sender delivers it, and the first one's late result is ignored")
  void leases() {
    List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.vertx.core.http.HttpServer receiver = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      requests.add(req.path());
      req.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1"));
    try {
      JsonObject e = await(app.app.webhooks.add("test", "http://127.0.0.1:" + receiver.actualPort() + "/lease",
          List.of("invitation.opened"), false));
      long endpoint = e.getLong("id");
      await(new Browser(vertx, app.port).get("/i/" + app.invite("Lease Candidate", "lease@example.com").token()));
      app.sql("update webhook_deliveries set next_attempt_at = now() where endpoint_id = $1", endpoint);

      // a sender claims and "crashes": its claim is committed, its delivery never runs
      var crashed = await(app.app.webhooks.claim(Set.of(), 10));
      assertEquals(1, crashed.size());
      assertEquals(0, await(app.app.webhooks.claim(Set.of(), 10)).size(), "leased: not claimable");
      assertTrue(app.one("select next_attempt_at > now() + interval '1 minute' as later from webhook_deliveries where endpoint_id = $1",
          endpoint).orElseThrow().getBoolean("later"), "the lease outlasts the deadline");

      // the lease passes
      app.sql("update webhook_deliveries set next_attempt_at = now() - interval '1 second' where endpoint_id = $1", endpoint);
      var second = await(app.app.webhooks.claim(Set.of(), 10));
      assertEquals(1, second.size(), "due again after the lease");
      await(second.get(0).run().get());
      assertEquals(1, requests.size());
      // the crashed sender comes back to life and delivers late: its result is not recorded over the other's
      await(crashed.get(0).run().get());
      var d = app.one("select state, attempts from webhook_deliveries where endpoint_id = $1", endpoint).orElseThrow();
      assertEquals("delivered", d.getString("state"));
      assertEquals(1, d.getInteger("attempts"));
      assertEquals(1L, app.one("select count(*) as n from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id "
          + "where d.endpoint_id = $1", endpoint).orElseThrow().getLong("n"));
    } finally {
      await(receiver.close());
    }
  }
}
