package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
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
 * The Greenhouse Assessment Partner endpoints, driven with the request bodies of developers.greenhouse.io/assessment.html
 * (partner_test_id replaced by one of our tracks), checked against the response shapes documented there.
 */
@ExtendWith(PostgresExtension.class)
class GreenhouseTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static WebClient client;
  static String key;

  // the documented send_test request (Send Test, "Request"), with our track and a callback url set per test
  static final String SEND_TEST = """
      {
        "partner_test_id": "sre-senior",
        "candidate": {
          "first_name": "Harry",
          "last_name": "Potter",
          "resume_url": "https://hogwarts.com/resume",
          "phone_number": "123-456-7890",
          "email": "hpotter@hogwarts.edu",
          "greenhouse_profile_url": "https://app.greenhouse.io/people/17681532?application_id=26234709"
        },
        "url": "CALLBACK"
      }""";
  // the documented response_error request
  static final String RESPONSE_ERROR = """
      {
        "api_call": "test_status",
        "errors": ["partner_status is 'complete' but partner_profile url is missing"],
        "partner_test_id": "12345",
        "partner_test_name": "My First Test",
        "partner_interview_id": "98765",
        "candidate_email": "kate_austen@example.com"
      }""";

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db, dev.gameday.support.Library.everyReviewCounts(), LocalEgress::allow);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port));
    key = await(app.app.apiTokens.create("test", "greenhouse", List.of("invitations:write", "results:read"), null)).getString("secret");
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** As Greenhouse authenticates: the key as the username, a colon, Base64. */
  static String basic(String apiKey) {
    return "Basic " + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<Buffer> call(HttpMethod method, String path, String authorization, String body) {
    HttpRequest<Buffer> r = client.request(method, "/integrations/greenhouse/" + path);
    if (authorization != null) {
      r.putHeader("Authorization", authorization);
    }
    return await(body == null ? r.send() : r.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getString("error"), r.bodyAsString());
    assertNotNull(r.bodyAsJsonObject().getString("message"));
  }

  /** Records PATCH requests (Greenhouse's side of the completion callback). */
  static final class Receiver implements AutoCloseable {
    record Got(HttpMethod method, String path, String authorization) {
    }

    final List<Got> got = new CopyOnWriteArrayList<>();
    final HttpServer server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      got.add(new Got(req.method(), req.path(), req.getHeader("Authorization")));
      req.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1"));

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    @Override
    public void close() {
      await(server.close());
    }
  }

  @Test
  @DisplayName("list_tests answers the documented array of {partner_test_id, partner_test_name}, one per track")
  void listTests() {
    HttpResponse<Buffer> r = call(HttpMethod.GET, "list_tests", basic(key), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray tests = r.bodyAsJsonArray();
    assertEquals(app.app.catalog.tracks().size(), tests.size());
    for (Object o : tests) {
      JsonObject t = (JsonObject) o;
      assertEquals(java.util.Set.of("partner_test_id", "partner_test_name"), t.fieldNames());
      assertInstanceOf(String.class, t.getValue("partner_test_id"));
      assertInstanceOf(String.class, t.getValue("partner_test_name"));
    }
    assertTrue(tests.stream().anyMatch(o -> "sre-senior".equals(((JsonObject) o).getString("partner_test_id"))));
  }

  @Test
  @DisplayName("HTTP Basic with the key as the username: none or unknown 401, a key without both scopes 403, never a Bearer")
  void authentication() {
    HttpResponse<Buffer> none = call(HttpMethod.GET, "list_tests", null, null);
    assertError(none, 401, "invalid_token");
    assertTrue(none.getHeader("WWW-Authenticate").startsWith("Basic"));
    assertError(call(HttpMethod.GET, "list_tests", basic("gdt_unknown"), null), 401, "invalid_token");
    assertError(call(HttpMethod.GET, "list_tests", "Bearer " + key, null), 401, "invalid_token");
    String writeOnly = await(app.app.apiTokens.create("test", "gh-write-only", List.of("invitations:write"), null)).getString("secret");
    HttpResponse<Buffer> scope = call(HttpMethod.GET, "list_tests", basic(writeOnly), null);
    assertError(scope, 403, "insufficient_scope");
    assertEquals("results:read", scope.bodyAsJsonObject().getString("required"));
    assertError(call(HttpMethod.POST, "send_test", basic(writeOnly), SEND_TEST.replace("CALLBACK", "")), 403, "insufficient_scope");
    // a send_test needs no CSRF token and no session
    assertEquals(200, call(HttpMethod.GET, "test_status?partner_interview_id=" + sendTest(SEND_TEST.replace("\"url\": \"CALLBACK\"", "\"url\": null")
        .replace("17681532", "1")), basic(key), null).statusCode());
  }

  static String sendTest(String body) {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "send_test", basic(key), body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertEquals(java.util.Set.of("partner_interview_id"), j.fieldNames(), "a single key");
    assertInstanceOf(String.class, j.getValue("partner_interview_id"));
    return j.getString("partner_interview_id");
  }

  static JsonObject status(String id) {
    HttpResponse<Buffer> r = call(HttpMethod.GET, "test_status?partner_interview_id=" + id, basic(key), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertTrue(java.util.Set.of("partner_status", "partner_profile_url", "partner_score", "metadata").containsAll(j.fieldNames()), j.encode());
    for (var e : j.getJsonObject("metadata")) {
      assertFalse(e.getValue() instanceof JsonObject || e.getValue() instanceof JsonArray, "metadata is not nested: " + e.getKey());
    }
    return j;
  }

  @Test
  @DisplayName("send_test invites the documented candidate; test_status goes not_started, in_progress, complete with a score; then the PATCH callback")
  void fullCycle() {
    try (Receiver greenhouse = new Receiver()) {
      String body = SEND_TEST.replace("CALLBACK", greenhouse.url("/integrations/testing_partners/take_home_tests/12345"));
      String id = sendTest(body);
      assertEquals(id, sendTest(body), "the same application and test sent again: the same interview");
      var inv = app.one("""
          select i.id, i.candidate_name, i.candidate_email, i.invited_by from invitations i
            join greenhouse_interviews g on g.invitation_id = i.id where g.id = $1""", id).orElseThrow();
      assertEquals("Harry Potter", inv.getString("candidate_name"));
      assertEquals("hpotter@hogwarts.edu", inv.getString("candidate_email"));
      assertEquals("token:greenhouse", inv.getString("invited_by"));
      assertEquals(1L, app.one("select count(*) as n from invitations where candidate_email = 'hpotter@hogwarts.edu'").orElseThrow().getLong("n"));
      assertEquals("greenhouse", app.one("select detail->>'via' as via from audit_log where action = 'invitation.created' and subject = $1",
          "invitation:" + inv.getLong("id")).orElseThrow().getString("via"));

      JsonObject fresh = status(id);
      assertEquals("not_started", fresh.getString("partner_status"));
      assertNull(fresh.getValue("partner_score"));

      // the candidate: a link from the recruiter (email is off in tests), opened, written, submitted
      Browser recruiter = app.signIn(vertx, app.account("recruiter"));
      String link = await(recruiter.post("/api/v1/candidates/" + inv.getLong("id") + "/resend", null)).bodyAsJsonObject().getString("link");
      Browser cand = new Browser(vertx, app.port);
      await(cand.get(link.substring(link.indexOf("/i/"))));
      await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put("summary", "Pool exhausted."))));
      assertEquals("in_progress", status(id).getString("partner_status"));
      String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
      JsonObject submitted = status(id);
      assertEquals("in_progress", submitted.getString("partner_status"));
      assertEquals(fresh.getString("partner_profile_url"), submitted.getString("partner_profile_url"), "one opaque profile link");
      assertTrue(greenhouse.got.isEmpty(), "no callback before the test is complete");

      var rubric = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow()
          .exercise().rubric();
      Browser reviewer = app.signIn(vertx, app.account("reviewer"));
      JsonObject scores = new JsonObject();
      rubric.forEach(c -> scores.put(c.id(), new JsonObject().put("level", 3).put("note", "ok")));
      assertEquals(200, await(reviewer.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
          new JsonObject().put("scores", scores).put("recommendation", "yes"))).statusCode());
      Browser admin = app.signIn(vertx, app.account("admin"));
      assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject()
          .put("decision", "advance").put("rationale", "Good.").put("confirmIncomplete", true))).statusCode());

      JsonObject complete = status(id);
      assertEquals("complete", complete.getString("partner_status"));
      assertEquals(3.0, ((Number) complete.getValue("partner_score")).doubleValue());
      assertTrue(complete.getString("partner_profile_url").startsWith("http"), "required when complete");
      assertEquals("advance", complete.getJsonObject("metadata").getString("Decision"));
      assertFalse(complete.encode().contains("hpotter"), "no identity in the status");

      // the completion callback: one PATCH to the url Greenhouse gave, authenticated with the same key
      for (int i = 0; i < 200 && greenhouse.got.isEmpty(); i++) {
        await(app.app.greenhouse.sendDue());
        WebhookTest.pause();
      }
      assertEquals(1, greenhouse.got.size());
      assertEquals(HttpMethod.PATCH, greenhouse.got.get(0).method());
      assertEquals("/integrations/testing_partners/take_home_tests/12345", greenhouse.got.get(0).path());
      assertEquals(basic(key), greenhouse.got.get(0).authorization());
      var row = app.one("select callback_state, callback_auth from greenhouse_interviews where id = $1", id).orElseThrow();
      assertEquals("delivered", row.getString("callback_state"));
      assertNull(row.getValue("callback_auth"), "the key is not kept once the callback is sent");
    }
  }

  @Test
  @DisplayName("errors: an unknown test 404, an unknown interview 404, a missing id 400, a bad candidate 400, malformed JSON 400")
  void errors() {
    assertError(call(HttpMethod.POST, "send_test", basic(key), SEND_TEST.replace("sre-senior", "12345").replace("CALLBACK", "")), 404, "unknown_test");
    assertError(call(HttpMethod.GET, "test_status?partner_interview_id=98765", basic(key), null), 404, "unknown_interview");
    assertError(call(HttpMethod.GET, "test_status", basic(key), null), 400, "missing_partner_interview_id");
    assertError(call(HttpMethod.POST, "send_test", basic(key), SEND_TEST.replace("hpotter@hogwarts.edu", "not-an-email")
        .replace("CALLBACK", "").replace("17681532", "2")), 400, "invalid_email");
    assertError(call(HttpMethod.POST, "send_test", basic(key), "{\"partner_test_id\": \"sre-senior\"}"), 400, "invalid_candidate");
    assertError(call(HttpMethod.POST, "send_test", basic(key), SEND_TEST.replace("CALLBACK", "ftp://greenhouse.example/x")), 400, "invalid_url");
    assertError(call(HttpMethod.POST, "send_test", basic(key), "{not json"), 400, "malformed_json");
    assertError(call(HttpMethod.GET, "no_such_call", basic(key), null), 404, "not_found");
  }

  @Test
  @DisplayName("response_error takes the documented body, answers 200 and keeps it in the audit log without the candidate's email")
  void responseError() {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "response_error", basic(key), RESPONSE_ERROR);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    var entry = app.one("select actor, detail from audit_log where action = 'greenhouse.response_error' order by id desc limit 1").orElseThrow();
    assertEquals("token:greenhouse", entry.getString("actor"));
    assertEquals("test_status", entry.getJsonObject("detail").getString("api_call"));
    assertFalse(entry.getJsonObject("detail").encode().contains("kate_austen"));
  }

  @Test
  @DisplayName("revoking the token stops the endpoints and drops the key kept for a callback")
  void revoked() {
    String k = await(app.app.apiTokens.create("test", "gh-revoked", List.of("invitations:write", "results:read"), null)).getString("secret");
    HttpResponse<Buffer> sent = call(HttpMethod.POST, "send_test", basic(k), SEND_TEST.replace("CALLBACK", "https://app.greenhouse.io/x/1")
        .replace("17681532", "99").replace("hpotter", "hpotter2"));
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    String id = sent.bodyAsJsonObject().getString("partner_interview_id");
    assertNotNull(app.one("select callback_auth from greenhouse_interviews where id = $1", id).orElseThrow().getValue("callback_auth"));
    await(app.app.apiTokens.revokeByName("test", "gh-revoked"));
    assertError(call(HttpMethod.GET, "list_tests", basic(k), null), 401, "invalid_token");
    var row = app.one("select callback_auth, callback_state from greenhouse_interviews where id = $1", id).orElseThrow();
    assertNull(row.getValue("callback_auth"));
    assertEquals("failed", row.getString("callback_state"));
  }

  static String send(String apiKey, String application, String callback) {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "send_test", basic(apiKey), SEND_TEST.replace("CALLBACK", callback)
        .replace("17681532", application).replace("hpotter@", "hpotter" + application + "@"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("partner_interview_id");
  }

  static long invitationOf(String interview) {
    return app.one("select invitation_id from greenhouse_interviews where id = $1", interview).orElseThrow().getLong("invitation_id");
  }

  @Test
  @DisplayName("issue 27, defect 2: the callback key of an expired token is never used, exactly as after a revoke")
  void expiredTokenStopsCallbacks() {
    try (Receiver greenhouse = new Receiver()) {
      String k = await(app.app.apiTokens.create("test", "gh-expiring", List.of("invitations:write", "results:read"), 30)).getString("secret");
      String id = send(k, "2701", greenhouse.url("/integrations/partner/2701"));
      // the test completes (what the decision's trigger does), then the token expires
      app.sql("""
          update greenhouse_interviews set callback_state = 'pending', callback_next_at = now(),
                 callback_retry_until = now() + interval '1 day' where id = $1""", id);
      app.sql("update api_tokens set expires_at = now() - interval '1 second' where name = 'gh-expiring'");
      assertError(call(HttpMethod.GET, "list_tests", basic(k), null), 401, "invalid_token");
      for (int i = 0; i < 10; i++) {
        await(app.app.greenhouse.sendDue());
        WebhookTest.pause();
      }
      assertTrue(greenhouse.got.isEmpty(), "the expired token's key was sent: " + greenhouse.got);
      var row = app.one("select callback_auth, callback_state, callback_last_error from greenhouse_interviews where id = $1", id).orElseThrow();
      assertNull(row.getValue("callback_auth"), "the key is wiped");
      assertEquals("failed", row.getString("callback_state"));
      assertEquals("token expired", row.getString("callback_last_error"));
    }
  }

  @Test
  @DisplayName("issue 27, defect 1: the key goes only to the Greenhouse host: a callback to another name for the same address is refused")
  void keyOnlyToTheListedHost() {
    try (Receiver greenhouse = new Receiver()) {
      String other = greenhouse.url("/x").replace("127.0.0.1", "localhost");
      HttpResponse<Buffer> r = call(HttpMethod.POST, "send_test", basic(key), SEND_TEST.replace("CALLBACK", other).replace("17681532", "2702"));
      assertError(r, 400, "invalid_url");
      assertTrue(greenhouse.got.isEmpty());
    }
  }

  @Test
  @DisplayName("issue 27, defect 7: another partner's token cannot read a test's status; the profile link names no internal id")
  void partnerScoping() {
    String other = await(app.app.apiTokens.create("test", "gh-other-partner", List.of("invitations:write", "results:read"), null))
        .getString("secret");
    String id = send(key, "2703", "https://app.greenhouse.io/integrations/partner/2703");
    assertError(call(HttpMethod.GET, "test_status?partner_interview_id=" + id, basic(other), null), 404, "unknown_interview");
    long invitation = invitationOf(id);
    String profile = status(id).getString("partner_profile_url");
    assertFalse(profile.contains("/candidates/"), profile);
    assertFalse(profile.matches(".*/" + invitation + "([/?#].*)?$"), "the invitation id is in " + profile);
    // a signed-in recruiter following the link reaches the candidate's page; nobody else learns anything from it
    String path = profile.substring(profile.indexOf('/', profile.indexOf("//") + 2));
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    HttpResponse<Buffer> followed = await(recruiter.get(path));
    assertEquals(303, followed.statusCode(), followed.bodyAsString());
    assertEquals("/candidates/" + invitation, followed.getHeader("Location"));
    HttpResponse<Buffer> anonymous = await(new Browser(vertx, app.port).get(path));
    assertEquals(401, anonymous.statusCode());
    HttpResponse<Buffer> reviewer = await(app.signIn(vertx, app.account("reviewer")).get(path));
    assertEquals(403, reviewer.statusCode());
  }

  @Test
  @DisplayName("issue 27, defect 9: sent again after a revoke or after expiry, a test is a new invitation; while open, the same one")
  void resendAfterRevokeOrExpiry() {
    String callback = "https://app.greenhouse.io/integrations/partner/2704";
    String first = send(key, "2704", callback);
    assertEquals(first, send(key, "2704", callback), "while open: idempotent");
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    assertEquals(200, await(recruiter.post("/api/v1/candidates/" + invitationOf(first) + "/revoke", new JsonObject())).statusCode());
    assertEquals("revoked", status(first).getString("partner_status"));

    String second = send(key, "2704", callback);
    assertFalse(first.equals(second), "a revoked test sent again is a new test");
    assertFalse(invitationOf(first) == invitationOf(second));
    assertEquals("not_started", status(second).getString("partner_status"));
    assertEquals("revoked", status(first).getString("partner_status"), "the old one stays as it was");
    assertEquals(second, send(key, "2704", callback), "the new one, while open: idempotent");
    var inv = app.one("select candidate_email, revoked_at from invitations where id = $1", invitationOf(second)).orElseThrow();
    assertEquals("hpotter2704@hogwarts.edu", inv.getString("candidate_email"));
    assertNull(inv.getValue("revoked_at"));
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'invitation.created' and subject = $1",
        "invitation:" + invitationOf(second)).orElseThrow().getLong("n"));

    app.sql("update invitations set deadline = now() - interval '1 second', closes_at = now() - interval '1 second' where id = $1",
        invitationOf(second));
    assertEquals("expired", status(second).getString("partner_status"));
    String third = send(key, "2704", callback);
    assertFalse(third.equals(second), "an expired test sent again is a new test");
    assertEquals("not_started", status(third).getString("partner_status"));
  }
}
