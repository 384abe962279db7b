package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 20 defect 4, "Ask for more time": the candidate asks (one open request at a time), the recruiter sees it on
 * the list and the candidate's page, grants it with one POST, and the time left on the exercise page grows; each
 * step is audited. The "untimed" accommodation removes the countdown and the working-time limit, not the deadline.
 */
@ExtendWith(PostgresExtension.class)
class MoreTimeTest {
  static final String EX = "incident-postmortem";
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

  static MultiMap form(Browser b, String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"));
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static Browser candidate(Created inv) {
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + inv.token())).statusCode(), "the link signs the candidate in");
    return b;
  }

  static long secondsLeft(Browser cand) {
    String page = await(cand.get("/candidate/exercises/" + EX)).bodyAsString();
    Matcher m = Pattern.compile("data-seconds-left=\"(\\d+)\"").matcher(page);
    assertTrue(m.find(), page);
    return Long.parseLong(m.group(1));
  }

  /** POSTs a form, checks the 303, and answers the page it leads to. */
  static String postThenGet(Browser b, String path, MultiMap form, String expectedLocation) {
    HttpResponse<Buffer> r = await(b.postForm(path, form));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    String location = r.getHeader("Location");
    assertEquals(expectedLocation, location.replaceFirst("#.*$", ""));
    HttpResponse<Buffer> page = await(b.get(location.replaceFirst("#.*$", "")));
    assertEquals(200, page.statusCode());
    return page.bodyAsString();
  }

  static long count(String action, long id) {
    return app.one("select count(*) as n from audit_log where action = $1 and subject = $2", action, "invitation:" + id)
        .orElseThrow().getLong("n");
  }

  @Test
  @DisplayName("defect 4: ask for more time once, the recruiter sees it and grants it with one POST, time left grows, audited")
  void askSeeGrant() {
    Created inv = app.invite("Slow Reader", "slow.reader@example.com");
    // a running working-time limit: 60 minutes from now, well before the deadline
    app.sql("update invitations set time_limit_minutes = 60, closes_at = now() + interval '60 minutes' where id = $1", inv.id());
    Browser cand = candidate(inv);
    assertTrue(await(cand.get("/candidate")).bodyAsString().contains("action=\"/candidate/more-time\""), "the overview has the form");
    assertTrue(await(cand.get("/candidate/exercises/" + EX)).bodyAsString().contains("action=\"/candidate/more-time\""),
        "the exercise page has the form");

    // too long a reason: refused with a sentence, nothing stored
    String refused = postThenGet(cand, "/candidate/more-time", form(cand, "reason", "x".repeat(501), "from", EX),
        "/candidate/exercises/" + EX);
    assertTrue(refused.contains("500 characters or fewer"), refused);
    assertEquals(0, count("candidate.time_requested", inv.id()));

    long before = secondsLeft(cand);
    String asked = postThenGet(cand, "/candidate/more-time", form(cand, "reason", "I use a screen reader; the charts take longer.",
        "from", EX), "/candidate/exercises/" + EX);
    assertTrue(asked.contains("Your request for more time was sent"), asked);
    assertTrue(asked.contains("You have asked for more time"), "the form gives way to the open request");
    // a second ask: a clear message, no second request
    String again = postThenGet(cand, "/candidate/more-time", form(cand, "reason", "again"), "/candidate");
    assertTrue(again.contains("already asked for more time"), again);
    assertEquals(1, count("candidate.time_requested", inv.id()));
    assertEquals("I use a screen reader; the charts take longer.", app.one("select time_request_reason from invitations where id = $1",
        inv.id()).orElseThrow().getString("time_request_reason"));

    // the recruiter: flagged on the list, shown with its reason on the candidate's page
    String recruiterEmail = app.account("recruiter");
    Browser recruiter = app.signIn(vertx, recruiterEmail);
    String list = await(recruiter.get("/candidates?q=Slow+Reader")).bodyAsString();
    assertTrue(list.contains("asks for more time"), list);
    String one = await(recruiter.get("/candidates/" + inv.id())).bodyAsString();
    assertTrue(one.contains("The candidate asked for more time"), one);
    assertTrue(one.contains("the charts take longer"), one);
    assertTrue(one.contains("action=\"/candidates/" + inv.id() + "/grant-time\""), one);

    OffsetDateTime closes = app.one("select closes_at from invitations where id = $1", inv.id()).orElseThrow().getOffsetDateTime("closes_at");
    String granted = postThenGet(recruiter, "/candidates/" + inv.id() + "/grant-time", form(recruiter), "/candidates/" + inv.id());
    assertTrue(granted.contains("Granted 30 more minutes"), granted);
    assertFalse(granted.contains("action=\"/candidates/" + inv.id() + "/grant-time\""), "the request is closed");
    var row = app.one("select closes_at, time_limit_minutes, time_requested_at from invitations where id = $1", inv.id()).orElseThrow();
    assertEquals(Duration.ofMinutes(30), Duration.between(closes, row.getOffsetDateTime("closes_at")));
    assertEquals(90, row.getInteger("time_limit_minutes"));
    assertEquals(null, row.getValue("time_requested_at"));
    long after = secondsLeft(cand);
    assertTrue(after >= before + 29 * 60, "time left grew by 30 minutes: " + before + " -> " + after);
    assertEquals(1, count("candidate.time_granted", inv.id()));
    assertEquals(recruiterEmail, app.one("select actor from audit_log where action = 'candidate.time_granted' and subject = $1",
        "invitation:" + inv.id()).orElseThrow().getString("actor"));
    assertEquals("candidate", app.one("select actor from audit_log where action = 'candidate.time_requested' and subject = $1",
        "invitation:" + inv.id()).orElseThrow().getString("actor"));
    assertFalse(await(recruiter.get("/candidates?q=Slow+Reader")).bodyAsString().contains("asks for more time"), "the flag is gone");

    // granting again: nothing open, said once, nothing changed
    String twice = postThenGet(recruiter, "/candidates/" + inv.id() + "/grant-time", form(recruiter), "/candidates/" + inv.id());
    assertTrue(twice.contains("no open request for more time"), twice);
    assertEquals(1, count("candidate.time_granted", inv.id()));
    // answered, the candidate can ask again
    String next = postThenGet(cand, "/candidate/more-time", form(cand, "reason", "Still reading"), "/candidate");
    assertTrue(next.contains("Your request for more time was sent"), next);
    assertEquals(2, count("candidate.time_requested", inv.id()));
    // erasure takes the candidate's own words (the reason) with the name and email
    postThenGet(recruiter, "/candidates/" + inv.id() + "/erase", form(recruiter, "reason", "asked"), "/candidates/" + inv.id());
    assertEquals(null, app.one("select time_request_reason from invitations where id = $1", inv.id()).orElseThrow()
        .getValue("time_request_reason"));
  }

  @Test
  @DisplayName("the request form needs the candidate's session and its CSRF token")
  void needsSessionAndCsrf() {
    Created inv = app.invite("Csrf Candidate", "csrf.candidate@example.com");
    Browser cand = candidate(inv);
    MultiMap noToken = MultiMap.caseInsensitiveMultiMap().add("reason", "x");
    assertEquals(403, await(cand.postForm("/candidate/more-time", noToken)).statusCode());
    Browser stranger = new Browser(vertx, app.port);
    await(stranger.get("/"));
    // no session: refused (the CSRF check or the 401), never a request stored
    assertTrue(await(stranger.postForm("/candidate/more-time", MultiMap.caseInsensitiveMultiMap().add("reason", "x"))).statusCode() >= 400);
    assertEquals(0, count("candidate.time_requested", inv.id()));
  }

  @Test
  @DisplayName("untimed accommodation: no countdown and no working-time limit, the deadline still closes the assessment")
  void untimed() {
    Created inv = app.invite("Untimed Person", "untimed.person@example.com");
    app.sql("update invitations set time_limit_minutes = 60, closes_at = now() + interval '60 minutes' where id = $1", inv.id());
    Browser cand = candidate(inv);
    assertTrue(await(cand.get("/candidate/exercises/" + EX)).bodyAsString().contains("data-seconds-left"), "timed: a countdown");
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    String page = postThenGet(recruiter, "/candidates/" + inv.id() + "/accommodation",
        form(recruiter, "timeMultiplier", "1", "untimed", "yes"), "/candidates/" + inv.id());
    assertTrue(page.contains("untimed"), page);
    var row = app.one("select untimed, time_limit_minutes, closes_at = deadline as at_deadline from invitations where id = $1", inv.id())
        .orElseThrow();
    assertTrue(row.getBoolean("untimed"));
    assertEquals(0, row.getInteger("time_limit_minutes"));
    assertTrue(row.getBoolean("at_deadline"), "only the deadline closes it");
    String exercise = await(cand.get("/candidate/exercises/" + EX)).bodyAsString();
    assertFalse(exercise.contains("data-seconds-left"), "no countdown");
    assertFalse(await(cand.get("/candidate")).bodyAsString().contains("Your working time is"), "no working-time limit said");
    assertEquals(true, app.one("select (detail->>'untimed')::boolean as u from audit_log where action = 'candidate.accommodation' and subject = $1",
        "invitation:" + inv.id()).orElseThrow().getBoolean("u"));
    // the deadline still applies: past it, the page is closed
    app.sql("update invitations set deadline = now() - interval '1 minute', closes_at = now() - interval '1 minute' where id = $1", inv.id());
    assertFalse(await(cand.get("/candidate/exercises/" + EX)).bodyAsString().contains("action=\"/candidate/more-time\""), "closed");
    // the command line's --untimed: the same accommodation from the start
    Created cli = await(app.app.invitations.create("sre-senior", "Cli Untimed", "cli.untimed@example.com", 7, null, false, true));
    var c = app.one("select untimed, time_limit_minutes from invitations where id = $1", cli.id()).orElseThrow();
    assertTrue(c.getBoolean("untimed"));
    assertEquals(0, c.getInteger("time_limit_minutes"));
  }
}
