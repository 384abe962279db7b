package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.support.Browser;
import dev.gameday.support.Library;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The track setting {@code reminderHoursBeforeDeadline}: one automatic reminder per deadline, by email, never twice. */
@ExtendWith(PostgresExtension.class)
class AutomaticReminderTest {
  static GreenMail smtp;
  static TestApp app;
  static Vertx vertx;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Path lib = Library.copy(dir);
    Library.replace(lib, "tracks/sre-senior.yaml", "deadlineDays: 7", "deadlineDays: 7\nreminderHoursBeforeDeadline: 48");
    int port = TestApp.freePort();
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    app = TestApp.start(db, lib, c -> c.withSmtp("smtp://127.0.0.1:" + port));
    vertx = Vertx.vertx();
    await(app.app.accounts.add("Rita Recruiter", "rita@example.com", MailDeliveryTest.PASSWORD, "recruiter"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
    smtp.stop();
  }

  static Browser recruiter() {
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    HttpResponse<Buffer> r = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", "rita@example.com").add("password", MailDeliveryTest.PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertEquals(303, r.statusCode());
    return b;
  }

  static long invite(Browser b, String email, int days) {
    HttpResponse<Buffer> r = await(b.post("/api/v1/candidates", new JsonObject().put("name", "Remy " + days)
        .put("email", email).put("track", "sre-senior").put("deadlineDays", days)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  static long reminders(long id) {
    return app.one("select count(*) as n from email_outbox where invitation_id = $1 and kind = 'reminder'", id).orElseThrow().getLong("n");
  }

  @Test
  @DisplayName("a candidate within 48 hours of the deadline is reminded once, even by two instances at once; one further away, or submitted, is not; extending the deadline re-arms it")
  void remindsOnce() throws Exception {
    Browser b = recruiter();
    long soon = invite(b, "soon@example.com", 1);
    long later = invite(b, "later@example.com", 5);
    long done = invite(b, "done@example.com", 1);
    app.one("update invitations set state = 'submitted', submitted_at = now() where id = $1 returning id", done);

    // two instances' jobs at the same moment: the rows are claimed with SKIP LOCKED, so one reminder in all
    var both = Future.all(app.app.recruiting.actions().remindDue(), app.app.recruiting.actions().remindDue());
    await(both);
    int queued = both.result().<Integer>resultAt(0) + both.result().<Integer>resultAt(1);
    assertEquals(1, queued, "one reminder queued in all");
    assertEquals(1, reminders(soon));
    assertEquals(0, reminders(later), "five days away is outside the 48 hours");
    assertEquals(0, reminders(done), "a submitted candidate is not reminded");
    assertEquals(0, (int) await(app.app.recruiting.actions().remindDue()), "the next run finds nothing new");

    long until = System.currentTimeMillis() + 20_000;
    while (recipients("soon@example.com") < 2 && System.currentTimeMillis() < until) {
      Thread.sleep(100);
    }
    MimeMessage[] toSoon = Arrays.stream(smtp.getReceivedMessages()).filter(m -> has(m, "soon@example.com")).toArray(MimeMessage[]::new);
    assertEquals(2, toSoon.length, "the invitation and the reminder");
    assertTrue(Arrays.stream(toSoon).anyMatch(m -> subject(m).startsWith("Reminder")));
    JsonObject page = await(b.get("/api/v1/candidates/" + soon)).bodyAsJsonObject();
    assertTrue(page.getJsonArray("timeline").encode().contains("Automatic reminder queued, 48 hours before the deadline"),
        page.getJsonArray("timeline").encode());

    // a new deadline gets its own reminder when it comes near: moved 1 day on it is still within 48 hours
    assertEquals(200, await(b.post("/api/v1/candidates/" + soon + "/extend", new JsonObject().put("days", 1))).statusCode());
    assertEquals(1, (int) await(app.app.recruiting.actions().remindDue()));
    assertEquals(2, reminders(soon));
  }

  static long recipients(String address) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> has(m, address)).count();
  }

  static boolean has(MimeMessage m, String address) {
    try {
      return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().contains(address));
    } catch (Exception e) {
      return false;
    }
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
