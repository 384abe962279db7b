package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** API tokens: scopes, revocation and expiry (401/403 shapes), where a token works, CSRF, audit, the page. */
@ExtendWith(PostgresExtension.class)
class ApiTokenTest {
  static TestApp app;
  static Vertx vertx;
  static WebClient client;
  static final AtomicInteger counter = new AtomicInteger();
  static final String EX = "incident-postmortem";

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port)
        .setFollowRedirects(false));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** A token made by the service; returns the secret. */
  static String token(String... scopes) {
    return await(app.app.apiTokens.create("test", "t" + counter.incrementAndGet(), List.of(scopes), null)).getString("secret");
  }

  static HttpResponse<Buffer> call(HttpMethod method, String path, String secret, JsonObject body, Map<String, String> headers) {
    HttpRequest<Buffer> r = client.request(method, path);
    if (secret != null) {
      r.putHeader("Authorization", "Bearer " + secret);
    }
    headers.forEach(r::putHeader);
    if (body == null) {
      return await(r.send());
    }
    return await(r.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()));
  }

  static HttpResponse<Buffer> get(String path, String secret) {
    return call(HttpMethod.GET, path, secret, null, Map.of());
  }

  static HttpResponse<Buffer> post(String path, String secret, JsonObject body) {
    return call(HttpMethod.POST, path, secret, body, Map.of());
  }

  static JsonObject candidate(String name) {
    return new JsonObject().put("name", name).put("email", name.toLowerCase().replace(' ', '.') + "@example.com")
        .put("track", "sre-senior").put("deadlineDays", 7);
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getString("error"), r.bodyAsString());
    assertNotNull(r.bodyAsJsonObject().getString("message"), r.bodyAsString());
  }

  @Test
  @DisplayName("each scope opens its routes only: a read token lists and reads but gets 403 insufficient_scope on create")
  void scopes() {
    String read = token("invitations:read");
    String write = token("invitations:write");
    HttpResponse<Buffer> created = post("/api/v1/candidates", write, candidate("Scope Person " + counter.incrementAndGet()));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");
    assertEquals(200, get("/api/v1/candidates", read).statusCode());
    assertEquals(200, get("/api/v1/candidates/" + id, read).statusCode());
    HttpResponse<Buffer> refused = post("/api/v1/candidates", read, candidate("Not Created"));
    assertError(refused, 403, "insufficient_scope");
    assertEquals("invitations:write", refused.bodyAsJsonObject().getString("required"));
    assertError(post("/api/v1/candidates/" + id + "/extend", read, new JsonObject().put("days", 3)), 403, "insufficient_scope");
    assertError(get("/api/v1/candidates", write), 403, "insufficient_scope");
    assertError(get("/api/v1/candidates/" + id + "/result", read), 403, "insufficient_scope");
    assertEquals(200, post("/api/v1/candidates/" + id + "/extend", write, new JsonObject().put("days", 3)).statusCode());
    assertEquals(200, post("/api/v1/candidates/" + id + "/revoke", write, null).statusCode());
  }

  @Test
  @DisplayName("an unknown, revoked or expired token gets 401 invalid_token; revoking takes an admin session with CSRF")
  void revokedAndExpired() {
    assertError(get("/api/v1/candidates", "gdt_not-a-token"), 401, "invalid_token");
    JsonObject t = await(app.app.apiTokens.create("test", "revoke-me", List.of("invitations:read"), null));
    String secret = t.getString("secret");
    assertEquals(200, get("/api/v1/candidates", secret).statusCode());
    Browser admin = app.signIn(vertx, app.account("admin"));
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    assertEquals(403, await(recruiter.raw(HttpMethod.DELETE, "/api/v1/admin/tokens/" + t.getLong("id"), null, null)).statusCode());
    assertEquals(403, await(admin.withoutCsrf().raw(HttpMethod.DELETE, "/api/v1/admin/tokens/" + t.getLong("id"), null, null))
        .statusCode(), "no CSRF token");
    assertEquals(200, get("/api/v1/candidates", secret).statusCode(), "still valid");
    Browser admin2 = app.signIn(vertx, app.account("admin"));
    HttpResponse<Buffer> revoked = await(admin2.raw(HttpMethod.DELETE, "/api/v1/admin/tokens/" + t.getLong("id"), null, null));
    assertEquals(200, revoked.statusCode(), revoked.bodyAsString());
    assertEquals("revoked", revoked.bodyAsJsonObject().getString("status"));
    assertError(get("/api/v1/candidates", secret), 401, "invalid_token");
    assertError(await(admin2.raw(HttpMethod.DELETE, "/api/v1/admin/tokens/" + t.getLong("id"), null, null)), 409, "already_revoked");
    assertError(await(admin2.raw(HttpMethod.DELETE, "/api/v1/admin/tokens/999999", null, null)), 404, "unknown_token");

    String expiring = token("invitations:read");
    assertEquals(200, get("/api/v1/candidates", expiring).statusCode());
    app.sql("update api_tokens set expires_at = now() - interval '1 second' where secret_hash = $1",
        (Object) dev.gameday.web.Tokens.hash(expiring));
    assertError(get("/api/v1/candidates", expiring), 401, "invalid_token");
  }

  @Test
  @DisplayName("a token never opens a page, a review route or an admin route: there it counts for nothing (401)")
  void onlyTheCandidatesApi() {
    String all = token("invitations:write", "invitations:read", "results:read");
    for (String p : List.of("/candidates", "/candidates/1", "/review", "/api/v1/review/queue", "/api/v1/admin/audit",
        "/admin/tokens", "/api/v1/admin/export.csv", "/admin/accounts")) {
      HttpResponse<Buffer> r = get(p, all);
      assertEquals(401, r.statusCode(), p + ": " + r.bodyAsString());
    }
    assertEquals(401, call(HttpMethod.DELETE, "/api/v1/admin/tokens/1", all, null, Map.of()).statusCode());
    assertEquals(401, call(HttpMethod.PUT, "/api/v1/review/submissions/00000000-0000-0000-0000-000000000000/exercises/x/review",
        all, new JsonObject().put("scores", new JsonObject()), Map.of()).statusCode());
  }

  @Test
  @DisplayName("a request with a token needs no CSRF token, even from another origin, and ignores a session cookie sent beside it")
  void noCsrfWithToken() {
    String write = token("invitations:write");
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/v1/candidates", write, candidate("Cross Origin " + counter.incrementAndGet()),
        Map.of("Origin", "https://ats.example.net"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    // without the token, the same request from that origin is refused
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    HttpResponse<Buffer> forged = await(recruiter.withoutCsrf().raw(HttpMethod.POST, "/api/v1/candidates", "application/json",
        candidate("Forged").toBuffer()));
    assertEquals(403, forged.statusCode());
  }

  @Test
  @DisplayName("every use is in the audit log under the token's name, and so is what it created")
  void audited() {
    JsonObject t = await(app.app.apiTokens.create("test", "audited-ats", List.of("invitations:write", "invitations:read"), null));
    String secret = t.getString("secret");
    HttpResponse<Buffer> created = post("/api/v1/candidates", secret, candidate("Audit Person " + counter.incrementAndGet()));
    assertEquals(201, created.statusCode());
    get("/api/v1/candidates", secret);
    long id = created.bodyAsJsonObject().getLong("id");
    assertEquals(2L, app.one("select count(*) as n from audit_log where actor = 'token:audited-ats' and action = 'token.used'")
        .orElseThrow().getLong("n"));
    assertEquals(1L, app.one("select count(*) as n from audit_log where actor = 'token:audited-ats' and action = 'invitation.created'"
        + " and subject = $1", "invitation:" + id).orElseThrow().getLong("n"));
    assertNotNull(app.one("select last_used_at from api_tokens where name = 'audited-ats'").orElseThrow().getValue("last_used_at"));
  }

  @Test
  @DisplayName("/admin/tokens: an admin creates a token whose secret is shown once, then revokes it after a confirmation")
  void adminPage() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    assertEquals(403, await(app.signIn(vertx, app.account("recruiter")).get("/admin/tokens")).statusCode());
    HttpResponse<Buffer> made = await(admin.submitForm("/admin/tokens", MultiMap.caseInsensitiveMultiMap().add("_csrf", admin.cookie("XSRF-TOKEN"))
        .add("name", "Page ATS").add("scope", "invitations:read").add("scope", "results:read").add("expiresDays", "30")));
    assertEquals(200, made.statusCode(), made.bodyAsString());
    String html = made.bodyAsString();
    int at = html.indexOf("gdt_");
    assertTrue(at > 0, "the secret is shown");
    String secret = html.substring(at, html.indexOf('<', at));
    assertEquals(200, get("/api/v1/candidates", secret).statusCode());
    String list = await(admin.get("/admin/tokens")).bodyAsString();
    assertTrue(list.contains("Page ATS"));
    assertFalse(list.contains(secret), "shown only once");
    assertTrue(list.contains("data-confirm=\"Revoke the token Page ATS?"), "revoking asks first");
    long id = app.one("select id from api_tokens where name = 'Page ATS'").orElseThrow().getLong("id");
    assertNotNull(app.one("select expires_at from api_tokens where id = $1", id).orElseThrow().getValue("expires_at"));
    HttpResponse<Buffer> revoked = await(admin.submitForm("/admin/tokens/" + id + "/revoke", MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", admin.cookie("XSRF-TOKEN"))));
    assertEquals(200, revoked.statusCode());
    assertError(get("/api/v1/candidates", secret), 401, "invalid_token");
    HttpResponse<Buffer> bad = await(admin.submitForm("/admin/tokens", MultiMap.caseInsensitiveMultiMap().add("_csrf", admin.cookie("XSRF-TOKEN"))
        .add("name", "No Scope")));
    assertEquals(200, bad.statusCode());
    assertTrue(bad.bodyAsString().contains("notice error"), "the refusal is shown after the redirect");
    assertFalse(app.one("select 1 from api_tokens where name = 'No Scope'").isPresent());
  }

  @Test
  @DisplayName("an Idempotency-Key makes a retried create answer the first invitation; another body with the key gets 422")
  void idempotentCreate() {
    String write = token("invitations:write");
    JsonObject body = candidate("Retry Person " + counter.incrementAndGet());
    HttpResponse<Buffer> first = call(HttpMethod.POST, "/api/v1/candidates", write, body, Map.of("Idempotency-Key", "create-1"));
    HttpResponse<Buffer> again = call(HttpMethod.POST, "/api/v1/candidates", write, body, Map.of("Idempotency-Key", "create-1"));
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(201, again.statusCode());
    assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(1L, app.one("select count(*) as n from invitations where candidate_email = $1", body.getString("email"))
        .orElseThrow().getLong("n"));
    assertError(call(HttpMethod.POST, "/api/v1/candidates", write, candidate("Someone Else"), Map.of("Idempotency-Key", "create-1")),
        422, "idempotency_key_reused");
    // the key belongs to its caller: another token with the same key creates its own
    HttpResponse<Buffer> other = call(HttpMethod.POST, "/api/v1/candidates", token("invitations:write"),
        body.copy().put("confirmDuplicate", true), Map.of("Idempotency-Key", "create-1"));
    assertEquals(201, other.statusCode(), other.bodyAsString());
    // a refusal is an answer too: the retry gets the same 409
    HttpResponse<Buffer> dup = call(HttpMethod.POST, "/api/v1/candidates", write, body, Map.of("Idempotency-Key", "create-2"));
    assertError(dup, 409, "duplicate");
    assertEquals(dup.bodyAsJsonObject(), call(HttpMethod.POST, "/api/v1/candidates", write, body, Map.of("Idempotency-Key", "create-2"))
        .bodyAsJsonObject());
  }

  @Test
  @DisplayName("a batch answers each item (created, duplicate, invalid); retried with its Idempotency-Key it creates nothing more")
  void batch() {
    String write = token("invitations:write");
    String n = String.valueOf(counter.incrementAndGet());
    JsonObject existing = candidate("Existing " + n);
    assertEquals(201, post("/api/v1/candidates", write, existing).statusCode());
    JsonArray items = new JsonArray()
        .add(candidate("Batch One " + n))
        .add(candidate("Batch Two " + n).put("email", "not an email"))
        .add(candidate("Batch One " + n))
        .add(existing)
        .add(candidate("Batch Three " + n).put("track", "no-such-track"))
        .add("not an object")
        .add(candidate("Batch Four " + n).put("timeMultiplier", 1.5));
    JsonObject body = new JsonObject().put("items", items);
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/v1/candidates/batch", write, body, Map.of("Idempotency-Key", "batch-" + n));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject out = r.bodyAsJsonObject();
    assertEquals(2, out.getInteger("created"));
    assertEquals(2, out.getInteger("duplicate"));
    assertEquals(3, out.getInteger("invalid"));
    JsonArray results = out.getJsonArray("results");
    assertEquals(List.of("created", "invalid", "duplicate", "duplicate", "invalid", "invalid", "created"),
        results.stream().map(o -> ((JsonObject) o).getString("status")).toList());
    for (int i = 0; i < results.size(); i++) {
      JsonObject item = results.getJsonObject(i);
      assertEquals(i, item.getInteger("index"));
      if (!"created".equals(item.getString("status"))) {
        assertNotNull(item.getString("message"), item.encode());
      } else {
        assertNotNull(item.getLong("id"));
        assertNotNull(item.getString("pseudonym"));
      }
    }
    assertEquals("invalid_email", results.getJsonObject(1).getString("error"));
    assertEquals(0, results.getJsonObject(2).getInteger("duplicateOfIndex"));
    assertNotNull(results.getJsonObject(3).getLong("existing"));
    long before = app.one("select count(*) as n from invitations").orElseThrow().getLong("n");
    HttpResponse<Buffer> again = call(HttpMethod.POST, "/api/v1/candidates/batch", write, body, Map.of("Idempotency-Key", "batch-" + n));
    assertEquals(out, again.bodyAsJsonObject());
    assertEquals(before, app.one("select count(*) as n from invitations").orElseThrow().getLong("n"));
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'invitation.created' and detail->>'via' = 'api batch'"
        + " and detail->>'pseudonym' = $1", results.getJsonObject(0).getString("pseudonym")).orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("a batch holds 1 to 1,000 items: an empty one, one of 1,001 and one without items get 400 invalid_batch")
  void batchLimits() {
    String write = token("invitations:write");
    JsonArray many = new JsonArray();
    for (int i = 0; i < 1001; i++) {
      many.add(candidate("Many " + i));
    }
    assertError(post("/api/v1/candidates/batch", write, new JsonObject().put("items", many)), 400, "invalid_batch");
    assertError(post("/api/v1/candidates/batch", write, new JsonObject().put("items", new JsonArray())), 400, "invalid_batch");
    assertError(post("/api/v1/candidates/batch", write, new JsonObject()), 400, "invalid_batch");
    assertNull(app.one("select 1 from invitations where candidate_name = 'Many 0'").orElse(null));
  }

  @Test
  @DisplayName("the result is given once decided (per-criterion means, overall, decision); before that 409 with the state")
  void result() {
    String write = token("invitations:write");
    String results = token("results:read");
    HttpResponse<Buffer> created = post("/api/v1/candidates", write, candidate("Result Person " + counter.incrementAndGet()));
    long id = created.bodyAsJsonObject().getLong("id");
    String link = created.bodyAsJsonObject().getString("link");
    HttpResponse<Buffer> early = get("/api/v1/candidates/" + id + "/result", results);
    assertError(early, 409, "not_submitted");
    assertEquals("not_submitted", early.bodyAsJsonObject().getString("state"));
    assertError(get("/api/v1/candidates/999999/result", results), 404, "unknown_candidate");

    Browser cand = new Browser(vertx, app.port);
    await(cand.get(link.substring(link.indexOf("/i/"))));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool was exhausted."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    HttpResponse<Buffer> undecided = get("/api/v1/candidates/" + id + "/result", results);
    assertError(undecided, 409, "not_decided");
    assertEquals("submitted", undecided.bodyAsJsonObject().getString("state"));

    var rubric = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow()
        .exercise().rubric();
    for (int level : new int[] {3, 4}) {
      Browser reviewer = app.signIn(vertx, app.account("reviewer"));
      JsonObject scores = new JsonObject();
      rubric.forEach(c -> scores.put(c.id(), new JsonObject().put("level", level).put("note", "note " + level)));
      HttpResponse<Buffer> r = await(reviewer.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
          new JsonObject().put("scores", scores).put("recommendation", "yes")));
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
    Browser admin = app.signIn(vertx, app.account("admin"));
    HttpResponse<Buffer> decided = await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject()
        .put("decision", "advance").put("rationale", "Clear analysis.").put("confirmIncomplete", true)));
    assertEquals(200, decided.statusCode(), decided.bodyAsString());

    HttpResponse<Buffer> r = get("/api/v1/candidates/" + id + "/result", results);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject out = r.bodyAsJsonObject();
    assertEquals("advance", out.getString("decision"));
    assertEquals(sid, out.getString("submissionId"));
    assertEquals(3.5, out.getDouble("overall"));
    JsonObject ex = out.getJsonArray("exercises").stream().map(o -> (JsonObject) o).filter(e -> EX.equals(e.getString("id")))
        .findFirst().orElseThrow();
    assertEquals(2, ex.getInteger("reviews"));
    assertEquals(3.5, ex.getDouble("overall"));
    rubric.forEach(c -> assertEquals(3.5, ex.getJsonObject("criteria").getDouble(c.id()), c.id()));
    assertFalse(r.bodyAsString().contains("note 3"), "no reviewer notes");
    assertFalse(r.bodyAsString().contains("The pool was exhausted"), "no answer text");
    // sessions: an admin sees it, a recruiter never sees scores
    assertEquals(200, await(admin.get("/api/v1/candidates/" + id + "/result")).statusCode());
    assertEquals(403, await(app.signIn(vertx, app.account("recruiter")).get("/api/v1/candidates/" + id + "/result")).statusCode());
  }
}
