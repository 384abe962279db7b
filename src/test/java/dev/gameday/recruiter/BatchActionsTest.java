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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batch actions on /candidates (issue 21): select several candidates, confirm on a page that lists them, and each is
 * acted on by the single action (its own audit entry), or skipped with the reason; 303 back to the list with the
 * result per candidate, shown once. At most 200 a batch. The same as JSON at /api/v1/candidates/actions.
 */
@ExtendWith(PostgresExtension.class)
class BatchActionsTest {
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

  static JsonObject invite(Browser b, String name) {
    HttpResponse<Buffer> r = await(b.post("/api/v1/candidates", new JsonObject().put("name", name)
        .put("email", "batch" + counter.incrementAndGet() + "@example.com").put("track", "sre-senior").put("deadlineDays", 7)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static MultiMap form(Browser b, String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"));
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static long audits(String action, long id) {
    return app.one("select count(*) as n from audit_log where action = $1 and subject = $2", action, "invitation:" + id)
        .orElseThrow().getLong("n");
  }

  static String state() {
    return app.one("select md5(string_agg(i::text, '|' order by id)) || (select count(*) from audit_log) as h from invitations i")
        .orElseThrow().getString("h");
  }

  @Test
  @DisplayName("the list has a checkbox per row named after the candidate, a select-all, and the three actions")
  void listHasSelection() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    JsonObject c = invite(recruiter, "Checkbox Person");
    String page = await(recruiter.get("/candidates")).bodyAsString();
    assertTrue(page.contains("<form method=\"get\" action=\"/candidates/batch\" id=\"batch\""), page);
    assertTrue(page.contains("value=\"" + c.getLong("id") + "\" class=\"select-one\" aria-label=\"Select Checkbox Person\""), page);
    assertTrue(page.contains("id=\"select-page\" name=\"all\" value=\"page\"> Select all on this page"), page);
    for (String a : List.of("extend", "resend", "revoke")) {
      assertTrue(page.contains("name=\"action\" value=\"" + a + "\""), a);
    }
  }

  @Test
  @DisplayName("revoke three, one already revoked: the GET confirmation lists them and changes nothing; the POST revokes two, "
      + "skips one with the reason, audits each, and answers 303 to the list with the result shown once")
  void revokeWithConfirmation() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    long a = invite(recruiter, "Batch Alpha").getLong("id");
    long b = invite(recruiter, "Batch Beta").getLong("id");
    long c = invite(recruiter, "Batch Gamma").getLong("id");
    assertEquals(200, await(recruiter.post("/api/v1/candidates/" + c + "/revoke", null)).statusCode());
    String before = state();
    HttpResponse<Buffer> confirm = await(recruiter.get("/candidates/batch?action=revoke&id=" + a + "&id=" + b + "&id=" + c
        + "&back=%2Fcandidates%3Fstatus%3Dinvited"));
    assertEquals(200, confirm.statusCode(), confirm.bodyAsString());
    String html = confirm.bodyAsString();
    assertTrue(html.contains("Revoke the invitations of 3 candidates?"), html);
    assertTrue(html.contains("Batch Alpha") && html.contains("Batch Beta") && html.contains("Batch Gamma"), html);
    assertTrue(html.contains("already revoked"), html);
    assertTrue(html.contains("Yes, revoke 3 candidates"), html);
    assertTrue(html.contains("<form method=\"post\" action=\"/candidates/batch\""), html);
    assertEquals(before, state(), "the confirmation changes nothing");

    HttpResponse<Buffer> posted = await(recruiter.postForm("/candidates/batch", form(recruiter, "action", "revoke",
        "id", String.valueOf(a), "id", String.valueOf(b), "id", String.valueOf(c), "back", "/candidates?status=invited")));
    assertEquals(303, posted.statusCode(), posted.bodyAsString());
    assertEquals("/candidates?status=invited#batch-result", posted.getHeader("Location"));
    assertEquals(1, audits("candidate.revoked", a));
    assertEquals(1, audits("candidate.revoked", b));
    assertEquals(1, audits("candidate.revoked", c), "the earlier single revoke only");
    String after = state();
    String shown = await(recruiter.get("/candidates?status=invited")).bodyAsString();
    assertTrue(shown.contains("Revoked the invitations of 2 candidates; skipped 1, as listed."), shown);
    assertTrue(shown.contains("This invitation is revoked; it cannot be revoked."), shown);
    assertTrue(shown.contains(">Skipped<") && shown.contains(">Done<"), shown);
    String refresh = await(recruiter.get("/candidates?status=invited")).bodyAsString();
    assertFalse(refresh.contains("Revoked the invitations of"), "the result is shown once");
    assertEquals(after, state(), "a refresh repeats nothing");
  }

  @Test
  @DisplayName("extend by N days: each open candidate's deadline moves, a submitted one is skipped; select all on this page "
      + "without the script takes the page's rows")
  void extendAllOnPage() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    JsonObject one = invite(recruiter, "Extend One");
    JsonObject two = invite(recruiter, "Extend Two");
    JsonObject done = invite(recruiter, "Extend Submitted");
    String link = done.getString("link");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + link.substring(link.lastIndexOf('/') + 1)));
    await(cand.put("/api/v1/candidate/answers/incident-postmortem", new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    assertEquals(200, await(cand.post("/api/v1/candidate/submit", null)).statusCode());
    String deadline = app.one("select deadline::text as d from invitations where id = $1", one.getLong("id")).orElseThrow().getString("d");
    HttpResponse<Buffer> confirm = await(recruiter.get("/candidates/batch?action=extend&days=3&all=page&pageId=" + one.getLong("id")
        + "&pageId=" + two.getLong("id") + "&pageId=" + done.getLong("id")));
    assertEquals(200, confirm.statusCode(), confirm.bodyAsString());
    assertTrue(confirm.bodyAsString().contains("Extend the deadline of 3 candidates by 3 days?"), confirm.bodyAsString());
    assertTrue(confirm.bodyAsString().contains("already submitted"), confirm.bodyAsString());
    HttpResponse<Buffer> posted = await(recruiter.postForm("/candidates/batch", form(recruiter, "action", "extend", "days", "3",
        "id", String.valueOf(one.getLong("id")), "id", String.valueOf(two.getLong("id")), "id", String.valueOf(done.getLong("id")))));
    assertEquals(303, posted.statusCode());
    assertEquals("/candidates#batch-result", posted.getHeader("Location"));
    assertTrue(app.one("select deadline > $2::text::timestamptz + interval '2 days' as later from invitations where id = $1",
        one.getLong("id"), deadline).orElseThrow().getBoolean("later"));
    assertEquals(1, audits("candidate.extended", one.getLong("id")));
    assertEquals(1, audits("candidate.extended", two.getLong("id")));
    assertEquals(0, audits("candidate.extended", done.getLong("id")));
    String shown = await(recruiter.get("/candidates")).bodyAsString();
    assertTrue(shown.contains("Extended the deadline of 2 candidates by 3 days; skipped 1, as listed."), shown);
    assertTrue(shown.contains("This invitation is submitted; it cannot be extended."), shown);
  }

  @Test
  @DisplayName("new links for several while email is off: each link is shown once beside a copy button, never in the address")
  void resendShowsEachLinkOnce() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    long a = invite(recruiter, "Resend Alpha").getLong("id");
    long b = invite(recruiter, "Resend Beta").getLong("id");
    HttpResponse<Buffer> posted = await(recruiter.postForm("/candidates/batch", form(recruiter, "action", "resend",
        "id", String.valueOf(a), "id", String.valueOf(b))));
    assertEquals(303, posted.statusCode());
    assertFalse(posted.getHeader("Location").contains("/i/"));
    String shown = await(recruiter.get("/candidates")).bodyAsString();
    assertTrue(shown.contains("Made new links for 2 candidates. Email is off: copy each new link now"), shown);
    assertEquals(2, shown.split("aria-label=\"Copy the link of Resend ").length - 1, shown);
    assertTrue(shown.contains("<code class=\"hash link-text\">http"), "the link is text to select: " + shown);
    assertEquals(1, audits("candidate.resent", a));
    assertFalse(await(recruiter.get("/candidates")).bodyAsString().contains("Copy the link of Resend"), "shown once");
  }

  @Test
  @DisplayName("no selection, an unknown action, bad days or more than 200 candidates: a clear error and nothing done")
  void refusals() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    long a = invite(recruiter, "Refused One").getLong("id");
    String before = state();
    HttpResponse<Buffer> none = await(recruiter.get("/candidates/batch?action=revoke"));
    assertEquals(400, none.statusCode());
    assertTrue(none.bodyAsString().contains("Select at least one candidate first."), none.bodyAsString());
    assertTrue(await(recruiter.get("/candidates/batch?action=explode&id=" + a)).bodyAsString().contains("Choose what to do"));
    assertTrue(await(recruiter.get("/candidates/batch?action=extend&days=0&id=" + a)).bodyAsString().contains("Extend by 1 to 365 days."));
    StringBuilder many = new StringBuilder("/candidates/batch?action=revoke");
    MultiMap f = form(recruiter, "action", "revoke");
    for (int i = 1; i <= 201; i++) {
      many.append("&id=").append(i);
      f.add("id", String.valueOf(i));
    }
    HttpResponse<Buffer> tooMany = await(recruiter.get(many.toString()));
    assertEquals(400, tooMany.statusCode());
    assertTrue(tooMany.bodyAsString().contains("Act on at most 200 candidates at once; 201 are selected."), tooMany.bodyAsString());
    HttpResponse<Buffer> posted = await(recruiter.postForm("/candidates/batch", f));
    assertEquals(303, posted.statusCode());
    assertTrue(await(recruiter.get("/candidates")).bodyAsString().contains("Act on at most 200 candidates at once"));
    // a back address elsewhere is ignored
    HttpResponse<Buffer> away = await(recruiter.postForm("/candidates/batch", form(recruiter, "action", "revoke", "back", "https://evil.example/")));
    assertEquals("/candidates", away.getHeader("Location"));
    assertEquals(before, state(), "nothing was done");
    // reviewers never reach it
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    before = state();
    assertEquals(403, await(reviewer.get("/candidates/batch?action=revoke&id=" + a)).statusCode());
    assertEquals(403, await(reviewer.postForm("/candidates/batch", form(reviewer, "action", "revoke", "id", String.valueOf(a)))).statusCode());
    assertEquals(before, state());
  }

  @Test
  @DisplayName("JSON: POST /api/v1/candidates/actions answers a result per candidate, done or skipped with the error; 400 beyond 200")
  void json() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    long a = invite(recruiter, "Json Alpha").getLong("id");
    long b = invite(recruiter, "Json Beta").getLong("id");
    assertEquals(200, await(recruiter.post("/api/v1/candidates/" + b + "/revoke", null)).statusCode());
    HttpResponse<Buffer> r = await(recruiter.post("/api/v1/candidates/actions", new JsonObject().put("action", "extend").put("days", 2)
        .put("ids", new JsonArray().add(a).add(b).add(999_999_999L))));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertEquals(1, j.getInteger("done"));
    assertEquals(2, j.getInteger("skipped"));
    JsonArray results = j.getJsonArray("results");
    assertEquals("done", results.getJsonObject(0).getString("outcome"));
    assertEquals("Json Alpha", results.getJsonObject(0).getJsonObject("candidate").getString("name"));
    assertEquals("not_open", results.getJsonObject(1).getString("error"));
    assertEquals("unknown_candidate", results.getJsonObject(2).getString("error"));
    JsonArray ids = new JsonArray();
    List<Long> list = new ArrayList<>();
    for (long i = 1; i <= 201; i++) {
      ids.add(i);
      list.add(i);
    }
    HttpResponse<Buffer> big = await(recruiter.post("/api/v1/candidates/actions", new JsonObject().put("action", "revoke").put("ids", ids)));
    assertEquals(400, big.statusCode(), big.bodyAsString());
    assertEquals("too_many", big.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> bad = await(recruiter.post("/api/v1/candidates/actions", new JsonObject().put("action", "erase").put("ids", new JsonArray().add(a))));
    assertEquals(400, bad.statusCode());
    assertEquals("invalid_action", bad.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> resend = await(recruiter.post("/api/v1/candidates/actions", new JsonObject().put("action", "resend").put("ids", new JsonArray().add(a))));
    assertTrue(resend.bodyAsJsonObject().getJsonArray("results").getJsonObject(0).getString("link").contains("/i/"), resend.bodyAsString());
  }

  @Test
  @DisplayName("after inviting and after a new link (email off), the link is selectable text beside a Copy button named after the candidate")
  void copyButtonsAfterInviteAndResend() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    HttpResponse<Buffer> posted = await(recruiter.postForm("/candidates", form(recruiter, "name", "Copy Invitee",
        "email", "copyinvitee@example.com", "track", "sre-senior")));
    assertEquals(303, posted.statusCode());
    String page = await(recruiter.get(posted.getHeader("Location"))).bodyAsString();
    assertTrue(page.contains("<code class=\"hash link-text\">http"), page);
    assertTrue(page.contains("data-copied=\"Copied the link of Copy Invitee\" aria-label=\"Copy the link of Copy Invitee\" hidden>Copy</button>"), page);
    String id = posted.getHeader("Location").substring("/candidates/".length());
    HttpResponse<Buffer> resent = await(recruiter.postForm("/candidates/" + id + "/resend", form(recruiter)));
    String again = await(recruiter.get(resent.getHeader("Location"))).bodyAsString();
    assertTrue(again.contains("aria-label=\"Copy the link of Copy Invitee\""), again);
  }
}
