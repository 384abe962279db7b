package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Finding 2 of issue 8: the answer history grows with what changed, not with the size of the answer. */
@ExtendWith(PostgresExtension.class)
class HistoryGrowthTest {
  private static final String EX = "incident-postmortem";
  private static final String ANSWERS = "/api/v1/candidate/answers/" + EX;
  private static TestApp app;
  private static Vertx vertx;

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

  /** Every byte the history tables take (table, TOAST, indexes), whichever of them exist. */
  private static long historyBytes() {
    return app.one("select pg_total_relation_size('answer_history') + coalesce(pg_total_relation_size("
        + "to_regclass('answer_section_history')), 0) as n").orElseThrow().getLong("n");
  }

  private static long answersBytes() {
    // answers is a view since V96: the head rows, the text being in the history
    return app.one("select pg_total_relation_size('answer_heads') as n").orElseThrow().getLong("n");
  }

  /** 100,000 random 4-byte characters: the largest section, 400,000 bytes of UTF-8 that do not compress. */
  private static String largestSection(Random random) {
    StringBuilder sb = new StringBuilder(200_000);
    for (int i = 0; i < Answers.MAX_SECTION_CHARS; i++) {
      sb.appendCodePoint(0x1F300 + random.nextInt(0x300));
    }
    return sb.toString();
  }

  private static HttpResponse<Buffer> save(Browser b, long rev, JsonObject sections) {
    return await(b.put(ANSWERS, new JsonObject().put("rev", rev).put("sections", sections)));
  }

  @Test
  @DisplayName("one 2.4 MB save then 20 saves of ~50 bytes to one section add far less than 48 MB of history, and the text is exact")
  void writeAmplification() {
    Saver c = Saver.invite(app, vertx, "History Person", "history@example.com");
    Random random = new Random(8);
    JsonObject big = new JsonObject();
    for (String id : Saver.sections(app).subList(0, 6)) {
      big.put(id, largestSection(random));
    }
    long before = historyBytes();
    long answersBefore = answersBytes();
    // written by hand: Jackson would escape each 4-byte character as two \\u escapes (12 bytes)
    StringBuilder body = new StringBuilder("{\"rev\": 1, \"sections\": {");
    big.forEach(e -> body.append(body.charAt(body.length() - 1) == '{' ? "" : ", ")
        .append('"').append(e.getKey()).append("\": \"").append(e.getValue()).append('"'));
    byte[] bytes = body.append("}}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(bytes.length > 2_400_000, "a 2.4 MB save: " + bytes.length);
    HttpResponse<Buffer> first = await(c.browser().putRaw(ANSWERS, Buffer.buffer(bytes)));
    assertEquals(200, first.statusCode(), first.bodyAsString());
    String last = null;
    for (int i = 0; i < 20; i++) {
      last = "Edit " + i + ": the registry ran out of connections at 14:05.";
      assertEquals(200, save(c.browser(), 2 + i, new JsonObject().put("summary", last)).statusCode());
    }
    long grown = historyBytes() - before;
    long textBytes = app.one("select coalesce(sum(octet_length(text)), 0) as n from answer_section_history "
        + "where invitation_id = $1", c.invitation().id()).orElseThrow().getLong("n");
    System.out.printf("history grew by %,d bytes (rows hold %,d bytes of text), the answers table by %,d bytes"
        + " (dead row versions until vacuum), for a 2.4 MB save and 20 small ones%n", grown, textBytes,
        answersBytes() - answersBefore);
    assertTrue(grown < 8L * 1024 * 1024, "history grew by " + grown + " bytes; 21 full copies would be ~50 MB");
    JsonObject stored = await(c.browser().get(ANSWERS)).bodyAsJsonObject();
    assertEquals(21, stored.getLong("rev"));
    JsonObject expected = big.copy().put("summary", last);
    for (String id : Saver.sections(app)) {
      assertEquals(expected.getString(id, ""), stored.getJsonObject("sections").getString(id), id);
    }
  }

  @Test
  @DisplayName("a save records only the sections whose text changed, and a burst within the minute adds no row: the minute's row takes its newest text")
  void onlyChangesAndBursts() {
    Saver c = Saver.invite(app, vertx, "History Person", "history@example.com");
    JsonObject all = new JsonObject();
    Saver.sections(app).forEach(id -> all.put(id, "first " + id));
    save(c.browser(), 1, all);
    // the page sends every section on every save; only the summary changes, five times in a burst
    for (int i = 2; i <= 6; i++) {
      save(c.browser(), i, all.copy().put("summary", "burst " + i));
    }
    var rows = app.sql("select section_id, rev, text from answer_section_history where invitation_id = $1 order by id",
        c.invitation().id());
    assertEquals(Saver.sections(app).size(), rows.size(), "one row per section: the burst within the minute added none");
    assertEquals("burst 6", await(c.browser().get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary"));
    for (var r : rows) {
      if (r.getString("section_id").equals("summary")) {
        assertEquals("burst 6", r.getString("text"), "the minute's row holds the newest text of its minute (V22)");
        assertEquals(6L, r.getLong("rev"));
      } else {
        assertEquals("first " + r.getString("section_id"), r.getString("text"));
        assertEquals(1L, r.getLong("rev"), "an unchanged section is not rewritten");
      }
    }
  }

  @Test
  @DisplayName("after the window a new row starts, so each minute's state stays; the answer row always has the newest text")
  void windows() {
    Saver c = Saver.invite(app, vertx, "History Person", "history@example.com");
    save(c.browser(), 1, new JsonObject().put("summary", "minute one"));
    app.sql("update answer_section_history set started_at = started_at - interval '61 seconds' where invitation_id = $1",
        c.invitation().id());
    save(c.browser(), 2, new JsonObject().put("summary", "minute two, draft"));
    save(c.browser(), 3, new JsonObject().put("summary", "minute two, final"));
    List<String> texts = app.sql("select text from answer_section_history where invitation_id = $1 order by id",
        c.invitation().id()).stream().map(r -> r.getString("text")).toList();
    assertEquals(List.of("minute one", "minute two, final"), texts, "each minute's row: the newest text of its minute");
    assertEquals("minute two, final", await(c.browser().get(ANSWERS)).bodyAsJsonObject().getJsonObject("sections")
        .getString("summary"));
  }

  @Test
  @DisplayName("history is bounded: beyond the rows kept per section the oldest go, the first and newest stay")
  void bounded() {
    Saver c = Saver.invite(app, vertx, "History Person", "history@example.com");
    int saves = Answers.HISTORY_ROWS_PER_SECTION + 5;
    for (int i = 1; i <= saves; i++) {
      app.sql("update answer_section_history set started_at = started_at - interval '61 seconds' where invitation_id = $1",
          c.invitation().id());
      assertEquals(200, save(c.browser(), i, new JsonObject().put("summary", "version " + i)).statusCode());
    }
    List<String> texts = app.sql("select text from answer_section_history where invitation_id = $1 order by id",
        c.invitation().id()).stream().map(r -> r.getString("text")).toList();
    assertEquals(Answers.HISTORY_ROWS_PER_SECTION, texts.size());
    assertEquals("version 1", texts.get(0), "the first row stays");
    assertEquals("version " + saves, texts.get(texts.size() - 1), "the newest row stays");
    assertEquals("version 7", texts.get(1), "the oldest rows after the first went");
  }
}
