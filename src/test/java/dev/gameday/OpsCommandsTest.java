package dev.gameday;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.db.Migrations;
import dev.gameday.ops.Backup;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** gameday migrate, the refusal of a newer schema, and export / import. */
@ExtendWith(PostgresExtension.class)
class OpsCommandsTest {
  static final String EX = "incident-postmortem";
  static final String PASSWORD = "correct horse battery staple";
  static TestDatabase db;
  static List<String> created = new ArrayList<>();
  @TempDir
  Path tmp;

  @BeforeAll
  static void remember(TestDatabase database) {
    db = database;
  }

  @AfterEach
  void restoreEnvironment() {
    Main.environment = System::getenv;
  }

  @AfterAll
  static void dropCreated() throws Exception {
    for (String name : created) {
      sql(db.adminUrl(), "drop database if exists " + name + " with (force)");
    }
  }

  record Run(int code, String out, String err) {
  }

  static Run gameday(String databaseUrl, String... args) {
    Main.environment = () -> Map.of("GAMEDAY_DATABASE_URL", databaseUrl);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = new CommandLine(new Main());
      cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
        cmd.getErr().println("gameday: " + ex.getMessage());
        return ex instanceof Migrations.SchemaException ? 1 : 2;
      });
      int code = cli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static void sql(String url, String statement) throws Exception {
    Migrations.Jdbc j = Migrations.Jdbc.from(url);
    try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password()); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  static List<String> rows(String url, String table) throws Exception {
    Migrations.Jdbc j = Migrations.Jdbc.from(url);
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select row_to_json(t)::text from " + table + " t order by row_to_json(t)::text")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** A new, empty database on the test server; dropped after the class. */
  static String emptyDatabase() throws Exception {
    String name = "gd_opsimport_" + Long.toHexString(System.nanoTime());
    sql(db.adminUrl(), "create database " + name);
    created.add(name);
    String base = db.adminUrl().contains("?") ? db.adminUrl().substring(0, db.adminUrl().indexOf('?')) : db.adminUrl();
    return base.substring(0, base.lastIndexOf('/')) + "/" + name;
  }

  @Test
  @DisplayName("gameday migrate migrates an empty database and reports its version")
  void migrate() throws Exception {
    String url = emptyDatabase();
    Run r = gameday(url, "migrate");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s).*Database schema at version \\d+\\..*"), r.out());
    assertFalse(rows(url, "flyway_schema_history").isEmpty());
  }

  @Test
  @DisplayName("the server and migrate refuse a schema newer than they know, with a message saying what to do")
  void newerSchema() throws Exception {
    String url = emptyDatabase();
    Migrations.migrate(url, null);
    sql(url, "insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,"
        + " installed_by, execution_time, success) values (999, '999', 'from the future', 'SQL', 'V999__future.sql',"
        + " 0, 'test', 0, true)");
    Config config = Config.fromEnvironment(Map.of()).withDatabaseUrl(url);
    Migrations.SchemaException e = assertThrows(Migrations.SchemaException.class, () -> Gameday.open(config));
    assertTrue(e.getMessage().contains("version 999, newer than this release"), e.getMessage());
    Run r = gameday(url, "migrate");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("newer than this release"), r.err());
  }

  @Test
  @DisplayName("with GAMEDAY_MIGRATE_ON_START=false the server refuses a schema that is behind and names gameday migrate")
  void behindWithoutMigrateOnStart() throws Exception {
    String url = emptyDatabase();
    Config config = Config.fromEnvironment(Map.of("GAMEDAY_MIGRATE_ON_START", "false")).withDatabaseUrl(url);
    Migrations.SchemaException e = assertThrows(Migrations.SchemaException.class, () -> Gameday.open(config));
    assertTrue(e.getMessage().contains("run `gameday migrate` first"), e.getMessage());
    assertEquals(0, gameday(url, "migrate").code());
    Gameday.open(config).close(); // now current: it starts
  }

  @Test
  @DisplayName("export then import into an empty database reproduces every row; without --with-identity no identity leaves")
  void roundTrip() throws Exception {
    List<String> identity = seed();
    Path full = tmp.resolve("full.jsonl");
    Run ex = gameday(db.url(), "export", "--with-identity", "--out", full.toString());
    assertEquals(0, ex.code(), ex.err());
    String target = emptyDatabase();
    Run im = gameday(target, "import", "--in", full.toString());
    assertEquals(0, im.code(), im.err() + im.out());
    long total = 0;
    for (String table : Backup.TABLES) {
      List<String> before = rows(db.url(), table);
      assertEquals(before, rows(target, table), table + " differs after the round trip");
      total += before.size();
    }
    assertTrue(total > 50, "a seeded database: " + total + " rows");
    for (String t : List.of("invitations", "answers", "answer_section_history", "submissions", "reviews", "decisions", "audit_log")) {
      assertFalse(rows(db.url(), t).isEmpty(), t + " was seeded");
    }
    // sequences continue after the imported ids
    sql(target, "insert into audit_log (actor, action) values ('test', 'after.import')");
    assertEquals(1, rows(target, "audit_log").stream().filter(r -> r.contains("after.import")).count());
    // a second import is refused: the database is no longer empty
    Run again = gameday(target, "import", "--in", full.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("empty database"), again.err());

    Path anon = tmp.resolve("anon.jsonl");
    assertEquals(0, gameday(db.url(), "export", "--out", anon.toString()).code());
    String text = Files.readString(anon);
    for (String s : identity) {
      assertFalse(text.contains(s), "the export without --with-identity contains " + s);
      assertTrue(Files.readString(full).contains(s), "the full export contains " + s);
    }
    String anonTarget = emptyDatabase();
    assertEquals(0, gameday(anonTarget, "import", "--in", anon.toString()).code());
    assertEquals(rows(db.url(), "answers"), rows(anonTarget, "answers"), "answers survive an anonymous export");
  }

  @Test
  @DisplayName("every table of the schema is either exported or deliberately skipped")
  void everyTableClassified() throws Exception {
    Migrations.Jdbc j = Migrations.Jdbc.from(db.url());
    TreeSet<String> tables = new TreeSet<>();
    try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select table_name from information_schema.tables where table_schema = 'public'"
             + " and table_type = 'BASE TABLE'")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    TreeSet<String> classified = new TreeSet<>(Backup.TABLES);
    classified.addAll(Backup.SKIPPED);
    tables.removeAll(classified);
    assertTrue(tables.isEmpty(), "tables neither in Backup.TABLES (in foreign-key order) nor Backup.SKIPPED: " + tables);
  }

  /** A journey through the whole product; returns the identity strings it planted. */
  static List<String> seed() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestApp app = TestApp.start(db)) {
      List<String> identity = new ArrayList<>();
      String adminEmail = "admin.export@example.com";
      String reviewerEmail = "reviewer.export@example.com";
      await(app.app.accounts.add("Adele Exportadmin", adminEmail, PASSWORD, "admin"));
      await(app.app.accounts.add("Rupert Exportreviewer", reviewerEmail, PASSWORD, "reviewer"));
      identity.addAll(List.of(adminEmail, reviewerEmail, "Adele Exportadmin", "Rupert Exportreviewer"));
      JsonObject scores = new JsonObject();
      app.app.catalog.track("sre-senior").orElseThrow().versions().get(0).exercise().rubric()
          .forEach(c -> scores.put(c.id(), new JsonObject().put("level", 3).put("note", "ok")));
      Browser admin = signIn(vertx, app, adminEmail);
      Browser reviewer = signIn(vertx, app, reviewerEmail);
      for (int i = 0; i < 3; i++) {
        String name = "Zora Exportcandidate" + i;
        String email = "zora" + i + ".export@example.com";
        identity.addAll(List.of(name, email));
        Created c = app.invite(name, email);
        Browser cand = new Browser(vertx, app.port);
        await(cand.get("/i/" + c.token()));
        for (int rev = 1; rev <= 3; rev++) {
          assertEquals(200, await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", rev)
              .put("sections", new JsonObject().put("summary", "Answer " + rev + " with \"quotes\", ü and \n lines")))).statusCode());
        }
        String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
        String item = "/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit";
        for (Browser b : List.of(reviewer, admin)) {
          HttpResponse<Buffer> r = await(b.post(item, new JsonObject().put("scores", scores).put("recommendation", "yes")));
          assertEquals(200, r.statusCode(), r.bodyAsString());
        }
        HttpResponse<Buffer> d = await(admin.post("/api/v1/review/submissions/" + sid + "/decision",
            new JsonObject().put("decision", "advance").put("rationale", "Clear analysis.").put("confirmIncomplete", true)));
        assertEquals(200, d.statusCode(), d.bodyAsString());
        HttpResponse<Buffer> reveal = await(admin.post("/api/v1/review/submissions/" + sid + "/reveal", null));
        assertEquals(200, reveal.statusCode(), reveal.bodyAsString());
      }
      app.invite("Yusuf Notstarted", "yusuf.export@example.com");
      identity.addAll(List.of("Yusuf Notstarted", "yusuf.export@example.com"));
      // invited from the candidates page: the invitation records who invited (an account's email)
      HttpResponse<Buffer> invited = await(admin.post("/api/v1/candidates", new JsonObject().put("name", "Wim Invitedbyadmin")
          .put("email", "wim.export@example.com").put("track", "sre-senior")));
      assertEquals(201, invited.statusCode(), invited.bodyAsString());
      identity.addAll(List.of("Wim Invitedbyadmin", "wim.export@example.com"));
      return identity;
    } finally {
      await(vertx.close());
    }
  }

  static Browser signIn(Vertx vertx, TestApp app, String email) {
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    HttpResponse<Buffer> r = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    return b;
  }
}
