package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole application with email on, against GreenMail's SMTP server in this JVM. */
@ExtendWith(PostgresExtension.class)
class MailDeliveryTest {
  static final String PASSWORD = "correct horse battery staple";
  static GreenMail smtp;
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    int port = TestApp.freePort();
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    app = TestApp.start(db, Path.of("exercises"), c -> c.withSmtp("smtp://127.0.0.1:" + port));
    vertx = Vertx.vertx();
    await(app.app.accounts.add("Rita Recruiter", "rita@example.com", PASSWORD, "recruiter"));
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
        .add("email", "rita@example.com").add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertEquals(303, r.statusCode());
    return b;
  }

  static List<MimeMessage> to(String address, int atLeast) throws Exception {
    long until = System.currentTimeMillis() + 20_000;
    while (true) {
      List<MimeMessage> found = Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
        try {
          return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().contains(address));
        } catch (Exception e) {
          return false;
        }
      }).toList();
      if (found.size() >= atLeast || System.currentTimeMillis() > until) {
        return found;
      }
      Thread.sleep(100);
    }
  }

  static String text(MimeMessage m, String type) throws Exception {
    Multipart mp = (Multipart) m.getContent();
    for (int i = 0; i < mp.getCount(); i++) {
      if (mp.getBodyPart(i).getContentType().toLowerCase().startsWith(type)) {
        return GreenMailUtil.getBody(mp.getBodyPart(i));
      }
    }
    throw new AssertionError("no " + type + " part");
  }

  @Test
  @DisplayName("the invitation email arrives with the right link (it signs the candidate in); the row then holds no link")
  void invitationArrives() throws Exception {
    Browser b = recruiter();
    HttpResponse<Buffer> r = await(b.post("/api/v1/candidates", new JsonObject().put("name", "Mia Mailed")
        .put("email", "mia@example.com").put("track", "sre-senior")));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject created = r.bodyAsJsonObject();
    assertEquals("queued", created.getString("email"));
    assertNull(created.getString("link"), "with email on, the link goes only to the candidate");
    List<MimeMessage> mails = to("mia@example.com", 1);
    assertEquals(1, mails.size());
    MimeMessage m = mails.get(0);
    assertTrue(m.getSubject().contains("Gameday assessment"), m.getSubject());
    String plain = javax(text(m, "text/plain"));
    String html = javax(text(m, "text/html"));
    Matcher link = Pattern.compile("http://localhost:" + app.port + "/i/[A-Za-z0-9_-]{43}").matcher(plain);
    assertTrue(link.find(), plain);
    String url = link.group();
    assertTrue(html.contains(url), "the HTML body has the same link");
    assertTrue(plain.contains("Mia Mailed") && plain.contains("UTC") && plain.contains("minutes") && plain.contains("adjustment"), plain);
    Browser cand = new Browser(vertx, app.port);
    assertEquals(303, await(cand.get(url.substring(url.indexOf("/i/")))).statusCode(), "the link in the email works");
    var row = app.one("select state, link, last_reply from email_outbox where invitation_id = $1", created.getLong("id")).orElseThrow();
    assertEquals("delivered", row.getString("state"));
    assertNull(row.getString("link"), "the link is wiped once delivered");
    JsonObject page = await(b.get("/api/v1/candidates/" + created.getLong("id"))).bodyAsJsonObject();
    assertEquals("delivered", page.getJsonArray("deliveries").getJsonObject(0).getString("state"));
    assertTrue(page.getJsonArray("timeline").encode().contains("emailed"));
    String html2 = await(b.get("/candidates/" + created.getLong("id"))).bodyAsString();
    assertTrue(html2.contains("delivered"));
    assertFalse(html2.contains("Email is off"));
    // nowhere else: not in the audit log, not in the application's log
    String token = url.substring(url.lastIndexOf('/') + 1);
    assertEquals(0L, app.one("select count(*) as n from audit_log where detail::text like '%' || $1 || '%'", token).orElseThrow().getLong("n"));
    Path log = Path.of("target/surefire-reports/" + getClass().getName() + "-output.txt");
    if (Files.exists(log)) {
      assertFalse(Files.readString(log).contains(token), "the token is not in the log");
    }

    // a reminder (no link in it), and a receipt after submitting
    assertEquals(200, await(b.post("/api/v1/candidates/" + created.getLong("id") + "/remind", null)).statusCode());
    assertEquals(2, to("mia@example.com", 2).size());
    await(cand.put("/api/v1/candidate/answers/incident-postmortem", new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Mailed answer."))));
    String sha = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("sha256");
    List<MimeMessage> all = to("mia@example.com", 3);
    assertEquals(3, all.size());
    assertTrue(javax(text(all.get(2), "text/plain")).contains(sha), "the receipt names the snapshot's hash");
  }

  @Test
  @DisplayName("acceptance: a bad CSV of 20 is refused with its line, the fixed one creates 20 whose emails arrive; extend one, revoke one (its emailed link then 404s like an unknown link)")
  void acceptance() throws Exception {
    Browser b = recruiter();
    StringBuilder csv = new StringBuilder("name,email,track,deadline_days,time_multiplier\n");
    for (int i = 1; i <= 20; i++) {
      csv.append("Accept ").append(i).append(',').append(i == 13 ? "broken" : "accept" + i + "@example.com").append(",sre-senior,5,\n");
    }
    HttpResponse<Buffer> bad = await(b.postRaw("/api/v1/candidates/import", "text/csv", csv.toString()));
    assertEquals(400, bad.statusCode());
    assertEquals(14, bad.bodyAsJsonObject().getJsonArray("rows").getJsonObject(0).getInteger("line"));
    assertEquals(0L, app.one("select count(*) as n from invitations where candidate_email like 'accept%'").orElseThrow().getLong("n"));
    HttpResponse<Buffer> ok = await(b.postRaw("/api/v1/candidates/import", "text/csv", csv.toString().replace("broken", "accept13@example.com")));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    List<Object> ids = ok.bodyAsJsonObject().getJsonArray("ids").getList();
    assertEquals(20, ids.size());
    String[] links = new String[21];
    for (int i = 1; i <= 20; i++) {
      List<MimeMessage> m = to("accept" + i + "@example.com", 1);
      assertEquals(1, m.size(), "one email for accept" + i);
      Matcher link = Pattern.compile("/i/[A-Za-z0-9_-]{43}").matcher(javax(text(m.get(0), "text/plain")));
      assertTrue(link.find());
      links[i] = link.group();
    }
    long first = ((Number) ids.get(0)).longValue();
    long second = ((Number) ids.get(1)).longValue();
    assertEquals(200, await(b.post("/api/v1/candidates/" + first + "/extend", new JsonObject().put("days", 4))).statusCode());
    assertEquals(200, await(b.post("/api/v1/candidates/" + second + "/revoke", null)).statusCode());
    HttpResponse<Buffer> dead = await(new Browser(vertx, app.port).get(links[2]));
    HttpResponse<Buffer> unknown = await(new Browser(vertx, app.port).get("/i/" + "A".repeat(43)));
    assertEquals(404, dead.statusCode());
    assertEquals(unknown.bodyAsString(), dead.bodyAsString());
    assertEquals(303, await(new Browser(vertx, app.port).get(links[1])).statusCode(), "the extended one still works");
    JsonObject list = await(b.get("/api/v1/candidates?q=accept&status=revoked")).bodyAsJsonObject();
    assertEquals(1, list.getJsonArray("items").size());
  }

  /** Quoted-printable soft line breaks joined, so a long link reads as one. */
  static String javax(String body) {
    return body.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
  }
}
