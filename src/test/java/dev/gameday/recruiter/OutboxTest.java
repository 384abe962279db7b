package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbox's sender on its own (the application runs with email off, so only these senders send). */
@ExtendWith(PostgresExtension.class)
class OutboxTest {
  static TestApp app;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  Outbox sender(int port, Duration base) {
    Mailer mailer = new Mailer(app.app.vertx, Mailer.settings("smtp://127.0.0.1:" + port), "gameday@example.com");
    return new Outbox(app.app.vertx, app.app.pool, app.app.catalog, mailer, base, 5, "the recruiter");
  }

  long queue(String email) {
    Created c = app.invite("Queued " + email, email);
    return app.one("insert into email_outbox (invitation_id, kind, to_address, link) values ($1, 'invitation', $2, $3) returning id",
        c.id(), email, "http://localhost/i/" + c.token()).orElseThrow().getLong("id");
  }

  @Test
  @DisplayName("a failing SMTP server leads to retries with backoff, then success; the link is wiped only when delivered")
  void retriesThenSucceeds() throws Exception {
    int port = TestApp.freePort();
    Outbox out = sender(port, Duration.ofMillis(200));
    long id = queue("retry@example.com");
    // nothing listens on the port: the attempt fails and is rescheduled
    assertTrue(await(out.sendDue()) >= 1);
    var row = app.one("select state, attempts, link, last_reply, next_attempt_at > now() as later from email_outbox where id = $1", id).orElseThrow();
    assertEquals("pending", row.getString("state"));
    assertEquals(1, row.getInteger("attempts"));
    assertNotNull(row.getString("link"), "kept for the retry");
    assertNotNull(row.getString("last_reply"));
    assertTrue(row.getBoolean("later"), "the next attempt waits");
    assertEquals(0, (int) await(out.sendDue()), "not due yet");
    Thread.sleep(300);
    assertEquals(1, (int) await(out.sendDue()));
    assertEquals(2, app.one("select attempts from email_outbox where id = $1", id).orElseThrow().getInteger("attempts"));
    assertTrue(app.one("select next_attempt_at - updated_at >= interval '350 milliseconds' as doubled from email_outbox where id = $1", id)
        .orElseThrow().getBoolean("doubled"), "the second wait is twice the first");
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    try {
      Thread.sleep(500);
      await(out.sendDue());
      assertTrue(smtp.waitForIncomingEmail(10_000, 1));
      var done = app.one("select state, attempts, link, delivered_at from email_outbox where id = $1", id).orElseThrow();
      assertEquals("delivered", done.getString("state"));
      assertEquals(3, done.getInteger("attempts"));
      assertNull(done.getString("link"));
      assertEquals(1, smtp.getReceivedMessages().length);
    } finally {
      smtp.stop();
    }
  }

  @Test
  @DisplayName("after the last attempt the email is failed and its link wiped")
  void abandoned() throws Exception {
    Outbox out = sender(TestApp.freePort(), Duration.ofMillis(1));
    long id = queue("abandon@example.com");
    for (int i = 0; i < 5; i++) {
      app.sql("update email_outbox set next_attempt_at = now() where id = $1", id);
      await(out.sendDue());
    }
    var row = app.one("select state, attempts, link from email_outbox where id = $1", id).orElseThrow();
    assertEquals("failed", row.getString("state"));
    assertEquals(5, row.getInteger("attempts"));
    assertNull(row.getString("link"));
  }

  @Test
  @DisplayName("two senders on one outbox deliver each email exactly once")
  void twoSendersExactlyOnce() throws Exception {
    int port = TestApp.freePort();
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    try {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ids.add(queue("twice" + i + "@example.com"));
      }
      Outbox a = sender(port, Duration.ofSeconds(30));
      Outbox b = sender(port, Duration.ofSeconds(30));
      List<Future<Integer>> passes = List.of(a.sendDue(), b.sendDue());
      int tried = await(Future.all(passes).map(cf -> passes.stream().mapToInt(Future::result).sum()));
      assertEquals(40, tried, "between them the two senders tried each email once");
      assertTrue(passes.get(0).result() > 0 && passes.get(1).result() > 0,
          "both senders worked: " + passes.get(0).result() + " and " + passes.get(1).result());
      assertTrue(smtp.waitForIncomingEmail(10_000, 40));
      Thread.sleep(300);
      var received = smtp.getReceivedMessages();
      assertEquals(40, received.length);
      Set<String> to = new HashSet<>();
      for (var m : received) {
        to.add(Arrays.toString(m.getAllRecipients()));
      }
      assertEquals(40, to.size(), "forty different recipients, none twice");
      assertEquals(40L, app.one("select count(*) as n from email_outbox where id = any($1) and state = 'delivered' and attempts = 1",
          (Object) ids.toArray(Long[]::new)).orElseThrow().getLong("n"));
    } finally {
      smtp.stop();
    }
  }
}
