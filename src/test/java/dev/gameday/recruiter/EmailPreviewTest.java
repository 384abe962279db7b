package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Preview email" on the invite form (issue 21): the subject and body the candidate will get, rendered by the
 * templates the outbox sends with, shown once after a 303 back to the filled-in form; nothing is created or queued.
 */
@ExtendWith(PostgresExtension.class)
class EmailPreviewTest {
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

  static String state() {
    return app.one("select (select count(*) from invitations) || ':' || (select count(*) from email_outbox) || ':'"
        + " || (select count(*) from audit_log where action like 'candidate.%') as h").orElseThrow().getString("h");
  }

  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;")
        .replace("=", "&#x3D;").replace("`", "&#x60;");
  }

  @Test
  @DisplayName("the preview shows the outbox's subject and text for this name, track, deadline and multiplier; nothing is created; shown once")
  void previewIsTheOutboxEmail() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    String before = state();
    HttpResponse<Buffer> posted = await(recruiter.postForm("/candidates/preview-email", form(recruiter, "name", "Ada <b>Lovelace</b>",
        "email", "ada@example.com", "track", "sre-senior", "deadlineDays", "3", "timeMultiplier", "1.5")));
    assertEquals(303, posted.statusCode(), posted.bodyAsString());
    assertEquals("/candidates#invite", posted.getHeader("Location"));
    assertEquals(before, state(), "a preview creates and queues nothing");
    String page = await(recruiter.get("/candidates")).bodyAsString();
    // what the outbox would render for the same invitation: same templates, same model
    var track = app.app.catalog.track("sre-senior").orElseThrow().track();
    int limit = java.math.BigDecimal.valueOf(track.timeLimitMinutes()).multiply(new java.math.BigDecimal("1.5")).intValue();
    Mailer.Message expected = new EmailTemplates().render("invitation", EmailTemplates.model(app.app.catalog, app.app.config.contact(),
        "Ada <b>Lovelace</b>", "sre-senior", limit, OffsetDateTime.now(ZoneOffset.UTC).plusSeconds((long) (3 * 86400 * 1.5)),
        "http://x/i/" + EmailPreview.LINK_PLACEHOLDER, null, null));
    assertTrue(page.contains("Preview of the invitation email"), page);
    assertTrue(page.contains("<dd>" + html(expected.subject()) + "</dd>"), expected.subject() + " in " + page);
    // the body: the same text line for line, except the deadline's minute and the link's base
    String shown = page.substring(page.indexOf("<pre class=\"email-body\""), page.indexOf("</pre>"));
    for (String line : expected.text().split("\n")) {
      if (!line.startsWith("The deadline is") && !line.contains("/i/")) {
        assertTrue(shown.contains(html(line)), "line '" + line + "' in " + shown);
      }
    }
    assertTrue(shown.contains("Hello Ada &lt;b&gt;Lovelace&lt;/b&gt;,"), "the name is the candidate's, escaped on the page: " + shown);
    assertTrue(shown.contains(html(EmailPreview.LINK_PLACEHOLDER)), shown);
    assertTrue(shown.contains("The deadline is "), shown);
    assertTrue(limit == 0 || shown.contains(limit + " minutes of working time"), shown);
    // the form keeps what was typed, to invite next
    assertTrue(page.contains("value=\"Ada &lt;b&gt;Lovelace&lt;/b&gt;\""), page);
    assertTrue(page.contains("formaction=\"/candidates/preview-email#invite\">Preview email</button>"), page);
    assertFalse(await(recruiter.get("/candidates")).bodyAsString().contains("Preview of the invitation email"), "shown once");
    assertEquals(before, state());
  }

  @Test
  @DisplayName("a form an invitation would refuse gets the same message in the preview, and nothing is created")
  void refusedAsInvite() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    String before = state();
    HttpResponse<Buffer> posted = await(recruiter.postForm("/candidates/preview-email", form(recruiter, "name", "Bea",
        "email", "not-an-email", "track", "sre-senior")));
    assertEquals(303, posted.statusCode());
    String page = await(recruiter.get("/candidates")).bodyAsString();
    assertTrue(page.contains("is not a valid email address"), page);
    assertFalse(page.contains("Preview of the invitation email"));
    assertEquals(before, state());
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    assertEquals(403, await(reviewer.postForm("/candidates/preview-email", form(reviewer, "name", "Bea",
        "email", "bea@example.com", "track", "sre-senior"))).statusCode());
  }
}
