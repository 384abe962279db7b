package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Post/Redirect/Get (issue 21, defect 1): every HTML form answers 303 to a GET page; that page shows the result once
 * (a flash message kept in the session), and refreshing it (the GET a browser repeats) changes nothing. A secret
 * shown once (a new link, an API token, a signing secret) is on the first GET only and never in the address.
 */
@ExtendWith(PostgresExtension.class)
class PostRedirectGetTest {
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

  /** Everything a form can change, as one text: tables' contents hashed. */
  static String world() {
    StringBuilder s = new StringBuilder();
    for (String t : List.of("audit_log", "invitations", "api_tokens", "setup_tokens", "webhook_endpoints", "reviews",
        "decisions", "feedback_releases", "calibration_reviews", "email_outbox", "accounts", "review_assignments")) {
      s.append(t).append('=').append(app.one("select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "
          + t + " t").orElseThrow().getString("h")).append(' ');
    }
    return s.toString();
  }

  static MultiMap form(Browser b, String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"));
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static String unique(String p) {
    return p + counter.incrementAndGet();
  }

  static JsonObject invite(Browser b) {
    HttpResponse<Buffer> r = await(b.post("/api/v1/candidates", new JsonObject().put("name", unique("Cand "))
        .put("email", unique("cand") + "@example.com").put("track", "sre-senior").put("deadlineDays", 7)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** A candidate who wrote one exercise and submitted; the submission id. */
  static String submitted(Browser recruiter) {
    JsonObject c = invite(recruiter);
    String link = c.getString("link");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + link.substring(link.lastIndexOf('/') + 1)));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static MultiMap reviewForm(Browser b, String action) {
    MultiMap f = form(b, "action", action, "recommendation", "yes");
    JsonObject rubric = await(b.get("/api/v1/rubrics/" + EX)).bodyAsJsonObject();
    rubric.getJsonArray("criteria").forEach(o -> f.add("level." + ((JsonObject) o).getString("id"), "3"));
    return f;
  }

  /** One form: who posts it, where, what (built when the case runs), and what the page after it says once. */
  record Case(String name, Browser who, Supplier<String> path, Supplier<MultiMap> form, String once, boolean changes) {
  }

  @TestFactory
  List<DynamicTest> everyFormAnswers303AndARefreshChangesNothing() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    long cand = invite(recruiter).getLong("id");
    long other = invite(recruiter).getLong("id");
    String sid = submitted(recruiter);
    String decided = submitted(recruiter);
    String sample = dev.gameday.review.CalibrationRoutes.sampleId(app.app.catalog.currentVersions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise(), "strong");
    String csv = "name,email,track\nImported One," + unique("imp") + "@example.com,sre-senior\nImported Two,"
        + unique("imp") + "@example.com,sre-senior\n";
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("invite", recruiter, () -> "/candidates", () -> form(recruiter, "name", "Form Invitee",
        "email", unique("form") + "@example.com", "track", "sre-senior"), "Invited Form Invitee", true));
    cases.add(new Case("invite refused (no name)", recruiter, () -> "/candidates", () -> form(recruiter, "name", "",
        "email", unique("form") + "@example.com", "track", "sre-senior"), "name", false));
    cases.add(new Case("preview email", recruiter, () -> "/candidates/preview-email", () -> form(recruiter, "name", "Preview Person",
        "email", unique("prev") + "@example.com", "track", "sre-senior"), "Preview of the invitation email", false));
    cases.add(new Case("import", recruiter, () -> "/candidates/import", () -> form(recruiter, "csv", csv), "Imported 2 candidates", true));
    cases.add(new Case("import refused", recruiter, () -> "/candidates/import", () -> form(recruiter, "csv", "name,email,track\nX,bad,sre-senior\n"),
        "nothing was imported", false));
    cases.add(new Case("extend", recruiter, () -> "/candidates/" + cand + "/extend", () -> form(recruiter, "days", "2"), "The deadline is now", true));
    cases.add(new Case("batch extend", recruiter, () -> "/candidates/batch", () -> form(recruiter, "action", "extend", "days", "2",
        "id", String.valueOf(cand), "id", String.valueOf(other)), "Extended the deadline of 2 candidates by 2 days", true));
    cases.add(new Case("batch refused (none selected)", recruiter, () -> "/candidates/batch", () -> form(recruiter, "action", "revoke"),
        "Select at least one candidate first.", false));
    cases.add(new Case("accommodation", recruiter, () -> "/candidates/" + cand + "/accommodation",
        () -> form(recruiter, "timeMultiplier", "1.5"), "The time multiplier is now", true));
    cases.add(new Case("new link", recruiter, () -> "/candidates/" + cand + "/resend", () -> form(recruiter), "/i/", true));
    cases.add(new Case("remind (email off: refused)", recruiter, () -> "/candidates/" + cand + "/remind", () -> form(recruiter), "mail", false));
    cases.add(new Case("revoke", recruiter, () -> "/candidates/" + cand + "/revoke", () -> form(recruiter), "revoked", true));
    cases.add(new Case("erase", recruiter, () -> "/candidates/" + other + "/erase", () -> form(recruiter, "reason", "asked"), "erased", true));
    cases.add(new Case("review draft", reviewer, () -> "/review/" + sid + "/" + EX, () -> reviewForm(reviewer, "draft"), "Draft saved", true));
    cases.add(new Case("review submit", reviewer, () -> "/review/" + sid + "/" + EX, () -> reviewForm(reviewer, "submit"), "submitted", true));
    cases.add(new Case("record no answer", reviewer, () -> "/review/" + sid + "/scaling-plan", () -> form(reviewer, "action", "no_answer"),
        "No answer", true));
    cases.add(new Case("calibration", reviewer, () -> "/review/calibration/" + EX + "/" + sample, () -> reviewForm(reviewer, "submit"),
        "Your score is recorded", true));
    Supplier<String> reviewerId = () -> String.valueOf(app.one("select max(id) as id from accounts where role = 'reviewer'")
        .orElseThrow().getLong("id"));
    Supplier<String> dueIn2Days = () -> java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusDays(2)
        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
    cases.add(new Case("assign a review", admin, () -> "/review/assignments", () -> form(admin, "submission", sid, "exercise", EX,
        "reviewer", reviewerId.get(), "due", dueIn2Days.get(), "zone", "Europe/Berlin"), "1 review assigned.", true));
    cases.add(new Case("cancel an assignment", admin, () -> "/review/assignments/" + app.one("select max(id) as id from review_assignments")
        .orElseThrow().getLong("id") + "/cancel", () -> form(admin), "The assignment is cancelled.", true));
    cases.add(new Case("decision refused (incomplete)", admin, () -> "/review/" + decided + "/decision",
        () -> form(admin, "decision", "hold", "rationale", "Because."), "Confirm to decide", false));
    cases.add(new Case("decision", admin, () -> "/review/" + decided + "/decision",
        () -> form(admin, "decision", "hold", "rationale", "Because.", "confirmIncomplete", "yes"), "decision is recorded", true));
    Supplier<String> release = () -> "/candidates/" + app.one("select invitation_id from submissions where id = $1",
        java.util.UUID.fromString(decided)).orElseThrow().getLong("invitation_id") + "/release-feedback";
    Supplier<String> releaseEarly = () -> "/candidates/" + app.one("select invitation_id from submissions where id = $1",
        java.util.UUID.fromString(sid)).orElseThrow().getLong("invitation_id") + "/release-feedback";
    cases.add(new Case("feedback release refused (not decided)", recruiter, releaseEarly, () -> form(recruiter, "confirm", "yes"),
        "only after a decision", false));
    cases.add(new Case("feedback release refused (not confirmed)", recruiter, release, () -> form(recruiter), "Tick the box", false));
    cases.add(new Case("feedback release", recruiter, release, () -> form(recruiter, "confirm", "yes"), "Feedback is released", true));
    cases.add(new Case("feedback release again", recruiter, release, () -> form(recruiter, "confirm", "yes"), "already released", false));
    cases.add(new Case("reveal (ask)", admin, () -> "/review/" + decided + "/reveal", () -> form(admin), "Yes, reveal the identity", false));
    cases.add(new Case("reveal", admin, () -> "/review/" + decided + "/reveal", () -> form(admin, "confirm", "yes"), "identity is revealed", true));
    cases.add(new Case("account link", admin, () -> "/admin/accounts/invite", () -> form(admin, "role", "recruiter"), "/setup/", true));
    cases.add(new Case("token", admin, () -> "/admin/tokens", () -> form(admin, "name", unique("tok"), "scope", "invitations:read"), "gdt_", true));
    cases.add(new Case("token refused", admin, () -> "/admin/tokens", () -> form(admin, "name", ""), "name", false));
    cases.add(new Case("token revoke", admin, () -> "/admin/tokens/" + app.one("select max(id) as id from api_tokens").orElseThrow().getLong("id")
        + "/revoke", () -> form(admin), "is revoked", true));
    cases.add(new Case("webhook", admin, () -> "/admin/webhooks", () -> form(admin, "url", "https://prg.example.com/hook",
        "event", "decision.recorded"), "whsec_", true));
    cases.add(new Case("track email preview", admin, () -> "/admin/emails/sre-senior/reminder", () -> form(admin, "action", "preview",
        "subject", "Closes {{deadline}}", "body", "Hello {{name}}, {{track}} closes {{deadline}}."), "Hello Ada Lovelace", false));
    cases.add(new Case("track email refused", admin, () -> "/admin/emails/sre-senior/reminder", () -> form(admin, "action", "save",
        "subject", "Closes", "body", "Hello {{who}}"), "Unknown placeholder {{who}}", false));
    cases.add(new Case("track email save", admin, () -> "/admin/emails/sre-senior/reminder", () -> form(admin, "action", "save",
        "subject", "Closes {{deadline}}", "body", "Hello {{name}}, {{track}} closes {{deadline}}."), "Saved", true));
    cases.add(new Case("track email reset", admin, () -> "/admin/emails/sre-senior/reminder", () -> form(admin, "action", "reset"),
        "Back to the built-in email", true));
    cases.add(new Case("webhook test event", admin, () -> "/admin/webhooks/" + app.one("select max(id) as id from webhook_endpoints").orElseThrow()
        .getLong("id") + "/test", () -> form(admin), "A test event (ping) is queued", true));
    cases.add(new Case("webhook disable", admin, () -> "/admin/webhooks/" + app.one("select max(id) as id from webhook_endpoints").orElseThrow()
        .getLong("id") + "/disable", () -> form(admin), "is disabled", true));
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases) {
      tests.add(DynamicTest.dynamicTest(c.name(), () -> postThenRefresh(c)));
    }
    tests.add(DynamicTest.dynamicTest("setup (a new account)", this::setup));
    return tests;
  }

  static void postThenRefresh(Case c) {
    String before = world();
    String path = c.path().get();
    HttpResponse<Buffer> posted = await(c.who().postForm(path, c.form().get()));
    assertEquals(303, posted.statusCode(), c.name() + ": " + posted.bodyAsString());
    String location = posted.getHeader("Location");
    assertNotNull(location, c.name());
    assertFalse(location.contains("gdt_") || location.contains("whsec_") || location.contains("/i/") || location.contains("/setup/"),
        "no secret in the address: " + location);
    // a browser keeps the fragment (#import) to itself
    location = location.replaceFirst("#.*$", "");
    String after = world();
    if (c.changes()) {
      assertNotEquals(before, after, c.name() + " did something");
    } else {
      assertEquals(before, after, c.name() + " changed nothing");
    }
    HttpResponse<Buffer> first = await(c.who().get(location));
    assertEquals(200, first.statusCode(), c.name() + " " + location);
    assertTrue(first.bodyAsString().contains(c.once()), c.name() + ": the result shows after the redirect: " + first.bodyAsString());
    assertEquals(after, world(), c.name() + ": showing the page changed nothing");
    HttpResponse<Buffer> refresh = await(c.who().get(location));
    assertEquals(200, refresh.statusCode(), c.name());
    assertEquals(after, world(), c.name() + ": a refresh changed nothing");
    if (c.once().equals("gdt_") || c.once().equals("whsec_") || c.once().equals("/i/") || c.once().equals("/setup/")) {
      assertFalse(refresh.bodyAsString().contains(c.once()), c.name() + ": a secret is shown once");
    }
  }

  void setup() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    await(admin.postForm("/admin/accounts/invite", form(admin, "role", "reviewer")));
    Browser fresh = new Browser(vertx, app.port);
    // the link the admin was shown, taken from the page after the redirect
    String page = await(admin.get("/admin/accounts")).bodyAsString();
    Matcher m = Pattern.compile("/setup/([A-Za-z0-9_-]+)").matcher(page);
    assertTrue(m.find(), page);
    String token = m.group(1);
    await(fresh.get("/setup/" + token));
    await(fresh.get("/setup"));
    String before = world();
    HttpResponse<Buffer> r = await(fresh.postForm("/setup", form(fresh, "name", "New Person", "email", unique("new") + "@example.com",
        "password", TestApp.PASSWORD, "password2", TestApp.PASSWORD)));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    String after = world();
    assertNotEquals(before, after);
    HttpResponse<Buffer> done = await(fresh.get(r.getHeader("Location")));
    assertEquals(200, done.statusCode());
    assertTrue(done.bodyAsString().contains("New Person"), done.bodyAsString());
    await(fresh.get(r.getHeader("Location")));
    assertEquals(after, world());
  }
}
