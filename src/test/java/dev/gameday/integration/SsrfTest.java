package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 1: server-side request forgery. With the default configuration (no GAMEDAY_EGRESS_ALLOW) nothing
 * Gameday sends on someone's behalf reaches loopback, whether named by an address or by a host name that resolves
 * there, and the Greenhouse key goes only to Greenhouse's host.
 */
@ExtendWith(PostgresExtension.class)
class SsrfTest {
  static TestApp app;
  static Vertx vertx;
  static WebClient client;
  static String key;
  static final List<String> got = new CopyOnWriteArrayList<>();
  static HttpServer internal;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port));
    key = await(app.app.apiTokens.create("test", "partner", List.of("invitations:write", "results:read"), null)).getString("secret");
    // an "internal service" on loopback: whatever reaches it is a forged request
    internal = await(vertx.createHttpServer().requestHandler(req -> {
      got.add(req.method() + " " + req.path() + " " + req.getHeader("Authorization"));
      req.response().setStatusCode(200).end("internal secrets");
    }).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(internal.close());
    app.close();
    await(vertx.close());
  }

  static String basic(String apiKey) {
    return "Basic " + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<Buffer> sendTest(String callback, String application) {
    JsonObject body = new JsonObject().put("partner_test_id", "sre-senior").put("url", callback)
        .put("candidate", new JsonObject().put("first_name", "Mallory").put("last_name", "Partner")
            .put("email", "mallory" + application + "@example.com")
            .put("greenhouse_profile_url", "https://app.greenhouse.io/people/1?application_id=" + application));
    return await(client.post("/integrations/greenhouse/send_test").putHeader("Authorization", basic(key))
        .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()));
  }

  @Test
  @DisplayName("send_test refuses a callback url on loopback, an internal host or any host but Greenhouse's: 400 invalid_url")
  void partnerCallbackOnlyToGreenhouse() {
    int port = internal.actualPort();
    String[] urls = {"http://127.0.0.1:" + port + "/steal", "http://localhost:" + port + "/steal",
        "http://169.254.169.254/latest/meta-data/", "https://attacker.example/collect", "https://app.greenhouse.io.attacker.example/x",
        "http://app.greenhouse.io/x"};
    int n = 0;
    for (String url : urls) {
      HttpResponse<Buffer> r = sendTest(url, "ssrf" + n++);
      assertEquals(400, r.statusCode(), url + ": " + r.bodyAsString());
      assertEquals("invalid_url", r.bodyAsJsonObject().getString("error"));
    }
    assertEquals(200, sendTest("https://app.greenhouse.io/integrations/partner/1", "ok").statusCode(), "Greenhouse's own host");
    assertTrue(got.isEmpty(), String.valueOf(got));
  }

  @Test
  @DisplayName("a callback row pointing anywhere but Greenhouse (made before the fix) is never sent, and its key is wiped")
  void storedCallbackToInternalIsNotSent() {
    HttpResponse<Buffer> r = sendTest("https://app.greenhouse.io/integrations/partner/2", "stored");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("partner_interview_id");
    app.sql("""
        update greenhouse_interviews set callback_url = $2, callback_state = 'pending', callback_next_at = now(),
               callback_retry_until = now() + interval '1 day' where id = $1""", id,
        "http://127.0.0.1:" + internal.actualPort() + "/steal");
    for (int i = 0; i < 20; i++) {
      await(app.app.greenhouse.sendDue());
      WebhookTest.pause();
    }
    assertTrue(got.isEmpty(), "the key went to an internal address: " + got);
    var row = app.one("select callback_state, callback_auth from greenhouse_interviews where id = $1", id).orElseThrow();
    assertEquals("failed", row.getString("callback_state"));
    assertNull(row.getValue("callback_auth"));
  }

  @Test
  @DisplayName("a webhook to a loopback address is refused at registration; one to a host name resolving to loopback is never delivered")
  void webhooksObeyTheEgressPolicy() {
    int port = internal.actualPort();
    for (String url : List.of("http://127.0.0.1:" + port + "/hook", "http://[::1]:" + port + "/hook", "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]:" + port + "/hook", "http://0.0.0.0:" + port + "/")) {
      ClientError e = org.junit.jupiter.api.Assertions.assertThrows(ClientError.class,
          () -> await(app.app.webhooks.add("test", url, List.of("invitation.opened"), false)), url);
      assertEquals("invalid_url", e.code(), url);
    }
    JsonObject endpoint = await(app.app.webhooks.add("test", "http://localhost:" + port + "/hook", List.of("invitation.opened"), false));
    var inv = app.invite("Rebind Candidate", "rebind@example.com");
    await(new Browser(vertx, app.port).get("/i/" + inv.token()));
    long endpointId = endpoint.getLong("id");
    for (int i = 0; i < 20; i++) {
      app.sql("update webhook_deliveries set next_attempt_at = now() where endpoint_id = $1 and state = 'pending'", endpointId);
      await(app.app.webhooks.sendDue());
      WebhookTest.pause();
    }
    assertTrue(got.isEmpty(), "a webhook reached loopback: " + got);
    var d = app.one("select attempts, last_error from webhook_deliveries where endpoint_id = $1", endpointId).orElseThrow();
    assertTrue(d.getInteger("attempts") > 0);
    assertTrue(d.getString("last_error").contains("egress policy"), d.getString("last_error"));
  }
}
