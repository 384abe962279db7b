package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session lookup folded into the autosave's round trip (issue 28, item 1): after the first save, a save reads no
 * session from the database; its own statement checks that the session is still live and moves its last-seen time.
 * A session ended elsewhere (another instance, an operator) or timed out is refused by that statement, and nothing is
 * written.
 */
@ExtendWith(PostgresExtension.class)
class SessionInSaveTest {
  private static final String SAVE = "/api/v1/candidate/answers/incident-postmortem";
  private static final AtomicInteger counter = new AtomicInteger();
  private static TestApp app;
  private static Vertx vertx;

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

  private record Candidate(Created invitation, Browser browser) {
    HttpResponse<Buffer> save(long rev, String text) {
      return await(browser.put(SAVE, new JsonObject().put("rev", rev).put("sections", new JsonObject().put("summary", text))));
    }

    long storedRev() {
      var rows = app.sql("select rev from answer_heads where invitation_id = $1 and exercise_id = 'incident-postmortem'",
          invitation.id());
      return rows.size() == 0 ? 0 : rows.iterator().next().getLong("rev");
    }
  }

  private static Candidate signedIn() {
    int n = counter.incrementAndGet();
    Created c = app.invite("Sam Session", "sam" + n + "@example.com");
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + c.token())).statusCode());
    assertEquals(200, await(b.get("/candidate/exercises/incident-postmortem")).statusCode());
    return new Candidate(c, b);
  }

  /**
   * A candidate saves ("Kept", revision 1); then {@code change} (SQL on their invitation, $1) acts on their session
   * behind the server's back; their next save is refused with 401 no_session and writes nothing.
   */
  private static Candidate refusedAfter(String change) {
    Candidate c = signedIn();
    assertEquals(200, c.save(1, "Kept").statusCode());
    app.sql(change, c.invitation().id());
    HttpResponse<Buffer> r = c.save(2, "Must not be written");
    assertEquals(401, r.statusCode(), r.bodyAsString());
    assertEquals("no_session", r.bodyAsJsonObject().getString("error"));
    assertEquals(1, c.storedRev(), "the refused save wrote nothing");
    return c;
  }

  @Test
  @DisplayName("after the page has read the session, saves read no session from the database; other requests still do")
  void savesSkipTheLookup() {
    Candidate c = signedIn();
    long before = app.app.sessions().lookups();
    for (int rev = 1; rev <= 3; rev++) {
      assertEquals(200, c.save(rev, "Draft " + rev).statusCode());
    }
    assertEquals(before, app.app.sessions().lookups(), "three saves, no session lookup");
    assertEquals(3, c.storedRev());
    assertEquals(200, await(c.browser().get("/candidate")).statusCode());
    assertEquals(before + 1, app.app.sessions().lookups(), "a page reads its session from the database");
  }

  @Test
  @DisplayName("a session deleted behind the server's back (another instance signed it out) is refused by the save: 401, nothing written")
  void endedElsewhere() {
    Candidate c = refusedAfter("delete from sessions where invitation_id = $1");
    var text = app.sql("select text from answer_section_history where invitation_id = $1 order by id desc limit 1",
        c.invitation().id()).iterator().next().getString("text");
    assertEquals("Kept", text);
  }

  @Test
  @DisplayName("the idle timeout and the expiry count in the save: a session idle for a day or past its expiry is refused")
  void timeouts() {
    refusedAfter("update sessions set last_seen_at = now() - interval '25 hours' where invitation_id = $1");
    refusedAfter("update sessions set expires_at = now() - interval '1 second' where invitation_id = $1");
  }

  @Test
  @DisplayName("a save moves the session's last-seen time once it is a minute old, and leaves a younger one alone")
  void touches() {
    Candidate c = signedIn();
    app.sql("update sessions set last_seen_at = now() - interval '2 minutes' where invitation_id = $1", c.invitation().id());
    assertEquals(200, c.save(1, "One").statusCode());
    assertTrue(app.sql("select last_seen_at > now() - interval '10 seconds' as fresh from sessions where invitation_id = $1",
        c.invitation().id()).iterator().next().getBoolean("fresh"), "moved by the save");
    app.sql("update sessions set last_seen_at = now() - interval '30 seconds' where invitation_id = $1", c.invitation().id());
    assertEquals(200, c.save(2, "Two").statusCode());
    assertTrue(app.sql("select last_seen_at < now() - interval '20 seconds' as old from sessions where invitation_id = $1",
        c.invitation().id()).iterator().next().getBoolean("old"), "younger than a minute: left alone");
  }

  @Test
  @DisplayName("signing out forgets the kept session at once, and a save without its CSRF token is still refused")
  void signOutAndCsrf() {
    Candidate c = signedIn();
    assertEquals(200, c.save(1, "One").statusCode());
    HttpResponse<Buffer> forged = await(c.browser().withoutCsrf().put(SAVE,
        new JsonObject().put("rev", 2).put("sections", new JsonObject().put("summary", "Forged"))));
    assertEquals(403, forged.statusCode(), forged.bodyAsString());
    assertEquals(1, c.storedRev());

    Candidate out = signedIn();
    assertEquals(200, out.save(1, "One").statusCode());
    long before = app.app.sessions().lookups();
    assertEquals(303, await(out.browser().post("/logout", null)).statusCode());
    HttpResponse<Buffer> r = out.save(2, "After signing out");
    assertEquals(401, r.statusCode(), r.bodyAsString());
    assertTrue(app.app.sessions().lookups() > before, "the save looked its session up again");
    assertEquals(1, out.storedRev());
  }
}
