package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The disclosure (issue 25, item 5): one text on the start page and in the README, and no data about a candidate's
 * work beyond what its list names: every column of the tables that hold it and every kind of trail event.
 */
@ExtendWith(PostgresExtension.class)
class DisclosureTest {
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

  /** The front matter: table (or table.kind) to the names listed. */
  private static Map<String, List<String>> listed() {
    String source = Disclosure.source();
    assertTrue(source.startsWith("---\n"), "disclosure.md opens with its front matter");
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : source.substring(4, source.indexOf("\n---\n", 3)).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      out.put(line.substring(0, colon).strip(), Arrays.stream(line.substring(colon + 1).split(",")).map(String::strip).toList());
    }
    return out;
  }

  @Test
  @DisplayName("the README quotes the disclosure word for word")
  void readmeQuotesIt() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("<!-- disclosure:start -->\n(.*?)<!-- disclosure:end -->", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "the README has the quote between its markers");
    assertEquals(Disclosure.body(), m.group(1));
  }

  @Test
  @DisplayName("every column of the tables that hold a candidate's work is in the disclosure's list; nothing listed is missing")
  void columnsAreListed() {
    Map<String, List<String>> listed = listed();
    List<String> tables = listed.keySet().stream().filter(k -> !k.contains(".")).toList();
    assertTrue(tables.containsAll(List.of("answers", "answer_section_history", "trail_events", "submissions")), tables.toString());
    List<String> unlisted = new ArrayList<>();
    for (String table : tables) {
      TreeSet<String> columns = new TreeSet<>();
      for (Row r : app.sql("select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1", table)) {
        columns.add(r.getString("column_name"));
      }
      assertTrue(!columns.isEmpty(), "table " + table + " exists");
      columns.stream().filter(c -> !listed.get(table).contains(c)).forEach(c -> unlisted.add(table + "." + c));
      listed.get(table).stream().filter(c -> !columns.contains(c)).forEach(c -> unlisted.add("listed but absent: " + table + "." + c));
    }
    assertEquals(List.of(), unlisted, "a new column about candidates' work needs the disclosure to say so (and its list to name it)");
  }

  @Test
  @DisplayName("every kind of trail event, in the code and in the database's check, is in the disclosure's list")
  void trailKindsAreListed() {
    List<String> kinds = listed().get("trail_events.kind");
    assertEquals(new TreeSet<>(kinds), new TreeSet<>(Trails.KINDS.keySet()));
    String check = app.one("""
        select pg_get_constraintdef(c.oid) as def from pg_constraint c
         where c.conrelid = 'trail_events'::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like '%kind%'""")
        .orElseThrow().getString("def");
    TreeSet<String> inDb = new TreeSet<>();
    Matcher m = Pattern.compile("'([a-z_]+)'").matcher(check);
    while (m.find()) {
      inDb.add(m.group(1));
    }
    assertEquals(new TreeSet<>(kinds), inDb, check);
  }

  @Test
  @DisplayName("the start page shows the disclosure before the exercises, with what is not recorded")
  void startPageShowsIt() {
    Created c = app.invite("Dee Disclosed", "dee@example.com");
    Browser b = new Browser(vertx, app.port);
    await(b.get("/i/" + c.token()));
    String page = await(b.get("/candidate")).bodyAsString();
    assertTrue(page.contains(Disclosure.html()), "the rendered disclosure, as is");
    assertTrue(page.contains("no camera, no microphone, no screen, no keystrokes"));
    assertTrue(page.indexOf("What we record") < page.indexOf("The exercises"), "before the exercises");
  }
}
