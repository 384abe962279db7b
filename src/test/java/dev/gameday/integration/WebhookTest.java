package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhooks against a real HTTP receiver in this JVM: signatures, identity opt-in, retries, redelivery, the log. */
@ExtendWith(PostgresExtension.class)
class WebhookTest {
  static TestApp app;
  static Vertx vertx;
  static final AtomicInteger counter = new AtomicInteger();
  static final String EX = "incident-postmortem";

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db, java.nio.file.Path.of("exercises"), LocalEgress::allow);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** One request the receiver got. */
  record Received(String path, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** An HTTP server in this JVM that records every request and answers with the given statuses, then 200. */
  static final class Receiver implements AutoCloseable {
    final List<Received> requests = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    final HttpServer server;

    Receiver(Integer... failFirst) {
      statuses.addAll(List.of(failFirst));
      server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        req.headers().forEach(e -> h.put(e.getKey(), e.getValue()));
        requests.add(new Received(req.path(), h, b.toString(StandardCharsets.UTF_8)));
        Integer s = statuses.poll();
        req.response().setStatusCode(s == null ? 200 : s).end("received");
      })).listen(0, "127.0.0.1"));
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    List<Received> at(String path) {
      return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
      await(server.close());
    }
  }

  static JsonObject endpoint(String url, List<String> events, boolean identity) {
    return await(app.app.webhooks.add("test", url, events, identity));
  }

  /** Runs sender passes until no delivery of this endpoint is due now (due ones made due at once), at most 50 rounds. */
  static void deliverAll(long endpointId) {
    for (int round = 0; round < 50; round++) {
      long pending = app.one("select count(*) as n from webhook_deliveries where endpoint_id = $1 and state = 'pending'", endpointId)
          .orElseThrow().getLong("n");
      if (pending == 0) {
        return;
      }
      app.sql("update webhook_deliveries set next_attempt_at = now() where endpoint_id = $1 and state = 'pending'", endpointId);
      await(app.app.webhooks.sendDue());
      pause();
    }
    throw new AssertionError("deliveries of endpoint " + endpointId + " still pending after 50 rounds");
  }

  /** Makes the delivery due and waits until one more attempt has been made (by this pass or the server's own timer). */
  static void attemptOnce(long deliveryId) {
    int before = app.one("select attempts from webhook_deliveries where id = $1", deliveryId).orElseThrow().getInteger("attempts");
    app.sql("update webhook_deliveries set next_attempt_at = now() where id = $1", deliveryId);
    for (int i = 0; i < 200; i++) {
      await(app.app.webhooks.sendDue());
      if (app.one("select attempts from webhook_deliveries where id = $1", deliveryId).orElseThrow().getInteger("attempts") > before) {
        return;
      }
      pause();
    }
    throw new AssertionError("delivery " + deliveryId + " was not attempted");
  }

  static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String hmac(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Opens the link and submits one answer; returns the submission id. */
  static String openAndSubmit(Created c) {
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Connection pool exhausted."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  @Test
  @DisplayName("events arrive signed (HMAC-SHA256 of t.body with the endpoint's secret), with id and type; identity only where opted in")
  void signedEvents() throws Exception {
    try (Receiver receiver = new Receiver()) {
      JsonObject plain = endpoint(receiver.url("/plain"), List.of("invitation.opened", "submission.created"), false);
      JsonObject named = endpoint(receiver.url("/named"), List.of("submission.created"), true);
      String name = "Hook Person " + counter.incrementAndGet();
      String email = "hook" + counter.get() + "@example.com";
      Created c = app.invite(name, email);
      String sid = openAndSubmit(c);
      deliverAll(plain.getLong("id"));
      deliverAll(named.getLong("id"));

      List<Received> got = receiver.at("/plain");
      assertEquals(List.of("invitation.opened", "submission.created"), got.stream().map(r -> r.json().getString("type")).sorted().toList());
      for (Received r : got) {
        String sig = r.headers().get("Gameday-Signature");
        assertNotNull(sig);
        String t = sig.substring(2, sig.indexOf(','));
        Long.parseLong(t);
        assertEquals("v1=" + hmac(plain.getString("secret"), t + "." + r.body()), sig.substring(sig.indexOf(',') + 1), "signature verifies");
        assertTrue(sig.length() > 0 && !("v1=" + hmac(named.getString("secret"), t + "." + r.body())).equals(sig.substring(sig.indexOf(',') + 1)),
            "another endpoint's secret does not verify it");
        JsonObject j = r.json();
        assertEquals(r.headers().get("Gameday-Event-Id"), j.getString("id"));
        assertEquals(c.pseudonym(), j.getJsonObject("data").getJsonObject("candidate").getString("pseudonym"));
        assertFalse(r.body().contains(email), "no email without opting in");
        assertFalse(r.body().contains(name), "no name without opting in");
        assertEquals("application/json", r.headers().get("Content-Type"));
      }
      Received submitted = got.stream().filter(r -> "submission.created".equals(r.json().getString("type"))).findFirst().orElseThrow();
      assertEquals(sid, submitted.json().getJsonObject("data").getString("submission_id"));

      List<Received> withIdentity = receiver.at("/named");
      assertEquals(1, withIdentity.size(), "only the subscribed event");
      JsonObject cand = withIdentity.get(0).json().getJsonObject("data").getJsonObject("candidate");
      assertEquals(name, cand.getString("name"));
      assertEquals(email, cand.getString("email"));
      // one event for both endpoints: the same id
      assertEquals(submitted.json().getString("id"), withIdentity.get(0).json().getString("id"));
    }
  }

  @Test
  @DisplayName("a failing receiver gets retries with growing backoff, then success; every attempt has the same event id and body")
  void retries() {
    try (Receiver receiver = new Receiver(500, 503)) {
      JsonObject e = endpoint(receiver.url("/flaky"), List.of("invitation.opened"), false);
      Created c = app.invite("Flaky Person " + counter.incrementAndGet(), "flaky" + counter.get() + "@example.com");
      await(new Browser(vertx, app.port).get("/i/" + c.token()));
      long delivery = app.one("select id from webhook_deliveries where endpoint_id = $1", e.getLong("id")).orElseThrow().getLong("id");

      attemptOnce(delivery);
      var afterFirst = app.one("""
          select d.state, d.last_status, extract(epoch from d.next_attempt_at - a.at)::int as wait
            from webhook_deliveries d join webhook_attempts a on a.delivery_id = d.id where d.id = $1 order by a.id desc limit 1""",
          delivery).orElseThrow();
      assertEquals("pending", afterFirst.getString("state"));
      assertEquals(500, afterFirst.getInteger("last_status"));
      assertEquals(30, afterFirst.getInteger("wait"), "first retry after the base delay");
      attemptOnce(delivery);
      assertEquals(60, app.one("""
          select extract(epoch from d.next_attempt_at - a.at)::int as wait
            from webhook_deliveries d join webhook_attempts a on a.delivery_id = d.id where d.id = $1 order by a.id desc limit 1""",
          delivery).orElseThrow().getInteger("wait"), "then twice as long");
      attemptOnce(delivery);
      assertEquals("delivered", app.one("select state from webhook_deliveries where id = $1", delivery).orElseThrow().getString("state"));

      List<Received> got = receiver.at("/flaky");
      assertEquals(3, got.size());
      assertEquals(1, got.stream().map(Received::body).distinct().count(), "the same body every time");
      assertEquals(1, got.stream().map(r -> r.headers().get("Gameday-Event-Id")).distinct().count());

      // the log per endpoint, with status codes; a manual redeliver sends the same event again
      Browser admin = app.signIn(vertx, app.account("admin"));
      HttpResponse<Buffer> log = await(admin.get("/api/v1/admin/webhooks/" + e.getLong("id") + "/deliveries"));
      assertEquals(200, log.statusCode(), log.bodyAsString());
      JsonObject d = log.bodyAsJsonObject().getJsonArray("deliveries").getJsonObject(0);
      List<Integer> codes = new ArrayList<>();
      d.getJsonArray("log").forEach(a -> codes.add(((JsonObject) a).getInteger("status")));
      assertEquals(List.of(500, 503, 200), codes);
      assertEquals("delivered", d.getString("state"));
      String page = await(admin.get("/admin/webhooks/" + e.getLong("id"))).bodyAsString();
      assertTrue(page.contains("500 503 200"), "the page lists the status codes");

      HttpResponse<Buffer> again = await(admin.post("/api/v1/admin/webhooks/" + e.getLong("id") + "/deliveries/" + delivery + "/redeliver", null));
      assertEquals(200, again.statusCode(), again.bodyAsString());
      deliverAll(e.getLong("id"));
      List<Received> all = receiver.at("/flaky");
      assertEquals(4, all.size());
      assertEquals(got.get(0).json().getString("id"), all.get(3).json().getString("id"), "redelivery keeps the event id");
    }
  }

  @Test
  @DisplayName("a delivery still failing after a day is marked failed and is no longer tried")
  void givesUpAfterADay() {
    try (Receiver receiver = new Receiver(500, 500, 500)) {
      JsonObject e = endpoint(receiver.url("/down"), List.of("invitation.opened"), false);
      Created c = app.invite("Down Person " + counter.incrementAndGet(), "down" + counter.get() + "@example.com");
      await(new Browser(vertx, app.port).get("/i/" + c.token()));
      long delivery = app.one("select id from webhook_deliveries where endpoint_id = $1", e.getLong("id")).orElseThrow().getLong("id");
      // as if the day had passed: the next retry would fall after retry_until
      app.sql("update webhook_deliveries set retry_until = now() + interval '10 seconds' where id = $1", delivery);
      attemptOnce(delivery);
      assertEquals("failed", app.one("select state from webhook_deliveries where id = $1", delivery).orElseThrow().getString("state"));
    }
  }

  @Test
  @DisplayName("POST /api/v1/admin/webhooks answers id and secret; non-http(s) URLs and unknown events get 400; admins only")
  void registration() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    HttpResponse<Buffer> ok = await(admin.post("/api/v1/admin/webhooks", new JsonObject().put("url", "https://ats.example.com/hooks")
        .put("events", new JsonArray().add("decision.recorded"))));
    assertEquals(201, ok.statusCode(), ok.bodyAsString());
    assertNotNull(ok.bodyAsJsonObject().getLong("id"));
    assertTrue(ok.bodyAsJsonObject().getString("secret").startsWith("whsec_"));
    assertFalse(await(admin.get("/api/v1/admin/webhooks")).bodyAsString().contains(ok.bodyAsJsonObject().getString("secret")),
        "the secret is never shown again");
    for (String bad : List.of("ftp://example.com/x", "javascript:alert(1)", "file:///etc/passwd", "gopher://example.com",
        "http://user:pw@example.com/", "not a url", "//example.com/x")) {
      HttpResponse<Buffer> r = await(admin.post("/api/v1/admin/webhooks", new JsonObject().put("url", bad)
          .put("events", new JsonArray().add("decision.recorded"))));
      assertEquals(400, r.statusCode(), bad);
      assertEquals("invalid_url", r.bodyAsJsonObject().getString("error"), bad);
    }
    HttpResponse<Buffer> event = await(admin.post("/api/v1/admin/webhooks", new JsonObject().put("url", "https://x.example.com")
        .put("events", new JsonArray().add("candidate.hired"))));
    assertEquals("invalid_event", event.bodyAsJsonObject().getString("error"));
    assertEquals(403, await(app.signIn(vertx, app.account("recruiter")).post("/api/v1/admin/webhooks", new JsonObject()
        .put("url", "https://x.example.com").put("events", new JsonArray().add("decision.recorded")))).statusCode());
    // the page: add with the form, the secret shown once
    HttpResponse<Buffer> page = await(admin.submitForm("/admin/webhooks", MultiMap.caseInsensitiveMultiMap().add("_csrf", admin.cookie("XSRF-TOKEN"))
        .add("url", "https://page.example.com/hook").add("event", "submission.created").add("includeIdentity", "yes")));
    assertEquals(200, page.statusCode(), page.bodyAsString());
    assertTrue(page.bodyAsString().contains("whsec_"));
    assertTrue(app.one("select include_identity from webhook_endpoints where url = 'https://page.example.com/hook'").orElseThrow()
        .getBoolean("include_identity"));
    // these endpoints are nowhere: switch them off so the other tests' senders never wait on them
    app.sql("update webhook_endpoints set disabled_at = now() where url like 'https://%.example.com%'");
  }

  @Test
  @DisplayName("a receiver's redirect is never followed (so there is no second address to escape the egress policy): the 302 is a failed attempt")
  void redirectsNotFollowed() {
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      paths.add(req.path());
      if (req.path().equals("/moved")) {
        req.response().setStatusCode(302).putHeader("Location", "/elsewhere").end();
      } else {
        req.response().setStatusCode(200).end();
      }
    })).listen(0, "127.0.0.1"));
    try {
      JsonObject e = endpoint("http://127.0.0.1:" + server.actualPort() + "/moved", List.of("invitation.opened"), false);
      Created c = app.invite("Redirected Candidate", "redirected@example.com");
      await(new Browser(vertx, app.port).get("/i/" + c.token()));
      long delivery = app.one("select id from webhook_deliveries where endpoint_id = $1", e.getLong("id")).orElseThrow().getLong("id");
      attemptOnce(delivery);
      // the property: the redirect's target is never asked for (on a busy machine the app's own sender may also have
      // attempted the delivery, so /moved can appear twice)
      assertTrue(paths.contains("/moved"), paths.toString());
      assertFalse(paths.contains("/elsewhere"), "the redirect was followed: " + paths);
      var d = app.one("select state, last_status from webhook_deliveries where id = $1", delivery).orElseThrow();
      assertEquals("pending", d.getString("state"));
      assertEquals(302, d.getInteger("last_status"));
    } finally {
      await(server.close());
    }
  }

  @Test
  @DisplayName("Send test event: an admin's form queues a signed 'ping' for that endpoint only (303 back, shown in its deliveries), "
      + "delivered by the same sender; a disabled endpoint refuses it; audited; the JSON answers 202")
  void testEvent() throws Exception {
    try (Receiver receiver = new Receiver()) {
      JsonObject e = endpoint(receiver.url("/ping"), List.of("decision.recorded"), true);
      JsonObject other = endpoint(receiver.url("/other"), List.of("decision.recorded"), false);
      long id = e.getLong("id");
      Browser admin = app.signIn(vertx, app.account("admin"));
      HttpResponse<Buffer> r = await(admin.postForm("/admin/webhooks/" + id + "/test", MultiMap.caseInsensitiveMultiMap()
          .add("_csrf", admin.cookie("XSRF-TOKEN"))));
      assertEquals(303, r.statusCode(), r.bodyAsString());
      assertEquals("/admin/webhooks/" + id, r.getHeader("Location"));
      String page = await(admin.get("/admin/webhooks/" + id)).bodyAsString();
      assertTrue(page.contains("A test event (ping) is queued"), page);
      assertTrue(page.contains("<code>ping</code>"), "the delivery is listed: " + page);
      assertTrue(page.contains(">Send test event</button>"), page);
      assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'webhook.tested' and subject = $1", "webhook:" + id)
          .orElseThrow().getLong("n"));
      assertFalse(await(admin.get("/admin/webhooks/" + id)).bodyAsString().contains("A test event (ping) is queued"), "shown once");
      deliverAll(id);
      List<Received> got = receiver.at("/ping");
      assertEquals(1, got.size());
      Received ping = got.get(0);
      assertEquals("ping", ping.json().getString("type"));
      assertEquals("ping", ping.headers().get("Gameday-Event-Type"));
      assertEquals(ping.headers().get("Gameday-Event-Id"), ping.json().getString("id"));
      assertFalse(ping.json().getJsonObject("data").containsKey("candidate"), ping.body());
      String sig = ping.headers().get("Gameday-Signature");
      String t = sig.substring(2, sig.indexOf(','));
      assertEquals("v1=" + hmac(e.getString("secret"), t + "." + ping.body()), sig.substring(sig.indexOf(',') + 1), "signed like any event");
      assertEquals("delivered", app.one("select state from webhook_deliveries where endpoint_id = $1", id).orElseThrow().getString("state"));
      assertTrue(receiver.at("/other").isEmpty(), "only the endpoint tested");
      // JSON
      HttpResponse<Buffer> j = await(admin.post("/api/v1/admin/webhooks/" + other.getLong("id") + "/test", null));
      assertEquals(202, j.statusCode(), j.bodyAsString());
      assertEquals("ping", j.bodyAsJsonObject().getString("type"));
      // a disabled endpoint: nothing queued, a readable error
      await(app.app.webhooks.disable("test", id));
      HttpResponse<Buffer> off = await(admin.postForm("/admin/webhooks/" + id + "/test", MultiMap.caseInsensitiveMultiMap()
          .add("_csrf", admin.cookie("XSRF-TOKEN"))));
      assertEquals(303, off.statusCode());
      assertTrue(await(admin.get("/admin/webhooks/" + id)).bodyAsString().contains("This endpoint is disabled"));
      assertEquals(1L, app.one("select count(*) as n from webhook_deliveries where endpoint_id = $1", id).orElseThrow().getLong("n"));
      assertEquals(409, await(admin.post("/api/v1/admin/webhooks/" + id + "/test", null)).statusCode());
      assertEquals(404, await(admin.post("/api/v1/admin/webhooks/999999/test", null)).statusCode());
      Browser recruiter = app.signIn(vertx, app.account("recruiter"));
      assertEquals(403, await(recruiter.postForm("/admin/webhooks/" + other.getLong("id") + "/test", MultiMap.caseInsensitiveMultiMap()
          .add("_csrf", recruiter.cookie("XSRF-TOKEN")))).statusCode());
    }
  }
}
