package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Questions from the trail (issue 25, item 3) through HTTP: an honest answer raises none, a pasted block and a citation
 * of an unopened file raise theirs, and no one sees them before submitting their own review, nor on a candidate route.
 */
@ExtendWith(PostgresExtension.class)
class TrailQuestionsTest {
  private static final String EX = "incident-postmortem";
  private static final String HEADING = "Questions for the interview";
  private static final AtomicInteger counter = new AtomicInteger();
  private static TestApp app;
  private static Vertx vertx;
  private static Exercise exercise;
  private static Evidence log;
  private static Evidence other;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    exercise = app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise();
    log = exercise.evidence().stream().filter(e -> e.name().endsWith("registry-api.log")).findFirst().orElseThrow();
    other = exercise.evidence().stream().filter(e -> e.name().endsWith("edge.log")).findFirst().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** A submitted answer: {@code history} replaces what the saves wrote (each row: section, text, minutes before now). */
  private record Submitted(String sid, Browser candidate) {
  }

  private record Row(String section, String text, int minutesAgo, int seconds) {
  }

  private static Submitted submit(String summary, List<Row> history, JsonArray trail) {
    int n = counter.incrementAndGet();
    Created c = app.invite("Quinn Question", "quinn" + n + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    assertEquals(200, await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", summary)))).statusCode());
    if (!trail.isEmpty()) {
      assertEquals(200, await(cand.post("/api/v1/candidate/trail/" + EX, new JsonObject().put("events", trail))).statusCode());
    }
    // the history as saves over the past minutes would have left it
    app.sql("delete from answer_section_history where invitation_id = $1", c.id());
    long rev = 1;
    for (Row r : history) {
      OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(r.minutesAgo());
      app.sql("""
          insert into answer_section_history (invitation_id, exercise_id, section_id, rev, text, started_at, saved_at)
          values ($1, $2, $3, $4, $5, $6, $7)""", c.id(), EX, r.section(), rev++, r.text(), started, started.plusSeconds(r.seconds()));
    }
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    return new Submitted(sid, cand);
  }

  private static JsonArray opened(Evidence... files) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < files.length; i++) {
      a.add(new JsonObject().put("at", "2026-12-01T09:0" + i + ":00Z").put("kind", "opened").put("evidence", files[i].index()).put("detail", ""));
    }
    return a;
  }

  /** Typed over 30 minutes, about 150 characters a minute, citing registry-api.log; the trail shows {@code opened} opened. */
  private static Submitted honestly(Evidence opened) {
    List<Row> rows = new java.util.ArrayList<>();
    StringBuilder text = new StringBuilder("Pool exhausted, see `" + log.name() + ":12` for the first error. ");
    for (int minute = 30; minute > 0; minute--) {
      text.append("x".repeat(140)).append(" word ");
      rows.add(new Row("summary", text.toString(), minute, 40));
    }
    return submit(text.toString(), rows, opened(opened));
  }

  private static final String START = "We saw errors at the edge. ";
  private static final String PASTED = START + "The pool of database connections ran dry. ".repeat(29);

  /** A first line, then eight minutes later 1,218 characters more in one save; the trail shows {@code opened} opened. */
  private static Submitted pasted(Evidence opened) {
    return submit(PASTED, List.of(new Row("summary", START, 20, 30), new Row("summary", PASTED, 12, 0)), opened(opened));
  }

  private static String item(String sid) {
    return "/api/v1/review/submissions/" + sid + "/exercises/" + EX;
  }

  private static JsonObject scores() {
    JsonObject s = new JsonObject();
    for (Criterion c : exercise.rubric()) {
      s.put(c.id(), new JsonObject().put("level", 3).put("note", "fine"));
    }
    return s;
  }

  /** A reviewer who has submitted their review of the item. */
  private static Browser reviewed(String sid) {
    Browser r = app.signIn(vertx, app.account("reviewer"));
    HttpResponse<Buffer> done = await(r.post(item(sid) + "/review/submit", new JsonObject().put("scores", scores())
        .put("recommendation", "yes")));
    assertEquals(200, done.statusCode(), done.bodyAsString());
    return r;
  }

  private static JsonArray questions(Browser reviewer, String sid) {
    JsonObject json = await(reviewer.get(item(sid))).bodyAsJsonObject();
    assertTrue(json.containsKey("questions"), json.encode());
    return json.getJsonArray("questions");
  }

  private static List<String> kinds(JsonArray questions) {
    return questions.stream().map(o -> ((JsonObject) o).getString("kind")).toList();
  }

  /** A candidate given the variant of {@code seed} who saves {@code summary} and submits. */
  private static String submitWithSeed(long seed, String summary) {
    int n = counter.incrementAndGet();
    Created c = app.invite("Vera Variant", "vera" + n + "@example.com");
    app.sql("update invitations set variant_seed = $1 where id = $2", seed, c.id());
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    assertEquals(200, await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", summary)))).statusCode());
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  @Test
  @DisplayName("candidate B pastes candidate A's answer quoting A's figures: B's reviewer is asked about those figures; A's answer raises no such question")
  void otherVariant() {
    java.util.Set<String> a = dev.gameday.exercise.Variant.distinctiveFigures(exercise, 1);
    java.util.Set<String> b = dev.gameday.exercise.Variant.distinctiveFigures(exercise, 2);
    List<String> onlyA = a.stream().filter(f -> !b.contains(f)).limit(3).toList();
    assertEquals(3, onlyA.size(), "seed 1 has figures of its own: " + a + " vs " + b);
    String answer = "Timeline: the first errors at " + onlyA.get(0) + ", then " + onlyA.get(1) + " and " + onlyA.get(2) + ".";
    String sidA = submitWithSeed(1, answer);
    String sidB = submitWithSeed(2, answer);
    JsonArray qb = questions(reviewed(sidB), sidB);
    assertTrue(kinds(qb).contains("other_variant"), qb.encode());
    JsonObject q = qb.stream().map(o -> (JsonObject) o).filter(o -> o.getString("kind").equals("other_variant")).findFirst().orElseThrow();
    for (String figure : onlyA) {
      assertTrue(q.getString("question").contains(figure), "the question names " + figure + ": " + q.encode());
    }
    assertFalse(kinds(questions(reviewed(sidA), sidA)).contains("other_variant"), "A quotes the figures of A's own variant");
  }

  @Test
  @DisplayName("an honest answer, typed over half an hour and citing a file it opened, raises no question")
  void honest() {
    Submitted s = honestly(log);
    Browser reviewer = reviewed(s.sid());
    assertEquals(List.of(), kinds(questions(reviewer, s.sid())));
    String page = await(reviewer.get("/review/" + s.sid() + "/" + EX)).bodyAsString();
    assertTrue(page.contains(HEADING), "the section is there once the review is submitted");
    assertTrue(page.contains("Nothing to ask about"));
  }

  @Test
  @DisplayName("a block of 1,200 characters that arrived in one save raises the paste question with its size and time")
  void paste() {
    Submitted s = pasted(log);
    Browser reviewer = reviewed(s.sid());
    JsonArray q = questions(reviewer, s.sid());
    assertTrue(kinds(q).contains("paste"), q.encode());
    JsonObject paste = q.stream().map(o -> (JsonObject) o).filter(o -> o.getString("kind").equals("paste")).findFirst().orElseThrow();
    int growth = PASTED.length() - START.length();
    assertTrue(paste.getString("question").startsWith(String.format(java.util.Locale.ROOT,
        "Ask them to walk through how they wrote the %,d characters of \u2018Summary\u2019 that arrived in a single save at ", growth)),
        paste.encode());
    assertTrue(paste.getJsonArray("basis").encode().contains("UTC"), "the time is given: " + paste.encode());
    String page = await(reviewer.get("/review/" + s.sid() + "/" + EX)).bodyAsString();
    assertTrue(page.contains("that arrived in a single save at"), "the page shows it too");
    assertFalse(page.contains("Nothing to ask about"));
  }

  @Test
  @DisplayName("a file cited in the answer that the trail never shows opened raises its question, naming the file")
  void citedUnopened() {
    Submitted s = honestly(other);
    JsonArray q = questions(reviewed(s.sid()), s.sid());
    assertEquals(List.of("cited_unopened"), kinds(q), q.encode());
    assertTrue(q.getJsonObject(0).getString("question").contains("Ask how they found what they cite from " + log.name()), q.encode());
    assertTrue(q.getJsonObject(0).getJsonArray("basis").encode().contains("`" + log.name() + ":12`"), q.encode());
  }

  @Test
  @DisplayName("nobody sees the questions before submitting their own review (page and JSON), nor on any candidate route; an admin not reviewing it does")
  void blind() {
    Submitted s = pasted(other);
    Browser drafting = app.signIn(vertx, app.account("reviewer"));
    assertEquals(200, await(drafting.put(item(s.sid()) + "/review", new JsonObject().put("scores", scores()))).statusCode());
    Browser fresh = app.signIn(vertx, app.account("reviewer"));
    for (Browser b : List.of(drafting, fresh)) {
      JsonObject json = await(b.get(item(s.sid()))).bodyAsJsonObject();
      assertFalse(json.containsKey("questions"), "no questions before one's own review: " + json.encode());
      String page = await(b.get("/review/" + s.sid() + "/" + EX)).bodyAsString();
      assertFalse(page.contains(HEADING), "not on the page before one's own review");
      assertFalse(page.contains("single save"));
    }
    // not vacuous: after submitting, the same reviewer sees them
    assertEquals(200, await(drafting.post(item(s.sid()) + "/review/submit", new JsonObject().put("scores", scores())
        .put("recommendation", "no"))).statusCode());
    assertTrue(kinds(questions(drafting, s.sid())).contains("paste"));
    assertTrue(kinds(questions(app.signIn(vertx, app.account("admin")), s.sid())).contains("paste"),
        "an admin who does not review this item sees them");
    for (String p : List.of("/candidate", "/candidate/review", "/candidate/receipt", "/candidate/exercises/" + EX,
        "/api/v1/candidate", "/api/v1/candidate/answers/" + EX, "/api/v1/candidate/trail/" + EX)) {
      String body = await(s.candidate().get(p)).bodyAsString();
      assertFalse(body.contains(HEADING) || body.contains("single save") || body.contains("Ask how") || body.contains("Ask them"),
          "no question reaches the candidate: " + p);
    }
  }
}
