package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 3, for the third sender that shares the drain loop: the email outbox holds no database
 * transaction while it waits for a mail server (one that accepts the connection and never greets is waited for).
 */
@ExtendWith(PostgresExtension.class)
class MailOutboxTransactionTest {
  static TestApp app;
  static Vertx vertx;
  static NetServer silent;
  static final List<NetSocket> connections = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    vertx = Vertx.vertx();
    // a "mail server" that accepts and says nothing: the SMTP client waits for its greeting
    silent = await(vertx.createNetServer().connectHandler(connections::add).listen(0, "127.0.0.1"));
    app = TestApp.start(db, Path.of("exercises"), c -> c.withSmtp("smtp://127.0.0.1:" + silent.actualPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(silent.close());
    await(vertx.close());
  }

  @Test
  @DisplayName("while an email waits for a silent mail server, no transaction is open; the email stays pending for a retry")
  void noTransactionAcrossSmtp() {
    var recruiter = app.signIn(vertx, app.account("recruiter"));
    var created = await(recruiter.post("/api/v1/candidates", new io.vertx.core.json.JsonObject().put("name", "Mail Candidate")
        .put("email", "mail@example.com").put("track", "sre-senior")));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    app.sql("update email_outbox set next_attempt_at = now()");
    app.app.outbox.sendDue();
    for (int i = 0; i < 400 && connections.isEmpty(); i++) {
      WebhookTest.pause();
    }
    org.junit.jupiter.api.Assertions.assertFalse(connections.isEmpty(), "the mail server is connected to");
    WebhookTest.pause();
    long idle = app.one("""
        select count(*) as n from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'""")
        .orElseThrow().getLong("n");
    assertEquals(0L, idle, "a transaction is held open across the SMTP conversation");
    assertEquals("pending", app.one("select state from email_outbox where to_address = 'mail@example.com'").orElseThrow().getString("state"));
  }
}
