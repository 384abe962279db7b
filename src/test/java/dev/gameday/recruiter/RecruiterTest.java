package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class RecruiterTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static final AtomicInteger counter = new AtomicInteger();

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

  static String account(String role) {
    return app.account(role);
  }

  static Browser signIn(String email) {
    return app.signIn(vertx, email);
  }

  static String unique(String prefix) {
    return prefix + counter.incrementAndGet();
  }

  static JsonObject invite(Browser b, String name, String email) {
    HttpResponse<Buffer> r = await(b.post("/api/v1/candidates", new JsonObject().put("name", name).put("email", email)
        .put("track", "sre-senior").put("deadlineDays", 7)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static String token(JsonObject created) {
    String link = created.getString("link");
    return link.substring(link.lastIndexOf('/') + 1);
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getString("error"), r.bodyAsString());
    assertNotNull(r.bodyAsJsonObject().getString("message"));
  }

  @Test
  @DisplayName("a recruiter reaches /candidates but no review page or JSON, and cannot draft or submit a review (403)")
  void recruiterCannotReview() {
    Browser recruiter = signIn(account("recruiter"));
    Browser reviewer = signIn(account("reviewer"));
    Browser admin = signIn(account("admin"));
    // a submitted candidate, so the review item exists
    JsonObject c = invite(recruiter, "Review Target", unique("target") + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + token(c)));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Secret answer text of the candidate."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    String item = "/api/v1/review/submissions/" + sid + "/exercises/" + EX;
    for (String p : List.of("/review", "/review/" + sid, "/review/" + sid + "/" + EX, "/review/calibration",
        "/api/v1/review/queue", "/api/v1/review/submissions/" + sid, item, "/api/v1/review/calibration",
        "/api/v1/admin/export.csv", "/review/" + sid + "/" + EX + "/evidence/0", "/admin/accounts", "/admin/audit")) {
      HttpResponse<Buffer> r = await(recruiter.get(p));
      assertEquals(403, r.statusCode(), "recruiter " + p);
      assertFalse(r.bodyAsString().contains("Secret answer text"), p);
    }
    assertEquals(403, await(recruiter.put(item + "/review", new JsonObject().put("scores", new JsonObject()))).statusCode());
    assertEquals(403, await(recruiter.post(item + "/review/submit", new JsonObject().put("scores", new JsonObject())
        .put("recommendation", "yes"))).statusCode());
    assertEquals(403, await(recruiter.postForm("/review/" + sid + "/" + EX, MultiMap.caseInsensitiveMultiMap()
        .add("action", "submit").add("_csrf", recruiter.cookie("XSRF-TOKEN")))).statusCode());
    assertEquals(0L, app.one("select count(*) as n from reviews where submission_id = $1::uuid", sid).orElseThrow().getLong("n"));
    // the candidate page shows status, never the answer text
    HttpResponse<Buffer> page = await(recruiter.get("/candidates/" + c.getLong("id")));
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("Review Target"));
    assertFalse(page.bodyAsString().contains("Secret answer text"));
    assertFalse(await(recruiter.get("/api/v1/candidates/" + c.getLong("id"))).bodyAsString().contains("Secret answer text"));
    // recruiters do not get the reviewers' answer key
    String rubric = await(recruiter.get("/api/v1/rubrics/" + EX)).bodyAsString();
    assertFalse(rubric.contains("\"anchor\""), "no anchors for recruiters");
    // reviewers never reach the recruiter's pages; admins do
    for (String p : List.of("/candidates", "/api/v1/candidates", "/candidates/" + c.getLong("id"), "/api/v1/candidates/" + c.getLong("id"))) {
      HttpResponse<Buffer> r = await(reviewer.get(p));
      assertEquals(403, r.statusCode(), "reviewer " + p);
      assertFalse(r.bodyAsString().contains("Review Target"), p);
      assertEquals(200, await(admin.get(p)).statusCode(), "admin " + p);
      assertEquals(401, await(new Browser(vertx, app.port).get(p)).statusCode(), "anonymous " + p);
    }
    assertEquals(403, await(reviewer.post("/api/v1/candidates", new JsonObject().put("name", "x"))).statusCode());
    assertEquals(403, await(reviewer.post("/api/v1/candidates/" + c.getLong("id") + "/revoke", null)).statusCode());
  }

  @Test
  @DisplayName("an admin can invite a recruiter at /admin/accounts; the account created with that link is a recruiter")
  void recruiterAccountLink() {
    Browser admin = signIn(account("admin"));
    HttpResponse<Buffer> r = await(admin.submitForm("/admin/accounts/invite", MultiMap.caseInsensitiveMultiMap()
        .add("role", "recruiter").add("_csrf", admin.cookie("XSRF-TOKEN"))));
    assertEquals(200, r.statusCode());
    String body = r.bodyAsString();
    String link = body.substring(body.indexOf("/setup/") + 7);
    String token = link.substring(0, link.indexOf('<'));
    assertEquals("recruiter", await(app.app.accounts.setupTokenRole(token)));
    assertTrue(await(admin.get("/admin/accounts")).bodyAsString().contains("value=\"recruiter\""));
  }

  @Test
  @DisplayName("invite one: 201 with its link when email is off; a second open invitation for the email and track needs confirmDuplicate")
  void inviteOneAndDuplicates() {
    String me = account("recruiter");
    Browser b = signIn(me);
    String email = unique("dup") + "@example.com";
    JsonObject c = invite(b, "Dee Duplicate", email);
    assertEquals("invited", c.getString("status"));
    assertEquals("off", c.getString("email"));
    assertTrue(c.getString("link").startsWith("http://localhost:" + app.port + "/i/"), c.encode());
    assertEquals(303, await(new Browser(vertx, app.port).get("/i/" + token(c))).statusCode(), "the link works");
    JsonObject again = new JsonObject().put("name", "Dee Duplicate").put("email", email.toUpperCase()).put("track", "sre-senior");
    HttpResponse<Buffer> dup = await(b.post("/api/v1/candidates", again));
    assertError(dup, 409, "duplicate");
    assertEquals(c.getLong("id"), dup.bodyAsJsonObject().getLong("existing"));
    assertEquals(201, await(b.post("/api/v1/candidates", again.put("confirmDuplicate", true))).statusCode());
    assertError(await(b.post("/api/v1/candidates", new JsonObject().put("name", "x").put("email", "nope").put("track", "sre-senior"))),
        400, "invalid_email");
    assertError(await(b.post("/api/v1/candidates", new JsonObject().put("name", "x").put("email", "a@b.example").put("track", "nope"))),
        400, "unknown_track");
    assertError(await(b.post("/api/v1/candidates", new JsonObject().put("name", "x").put("email", "a@b.example")
        .put("track", "sre-senior").put("timeMultiplier", 9))), 400, "invalid_multiplier");
    assertError(await(b.postRaw("/api/v1/candidates", "application/json", "{nope")), 400, "malformed_json");
    var audit = app.one("select actor, detail from audit_log where action = 'invitation.created' and subject = $1",
        "invitation:" + c.getLong("id")).orElseThrow();
    assertEquals(me, audit.getString("actor"));
    assertFalse(audit.getJsonObject("detail").encode().contains(email), "the audit log never holds the email");
  }

  @Test
  @DisplayName("CSV import: one bad row is reported as 'line N' and nothing is created; fixed, all 20 are created")
  void csvImportAllOrNothing() {
    Browser b = signIn(account("recruiter"));
    String tag = unique("csv");
    StringBuilder csv = new StringBuilder("name,email,track,deadline_days,time_multiplier\r\n");
    for (int i = 1; i <= 20; i++) {
      String mult = i == 3 ? "1.5" : "";
      String email = i == 7 ? "not-an-email" : tag + "-" + i + "@example.com";
      csv.append(i == 5 ? "\"Comma, Quoted \"\"Five\"\"\"" : "Person " + i).append(',').append(email).append(",sre-senior,")
          .append(i == 2 ? "" : "10").append(',').append(mult).append("\r\n");
    }
    long before = app.one("select count(*) as n from invitations").orElseThrow().getLong("n");
    HttpResponse<Buffer> bad = await(b.postRaw("/api/v1/candidates/import", "text/csv", csv.toString()));
    assertError(bad, 400, "invalid_csv");
    JsonArray rows = bad.bodyAsJsonObject().getJsonArray("rows");
    assertEquals(1, rows.size(), bad.bodyAsString());
    assertEquals(8, rows.getJsonObject(0).getInteger("line"), "the header is line 1, so row 7 is line 8");
    assertTrue(rows.getJsonObject(0).getString("message").contains("not-an-email"));
    assertEquals(before, app.one("select count(*) as n from invitations").orElseThrow().getLong("n"), "nothing created");

    String fixed = csv.toString().replace("not-an-email", tag + "-7@example.com");
    HttpResponse<Buffer> ok = await(b.postRaw("/api/v1/candidates/import", "text/csv; charset=utf-8", fixed));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(20, ok.bodyAsJsonObject().getJsonArray("ids").size());
    assertEquals(before + 20, app.one("select count(*) as n from invitations").orElseThrow().getLong("n"));
    assertEquals("Comma, Quoted \"Five\"", app.one("select candidate_name from invitations where candidate_email = $1",
        tag + "-5@example.com").orElseThrow().getString("candidate_name"));
    assertEquals("1.50", app.one("select time_multiplier::text as m from invitations where candidate_email = $1",
        tag + "-3@example.com").orElseThrow().getString("m"));
    JsonObject listed = await(b.get("/api/v1/candidates?q=" + tag)).bodyAsJsonObject();
    assertEquals(20, listed.getJsonArray("items").size());
    // the same file again: every row is now a duplicate of an open invitation
    HttpResponse<Buffer> again = await(b.postRaw("/api/v1/candidates/import", "text/csv", fixed));
    assertError(again, 400, "invalid_csv");
    assertEquals(20, again.bodyAsJsonObject().getJsonArray("rows").size());
    // header, shape and type problems
    assertError(await(b.postRaw("/api/v1/candidates/import", "text/csv", "email,name\nx,y\n")), 400, "invalid_csv");
    HttpResponse<Buffer> shape = await(b.postRaw("/api/v1/candidates/import", "text/csv",
        "name,email,track\nA,a@x.example,sre-senior,extra\n\"unclosed,b@x.example,sre-senior\n"));
    assertError(shape, 400, "invalid_csv");
    assertError(await(b.postRaw("/api/v1/candidates/import", "application/json", "{}")), 415, "unsupported_media_type");
  }

  @Test
  @DisplayName("1,000 CSV rows import in one transaction (the time is printed, not asserted)")
  void thousandRows() {
    Browser b = signIn(account("recruiter"));
    String tag = unique("bulk");
    StringBuilder csv = new StringBuilder("name,email,track\n");
    for (int i = 0; i < 1000; i++) {
      csv.append("Bulk Person ").append(i).append(',').append(tag).append('-').append(i).append("@example.com,sre-senior\n");
    }
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = await(b.postRaw("/api/v1/candidates/import", "text/csv", csv.toString()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(1000, r.bodyAsJsonObject().getInteger("created"));
    System.out.println("IMPORT 1000 rows: " + ms + " ms");
    assertEquals(5000L, app.one("select count(*) as n from invitation_exercises ie join invitations i on i.id = ie.invitation_id"
        + " where i.candidate_email like $1", tag + "-%").orElseThrow().getLong("n"), "every invitation pins its five exercises");
  }

  @Test
  @DisplayName("revoke: the link then gets the same 404 page as an unknown link; resend: the old link dies, the new works")
  void revokeAndResend() {
    Browser b = signIn(account("recruiter"));
    JsonObject c = invite(b, "Rae Revoked", unique("revoke") + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    assertEquals(303, await(cand.get("/i/" + token(c))).statusCode());
    HttpResponse<Buffer> revoked = await(b.post("/api/v1/candidates/" + c.getLong("id") + "/revoke", null));
    assertEquals(200, revoked.statusCode(), revoked.bodyAsString());
    assertEquals("revoked", revoked.bodyAsJsonObject().getString("status"));
    HttpResponse<Buffer> dead = await(new Browser(vertx, app.port).get("/i/" + token(c)));
    HttpResponse<Buffer> unknown = await(new Browser(vertx, app.port).get("/i/" + "x".repeat(43)));
    assertEquals(404, dead.statusCode());
    assertEquals(unknown.statusCode(), dead.statusCode());
    assertEquals(unknown.bodyAsString(), dead.bodyAsString(), "indistinguishable from an unknown link");
    assertEquals(401, await(cand.get("/api/v1/candidate")).statusCode(), "the candidate's session ended");
    assertError(await(b.post("/api/v1/candidates/" + c.getLong("id") + "/extend", new JsonObject().put("days", 2))), 409, "not_open");
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'candidate.revoked' and subject = $1",
        "invitation:" + c.getLong("id")).orElseThrow().getLong("n"));

    JsonObject d = invite(b, "Sam Resent", unique("resend") + "@example.com");
    HttpResponse<Buffer> resent = await(b.post("/api/v1/candidates/" + d.getLong("id") + "/resend", null));
    assertEquals(200, resent.statusCode(), resent.bodyAsString());
    String newToken = token(resent.bodyAsJsonObject());
    assertNotEquals(token(d), newToken);
    assertEquals(404, await(new Browser(vertx, app.port).get("/i/" + token(d))).statusCode(), "old link dead");
    assertEquals(303, await(new Browser(vertx, app.port).get("/i/" + newToken)).statusCode(), "new link works");
    assertError(await(b.post("/api/v1/candidates/" + d.getLong("id") + "/remind", null)), 409, "email_off");
    assertError(await(b.post("/api/v1/candidates/999999999/revoke", null)), 404, "unknown_candidate");
    assertError(await(b.post("/api/v1/candidates/" + d.getLong("id") + "/nonsense", null)), 404, "not_found");
  }

  @Test
  @DisplayName("extend moves the deadline (and reopens an expired invitation); accommodation changes the multiplier")
  void extendAndAccommodation() {
    Browser b = signIn(account("recruiter"));
    JsonObject c = invite(b, "Eve Extended", unique("extend") + "@example.com");
    long id = c.getLong("id");
    app.sql("update invitations set deadline = now() - interval '1 hour', closes_at = now() - interval '1 hour' where id = $1", id);
    assertEquals("expired", await(b.get("/api/v1/candidates/" + id)).bodyAsJsonObject().getString("status"));
    assertEquals(1, await(b.get("/api/v1/candidates?status=expired&q=eve%20extended")).bodyAsJsonObject().getJsonArray("items").size());
    assertError(await(b.post("/api/v1/candidates/" + id + "/extend", new JsonObject().put("days", 0))), 400, "invalid_days");
    HttpResponse<Buffer> r = await(b.post("/api/v1/candidates/" + id + "/extend", new JsonObject().put("days", 3)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("invited", r.bodyAsJsonObject().getString("status"));
    assertTrue(app.one("select closes_at > now() + interval '71 hours' as ok from invitations where id = $1", id).orElseThrow().getBoolean("ok"));
    assertEquals(303, await(new Browser(vertx, app.port).get("/i/" + token(c))).statusCode(), "the link works again");
    HttpResponse<Buffer> m = await(b.post("/api/v1/candidates/" + id + "/accommodation", new JsonObject().put("timeMultiplier", 1.5)));
    assertEquals(200, m.statusCode(), m.bodyAsString());
    assertEquals("1.50", m.bodyAsJsonObject().getString("timeMultiplier"));
    assertError(await(b.post("/api/v1/candidates/" + id + "/accommodation", new JsonObject().put("timeMultiplier", "x"))), 400,
        "invalid_multiplier");
    JsonArray timeline = await(b.get("/api/v1/candidates/" + id)).bodyAsJsonObject().getJsonArray("timeline");
    String kinds = timeline.stream().map(e -> ((JsonObject) e).getString("kind")).toList().toString();
    assertTrue(kinds.contains("extended") && kinds.contains("accommodation") && kinds.contains("opened"), kinds);
  }

  @Test
  @DisplayName("erase: name and email become the pseudonym everywhere, answers stay, audited with who and why")
  void erase() {
    String me = account("recruiter");
    Browser b = signIn(me);
    String email = unique("erase") + "@example.com";
    JsonObject c = invite(b, "Ernie Erasable", email);
    long id = c.getLong("id");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + token(c)));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Kept for calibration."))));
    assertError(await(b.post("/api/v1/candidates/" + id + "/erase", new JsonObject())), 400, "invalid_reason");
    HttpResponse<Buffer> r = await(b.post("/api/v1/candidates/" + id + "/erase", new JsonObject().put("reason", "retention policy")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject after = r.bodyAsJsonObject();
    assertEquals(c.getString("pseudonym"), after.getString("name"));
    assertEquals(c.getString("pseudonym"), after.getString("email"));
    assertTrue(after.getBoolean("erased"));
    assertEquals(0, await(b.get("/api/v1/candidates?q=ernie")).bodyAsJsonObject().getJsonArray("items").size());
    assertFalse(await(b.get("/candidates/" + id)).bodyAsString().contains("Ernie"));
    assertEquals(0L, app.one("select count(*) as n from invitations where candidate_email = $1 or candidate_name like 'Ernie%'", email)
        .orElseThrow().getLong("n"));
    assertEquals(0L, app.one("select count(*) as n from audit_log where detail::text like '%' || $1 || '%' or detail::text like '%Ernie%'",
        email).orElseThrow().getLong("n"), "the audit log never held the identity");
    assertEquals(1L, app.one("select count(*) as n from answers where invitation_id = $1", id).orElseThrow().getLong("n"));
    var audit = app.one("select actor, detail from audit_log where action = 'candidate.erased' and subject = $1", "invitation:" + id)
        .orElseThrow();
    assertEquals(me, audit.getString("actor"));
    assertEquals("retention policy", audit.getJsonObject("detail").getString("reason"));
    assertError(await(b.post("/api/v1/candidates/" + id + "/erase", new JsonObject().put("reason", "again"))), 409, "erased");
  }

  @Test
  @DisplayName("retention erases closed, undecided invitations older than the period, and nothing else")
  void retention() {
    Browser b = signIn(account("recruiter"));
    JsonObject old = invite(b, "Olive Old", unique("old") + "@example.com");
    JsonObject fresh = invite(b, "Fred Fresh", unique("fresh") + "@example.com");
    app.sql("update invitations set deadline = now() - interval '40 days', closes_at = now() - interval '40 days' where id = $1",
        old.getLong("id"));
    assertEquals(0, (int) await(app.app.recruiting.erasure().eraseExpired(0)), "off by default");
    assertTrue(await(app.app.recruiting.erasure().eraseExpired(30)) >= 1);
    assertNotNull(app.one("select erased_at from invitations where id = $1", old.getLong("id")).orElseThrow().getValue("erased_at"));
    assertNull(app.one("select erased_at from invitations where id = $1", fresh.getLong("id")).orElseThrow().getValue("erased_at"));
  }

  @Test
  @DisplayName("list: search, track and status filters, sort, 50 a page; bad filters are 400")
  void listFilters() {
    Browser b = signIn(account("recruiter"));
    String tag = unique("page");
    StringBuilder csv = new StringBuilder("name,email,track\n");
    for (int i = 0; i < 55; i++) {
      csv.append("Pager ").append(tag).append(' ').append(i).append(',').append(tag).append(i).append("@example.com,sre-senior\n");
    }
    assertEquals(200, await(b.postRaw("/api/v1/candidates/import", "text/csv", csv.toString())).statusCode());
    JsonObject p0 = await(b.get("/api/v1/candidates?q=" + tag + "&sort=deadline")).bodyAsJsonObject();
    assertEquals(50, p0.getJsonArray("items").size());
    assertTrue(p0.getBoolean("hasMore"));
    JsonObject p1 = await(b.get("/api/v1/candidates?q=" + tag.toUpperCase() + "&sort=deadline&page=1")).bodyAsJsonObject();
    assertEquals(5, p1.getJsonArray("items").size());
    assertFalse(p1.getBoolean("hasMore"));
    assertEquals(55, await(b.get("/api/v1/candidates?q=" + tag + "&status=invited&track=sre-senior&page=0")).bodyAsJsonObject()
        .getJsonArray("items").size() + 5);
    assertEquals(0, await(b.get("/api/v1/candidates?q=" + tag + "&status=submitted")).bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(0, await(b.get("/api/v1/candidates?q=" + tag + "&track=nope")).bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(0, await(b.get("/api/v1/candidates?q=%25")).bodyAsJsonObject().getJsonArray("items").size(), "% is literal");
    assertError(await(b.get("/api/v1/candidates?status=lost")), 400, "invalid_status");
    assertError(await(b.get("/api/v1/candidates?sort=name")), 400, "invalid_sort");
    HttpResponse<Buffer> page = await(b.get("/candidates?q=" + tag));
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("Pager " + tag));
    assertTrue(page.bodyAsString().contains("Email is off"));
    assertTrue(page.bodyAsString().contains("Next 50"));
  }

  @Test
  @DisplayName("a candidate followed from invited to decided: status and timeline on the candidate's page")
  void followToDecision() {
    Browser recruiter = signIn(account("recruiter"));
    JsonObject c = invite(recruiter, "Fay Followed", unique("follow") + "@example.com");
    long id = c.getLong("id");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + token(c)));
    assertEquals("opened", await(recruiter.get("/api/v1/candidates/" + id)).bodyAsJsonObject().getString("status"));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Follow me."))));
    JsonObject progress = await(recruiter.get("/api/v1/candidates/" + id)).bodyAsJsonObject();
    assertEquals("in_progress", progress.getString("status"));
    assertEquals(1, progress.getInteger("sectionsWritten"));
    assertTrue(progress.getInteger("sectionsTotal") > 5);
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Browser admin = signIn(account("admin"));
    JsonObject scores = new JsonObject();
    app.app.catalog.track("sre-senior").orElseThrow().versions().get(0).exercise().rubric()
        .forEach(cr -> scores.put(cr.id(), new JsonObject().put("level", 3).put("note", "n")));
    assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
        new JsonObject().put("scores", scores).put("recommendation", "yes"))).statusCode());
    assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/decision",
        new JsonObject().put("decision", "advance").put("rationale", "Good.").put("confirmIncomplete", true))).statusCode());
    JsonObject done = await(recruiter.get("/api/v1/candidates/" + id)).bodyAsJsonObject();
    assertEquals("submitted", done.getString("status"));
    assertEquals("advance", done.getString("decision"));
    List<String> kinds = done.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("kind")).toList();
    assertEquals(List.of("invited", "opened", "started", "submitted", "reviewed", "decided"), kinds, done.encodePrettily());
    assertFalse(done.encode().contains("\"level\""), "no scores");
    String page = await(recruiter.get("/candidates/" + id)).bodyAsString();
    assertTrue(page.contains("Fay Followed") && page.contains("advance"));
    JsonObject listed = await(recruiter.get("/api/v1/candidates?q=fay%20followed")).bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertEquals("advance", listed.getString("decision"));
  }

  @Test
  @DisplayName("the page forms invite, confirm a duplicate, import and act, each with its CSRF token")
  void pageForms() {
    Browser b = signIn(account("recruiter"));
    String csrf = b.cookie("XSRF-TOKEN");
    String email = unique("form") + "@example.com";
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf).add("name", "Form Person").add("email", email)
        .add("track", "sre-senior").add("deadlineDays", "").add("timeMultiplier", "");
    HttpResponse<Buffer> created = await(b.submitForm("/candidates", form));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertTrue(created.bodyAsString().contains("/i/"), "the link to copy, as email is off");
    HttpResponse<Buffer> dup = await(b.submitForm("/candidates", form));
    assertEquals(200, dup.statusCode());
    assertTrue(dup.bodyAsString().contains("confirmDuplicate"));
    assertTrue(await(b.submitForm("/candidates", MultiMap.caseInsensitiveMultiMap().addAll(form).add("confirmDuplicate", "yes")))
        .bodyAsString().contains("Invited Form Person"));
    HttpResponse<Buffer> bad = await(b.submitForm("/candidates/import", MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf)
        .add("csv", "name,email,track\nA,bad,sre-senior\n")));
    assertEquals(200, bad.statusCode());
    assertTrue(bad.bodyAsString().contains("<td data-label=\"Line\">2</td>"), bad.bodyAsString());
    long id = app.one("select max(id) as id from invitations where candidate_email = $1", email).orElseThrow().getLong("id");
    HttpResponse<Buffer> ext = await(b.submitForm("/candidates/" + id + "/extend", MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf).add("days", "2")));
    assertEquals(200, ext.statusCode(), ext.bodyAsString());
    assertTrue(ext.bodyAsString().contains("The deadline is now"));
    assertEquals(403, await(b.postForm("/candidates/" + id + "/revoke", MultiMap.caseInsensitiveMultiMap())).statusCode(), "no token, no revoke");
    assertTrue(await(b.submitForm("/candidates/" + id + "/revoke", MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf)))
        .bodyAsString().contains("The invitation is revoked"));
    HttpResponse<Buffer> again = await(b.submitForm("/candidates/" + id + "/revoke", MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf)));
    assertTrue(again.bodyAsString().contains("notice error"), "a second revoke is refused: " + again.bodyAsString());
  }
}
