package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Level;
import dev.gameday.exercise.Variant;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 25: each invitation reads its own variant of the scenario, and its reviewers see that variant's facts. */
@ExtendWith(PostgresExtension.class)
class VariantServingTest {
  static TestApp app;
  static Vertx vertx;
  static Exercise canonical;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    canonical = ExerciseLoader.load(Path.of("exercises")).exercises().stream()
        .filter(e -> e.exercise().id().equals("incident-postmortem")).findFirst().orElseThrow().exercise();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  private Browser candidate(String name, long seed) {
    Created c = app.invite(name, name.toLowerCase().replace(' ', '.') + "@example.com");
    app.sql("update invitations set variant_seed = $1 where id = $2", seed, c.id());
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + c.token())).statusCode());
    return b;
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#x27;").replace("=", "&#x3D;").replace("`", "&#x60;");
  }

  private static String hm(int minutes) {
    return String.format("%02d:%02d", minutes / 60, minutes % 60);
  }

  @Test
  @DisplayName("a new invitation gets a variant seed; two invitations see different charts, logs and brief figures, the same findings")
  void twoInvitationsDiffer() {
    Created fresh = app.invite("Fresh Candidate", "fresh@example.com");
    assertNotEquals(0L, app.one("select variant_seed from invitations where id = $1", fresh.id()).orElseThrow().getLong("variant_seed"));

    Browser a = candidate("Variant Ada", 101);
    Browser b = candidate("Variant Bo", 202);
    String base = "/candidate/exercises/incident-postmortem";
    for (int index : new int[] {3, 5, 9}) { // edge-metrics.csv (chart), registry-api-pods.csv (chart), registry-api.log
      HttpResponse<Buffer> ra = await(a.get(base + "/evidence/" + index));
      HttpResponse<Buffer> rb = await(b.get(base + "/evidence/" + index));
      assertEquals(200, ra.statusCode());
      assertNotEquals(ra.bodyAsString(), rb.bodyAsString(), "evidence " + index);
      assertNotEquals(ra.getHeader("ETag"), rb.getHeader("ETag"));
      String expected = Variant.of(canonical, 101).text(new String(app.app.catalog.track("sre-senior").orElseThrow().versions()
          .stream().filter(v -> v.exercise().id().equals("incident-postmortem")).findFirst().map(v -> await(
              app.app.catalog.file(v.id(), canonical.evidence().get(index).file(), null)).content().getBytes()).orElseThrow(),
          java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(expected, ra.bodyAsString(), "candidate A reads seed 101's file " + index);
      assertEquals(304, await(a.get(base + "/evidence/" + index, Map.of("If-None-Match", ra.getHeader("ETag")))).statusCode());
    }
    int shiftA = Variant.of(canonical, 101).shiftMinutes();
    int shiftB = Variant.of(canonical, 202).shiftMinutes();
    assertNotEquals(shiftA, shiftB);
    String pageA = await(a.get(base)).bodyAsString();
    String pageB = await(b.get(base)).bodyAsString();
    // the brief quotes the chat's span, 14:09-15:29 as written: each candidate reads their own
    String spanA = hm(14 * 60 + 9 + shiftA) + "–" + hm(15 * 60 + 29 + shiftA);
    String spanB = hm(14 * 60 + 9 + shiftB) + "–" + hm(15 * 60 + 29 + shiftB);
    assertTrue(pageA.contains(spanA) && !pageA.contains(spanB), spanA);
    assertTrue(pageB.contains(spanB) && !pageB.contains(spanA), spanB);
    assertFalse(pageA.contains("14:09–15:29"));
    // chart annotations (the rollout's start, 12:25 as written) are the variant's too
    assertTrue(pageA.contains("2026-10-14T" + hm(12 * 60 + 25 + shiftA)), "annotation moved with the data");
  }

  @Test
  @DisplayName("the reviewer's scoring page and JSON show the anchors with the candidate's variant values")
  void reviewerSeesTheVariant() {
    long seed = 303;
    Browser cand = candidate("Variant Cy", seed);
    await(cand.put("/api/v1/candidate/answers/incident-postmortem", new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Browser rev = app.signIn(vertx, app.account("reviewer"));
    Exercise variant = Variant.of(canonical, seed).exercise(canonical);
    JsonObject item = await(rev.get("/api/v1/review/submissions/" + sid + "/exercises/incident-postmortem")).bodyAsJsonObject();
    int changed = 0;
    String changedAnchor = null;
    for (int c = 0; c < variant.rubric().size(); c++) {
      for (int l = 0; l < 4; l++) {
        Level level = variant.rubric().get(c).levels().get(l);
        String served = item.getJsonObject("rubric").getJsonArray("criteria").getJsonObject(c).getJsonArray("levels")
            .getJsonObject(l).getString("anchor");
        assertEquals(level.anchor(), served);
        if (!served.equals(canonical.rubric().get(c).levels().get(l).anchor())) {
          changed++;
          changedAnchor = served;
        }
      }
    }
    assertTrue(changed > 0, "some anchor quotes a figure the variant changes");
    String page = await(rev.get("/review/" + sid + "/incident-postmortem")).bodyAsString();
    assertTrue(page.contains(html(changedAnchor)), "the scoring page shows the variant's anchor");
    // and the reviewer notes as the variant has them (the rubric page keeps the notes as written)
    String notesLine = variant.reviewerNotes().lines().filter(l -> l.matches(".*\\d\\d:\\d\\d.*") && !l.contains("*"))
        .filter(l -> !canonical.reviewerNotes().contains(l)).findFirst().orElseThrow();
    String time = java.util.regex.Pattern.compile("\\d\\d:\\d\\d").matcher(notesLine).results().findFirst().orElseThrow().group();
    assertTrue(page.contains("Reviewer notes with this candidate's figures"));
    assertTrue(page.contains(time), "notes quote " + time);
    // the reviewer's evidence viewer reads the candidate's variant
    String log = await(rev.get("/review/" + sid + "/incident-postmortem/evidence/9")).bodyAsString();
    assertEquals(await(cand.get("/candidate/exercises/incident-postmortem/evidence/9")).bodyAsString(), log);
  }
}
