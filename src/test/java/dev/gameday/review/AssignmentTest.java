package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.support.Browser;
import dev.gameday.support.Mailbox;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 21, "Reviewer": an admin assigns a submission's exercises to reviewers with a due date; the reviewer's queue
 * lists them first with the due date; one email when due within 24 hours and one when overdue, never twice.
 */
@ExtendWith(PostgresExtension.class)
class AssignmentTest {
  static final String EX = "incident-postmortem";
  static GreenMail smtp;
  static TestApp app;
  static Vertx vertx;
  static Browser admin;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    int port = TestApp.freePort();
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    app = TestApp.start(db, Path.of("exercises"), c -> c.withSmtp("smtp://127.0.0.1:" + port));
    vertx = Vertx.vertx();
    admin = app.signIn(vertx, app.account("admin"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
    smtp.stop();
  }

  static long id(String email) {
    return app.one("select id from accounts where email = $1", email).orElseThrow().getLong("id");
  }

  static MultiMap form(Browser b, String sid, String due, String zone, long... reviewers) {
    MultiMap f = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN")).add("submission", sid)
        .add("exercise", EX).add("due", due).add("zone", zone);
    for (long r : reviewers) {
      f.add("reviewer", String.valueOf(r));
    }
    return f;
  }

  static long count(String sql, Object... params) {
    return app.one(sql, params).orElseThrow().getLong(0);
  }

  @Test
  @DisplayName("an admin assigns with the form (303, shown once); the reviewer's queue lists it first with its due date; "
      + "a refresh or the same form again repeats nothing")
  void assignAndQueue() {
    String sid = app.submitted(vertx, "Queue Candidate");
    String reviewerEmail = app.account("reviewer");
    long reviewer = id(reviewerEmail);
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    LocalDateTime local = LocalDateTime.now(berlin).plusDays(2).plusHours(3).truncatedTo(ChronoUnit.MINUTES);
    String due = local.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));

    var posted = await(admin.postForm("/review/assignments", form(admin, sid, due, "Europe/Berlin", reviewer)));
    assertEquals(303, posted.statusCode(), posted.bodyAsString());
    assertEquals("/review/assignments", posted.getHeader("Location"));
    String page = await(admin.get("/review/assignments")).bodyAsString();
    assertTrue(page.contains("1 review assigned."), page);
    assertTrue(page.contains("Person ") && page.contains("/review/" + sid + "/" + EX), "the overview names who and what");
    assertTrue(page.contains("Due in 2 days"), "the overview says when");
    // the browser refreshes the page it was sent to: the notice is gone and nothing was done again
    String again = await(admin.get("/review/assignments")).bodyAsString();
    assertFalse(again.contains("1 review assigned."), "the notice is shown once");
    assertEquals(1, count("select count(*) from review_assignments where submission_id = $1::uuid", sid));
    assertEquals(1, count("select count(*) from audit_log where action = 'review.assigned' and subject = $1", "submission:" + sid));
    OffsetDateTime stored = app.one("select due_at from review_assignments where submission_id = $1::uuid", sid).orElseThrow()
        .getOffsetDateTime("due_at");
    assertEquals(local.atZone(berlin).toInstant(), stored.toInstant(), "the due date is read in the admin's time zone");

    // the same form again (a double click, a re-sent POST) changes nothing and audits nothing
    var twice = await(admin.submitForm("/review/assignments", form(admin, sid, due, "Europe/Berlin", reviewer))).bodyAsString();
    assertTrue(twice.contains("1 was already assigned with that due date."), twice);
    assertEquals(1, count("select count(*) from review_assignments where submission_id = $1::uuid", sid));
    assertEquals(1, count("select count(*) from audit_log where action = 'review.assigned' and subject = $1", "submission:" + sid));

    Browser r = app.signIn(vertx, reviewerEmail);
    String queue = await(r.get("/review")).bodyAsString();
    int assigned = queue.indexOf("Assigned to you");
    assertTrue(assigned > 0, "the queue has the assigned section");
    assertTrue(assigned < queue.indexOf("<caption>Newest submissions first"), "assigned items come before the queue");
    String section = queue.substring(assigned, queue.indexOf("All answers"));
    assertTrue(section.contains("/review/" + sid + "/" + EX), section);
    assertTrue(section.contains("Due in 2 days"), section);
    assertTrue(section.contains("<time datetime=\"" + stored.toInstant().truncatedTo(ChronoUnit.SECONDS) + "\""),
        "the due date as the app writes every time (app.js shows it in the reader's zone): " + section);
    assertEquals(303, await(r.get("/review/next")).statusCode());
    assertEquals("/review/" + sid + "/" + EX, await(r.get("/review/next")).getHeader("Location"), "Review next opens it first");

    JsonArray mine = await(r.get("/api/v1/review/assignments")).bodyAsJsonObject().getJsonArray("assignments");
    assertEquals(1, mine.size());
    assertEquals(stored.toInstant().toString(), mine.getJsonObject(0).getString("dueAt"));
    assertEquals("open", mine.getJsonObject(0).getString("status"));

    // an overdue one says so (the due date moved into the past, as time passing would)
    app.sql("update review_assignments set due_at = now() - interval '26 hours' where submission_id = $1::uuid", sid);
    assertTrue(await(r.get("/review")).bodyAsString().contains("Overdue by 1 day"));
  }

  @Test
  @DisplayName("how far a due date is, in words: nearest day from a day on, nearest hour from two hours on, then minutes")
  void dueText() {
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    Map<String, String> cases = Map.of("2026-12-05T12:00:00Z", "Due in 2 days", "2026-12-06T10:00:00Z", "Due in 3 days",
        "2026-12-04T13:00:00Z", "Due in 1 day", "2026-12-03T17:20:00Z", "Due in 5 hours", "2026-12-03T13:30:00Z",
        "Due in 90 minutes", "2026-12-02T10:00:00Z", "Overdue by 1 day", "2026-12-03T11:59:00Z", "Overdue by 1 minute",
        "2026-12-03T12:00:20Z", "Due in less than a minute", "2026-11-30T12:00:00Z", "Overdue by 3 days");
    cases.forEach((due, text) -> assertEquals(text, Assignments.dueText(OffsetDateTime.parse(due), now), due));
  }

  @Test
  @DisplayName("a reviewer cannot assign, list everyone's or cancel: 403")
  void reviewerCannotAssign() {
    String sid = app.submitted(vertx, "Forbidden Candidate");
    String email = app.account("reviewer");
    Browser r = app.signIn(vertx, email);
    String due = LocalDateTime.now(ZoneOffset.UTC).plusDays(1).truncatedTo(ChronoUnit.MINUTES).toString();
    assertEquals(403, await(r.postForm("/review/assignments", form(r, sid, due, "UTC", id(email)))).statusCode());
    assertEquals(403, await(r.post("/api/v1/review/assignments", new JsonObject().put("submissionId", sid)
        .put("reviewerIds", new JsonArray().add(id(email))).put("dueAt", Instant.now().plusSeconds(86_400).toString()))).statusCode());
    assertEquals(403, await(r.get("/review/assignments")).statusCode());
    assertEquals(403, await(r.get("/review/assignments/new?submission=" + sid)).statusCode());
    assertEquals(403, await(r.raw(HttpMethod.DELETE, "/api/v1/review/assignments/1", null, null)).statusCode());
    assertEquals(0, count("select count(*) from review_assignments where submission_id = $1::uuid", sid));
  }

  @Test
  @DisplayName("a bad due date is refused with 400 and a sentence saying what to write; nothing is stored")
  void badDueDate() {
    String sid = app.submitted(vertx, "Due Candidate");
    long reviewer = id(app.account("reviewer"));
    Map<String, String> cases = Map.of(
        "next tuesday", "The due date is not a date and time: write it as 2026-12-05 17:00.",
        LocalDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.MINUTES).toString(),
        "The due date is in the past: choose a date and time after now.",
        LocalDateTime.now(ZoneOffset.UTC).plusYears(2).truncatedTo(ChronoUnit.MINUTES).toString(),
        "The due date is more than 365 days away: choose one within a year.",
        "", "Choose a due date and time.");
    cases.forEach((due, message) -> {
      var res = await(admin.postForm("/review/assignments", form(admin, sid, due, "UTC", reviewer)));
      assertEquals(400, res.statusCode(), due);
      String page = res.bodyAsString();
      assertTrue(page.contains(message), due + ": " + page);
      assertTrue(page.contains("name=\"reviewer\" value=\"" + reviewer + "\" checked"), "the form keeps the reviewer chosen");
    });
    var api = await(admin.post("/api/v1/review/assignments", new JsonObject().put("submissionId", sid)
        .put("reviewerIds", new JsonArray().add(reviewer)).put("dueAt", "2026-13-45")));
    assertEquals(400, api.statusCode());
    assertEquals("bad_due", api.bodyAsJsonObject().getString("error"));
    assertTrue(api.bodyAsJsonObject().getString("message").contains("2026-12-05T17:00:00Z"));
    var noReviewer = await(admin.postForm("/review/assignments", form(admin, sid,
        LocalDateTime.now(ZoneOffset.UTC).plusDays(1).truncatedTo(ChronoUnit.MINUTES).toString(), "UTC")));
    assertEquals(400, noReviewer.statusCode());
    assertTrue(noReviewer.bodyAsString().contains("Choose at least one reviewer."));
    long recruiter = id(app.account("recruiter"));
    var notReviewer = await(admin.post("/api/v1/review/assignments", new JsonObject().put("submissionId", sid)
        .put("reviewerIds", new JsonArray().add(recruiter)).put("dueAt", Instant.now().plusSeconds(86_400).toString())));
    assertEquals(400, notReviewer.statusCode(), "a recruiter knows candidates' names: never a reviewer");
    assertEquals(0, count("select count(*) from review_assignments where submission_id = $1::uuid", sid));

    // the refused form, corrected and sent again with the token it carries, as a browser would: assigned
    String refused = await(admin.postForm("/review/assignments", form(admin, sid, "soon", "UTC", reviewer))).bodyAsString();
    var token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(refused);
    assertTrue(token.find(), refused);
    MultiMap fixed = form(admin, sid, LocalDateTime.now(ZoneOffset.UTC).plusDays(1).truncatedTo(ChronoUnit.MINUTES).toString(),
        "UTC", reviewer);
    fixed.set("_csrf", token.group(1));
    assertEquals(303, await(admin.postForm("/review/assignments", fixed)).statusCode());
    assertEquals(1, count("select count(*) from review_assignments where submission_id = $1::uuid", sid));
  }

  static List<MimeMessage> mailTo(String address, String subjectStart, int atLeast) throws Exception {
    return Mailbox.received(smtp, address, subjectStart, atLeast);
  }

  /** Two rounds at once, as two instances would run them, then again: what they queued. */
  static int rounds(AssignmentReminders reminders) {
    int queued = await(Future.all(reminders.remindDue(), reminders.remindDue()).map(f -> f.<Integer>resultAt(0) + f.<Integer>resultAt(1)));
    return queued + await(reminders.remindDue());
  }

  @Test
  @DisplayName("one email when due within 24 hours and one when overdue, each once even with two senders; none once reviewed")
  void remindersOnce() throws Exception {
    String sid = app.submitted(vertx, "Reminder Candidate");
    String lateEmail = app.account("reviewer");
    String doneEmail = app.account("reviewer");
    var created = await(admin.post("/api/v1/review/assignments", new JsonObject().put("submissionId", sid)
        .put("exerciseIds", new JsonArray().add(EX)).put("reviewerIds", new JsonArray().add(id(lateEmail)).add(id(doneEmail)))
        .put("dueAt", Instant.now().plusSeconds(3 * 3600).toString())));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals(2, created.bodyAsJsonObject().getInteger("assigned"));
    // one of them submits their review before any reminder: they are not reminded
    var ex = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise();
    JsonObject scores = new JsonObject();
    ex.rubric().forEach(c -> scores.put(c.id(), new JsonObject().put("level", 3).put("note", "n")));
    Browser done = app.signIn(vertx, doneEmail);
    assertEquals(200, await(done.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
        new JsonObject().put("scores", scores).put("recommendation", "yes"))).statusCode());

    AssignmentReminders reminders = new AssignmentReminders(app.app.pool, "http://localhost:" + app.port);
    int first = rounds(reminders);
    assertTrue(first <= 1, "at most one queued by these rounds (the server's own loop may have queued it): " + first);
    List<MimeMessage> soon = mailTo(lateEmail, "A review assigned to you is due", 1);
    assertEquals(1, soon.size());
    String body = GreenMailUtil.getBody(soon.get(0));
    assertTrue(body.contains("/review/" + sid + "/" + EX), "links to the item: " + body);
    assertFalse(body.contains("Reminder Candidate"), "names no candidate");
    assertTrue(soon.get(0).getSubject().contains("UTC"), soon.get(0).getSubject());

    // overdue: one more email, then nothing however many rounds run
    app.sql("update review_assignments set due_at = now() - interval '1 hour' where submission_id = $1::uuid", sid);
    rounds(reminders);
    assertEquals(1, mailTo(lateEmail, "Overdue: a review assigned to you", 1).size());
    assertEquals(0, rounds(reminders));
    assertEquals(1, mailTo(lateEmail, "A review assigned to you is due", 0).size(), "the due-soon email was sent once");
    assertEquals(1, mailTo(lateEmail, "Overdue: a review assigned to you", 0).size(), "the overdue email was sent once");
    assertEquals(0, mailTo(doneEmail, "", 0).size(), "the reviewer who had reviewed it got nothing");
    assertEquals(2, count("""
        select count(*) from review_assignment_reminders m join review_assignments a on a.id = m.assignment_id
         where a.submission_id = $1::uuid""", sid));
  }

  @Test
  @DisplayName("cancelling is a 303 with a notice and an audit entry; the reviewer's queue no longer lists it")
  void cancel() {
    String sid = app.submitted(vertx, "Cancel Candidate");
    String email = app.account("reviewer");
    var created = await(admin.post("/api/v1/review/assignments", new JsonObject().put("submissionId", sid)
        .put("reviewerIds", new JsonArray().add(id(email))).put("dueAt", Instant.now().plusSeconds(5 * 86_400).toString())));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    int all = created.bodyAsJsonObject().getInteger("assigned");
    assertTrue(all > 1, "every exercise of the submission when none is named: " + all);
    long one = app.one("select id from review_assignments where submission_id = $1::uuid and exercise_id = $2", sid, EX)
        .orElseThrow().getLong("id");
    String page = await(admin.submitForm("/review/assignments/" + one + "/cancel",
        MultiMap.caseInsensitiveMultiMap().add("_csrf", admin.cookie("XSRF-TOKEN")))).bodyAsString();
    assertTrue(page.contains("The assignment is cancelled."), page);
    assertEquals(1, count("select count(*) from audit_log where action = 'review.assignment_cancelled' and subject = $1",
        "submission:" + sid));
    Browser r = app.signIn(vertx, email);
    JsonArray mine = await(r.get("/api/v1/review/assignments")).bodyAsJsonObject().getJsonArray("assignments");
    assertEquals(all - 1, mine.size());
    assertTrue(mine.stream().noneMatch(o -> EX.equals(((JsonObject) o).getString("exerciseId"))));
  }
}
