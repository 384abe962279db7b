package dev.gameday.compliance;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Voluntary self-identification, the adverse impact report, and who may see what (issue 26). */
@ExtendWith(PostgresExtension.class)
class ComplianceTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static Browser admin;
  static Browser compliance;
  static final List<Candidate> candidates = new ArrayList<>();

  record Candidate(Created invitation, Browser browser, String sid, long id) {
  }

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    admin = app.signIn(vertx, app.account("admin"));
    compliance = app.signIn(vertx, app.account("compliance"));
    // 6 female White (5 advanced), 8 male Black (1 advanced), 1 female Asian (advanced), 1 prefer not (declined),
    // 1 who skipped the questions (declined)
    for (int i = 0; i < 6; i++) {
      answered(submitted("fw" + i), "female", "white", i < 5);
    }
    for (int i = 0; i < 8; i++) {
      answered(submitted("mb" + i), "male", "black", i < 1);
    }
    answered(submitted("fa"), "female", "asian", true);
    answered(submitted("pn"), "prefer_not", "prefer_not", false);
    decide(submitted("skip"), false);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static Candidate submitted(String tag) {
    Created c = app.invite("Person " + tag, tag + "@example.com");
    Browser b = new Browser(vertx, app.port);
    await(b.get("/i/" + c.token()));
    await(b.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool was exhausted."))));
    String sid = await(b.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    long id = app.one("select invitation_id from submissions where id = $1::uuid", sid).orElseThrow().getLong(0);
    Candidate cand = new Candidate(c, b, sid, id);
    candidates.add(cand);
    return cand;
  }

  static HttpResponse<Buffer> selfId(Browser b, String sex, String race) {
    return await(b.postForm("/candidate/privacy/self-id", MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf(b))
        .add("sex", sex).add("race", race).add("disability", "prefer_not").add("veteran", "prefer_not")));
  }

  static String csrf(Browser b) {
    String page = await(b.get("/candidate/privacy")).bodyAsString();
    int at = page.indexOf("name=\"_csrf\" value=\"");
    return page.substring(at + 20, page.indexOf('"', at + 20));
  }

  static void answered(Candidate c, String sex, String race, boolean advance) {
    HttpResponse<Buffer> r = selfId(c.browser(), sex, race);
    assertEquals(303, r.statusCode(), r.bodyAsString());
    decide(c, advance);
  }

  static void decide(Candidate c, boolean advance) {
    var r = await(admin.post("/api/v1/review/submissions/" + c.sid() + "/decision", new JsonObject()
        .put("decision", advance ? "advance" : "decline").put("rationale", "Reasons.").put("confirmIncomplete", true)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  static JsonObject category(JsonObject stage, String id) {
    for (Object o : stage.getJsonArray("categories")) {
      if (id.equals(((JsonObject) o).getString("category"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no category " + id);
  }

  static JsonObject row(JsonObject cat, String group) {
    for (Object o : cat.getJsonArray("rows")) {
      if (group.equals(((JsonObject) o).getString("group"))) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  @Test
  @DisplayName("self-identification is refused before submitting and stored after; a form POST answers 303")
  void onlyAfterSubmission() {
    Created c = app.invite("Early Bird", "early@example.com");
    Browser b = new Browser(vertx, app.port);
    await(b.get("/i/" + c.token()));
    HttpResponse<Buffer> early = selfId(b, "female", "white");
    assertEquals(409, early.statusCode(), early.bodyAsString());
    long id = app.one("select id from invitations where candidate_email = 'early@example.com'").orElseThrow().getLong(0);
    assertEquals(0, app.sql("select 1 from self_identification where invitation_id = $1", id).size());
    HttpResponse<Buffer> bad = selfId(candidates.get(0).browser(), "female", "martian");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsString().contains("Prefer not to say"), "the page again, with the error");
    assertEquals("white", app.one("select race from self_identification where invitation_id = $1",
        candidates.get(0).id()).orElseThrow().getString(0), "a bad answer changes nothing");
  }

  @Test
  @DisplayName("the report: rates, impact ratios and Fisher p per group, fewer than 5 suppressed, sex x race rows, unknowns counted")
  void report() {
    HttpResponse<Buffer> r = await(compliance.get("/api/v1/compliance/impact?track=sre-senior"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject rep = r.bodyAsJsonObject();
    JsonObject decision = rep.getJsonArray("stages").getJsonObject(0);
    assertEquals("decision", decision.getString("stage"));
    JsonObject sex = category(decision, "sex");
    JsonObject female = row(sex, "female");
    JsonObject male = row(sex, "male");
    assertEquals(7, female.getLong("assessed"));
    assertEquals(6, female.getLong("selected"));
    assertTrue(female.getBoolean("reference"));
    assertEquals(8, male.getLong("assessed"));
    assertEquals((1.0 / 8) / (6.0 / 7), male.getDouble("impactRatio"), 1e-12);
    // SciPy fisher_exact([[1, 7], [6, 1]]) = 0.0101010101010101
    assertEquals(0.0101010101010101, male.getDouble("p"), 1e-14);
    assertTrue(male.getBoolean("flagged"));
    JsonObject race = category(decision, "race");
    JsonObject asian = row(race, "asian");
    assertTrue(asian.getBoolean("suppressed"));
    assertEquals("fewer than 5", asian.getString("note"));
    assertNull(asian.getValue("assessed"), "no count for a group under 5");
    // SciPy fisher_exact([[1, 7], [5, 1]]) = 0.025641025641025633
    assertEquals(0.025641025641025633, row(race, "black").getDouble("p"), 1e-14);
    JsonObject inter = category(decision, "sex_race");
    assertEquals(6, row(inter, "female|white").getLong("assessed"));
    assertEquals(8, row(inter, "male|black").getLong("assessed"));
    assertTrue(row(inter, "female|asian").getBoolean("suppressed"));
    assertEquals("Male / Black or African American (not Hispanic or Latino)", row(inter, "male|black").getString("label"));
    JsonObject unknownSex = rep.getJsonObject("unknown").getJsonObject("sex");
    assertTrue(unknownSex.getLong("notAnswered") >= 1, "the one who skipped");
    assertEquals(1, unknownSex.getLong("preferNotToSay"));
    assertTrue(rep.getString("method").contains("Fisher's exact test"));
    // the date range: nothing submitted before 2000
    JsonObject old = await(compliance.get("/api/v1/compliance/impact?track=sre-senior&to=2000-01-01")).bodyAsJsonObject();
    assertEquals(0, old.getLong("submitted"));
    assertEquals(400, await(compliance.get("/api/v1/compliance/impact?from=yesterday")).statusCode());
    assertEquals(404, await(compliance.get("/api/v1/compliance/impact?track=nope")).statusCode());
    String csv = await(compliance.get("/api/v1/compliance/export.csv?track=sre-senior")).bodyAsString();
    assertTrue(csv.startsWith(ReportCsv.HEADER));
    assertTrue(csv.contains("impact,decision,race,Asian (not Hispanic or Latino),,,,,,,,,,,,,,fewer than 5"), csv);
    assertTrue(csv.contains("meta,,,method,"));
    String page = await(compliance.get("/compliance?category=sex_race")).bodyAsString();
    assertTrue(page.contains("data-impact-chart"), "the chart beside the table");
    assertTrue(page.contains("fewer than 5"));
  }

  @Test
  @DisplayName("the candidate downloads their data (answers, self-ID) and asks for erasure; the recruiter's erase removes the self-ID")
  void ownData() {
    Candidate c = submitted("own");
    assertEquals(303, selfId(c.browser(), "male", "hispanic_latino").statusCode());
    HttpResponse<Buffer> dl = await(c.browser().get("/candidate/privacy/data.json"));
    assertEquals(200, dl.statusCode());
    JsonObject doc = dl.bodyAsJsonObject();
    assertEquals("own@example.com", doc.getJsonObject("invitation").getString("email"));
    assertEquals("hispanic_latino", doc.getJsonObject("selfIdentification").getString("race"));
    assertFalse(doc.getJsonArray("answers").isEmpty());
    assertFalse(doc.getJsonArray("sectionHistory").isEmpty());
    assertNull(doc.getValue("decision"), "not released");
    HttpResponse<Buffer> ask = await(c.browser().postForm("/candidate/privacy/erasure",
        MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf(c.browser()))));
    assertEquals(303, ask.statusCode());
    assertEquals(2, app.sql("select 1 from audit_log where subject = $1 and action in ('candidate.data_downloaded', 'candidate.erasure_requested')",
        "invitation:" + c.id()).size());
    assertEquals(1, app.sql("select 1 from decision_log l join audit_log a on a.id = l.audit_id where a.subject = $1"
        + " and a.action = 'candidate.erasure_requested'", "invitation:" + c.id()).size(), "the request is chained");
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    String page = await(recruiter.get("/candidates/" + c.id())).bodyAsString();
    assertTrue(page.contains("asked for erasure"), "the recruiter sees the request");
    int leak = page.toLowerCase(java.util.Locale.ROOT).indexOf("hispanic");
    assertEquals(-1, leak, () -> "never the answers: " + page.substring(Math.max(0, leak - 300), Math.min(page.length(), leak + 100)));
    assertEquals(200, await(recruiter.post("/api/v1/candidates/" + c.id() + "/erase", new JsonObject().put("reason", "candidate asked")))
        .statusCode());
    assertEquals(0, app.sql("select 1 from self_identification where invitation_id = $1", c.id()).size());
    // nothing about them remains: every row of every table, as text, searched for their email
    List<String> holding = new ArrayList<>();
    for (var t : app.sql("select table_name from information_schema.tables where table_schema = current_schema()"
        + " and table_type = 'BASE TABLE'")) {
      String table = t.getString(0);
      long n = app.one("select count(*) from " + table + " x where x::text ilike '%own@example.com%'").orElseThrow().getLong(0);
      if (n > 0) {
        holding.add(table + " (" + n + ")");
      }
    }
    assertEquals(List.of(), holding, "tables still holding the erased candidate's email");
  }

  @Test
  @DisplayName("only the compliance role reads the report; reviewer, recruiter, admin, a candidate, an API token and nobody are refused")
  void whoMayRead() {
    String secret = await(app.app.apiTokens.create("test", "ats", List.of("invitations:read", "results:read", "invitations:write"), null))
        .getString("secret");
    List<String> paths = List.of("/compliance", "/api/v1/compliance/impact", "/api/v1/compliance/export.csv",
        "/api/v1/compliance/export.json");
    Map<String, Browser> others = Map.of("reviewer", app.signIn(vertx, app.account("reviewer")),
        "recruiter", app.signIn(vertx, app.account("recruiter")), "admin", admin, "candidate", candidates.get(0).browser());
    for (String p : paths) {
      assertEquals(200, await(compliance.get(p)).statusCode(), p);
      others.forEach((role, b) -> assertEquals("candidate".equals(role) ? 401 : 403, await(b.get(p)).statusCode(), role + " " + p));
      assertEquals(401, await(new Browser(vertx, app.port).get(p)).statusCode(), "nobody " + p);
      assertEquals(401, await(new Browser(vertx, app.port).get(p, Map.of("Authorization", "Bearer " + secret))).statusCode(), "token " + p);
    }
    // the compliance role sees nothing else: not the queue, not candidates
    assertEquals(403, await(compliance.get("/review")).statusCode());
    assertEquals(403, await(compliance.get("/api/v1/review/queue")).statusCode());
    assertEquals(403, await(compliance.get("/candidates")).statusCode());
    assertEquals(403, await(compliance.get("/api/v1/candidates")).statusCode());
    assertNotNull(compliance);
  }

  /** What would give a person's self-identification away: the answers' codes and distinctive labels. */
  static final List<String> SELF_ID_TEXT = List.of("hispanic_latino", "native_hawaiian", "american_indian", "two_or_more",
      "nonbinary", "protected_veteran", "Hispanic or Latino", "Pacific Islander", "Alaska Native", "Two or more races",
      "Non-binary", "protected veteran", "Prefer not to say");

  @Test
  @DisplayName("every GET route as every role: self-identification reaches only the compliance role's aggregates")
  void accessMatrix() {
    Candidate target = candidates.get(0);
    String secret = await(app.app.apiTokens.create("test", "matrix", List.of("invitations:read", "results:read", "invitations:write"), null))
        .getString("secret");
    List<String> paths = new ArrayList<>();
    for (io.vertx.ext.web.Route r : app.app.router().getRoutes()) {
      String p = r.getPath();
      if (p == null || r.methods() != null && !r.methods().isEmpty() && !r.methods().contains(io.vertx.core.http.HttpMethod.GET)) {
        continue;
      }
      p = p.replace(":sid", target.sid()).replace(":exerciseId", EX).replace(":ex", EX).replace(":id", String.valueOf(target.id()))
          .replace(":index", "0").replace(":token", "not-a-token");
      p = p.replaceAll(":[A-Za-z]+", "x");
      if (!paths.contains(p)) {
        paths.add(p);
      }
    }
    assertTrue(paths.contains("/api/v1/compliance/impact") && paths.contains("/review/" + target.sid()), paths.toString());
    Map<String, Browser> roles = new java.util.LinkedHashMap<>();
    roles.put("nobody", new Browser(vertx, app.port));
    roles.put("reviewer", app.signIn(vertx, app.account("reviewer")));
    roles.put("recruiter", app.signIn(vertx, app.account("recruiter")));
    roles.put("admin", admin);
    roles.put("candidate", candidates.get(1).browser());
    roles.put("compliance", compliance);
    roles.put("token", null);
    List<String> people = new ArrayList<>();
    for (Candidate c : candidates) {
      people.add(c.sid());
      people.add(c.invitation().pseudonym());
      people.add("@example.com");
    }
    int checked = 0;
    for (var role : roles.entrySet()) {
      for (String p : paths) {
        boolean own = "candidate".equals(role.getKey()) && p.startsWith("/candidate/privacy");
        boolean reports = "compliance".equals(role.getKey()) && (p.equals("/compliance") || p.startsWith("/api/v1/compliance/"));
        HttpResponse<Buffer> res = role.getValue() == null
            ? await(new Browser(vertx, app.port).get(p, Map.of("Authorization", "Bearer " + secret)))
            : await(role.getValue().get(p));
        String body = res.bodyAsString() == null ? "" : res.bodyAsString();
        checked++;
        if (own) {
          continue; // the candidate's own form and download
        }
        if (reports) {
          assertEquals(200, res.statusCode(), p);
          for (String person : people) {
            assertFalse(body.contains(person), "the compliance report names no one: " + p + " holds " + person);
          }
          continue;
        }
        for (String text : SELF_ID_TEXT) {
          assertFalse(body.contains(text), role.getKey() + " GET " + p + " (" + res.statusCode() + ") shows '" + text + "'");
        }
        if (p.equals("/compliance") || p.startsWith("/api/v1/compliance/")) {
          assertTrue(res.statusCode() == 401 || res.statusCode() == 403, role.getKey() + " " + p + ": " + res.statusCode());
        }
      }
    }
    assertTrue(checked > 100, "routes x roles checked: " + checked);
  }

  @Test
  @DisplayName("no code outside the compliance package (and the operator's backup) names the self-identification table")
  void onlyCompliancePackageReadsTheTable() throws Exception {
    List<String> readers = new ArrayList<>();
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
      for (var f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
        if (java.nio.file.Files.readString(f).contains("self_identification")) {
          readers.add(f.toString().replace('\\', '/'));
        }
      }
    }
    readers.removeIf(f -> f.contains("/dev/gameday/compliance/") || f.endsWith("/dev/gameday/ops/Backup.java"));
    assertEquals(List.of(), readers);
  }

  @Test
  @DisplayName("the review sums follow submitted reviews (drafts do not count); the exercise stage reads them")
  void reviewSums() {
    Candidate c = submitted("rev"); // undecided: reviews are read-only once decided
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    var rubric = app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise().rubric();
    JsonObject scores = new JsonObject();
    rubric.forEach(k -> scores.put(k.id(), new JsonObject().put("level", 4).put("note", "n")));
    String item = "/api/v1/review/submissions/" + c.sid() + "/exercises/" + EX;
    assertEquals(200, await(reviewer.put(item + "/review", new JsonObject().put("scores", scores))).statusCode());
    assertEquals(0, app.sql("select 1 from review_exercise_sums where submission_id = $1::uuid", c.sid()).size(), "a draft");
    var r = await(reviewer.post(item + "/review/submit", new JsonObject().put("scores", scores).put("recommendation", "yes")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    var sums = app.one("select total, ratings from review_exercise_sums where submission_id = $1::uuid and exercise_id = $2", c.sid(), EX)
        .orElseThrow();
    assertEquals(4.0 * rubric.size(), sums.getDouble(0), 1e-9);
    assertEquals(rubric.size(), sums.getInteger(1));
    assertEquals(rubric.size(), app.sql("select 1 from review_level_sums where submission_id = $1::uuid", c.sid()).size());
    JsonObject rep = await(compliance.get("/api/v1/compliance/impact?track=sre-senior")).bodyAsJsonObject();
    JsonObject stage = null;
    for (Object o : rep.getJsonArray("stages")) {
      if (("exercise:" + EX).equals(((JsonObject) o).getString("stage"))) {
        stage = (JsonObject) o;
      }
    }
    assertNotNull(stage);
    assertTrue(stage.getLong("assessed") >= 1 && stage.getLong("selected") >= 1, stage.encode());
  }
}
