package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 3: one slow webhook receiver must not stall the others, no database transaction stays open while a
 * receiver is being waited for, and a receiver that keeps trickling an answer is cut off at the total deadline.
 */
@ExtendWith(PostgresExtension.class)
class WebhookConcurrencyTest {
  static TestApp app;
  static Vertx vertx;
  static int invited;

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

  /** A receiver that answers with {@code handler}, recording each request's path as it arrives. */
  static final class Receiver implements AutoCloseable {
    final List<String> arrived = new CopyOnWriteArrayList<>();
    final HttpServer server;

    Receiver(java.util.function.Consumer<HttpServerRequest> handler) {
      server = await(vertx.createHttpServer().requestHandler(req -> {
        arrived.add(req.path());
        handler.accept(req);
      }).listen(0, "127.0.0.1"));
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    @Override
    public void close() {
      await(server.close());
    }
  }

  static void openInvitations(int n) {
    for (int i = 0; i < n; i++) {
      int k = ++invited;
      var inv = app.invite("Candidate " + k, "concurrent" + k + "@example.com");
      await(new Browser(vertx, app.port).get("/i/" + inv.token()));
    }
  }

  static void waitFor(String what, BooleanSupplier condition) {
    for (int i = 0; i < 800; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      WebhookTest.pause();
    }
    throw new AssertionError("never happened: " + what);
  }

  /**
   * Transactions left open, idle, for more than half a second: one held across a call to a receiver stays so for as long
   * as the receiver keeps it waiting (seconds here), while a busy machine can catch any short transaction between two
   * of its statements.
   */
  static long idleInTransaction() {
    return app.one("""
        select count(*) as n from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'
           and state_change < clock_timestamp() - interval '500 milliseconds'""")
        .orElseThrow().getLong("n");
  }

  @Test
  @DisplayName("a receiver that accepts and never answers holds one slot: another endpoint's three deliveries arrive meanwhile, and no transaction is held open")
  void slowReceiverStallsNobody() {
    LocalEgress.deadline(app.app.webhooks, Duration.ofSeconds(8));
    try (Receiver slow = new Receiver(req -> { /* accepts, reads, never answers */ });
         Receiver fast = new Receiver(req -> req.body().onSuccess(b -> req.response().setStatusCode(204).end()))) {
      JsonObject s = await(app.app.webhooks.add("test", slow.url("/slow"), List.of("invitation.opened"), false));
      JsonObject f = await(app.app.webhooks.add("test", fast.url("/fast"), List.of("invitation.opened"), false));
      openInvitations(3);
      app.sql("update webhook_deliveries set next_attempt_at = now() where state = 'pending'");
      Future<Integer> pass = app.app.webhooks.sendDue();

      waitFor("the slow receiver gets its first delivery", () -> !slow.arrived.isEmpty());
      for (int i = 0; i < 20; i++) {
        WebhookTest.pause(); // a second of the receiver's silence: long enough for a held transaction to show
      }
      assertEquals(0L, idleInTransaction(), "a transaction is held open while the slow receiver is waited for");

      waitFor("the fast receiver gets its three deliveries", () -> fast.arrived.size() >= 3);
      assertEquals(1, slow.arrived.size(), "the slow receiver held up the fast one");
      assertEquals(0L, idleInTransaction(), "a transaction is held open while the slow receiver is waited for");
      assertEquals(3L, app.one("select count(*) as n from webhook_deliveries where endpoint_id = $1 and state = 'delivered'",
          f.getLong("id")).orElseThrow().getLong("n"));
      assertEquals(3L, app.one("select count(*) as n from webhook_deliveries where endpoint_id = $1 and state = 'pending'",
          s.getLong("id")).orElseThrow().getLong("n"));
      app.sql("update webhook_endpoints set disabled_at = now() where id = $1", s.getLong("id"));
      pass.toCompletionStage().toCompletableFuture().join();
    } finally {
      LocalEgress.deadline(app.app.webhooks, Duration.ofSeconds(Webhooks.TIMEOUT));
    }
  }

  @Test
  @DisplayName("a receiver that sends its answer a byte at a time, forever, is cut off at the delivery's total deadline and retried later")
  void totalDeadline() {
    LocalEgress.deadline(app.app.webhooks, Duration.ofSeconds(2));
    try (Receiver trickle = new Receiver(req -> req.body().onSuccess(b -> {
      req.response().setChunked(true).setStatusCode(200);
      long timer = vertx.setPeriodic(100, t -> req.response().write("."));
      req.connection().closeHandler(v -> vertx.cancelTimer(timer));
    }))) {
      JsonObject e = await(app.app.webhooks.add("test", trickle.url("/trickle"), List.of("invitation.opened"), false));
      openInvitations(1);
      long id = e.getLong("id");
      app.sql("update webhook_deliveries set next_attempt_at = now() where endpoint_id = $1", id);
      app.app.webhooks.sendDue();
      waitFor("the trickling delivery is cut off and recorded", () -> app.one(
          "select attempts from webhook_deliveries where endpoint_id = $1", id).orElseThrow().getInteger("attempts") > 0);
      var d = app.one("select state, last_error from webhook_deliveries where endpoint_id = $1", id).orElseThrow();
      assertEquals("pending", d.getString("state"), "retried later");
      assertTrue(d.getString("last_error").contains("within"), d.getString("last_error"));
      app.sql("update webhook_endpoints set disabled_at = now() where id = $1", id);
    } finally {
      LocalEgress.deadline(app.app.webhooks, Duration.ofSeconds(Webhooks.TIMEOUT));
    }
  }
}
