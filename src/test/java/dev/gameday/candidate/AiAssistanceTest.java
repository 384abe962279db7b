package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.support.Browser;
import dev.gameday.support.Library;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared AI use (issue 25, item 4): with {@code ai: declared} the "AI assistance" section is saved, sealed and
 * reviewed like any section; with {@code forbidden} it is absent and saves to it are refused. The library here is the
 * shipped one (sre-senior: declared) plus a track {@code no-ai} with the same first exercise and no {@code ai} key.
 */
@ExtendWith(PostgresExtension.class)
class AiAssistanceTest {
  private static final String EX = "incident-postmortem";
  private static final String SAVE = "/api/v1/candidate/answers/" + EX;
  private static final AtomicInteger counter = new AtomicInteger();
  @TempDir
  static Path tmp;
  private static TestApp app;
  private static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Path lib = Library.copy(tmp);
    Files.writeString(lib.resolve("tracks/no-ai.yaml"), """
        id: no-ai
        title: A track that says nothing about AI
        description: One exercise.
        exercises:
          - incident-postmortem
        """);
    app = TestApp.start(db, lib);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  private static Browser candidate(String track) {
    int n = counter.incrementAndGet();
    Created c = await(app.app.invitations.create(track, "Ada Assist", "ada" + n + "@example.com", 7, BigDecimal.ONE, false));
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + c.token())).statusCode());
    return b;
  }

  private static JsonObject save(long rev, String section, String text) {
    return new JsonObject().put("rev", rev).put("sections", new JsonObject().put(section, text));
  }

  @Test
  @DisplayName("declared: the start page states the rule, the exercise page has the section, and it is saved, read back, sealed and shown to reviewers")
  void declared() {
    Browser cand = candidate("sre-senior");
    String start = await(cand.get("/candidate")).bodyAsString();
    assertTrue(start.contains("data-rule=\"declared\""), "the start page states the rule");
    assertTrue(start.contains("You may use AI assistants"));
    String page = await(cand.get("/candidate/exercises/" + EX)).bodyAsString();
    assertTrue(page.contains("name=\"" + AiAssistance.SECTION_ID + "\""), "the section is a textarea of the answer form");
    String marker = "prompt-marker: summarise the pgbouncer log";
    HttpResponse<Buffer> r = await(cand.put(SAVE, save(1, AiAssistance.SECTION_ID, marker)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(200, await(cand.put(SAVE, save(2, "summary", "The pool ran dry."))).statusCode());
    JsonObject answer = await(cand.get(SAVE)).bodyAsJsonObject();
    assertEquals(marker, answer.getJsonObject("sections").getString(AiAssistance.SECTION_ID), answer.encode());
    assertTrue(await(cand.get("/candidate/exercises/" + EX)).bodyAsString().contains(marker), "the page shows the saved text");
    assertEquals(1, app.one("select count(*) as n from answer_section_history where section_id = $1 and text = $2",
        AiAssistance.SECTION_ID, marker).orElseThrow().getLong("n"), "kept in the history like any section");
    String own = await(cand.get("/candidate/review")).bodyAsString();
    assertTrue(own.contains(AiAssistance.TITLE) && own.contains(marker), "the candidate's review page shows it as reviewers will");
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    JsonObject item = await(reviewer.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX)).bodyAsJsonObject();
    assertEquals(marker, item.getJsonObject("answer").getJsonObject(AiAssistance.SECTION_ID).getString("markdown"), item.encode());
    String reviewPage = await(reviewer.get("/review/" + sid + "/" + EX)).bodyAsString();
    assertTrue(reviewPage.contains(AiAssistance.TITLE) && reviewPage.contains(marker), "reviewers read it with the answer");
  }

  @Test
  @DisplayName("forbidden (a track without the key): the start page says so, no section on the exercise page, a save to it gets 422 and stores nothing")
  void forbidden() {
    Browser cand = candidate("no-ai");
    String start = await(cand.get("/candidate")).bodyAsString();
    assertTrue(start.contains("data-rule=\"forbidden\""), "the start page states the rule");
    assertTrue(start.contains("Do not use AI assistants"));
    assertFalse(await(cand.get("/candidate/exercises/" + EX)).bodyAsString().contains("name=\"" + AiAssistance.SECTION_ID + "\""));
    HttpResponse<Buffer> r = await(cand.put(SAVE, save(1, AiAssistance.SECTION_ID, "sneaked in")));
    assertEquals(422, r.statusCode(), r.bodyAsString());
    assertEquals("ai_not_declared", r.bodyAsJsonObject().getString("error"));
    assertTrue(r.bodyAsJsonObject().getString("message").contains("AI assistance"));
    assertEquals(0, app.one("select count(*) as n from answer_section_history where section_id = $1 and text = $2",
        AiAssistance.SECTION_ID, "sneaked in").orElseThrow().getLong("n"), "nothing stored");
    assertEquals(200, await(cand.put(SAVE, save(2, "summary", "Written alone."))).statusCode(), "other sections still save");
    assertFalse(await(cand.get(SAVE)).bodyAsJsonObject().getJsonObject("sections").containsKey(AiAssistance.SECTION_ID));
  }

  @Test
  @DisplayName("a track whose ai value is not one of forbidden, declared, allowed is a library problem naming the file")
  void invalidRule() throws Exception {
    Path lib = Library.copy(tmp.resolve("bad"));
    Library.replace(lib, "tracks/sre-senior.yaml", "ai: declared", "ai: sometimes");
    assertTrue(ExerciseLoader.load(lib).problems().stream().anyMatch(p -> p.file().contains("sre-senior.yaml")
        && p.message().contains("'ai' must be one of forbidden, declared, allowed")), "a problem is reported");
  }
}
