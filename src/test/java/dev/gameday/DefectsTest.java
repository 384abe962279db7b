package dev.gameday;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.Model.Criterion;
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
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The defects a new user hit (issue 9), each as the HTTP behaviour that shows it fixed. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class DefectsTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String EX = "incident-postmortem";
  static final String OTHER = "scaling-plan";
  static final Pattern RAW_ISO = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+");
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

  // ---- helpers

  static String account(String role) {
    return app.account(role);
  }

  static Browser signIn(String email) {
    return app.signIn(vertx, email);
  }

  static MultiMap form(Browser b) {
    return MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"));
  }

  static Browser candidate(String name) {
    Created c = app.invite(name, "c" + counter.incrementAndGet() + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    return cand;
  }

  /** A candidate who answers one exercise and submits; returns the submission id. */
  static String submitted(String name) {
    Browser cand = candidate(name);
    // text in every exercise: a blank one wants a single review (defect 19), which would change what is complete
    for (var v : app.app.catalog.track("sre-senior").orElseThrow().versions()) {
      var ex = v.exercise();
      await(cand.put("/api/v1/candidate/answers/" + ex.id(), new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put(ex.sections().get(0).id(), "The pool was exhausted."))));
    }
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static List<Criterion> rubric(String exerciseId) {
    return app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(exerciseId)).findFirst().orElseThrow().exercise().rubric();
  }

  static List<String> trackOrder() {
    return app.app.catalog.track("sre-senior").orElseThrow().versions().stream().map(v -> v.exercise().id()).toList();
  }

  static void review(Browser b, String sid, String exerciseId, int level) {
    JsonObject s = new JsonObject();
    rubric(exerciseId).forEach(c -> s.put(c.id(), new JsonObject().put("level", level).put("note", "n")));
    HttpResponse<Buffer> r = await(b.post("/api/v1/review/submissions/" + sid + "/exercises/" + exerciseId + "/review/submit",
        new JsonObject().put("scores", s).put("recommendation", "yes")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  static HttpResponse<Buffer> decideJson(Browser admin, String sid, boolean confirm) {
    JsonObject body = new JsonObject().put("decision", "hold").put("rationale", "Enough to decide.");
    if (confirm) {
      body.put("confirmIncomplete", true);
    }
    return await(admin.post("/api/v1/review/submissions/" + sid + "/decision", body));
  }

  /** The table rows of the page's first data table body, as HTML. */
  static List<String> rows(String html) {
    Matcher tbody = Pattern.compile("<tbody>(.*?)</tbody>", Pattern.DOTALL).matcher(html);
    assertTrue(tbody.find(), "the page has a table");
    List<String> out = new ArrayList<>();
    Matcher tr = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(tbody.group(1));
    while (tr.find()) {
      out.add(tr.group(1));
    }
    return out;
  }

  static long audits(String action, String subject) {
    return app.one("select count(*) as n from audit_log where action = $1 and subject = $2", action, subject)
        .orElseThrow().getLong("n");
  }

  // ---- 1, 2: the decision page

  @Test
  @DisplayName("1: the decision page shows 'not scored' for unreviewed exercises and the overall over complete ones only")
  void decisionPageScores() {
    String sid = submitted("Score Candidate");
    review(signIn(account("reviewer")), sid, EX, 3);
    review(signIn(account("reviewer")), sid, EX, 4);
    review(signIn(account("reviewer")), sid, OTHER, 1); // 1 of 2 reviews: shown, but not in the overall
    String page = await(signIn(account("admin")).get("/review/" + sid)).bodyAsString();
    List<String> rows = rows(page);
    assertEquals(5, rows.size());
    for (String row : rows) {
      if (row.contains("/" + EX + "\"")) {
        assertTrue(row.contains("3.50"), row);
      } else if (row.contains("/" + OTHER + "\"")) {
        assertTrue(row.contains("1.00") && row.contains("1 of 2 reviews"), row);
        assertFalse(row.contains("3.50"), row);
      } else {
        assertTrue(row.contains("not scored"), row);
        assertFalse(Pattern.compile("\\d\\.\\d\\d").matcher(row).find(), "the page-level overall leaks into an unreviewed exercise: " + row);
      }
    }
    assertTrue(page.contains("over 1 of 5 exercises"), "the overall says what it covers");
    assertTrue(page.contains("<strong>3.50</strong>"), "the overall counts the complete exercise only");
  }

  @Test
  @DisplayName("2: deciding with unreviewed exercises needs an explicit confirmation (JSON 409 incomplete_reviews; the form warns)")
  void decideIncomplete() {
    String sid = submitted("Incomplete Candidate");
    review(signIn(account("reviewer")), sid, EX, 3);
    review(signIn(account("reviewer")), sid, EX, 3);
    Browser admin = signIn(account("admin"));
    String page = await(admin.get("/review/" + sid)).bodyAsString();
    assertTrue(page.contains("Only 1 of 5 exercises"), "the page warns before deciding");
    assertTrue(page.contains("name=\"confirmIncomplete\""), "the form asks for a confirmation");

    HttpResponse<Buffer> refused = decideJson(admin, sid, false);
    assertEquals(409, refused.statusCode(), refused.bodyAsString());
    assertEquals("incomplete_reviews", refused.bodyAsJsonObject().getString("error"));
    assertNotNull(refused.bodyAsJsonObject().getString("message"));
    assertEquals(1, refused.bodyAsJsonObject().getInteger("reviewed"));
    assertEquals(5, refused.bodyAsJsonObject().getInteger("exercises"));

    HttpResponse<Buffer> formRefused = await(admin.submitForm("/review/" + sid + "/decision", form(admin)
        .add("decision", "hold").add("rationale", "Enough.")));
    assertEquals(200, formRefused.statusCode());
    assertTrue(formRefused.bodyAsString().contains("Decide with 1 of 5 exercises reviewed"), "the form names what is confirmed");
    assertEquals(0L, app.one("select count(*) as n from decisions where submission_id = $1::uuid", sid).orElseThrow().getLong("n"));

    HttpResponse<Buffer> confirmed = await(admin.postForm("/review/" + sid + "/decision", form(admin)
        .add("decision", "hold").add("rationale", "Enough.").add("confirmIncomplete", "1")));
    assertEquals(303, confirmed.statusCode(), confirmed.bodyAsString());
    assertEquals(1L, app.one("select count(*) as n from decisions where submission_id = $1::uuid", sid).orElseThrow().getLong("n"));

    String other = submitted("Confirmed Candidate");
    assertEquals(200, decideJson(admin, other, true).statusCode(), "JSON with confirmIncomplete: true decides");
  }

  @Test
  @DisplayName("2: a submission whose exercises all have their reviews is decided without a confirmation")
  void decideComplete() {
    String sid = submitted("Complete Candidate");
    Browser a = signIn(account("reviewer"));
    Browser b = signIn(account("reviewer"));
    for (String ex : trackOrder()) {
      review(a, sid, ex, 3);
      review(b, sid, ex, 3);
    }
    Browser admin = signIn(account("admin"));
    assertFalse(await(admin.get("/review/" + sid)).bodyAsString().contains("name=\"confirmIncomplete\""));
    assertEquals(200, decideJson(admin, sid, false).statusCode());
  }

  // ---- 4: export button

  @Test
  @DisplayName("4: the queue and the decision page link to the CSV export, which downloads as a file")
  void exportButton() {
    String sid = submitted("Export Candidate");
    Browser reviewer = signIn(account("reviewer"));
    String queue = await(reviewer.get("/review")).bodyAsString();
    assertTrue(queue.contains("href=\"/api/v1/admin/export.csv\""), "the queue has an export button");
    assertTrue(queue.contains("decided submissions"), "a reviewer is told the export holds decided submissions only");
    Browser admin = signIn(account("admin"));
    assertTrue(await(admin.get("/review/" + sid)).bodyAsString().contains("href=\"/api/v1/admin/export.csv\""));
    HttpResponse<Buffer> csv = await(admin.get("/api/v1/admin/export.csv"));
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    assertTrue(csv.getHeader("Content-Disposition").startsWith("attachment"));
  }

  // ---- 6, 16: candidate overview

  @Test
  @DisplayName("6: after submitting, the overview says 'Submitted' with the time, not 'in progress' or 'when you are done'")
  void overviewAfterSubmit() {
    Browser cand = candidate("Overview Candidate");
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Some text."))));
    assertTrue(await(cand.get("/candidate")).bodyAsString().contains("In progress"), "before: in progress");
    await(cand.post("/api/v1/candidate/submit", null));
    String page = await(cand.get("/candidate")).bodyAsString();
    assertFalse(page.contains("In progress"), "no exercise is 'in progress' after submitting");
    assertFalse(page.contains("When you are done"), "no invitation to submit after submitting");
    assertTrue(page.contains("Submitted <time datetime=\""), "each exercise says when it was submitted");
    assertTrue(page.contains("You submitted your answers on <time datetime=\""), "the notice says when");
  }

  @Test
  @DisplayName("16: a candidate can sign out from candidate pages; the session then ends on the server")
  void candidateSignOut() {
    Browser cand = candidate("Signout Candidate");
    for (String p : List.of("/candidate", "/candidate/exercises/" + EX, "/candidate/review")) {
      String page = await(cand.get(p)).bodyAsString();
      assertTrue(page.contains("<form method=\"post\" action=\"/logout\""), p + " has a sign-out form");
    }
    String page = await(cand.get("/candidate")).bodyAsString();
    Matcher m = Pattern.compile("action=\"/logout\".*?name=\"_csrf\" value=\"([^\"]+)\"", Pattern.DOTALL).matcher(page);
    assertTrue(m.find(), "the sign-out form carries the CSRF token");
    HttpResponse<Buffer> out = await(cand.postForm("/logout", MultiMap.caseInsensitiveMultiMap().add("_csrf", m.group(1))));
    assertEquals(303, out.statusCode());
    assertEquals(401, await(cand.get("/api/v1/candidate")).statusCode(), "signed out");
  }

  // ---- 7: setup wording

  @Test
  @DisplayName("7: the first-admin setup page still says 'admin account' after a validation error")
  void setupWording() {
    String token = await(app.app.accounts.newFirstAdminToken());
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/setup/" + token)).statusCode());
    assertTrue(await(b.get("/setup")).bodyAsString().contains("Create your admin account"));
    HttpResponse<Buffer> differ = await(b.postForm("/setup", form(b).add("name", "A").add("email", "first@example.com")
        .add("password", PASSWORD).add("password2", PASSWORD + "x")));
    assertEquals(400, differ.statusCode());
    assertTrue(differ.bodyAsString().contains("Create your admin account"), "after two different passwords");
    assertFalse(differ.bodyAsString().contains("reviewer account"));
    HttpResponse<Buffer> badEmail = await(b.postForm("/setup", form(b).add("name", "A").add("email", "not-an-email")
        .add("password", PASSWORD).add("password2", PASSWORD)));
    assertEquals(400, badEmail.statusCode());
    assertTrue(badEmail.bodyAsString().contains("Create your admin account"), "after an invalid email");
    assertFalse(badEmail.bodyAsString().contains("reviewer account"));
  }

  // ---- 11: timestamps

  @Test
  @DisplayName("11: admin pages show times as 'yyyy-MM-dd HH:mm UTC' in <time datetime>, and audit details as key: value")
  void timestamps() {
    String sid = submitted("Time Candidate");
    Browser admin = signIn(account("admin"));
    decideJson(admin, sid, true);
    for (String p : List.of("/admin/audit", "/review/" + sid, "/review?status=all")) {
      String page = await(admin.get(p)).bodyAsString();
      assertFalse(RAW_ISO.matcher(page.replaceAll("datetime=\"[^\"]*\"", "")).find(), p + " shows a raw ISO timestamp");
      assertTrue(Pattern.compile("<time datetime=\"[^\"]+Z\" data-short>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</time>").matcher(page).find(),
          p + " shows formatted times");
    }
    String audit = await(admin.get("/admin/audit?action=decision.")).bodyAsString();
    assertFalse(audit.contains("{&quot;"), "no raw JSON in the audit detail");
    assertTrue(audit.contains("<dt>decision</dt><dd>hold</dd>"), "the detail is a key: value list");
  }

  // ---- 13: queue

  @Test
  @DisplayName("13: the queue lists a submission's exercises in track order, with the submitted date and time")
  void queueOrder() {
    String sid = submitted("Order Candidate");
    Browser reviewer = signIn(account("reviewer"));
    JsonArray items = await(reviewer.get("/api/v1/review/queue?status=all")).bodyAsJsonObject().getJsonArray("items");
    List<String> order = items.stream().map(o -> (JsonObject) o).filter(o -> o.getString("submissionId").equals(sid))
        .map(o -> o.getString("exerciseId")).toList();
    assertEquals(trackOrder(), order);
    String page = await(reviewer.get("/review?status=all")).bodyAsString();
    List<String> pageOrder = new ArrayList<>();
    for (String row : rows(page)) {
      Matcher m = Pattern.compile("/review/" + sid + "/([a-z-]+)\"").matcher(row);
      if (m.find()) {
        pageOrder.add(m.group(1));
        assertTrue(Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC").matcher(row).find(), "date and time: " + row);
      }
    }
    assertEquals(trackOrder(), pageOrder);
  }

  // ---- 14: identity reveal

  @Test
  @DisplayName("14: revealing identity asks for confirmation, writes one audit entry however often, and stays shown")
  void revealOnce() {
    String sid = submitted("Revealed Person");
    String name = app.one("select i.candidate_name from submissions s join invitations i on i.id = s.invitation_id where s.id = $1::uuid", sid)
        .orElseThrow().getString("candidate_name");
    Browser admin = signIn(account("admin"));
    decideJson(admin, sid, true);
    String subject = "submission:" + sid;
    HttpResponse<Buffer> ask = await(admin.submitForm("/review/" + sid + "/reveal", form(admin)));
    assertEquals(200, ask.statusCode());
    assertTrue(ask.bodyAsString().contains("name=\"confirm\""), "a confirmation step comes first");
    assertFalse(ask.bodyAsString().contains(name), "not revealed before confirming");
    assertEquals(0L, audits("identity.revealed", subject));
    HttpResponse<Buffer> done = await(admin.postForm("/review/" + sid + "/reveal", form(admin).add("confirm", "yes")));
    assertEquals(303, done.statusCode(), done.bodyAsString());
    assertEquals(1L, audits("identity.revealed", subject));
    await(admin.postForm("/review/" + sid + "/reveal", form(admin).add("confirm", "yes")));
    await(admin.post("/api/v1/review/submissions/" + sid + "/reveal", null));
    assertEquals(1L, audits("identity.revealed", subject), "repeat reveals write no further entry");
    String back = await(signIn(account("admin")).get("/review/" + sid)).bodyAsString();
    assertTrue(back.contains(name), "the revealed identity is shown when an admin comes back");
    assertFalse(back.contains("action=\"/review/" + sid + "/reveal\""), "no second reveal button");
  }

  // ---- 15: sign-in from a deep link

  @Test
  @DisplayName("15: an anonymous deep link offers sign-in and returns to the page; other sites are never a destination")
  void signInReturns() {
    String sid = submitted("Deep Link Candidate");
    String path = "/review/" + sid + "/" + EX;
    Browser anon = new Browser(vertx, app.port);
    HttpResponse<Buffer> page = await(anon.get(path));
    assertEquals(401, page.statusCode());
    String next = URLEncoder.encode(path, StandardCharsets.UTF_8);
    assertTrue(page.bodyAsString().contains("href=\"/login?next=" + next + "\""), page.bodyAsString());
    HttpResponse<Buffer> login = await(anon.get("/login?next=" + next));
    assertTrue(login.bodyAsString().contains("name=\"next\" value=\"" + path + "\""), "the form carries where to return");
    String email = account("reviewer");
    HttpResponse<Buffer> in = await(anon.postForm("/login", form(anon).add("email", email).add("password", PASSWORD).add("next", path)));
    assertEquals(303, in.statusCode());
    assertEquals(path, in.getHeader("Location"));
    assertEquals(200, await(anon.get(path)).statusCode());
    for (String evil : List.of("//evil.com", "https://evil.com", "/\\evil.com", "evil.com", "//evil.com/review")) {
      Browser b = new Browser(vertx, app.port);
      assertFalse(await(b.get("/login?next=" + URLEncoder.encode(evil, StandardCharsets.UTF_8))).bodyAsString().contains("evil.com"), evil);
      HttpResponse<Buffer> r = await(b.postForm("/login", form(b).add("email", email).add("password", PASSWORD).add("next", evil)));
      assertEquals(303, r.statusCode());
      assertEquals("/review", r.getHeader("Location"), "refused: " + evil);
    }
  }

  // ---- 18: reviewer notes link

  @Test
  @DisplayName("18: the scoring page links to the exercise's reviewer notes")
  void notesLink() {
    String sid = submitted("Notes Candidate");
    Browser reviewer = signIn(account("reviewer"));
    String page = await(reviewer.get("/review/" + sid + "/" + EX)).bodyAsString();
    assertTrue(page.contains("href=\"/rubrics/" + EX + "#notes-h\""), "a link to the reviewer notes");
    assertTrue(await(reviewer.get("/rubrics/" + EX)).bodyAsString().contains("id=\"notes-h\""), "the link's target exists");
  }
}
