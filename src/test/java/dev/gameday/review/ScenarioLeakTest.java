package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.exercise.Model.Calibration;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Level;
import dev.gameday.exercise.Model.LoadedExercise;
import dev.gameday.exercise.ScenarioFacts;
import dev.gameday.exercise.Variant;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What candidates can read never gives away the answer key. The facts are extracted from each exercise's reviewer
 * notes, anchors and calibration material (not a hand-written list); every public and candidate-visible page and
 * JSON route is fetched anonymously and as a candidate, and none may contain a fact a candidate cannot already
 * read in the brief and evidence. The published rubric itself may share no fact at all with the answer key.
 */
@ExtendWith(PostgresExtension.class)
class ScenarioLeakTest {
  static TestApp app;
  static Vertx vertx;
  static List<Exercise> exercises;
  /** per exercise: every fact of the answer key */
  static final Map<String, Set<String>> keyFacts = new LinkedHashMap<>();
  /** per exercise: the facts of the answer key a candidate cannot read in the brief, evidence or exercise file */
  static final Map<String, Set<String>> secretFacts = new LinkedHashMap<>();
  static final Map<String, Set<String>> names = new LinkedHashMap<>();
  static List<LoadedExercise> loaded;
  static String tracks;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    ExerciseLoader.Result lib = ExerciseLoader.load(Path.of("exercises"));
    assertTrue(lib.ok(), lib.problems().toString());
    exercises = lib.exercises().stream().map(LoadedExercise::exercise).toList();
    loaded = lib.exercises();
    tracks = Files.readString(Path.of("exercises/tracks/sre-senior.yaml"));
    // what a candidate of the track can read anyway: every exercise's brief, exercise file and evidence
    StringBuilder visible = new StringBuilder(tracks);
    Map<String, List<String>> logs = new LinkedHashMap<>();
    for (LoadedExercise le : lib.exercises()) {
      visible.append('\n').append(le.exercise().brief());
      List<String> mine = new ArrayList<>();
      le.files().forEach((path, bytes) -> {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (path.startsWith("evidence/") || path.equals("exercise.yaml")) {
          visible.append('\n').append(text);
        }
        if (path.endsWith(".log")) {
          mine.add(text);
        }
      });
      logs.put(le.exercise().id(), mine);
    }
    for (LoadedExercise le : lib.exercises()) {
      Exercise ex = le.exercise();
      Set<String> n = ScenarioFacts.names(logs.get(ex.id()));
      names.put(ex.id(), n);
      Set<String> key = ScenarioFacts.extract(answerKey(ex), n);
      keyFacts.put(ex.id(), key);
      Set<String> seen = ScenarioFacts.extract(visible.toString(), n);
      Set<String> secret = key.stream().filter(f -> !seen.contains(f))
          // one-digit numbers are everywhere in page chrome (scores, weights); alone they carry no scenario fact
          .filter(f -> !(f.matches("\\d")))
          .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
      secretFacts.put(ex.id(), secret);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /**
   * Per exercise, the secret facts of one seed's variant: its answer key's facts (anchors and notes as that variant
   * renders them) that its candidate cannot read in the variant's brief, evidence or exercise file.
   */
  static Map<String, Set<String>> variantSecrets(long seed) {
    StringBuilder visible = new StringBuilder(tracks);
    Map<String, List<String>> logs = new LinkedHashMap<>();
    for (LoadedExercise le : loaded) {
      Variant v = Variant.of(le.exercise(), seed);
      visible.append('\n').append(v.text(le.exercise().brief()));
      List<String> mine = new ArrayList<>();
      le.files().forEach((path, bytes) -> {
        String text = v.text(new String(bytes, StandardCharsets.UTF_8));
        if (path.startsWith("evidence/") || path.equals("exercise.yaml")) {
          visible.append('\n').append(text);
        }
        if (path.endsWith(".log")) {
          mine.add(text);
        }
      });
      logs.put(le.exercise().id(), mine);
    }
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (LoadedExercise le : loaded) {
      Exercise variant = Variant.of(le.exercise(), seed).exercise(le.exercise());
      Set<String> n = ScenarioFacts.names(logs.get(variant.id()));
      Set<String> seen = ScenarioFacts.extract(visible.toString(), n);
      out.put(variant.id(), ScenarioFacts.extract(answerKey(variant), n).stream().filter(f -> !seen.contains(f))
          .filter(f -> !(f.matches("\\d"))).collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
    }
    return out;
  }

  static String answerKey(Exercise ex) {
    StringBuilder b = new StringBuilder(ex.reviewerNotes());
    for (Criterion c : ex.rubric()) {
      for (Level l : c.levels()) {
        b.append('\n').append(l.anchor());
      }
    }
    for (Calibration cal : ex.calibration()) {
      cal.rationale().values().forEach(r -> b.append('\n').append(r));
    }
    return b.toString();
  }

  @Test
  @DisplayName("every exercise's answer key holds facts a candidate cannot read elsewhere (the test is not vacuous)")
  void answerKeysHaveSecrets() {
    for (Exercise ex : exercises) {
      assertTrue(secretFacts.get(ex.id()).size() >= 5, ex.id() + ": " + secretFacts.get(ex.id()));
      assertTrue(keyFacts.get(ex.id()).size() >= 20, ex.id() + ": " + keyFacts.get(ex.id()));
    }
  }

  @Test
  @DisplayName("the published rubric (JSON, anonymous and as a candidate) shares no scenario fact with the notes and anchors")
  void publishedRubricHasNoFacts() {
    for (Browser who : List.of(new Browser(vertx, app.port), candidate())) {
      for (Exercise ex : exercises) {
        HttpResponse<Buffer> r = await(who.get("/api/v1/rubrics/" + ex.id()));
        assertEquals(200, r.statusCode());
        JsonObject json = r.bodyAsJsonObject();
        assertFalse(r.bodyAsString().contains("\"anchor\""), "anchors are for reviewers only");
        assertFalse(json.containsKey("reviewerNotes"));
        for (Object o : json.getJsonArray("criteria")) {
          JsonObject c = (JsonObject) o;
          assertNoFacts(ex, keyFacts.get(ex.id()), c.getString("title") + "\n" + c.getString("description"), "criterion " + c.getString("id"));
          for (Object lo : c.getJsonArray("levels")) {
            JsonObject l = (JsonObject) lo;
            assertNoFacts(ex, keyFacts.get(ex.id()), l.getString("descriptor"), "level " + l.getInteger("score") + " of " + c.getString("id"));
          }
        }
      }
    }
  }

  @Test
  @DisplayName("no public or candidate page, JSON answer, error page or script contains a secret scenario fact")
  void noPageLeaks() {
    Browser anon = new Browser(vertx, app.port);
    // the candidate reads their own variant: its answer key's figures (shifted times, renamed pods, the picked
    // version of the faulty release) must not leak either; a seed whose variant picks another version than written
    Exercise incident = exercises.stream().filter(e -> e.id().equals("incident-postmortem")).findFirst().orElseThrow();
    long seed = java.util.stream.LongStream.range(1, 1000).filter(s -> !Variant.of(incident, s).text("v4.82.0").equals("v4.82.0"))
        .findFirst().orElseThrow();
    Browser cand = candidate(seed);
    Map<String, Set<String>> variantSecret = variantSecrets(seed);
    Set<String> onlyInVariant = variantSecret.get("incident-postmortem").stream()
        .filter(f -> !secretFacts.get("incident-postmortem").contains(f)).collect(Collectors.toSet());
    // most of the answer key's times are in the evidence too (not secret); a picked version is a secret of its own
    assertFalse(onlyInVariant.isEmpty(), "the variant's answer key has secrets of its own (the test is not vacuous)");
    List<String> anonPaths = new ArrayList<>(List.of("/", "/login", "/rubrics", "/api/v1/rubrics", "/rubrics/no-such-exercise",
        "/api/v1/rubrics/no-such-exercise", "/i/not-a-token", "/candidate", "/review", "/review/calibration",
        "/api/v1/review/calibration", "/setup", "/no/such/page", "/static/js/app.js", "/static/js/answer.js",
        "/static/js/evidence.js", "/static/js/evidence-util.js", "/static/js/evidence-log.js", "/static/js/evidence-chart.js",
        "/static/js/answer-merge.js", "/static/js/review.js"));
    List<String> candPaths = new ArrayList<>(List.of("/candidate", "/api/v1/candidate", "/candidate/review",
        "/candidate/receipt", "/review", "/api/v1/review/queue", "/review/calibration", "/api/v1/review/calibration",
        "/candidate/exercises/no-such-exercise", "/api/v1/candidate/answers/no-such-exercise",
        "/candidate/feedback", "/api/v1/candidate/feedback", "/candidate/feedback/download"));
    for (Exercise ex : exercises) {
      anonPaths.add("/rubrics/" + ex.id());
      anonPaths.add("/api/v1/rubrics/" + ex.id());
      anonPaths.add("/candidate/exercises/" + ex.id());
      candPaths.add("/rubrics/" + ex.id());
      candPaths.add("/api/v1/rubrics/" + ex.id());
      candPaths.add("/candidate/exercises/" + ex.id());
      candPaths.add("/api/v1/candidate/answers/" + ex.id());
      for (int i = 0; i < ex.evidence().size(); i++) {
        candPaths.add("/candidate/exercises/" + ex.id() + "/evidence/" + i);
      }
      candPaths.add("/candidate/exercises/" + ex.id() + "/evidence/" + ex.evidence().size());
      for (Calibration cal : ex.calibration()) {
        String id = CalibrationRoutes.sampleId(ex, cal.name());
        anonPaths.add("/api/v1/review/calibration/" + ex.id() + "/" + id);
        candPaths.add("/api/v1/review/calibration/" + ex.id() + "/" + id);
        candPaths.add("/review/calibration/" + ex.id() + "/" + id);
      }
    }
    int fetched = 0;
    for (var pass : List.of(Map.entry(anon, anonPaths), Map.entry(cand, candPaths))) {
      for (String path : pass.getValue()) {
        HttpResponse<Buffer> r = await(pass.getKey().get(path));
        assertTrue(r.statusCode() < 500, path + " answered " + r.statusCode());
        String body = r.bodyAsString() == null ? "" : r.bodyAsString();
        fetched++;
        for (Exercise ex : exercises) {
          Set<String> facts = secretFacts.get(ex.id());
          if (path.startsWith("/static/")) {
            // program code is full of its own constants (timeouts, factors): only names, times and ids count there
            facts = facts.stream().filter(f -> !ScenarioFacts.isNumber(f)).collect(Collectors.toSet());
          }
          assertNoFacts(ex, facts, body, path);
          Set<String> vfacts = variantSecret.get(ex.id());
          if (path.startsWith("/static/")) {
            vfacts = vfacts.stream().filter(f -> !ScenarioFacts.isNumber(f)).collect(Collectors.toSet());
          }
          assertNoFacts(ex, vfacts, body, path + " (variant " + seed + ")");
          for (Calibration cal : ex.calibration()) {
            for (String text : cal.sections().values()) {
              String probe = text.strip().lines().findFirst().orElse("");
              if (probe.length() >= 40) {
                assertFalse(body.contains(probe.substring(0, 40)), path + " shows calibration answer " + ex.id() + "/" + cal.name());
              }
            }
          }
          String notesLine = ex.reviewerNotes().lines().filter(l -> l.length() > 60).skip(1).findFirst().orElseThrow();
          assertFalse(body.contains(notesLine.substring(0, 50)), path + " shows reviewer notes of " + ex.id());
        }
      }
    }
    assertTrue(fetched > 40, "fetched " + fetched);
  }

  @Test
  @DisplayName("reviewers see the anchors beside each level: on the scoring page, the rubric page and in JSON")
  void reviewersSeeAnchors() {
    String email = "anchor-reviewer@example.com";
    await(app.app.accounts.add("Anchor Reviewer", email, TestApp.PASSWORD, "reviewer"));
    Browser rev = app.signIn(vertx, email);
    Exercise ex = exercises.stream().filter(e -> e.id().equals("incident-postmortem")).findFirst().orElseThrow();
    Level solid = ex.rubric().get(0).levels().get(2);

    JsonObject json = await(rev.get("/api/v1/rubrics/" + ex.id())).bodyAsJsonObject();
    JsonObject level = json.getJsonArray("criteria").getJsonObject(0).getJsonArray("levels").getJsonObject(2);
    assertEquals(solid.anchor(), level.getString("anchor"));
    String rubricPage = await(rev.get("/rubrics/" + ex.id())).bodyAsString();
    assertTrue(rubricPage.contains(html(solid.anchor())), "rubric page shows the anchor to a reviewer");

    Browser cand = new Browser(vertx, app.port);
    Created c = app.invite("Anchor Candidate", "anchor-candidate@example.com");
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + ex.id(), new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    String page = await(rev.get("/review/" + sid + "/" + ex.id())).bodyAsString();
    // the scoring page is about this candidate's answer: the anchors quote the figures of the candidate's variant
    long seed = app.one("select variant_seed from invitations where id = $1", c.id()).orElseThrow().getLong("variant_seed");
    Exercise variant = Variant.of(ex, seed).exercise(ex);
    solid = variant.rubric().get(0).levels().get(2);
    for (Criterion crit : variant.rubric()) {
      for (Level l : crit.levels()) {
        assertTrue(page.contains(html(l.descriptor())), "scoring page shows the descriptor of " + crit.id() + "/" + l.score());
        assertTrue(page.contains(html(l.anchor())), "scoring page shows the anchor of " + crit.id() + "/" + l.score());
      }
    }
    JsonObject item = await(rev.get("/api/v1/review/submissions/" + sid + "/exercises/" + ex.id())).bodyAsJsonObject();
    JsonArray levels = item.getJsonObject("rubric").getJsonArray("criteria").getJsonObject(0).getJsonArray("levels");
    assertEquals(solid.anchor(), levels.getJsonObject(2).getString("anchor"));
  }

  @Test
  @DisplayName("released feedback (page, JSON, download) shows descriptors and comments, never an anchor, a reviewer or a secret fact")
  void releasedFeedbackLeaksNothing() {
    String reviewerName = "Ottilie Feedbackreviewer";
    String email = "feedback-reviewer@example.com";
    await(app.app.accounts.add(reviewerName, email, TestApp.PASSWORD, "reviewer"));
    Browser a = app.signIn(vertx, email);
    Browser b = app.signIn(vertx, app.account("reviewer"));
    Browser admin = app.signIn(vertx, app.account("admin"));
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    Browser cand = new Browser(vertx, app.port);
    Created c = app.invite("Feedback Candidate", "feedback-candidate@example.com");
    await(cand.get("/i/" + c.token()));
    List<Exercise> track = app.app.catalog.track("sre-senior").orElseThrow().versions().stream().map(v -> v.exercise()).toList();
    for (Exercise ex : track) {
      await(cand.put("/api/v1/candidate/answers/" + ex.id(), new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put(ex.sections().get(0).id(), "My own answer."))));
    }
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    int n = 0;
    for (Exercise ex : track) {
      n++;
      for (Browser who : List.of(a, b)) {
        JsonObject scores = new JsonObject();
        int level = 1 + (n + (who == a ? 0 : 1)) % 4;
        ex.rubric().forEach(cr -> scores.put(cr.id(), new JsonObject().put("level", level)
            .put("note", "Reviewer-only note: " + ex.reviewerNotes().lines().filter(l -> l.length() > 60).findFirst().orElse(""))));
        HttpResponse<Buffer> r = await(who.post("/api/v1/review/submissions/" + sid + "/exercises/" + ex.id() + "/review/submit",
            new JsonObject().put("scores", scores).put("recommendation", "yes").put("for_candidate", "Structure helps the reader.")));
        assertEquals(200, r.statusCode(), r.bodyAsString());
      }
    }
    JsonObject decision = new JsonObject().put("decision", "hold").put("rationale", "r").put("confirmIncomplete", true)
        .put("override_reason", "test data");
    assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/decision", decision)).statusCode());
    assertEquals(303, await(recruiter.postForm("/candidates/" + c.id() + "/release-feedback", io.vertx.core.MultiMap
        .caseInsensitiveMultiMap().add("_csrf", recruiter.cookie("XSRF-TOKEN")).add("confirm", "yes"))).statusCode());
    for (String path : List.of("/candidate/feedback", "/api/v1/candidate/feedback", "/candidate/feedback/download",
        "/candidate/receipt", "/candidate/review", "/api/v1/candidate")) {
      HttpResponse<Buffer> r = await(cand.get(path));
      assertEquals(200, r.statusCode(), path);
      String body = r.bodyAsString();
      assertFalse(body.contains(reviewerName) || body.contains(email), path + " names a reviewer");
      assertFalse(body.contains("Reviewer-only note"), path + " shows an evidence note");
      for (Exercise ex : exercises) {
        assertNoFacts(ex, secretFacts.get(ex.id()), body, path);
        for (Criterion crit : ex.rubric()) {
          for (Level l : crit.levels()) {
            assertFalse(body.contains(l.anchor()) || body.contains(html(l.anchor())), path + " shows the anchor of " + crit.id());
          }
        }
      }
      if (path.contains("feedback")) {
        assertTrue(body.contains("Structure helps the reader."), path + " shows the comment");
      }
    }
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#x27;").replace("=", "&#x3D;").replace("`", "&#x60;");
  }

  private static Browser candidate() {
    return candidate(-1);
  }

  /** A candidate who has opened their invitation; with {@code seed} at least 0, the invitation's variant is that seed. */
  private static Browser candidate(long seed) {
    Browser b = new Browser(vertx, app.port);
    Created c = app.invite("Leak Candidate", "leak" + System.nanoTime() + "@example.com");
    if (seed >= 0) {
      app.sql("update invitations set variant_seed = $1 where id = $2", seed, c.id());
    }
    assertEquals(303, await(b.get("/i/" + c.token())).statusCode());
    return b;
  }

  private static void assertNoFacts(Exercise ex, Set<String> facts, String text, String where) {
    Set<String> found = new HashSet<>(ScenarioFacts.extract(text, names.get(ex.id())));
    found.retainAll(facts);
    assertTrue(found.isEmpty(), where + " reveals facts of " + ex.id() + ": " + found);
  }
}
