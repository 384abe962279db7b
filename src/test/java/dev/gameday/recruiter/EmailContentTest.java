package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 8: a name with CR/LF cannot put a line of the attacker's choice into an email body, and addresses
 * a mail library would not parse are refused at input.
 */
@ExtendWith(PostgresExtension.class)
class EmailContentTest {
  static TestApp app;
  static Vertx vertx;
  static WebClient client;
  static String bearer;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port));
    bearer = "Bearer " + await(app.app.apiTokens.create("test", "mail", List.of("invitations:write"), null)).getString("secret");
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static HttpResponse<Buffer> invite(String name, String email) {
    return await(client.post("/api/v1/candidates").putHeader("Authorization", bearer)
        .sendJsonObject(new JsonObject().put("name", name).put("email", email).put("track", "sre-senior")));
  }

  @Test
  @DisplayName("POST /api/v1/candidates refuses a@b..com, a@.b.com, a,b@c.com, <a@b.com> with 400 invalid_email")
  void addressesRefused() {
    for (String bad : List.of("a@b..com", "a@.b.com", "a,b@c.com", "<a@b.com>", "Eve <eve@example.com>")) {
      HttpResponse<Buffer> r = invite("Eve", bad);
      assertEquals(400, r.statusCode(), bad + ": " + r.bodyAsString());
      assertEquals("invalid_email", r.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  @DisplayName("a name with CR/LF is stored on one line, and even an unnormalised one never splits the greeting of any email")
  void nameOnOneLine() {
    HttpResponse<Buffer> r = invite("Mallory\r\nBcc: victim@example.com\r\n\r\nClick http://evil.example", "mallory@example.com");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String stored = app.one("select candidate_name from invitations where id = $1", r.bodyAsJsonObject().getLong("id"))
        .orElseThrow().getString("candidate_name");
    assertEquals("Mallory Bcc: victim@example.com Click http://evil.example", stored);

    // the email builder itself: a name that reached the database another way (an old row, the command line)
    Mailer mailer = new Mailer(vertx, new MailConfig(), "gameday@localhost");
    for (String kind : Mailer.KINDS) {
      Map<String, Object> model = new HashMap<>();
      model.put("name", "Mallory\r\nBcc: victim@example.com\u2028\u0085Second line");
      model.put("trackTitle", "SRE\r\nBcc: x@example.com");
      model.put("link", "http://localhost/i/x");
      model.put("deadline", "Monday");
      model.put("expectedMinutes", 60);
      model.put("contact", "the recruiter");
      Mailer.Message m = await(mailer.render(kind, model));
      for (String line : m.text().split("\r\n|\r|\n|\u2028|\u0085", -1)) {
        assertFalse(line.startsWith("Bcc:") || line.startsWith("Second line"), kind + ": " + line);
      }
      assertFalse(m.subject().contains("\n") || m.subject().contains("\r"), m.subject());
      assertTrue(m.text().contains("Mallory Bcc: victim@example.com Second line") || !m.text().contains("Mallory"), m.text());
    }
    await(mailer.close());
  }
}
