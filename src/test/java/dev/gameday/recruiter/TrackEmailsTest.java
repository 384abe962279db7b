package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-track invitation and reminder emails written by admins (issue 21, V92): placeholders checked, values filled on
 * one line without reading placeholders inside them, previewed with sample values, saved (audited), sent by the
 * outbox instead of the built-in email, and shown by the invite form's "Preview email".
 */
@ExtendWith(PostgresExtension.class)
class TrackEmailsTest {
  static TestApp app;
  static Vertx vertx;
  static final String INVITE = "Hi {{name}},\n\n{{ track }} awaits you: {{link}}\nClosing {{deadline}}.\n";

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

  @Test
  @DisplayName("unknown placeholders, {{link}} in a reminder, an invitation without {{link}} and a two-line subject are refused by name")
  void checks() {
    ClientError unknown = assertThrows(ClientError.class, () -> TrackEmails.check("invitation", "Hello {{firstname}}", "{{link}} {{salary}}"));
    assertEquals("Unknown placeholders {{firstname}}, {{salary}}; an invitation may use {{name}}, {{link}}, {{deadline}}, {{track}}.",
        unknown.getMessage());
    assertTrue(assertThrows(ClientError.class, () -> TrackEmails.check("reminder", "R", "Go to {{link}}")).getMessage()
        .startsWith("A reminder cannot hold {{link}}"));
    assertTrue(assertThrows(ClientError.class, () -> TrackEmails.check("invitation", "S", "No link here, {{name}}")).getMessage()
        .startsWith("An invitation must hold {{link}}"));
    assertThrows(ClientError.class, () -> TrackEmails.check("invitation", "Line\nBcc: x@example.com", "{{link}}"));
    TrackEmails.check("invitation", "Your {{track}}", INVITE);
    TrackEmails.check("reminder", "Closes {{deadline}}", "Hello {{name}}, it closes {{deadline}}.");
  }

  @Test
  @DisplayName("filling: values on one line, a placeholder inside a value is not expanded, the HTML body is the text escaped")
  void fill() {
    Map<String, Object> model = new HashMap<>();
    model.put("name", "Eve {{link}}\r\nBcc: x@example.com <b>");
    model.put("trackTitle", "SRE");
    model.put("deadline", "Monday");
    model.put("link", "https://g.example/i/abc");
    Mailer.Message m = TrackEmails.fill(new TrackEmails.Template("For {{name}}", INVITE), model);
    assertEquals("For Eve {{link}} Bcc: x@example.com <b>", m.subject());
    assertTrue(m.text().startsWith("Hi Eve {{link}} Bcc: x@example.com <b>,\n\nSRE awaits you: https://g.example/i/abc\nClosing Monday."), m.text());
    assertTrue(m.html().contains("Hi Eve {{link}} Bcc: x@example.com &lt;b&gt;,"), m.html());
  }

  @Test
  @DisplayName("an admin previews (nothing stored), is refused an unknown placeholder, saves (audited); the outbox then sends that text, "
      + "and the invite form's preview shows it; recruiters cannot edit")
  void editPreviewSaveSend() throws Exception {
    Browser admin = app.signIn(vertx, app.account("admin"));
    assertEquals(200, await(admin.get("/admin/emails")).statusCode());
    String path = "/admin/emails/sre-senior/invitation";
    assertTrue(await(admin.get(path)).bodyAsString().contains("{{link}}"));
    HttpResponse<Buffer> preview = await(admin.postForm(path, form(admin, "action", "preview", "subject", "Welcome to {{track}}", "body", INVITE)));
    assertEquals(303, preview.statusCode());
    String page = await(admin.get(path)).bodyAsString();
    assertTrue(page.contains("Hi Ada Lovelace,"), page);
    assertTrue(page.contains("https://gameday.example/i/(personal link)"), page);
    assertEquals(0L, app.one("select count(*) as n from track_email_templates").orElseThrow().getLong("n"));
    await(admin.postForm(path, form(admin, "action", "save", "subject", "Welcome", "body", "Hi {{nom}} {{link}}")));
    String refused = await(admin.get(path)).bodyAsString();
    assertTrue(refused.contains("Unknown placeholder {{nom}}"), refused);
    assertTrue(refused.contains("Hi {{nom}} {{link}}</textarea>"), "the text is kept to correct: " + refused);
    assertEquals(0L, app.one("select count(*) as n from track_email_templates").orElseThrow().getLong("n"));
    HttpResponse<Buffer> saved = await(admin.postForm(path, form(admin, "action", "save", "subject", "Welcome to {{track}}", "body", INVITE)));
    assertEquals(303, saved.statusCode());
    assertEquals(1L, app.one("select count(*) as n from track_email_templates").orElseThrow().getLong("n"));
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'email_template.saved'").orElseThrow().getLong("n"));

    // the invite form's preview shows the track's own text
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    await(recruiter.postForm("/candidates/preview-email", form(recruiter, "name", "Bo", "email", "bo@example.com", "track", "sre-senior")));
    String invitePreview = await(recruiter.get("/candidates")).bodyAsString();
    assertTrue(invitePreview.contains("Hi Bo,"), invitePreview);
    assertEquals(403, await(recruiter.get("/admin/emails")).statusCode());
    assertEquals(403, await(recruiter.postForm(path, form(recruiter, "action", "reset"))).statusCode());

    // the outbox sends it
    int port = TestApp.freePort();
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    try {
      Mailer mailer = new Mailer(app.app.vertx, Mailer.settings("smtp://127.0.0.1:" + port), "gameday@example.com");
      Outbox out = new Outbox(app.app.vertx, app.app.pool, app.app.catalog, mailer, Duration.ofSeconds(30), 5, "the recruiter");
      Created c = app.invite("Cleo Custom", "cleo@example.com");
      app.sql("insert into email_outbox (invitation_id, kind, to_address, link) values ($1, 'invitation', $2, $3)",
          c.id(), "cleo@example.com", "http://localhost/i/" + c.token());
      await(out.sendDue());
      assertTrue(smtp.waitForIncomingEmail(10_000, 1));
      var msg = smtp.getReceivedMessages()[0];
      assertEquals("Welcome to " + app.app.catalog.track("sre-senior").orElseThrow().track().title(), msg.getSubject());
      String body = GreenMailUtil.getBody(msg);
      assertTrue(body.contains("Hi Cleo Custom,"), body);
      assertTrue(body.contains("awaits you: http://localhost/i/" + c.token()), body);
      await(out.close());
    } finally {
      smtp.stop();
    }
    // back to the built-in email
    await(admin.postForm(path, form(admin, "action", "reset")));
    assertEquals(0L, app.one("select count(*) as n from track_email_templates").orElseThrow().getLong("n"));
    assertFalse(await(admin.get("/admin/emails")).bodyAsString().contains("Own text"));
  }
}
