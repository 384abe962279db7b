package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 27, defect 9, with email on: a test Greenhouse sends again after a revoke reaches the candidate as a new email. */
@ExtendWith(PostgresExtension.class)
class GreenhouseResendEmailTest {
  static GreenMail smtp;
  static TestApp app;
  static Vertx vertx;
  static String key;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    int port = TestApp.freePort();
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    app = TestApp.start(db, Path.of("exercises"), c -> LocalEgress.allow(c).withSmtp("smtp://127.0.0.1:" + port));
    vertx = Vertx.vertx();
    key = await(app.app.apiTokens.create("test", "greenhouse", List.of("invitations:write", "results:read"), null)).getString("secret");
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
    smtp.stop();
  }

  static String send() {
    JsonObject body = new JsonObject().put("partner_test_id", "sre-senior").put("url", "https://app.greenhouse.io/integrations/partner/9")
        .put("candidate", new JsonObject().put("first_name", "Hermione").put("last_name", "Granger").put("email", "hgranger@hogwarts.edu")
            .put("greenhouse_profile_url", "https://app.greenhouse.io/people/9?application_id=9"));
    HttpResponse<Buffer> r = await(WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port))
        .post("/integrations/greenhouse/send_test")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)))
        .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("partner_interview_id");
  }

  static int invitationEmails() throws Exception {
    return (int) Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().contains("hgranger@hogwarts.edu"))
            && String.valueOf(m.getSubject()).startsWith("Your Gameday assessment:");
      } catch (Exception e) {
        return false;
      }
    }).count();
  }

  static void waitForEmails(int n) throws Exception {
    for (int i = 0; i < 300 && invitationEmails() < n; i++) {
      Thread.sleep(100);
    }
  }

  @Test
  @DisplayName("send, revoke, send again: a second invitation email with a working link")
  void resendAfterRevokeEmails() throws Exception {
    String first = send();
    waitForEmails(1);
    assertEquals(1, invitationEmails());
    long invitation = app.one("select invitation_id from greenhouse_interviews where id = $1", first).orElseThrow().getLong("invitation_id");
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    assertEquals(200, await(recruiter.post("/api/v1/candidates/" + invitation + "/revoke", new JsonObject())).statusCode());

    String second = send();
    assertFalse(first.equals(second));
    waitForEmails(2);
    assertEquals(2, invitationEmails(), "the new invitation is emailed");
    long newInvitation = app.one("select invitation_id from greenhouse_interviews where id = $1", second).orElseThrow().getLong("invitation_id");
    assertEquals(1L, app.one("select count(*) as n from email_outbox where invitation_id = $1 and kind = 'invitation'", newInvitation)
        .orElseThrow().getLong("n"));
  }
}
