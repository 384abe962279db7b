package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.db.Migrations;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 4: one active invitation per email and track is a database constraint, not a check before an
 * insert. Many requests for the same email and track sent at once create one invitation; the others get 409
 * {@code duplicate} with the existing invitation's id (JSON), a readable page (the invite form) or a listed problem
 * (CSV import), never a 500.
 */
@ExtendWith(PostgresExtension.class)
class DuplicateInvitationTest {
  static final int PARALLEL = 24;
  /** Every connection of the server's pool in a creating transaction at once: more cannot wait at the lock. */
  static final int POOL = dev.gameday.Config.Ops.DEFAULT_DATABASE_POOL;
  static TestApp app;
  static TestDatabase database;
  static Vertx vertx;
  static WebClient client;
  static final AtomicInteger counter = new AtomicInteger();

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    database = db;
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port)
        .setFollowRedirects(false), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(PARALLEL));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static String token() {
    return await(app.app.apiTokens.create("test", "dup" + counter.incrementAndGet(), List.of("invitations:write", "invitations:read"),
        null)).getString("secret");
  }

  static long active(String email) {
    return app.one("""
        select count(*) as n from invitations where lower(candidate_email) = lower($1) and track_id = 'sre-senior'
           and state = 'draft' and revoked_at is null and erased_at is null""", email).orElseThrow().getLong("n");
  }

  /**
   * Sends the requests while another connection holds a lock every creating transaction needs after its duplicate
   * check ({@code invitation_exercises}), until {@code waiting} transactions wait for a lock: so they truly overlap,
   * as they would on a busy server, instead of finishing one by one before the next arrives. At most as many as the
   * server's pool has connections can wait (the rest wait for a connection, and after 5 s are answered 503).
   */
  static <T> List<T> overlapping(int waiting, java.util.function.Supplier<List<Future<T>>> send) throws Exception {
    Migrations.Jdbc jdbc = Migrations.Jdbc.from(database.url());
    List<Future<T>> futures;
    try (Connection gate = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
         Connection watch = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
      gate.setAutoCommit(false);
      try (Statement s = gate.createStatement()) {
        s.execute("lock table invitation_exercises in exclusive mode");
      }
      futures = send.get();
      long until = System.nanoTime() + 10_000_000_000L;
      int blocked = 0;
      while (blocked < waiting && System.nanoTime() < until) {
        try (Statement s = watch.createStatement(); ResultSet rs = s.executeQuery(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")) {
          rs.next();
          blocked = rs.getInt(1);
        }
        Thread.sleep(20);
      }
      gate.commit();
    }
    await(Future.join(new ArrayList<>(futures)));
    return futures.stream().map(Future::result).toList();
  }

  @Test
  @DisplayName(PARALLEL + " concurrent POST /api/v1/candidates for one email and track (no Idempotency-Key): one 201, the rest 409 with its id")
  void concurrentJson() throws Exception {
    String secret = token();
    String email = "Race" + counter.incrementAndGet() + "@Example.com";
    List<HttpResponse<Buffer>> answers = overlapping(POOL, () -> {
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        // the same person, spelled with different case: the constraint is on the normalised address
        JsonObject body = new JsonObject().put("name", "Rita Race").put("email", i % 2 == 0 ? email : email.toLowerCase())
            .put("track", "sre-senior");
        sent.add(client.post("/api/v1/candidates").putHeader("Authorization", "Bearer " + secret).sendJsonObject(body));
      }
      return sent;
    });
    List<HttpResponse<Buffer>> created = answers.stream().filter(r -> r.statusCode() == 201).toList();
    assertEquals(1, created.size(), answers.stream().map(r -> r.statusCode() + " " + r.bodyAsString()).toList().toString());
    assertEquals(1, active(email), "one invitation in the database");
    long id = created.get(0).bodyAsJsonObject().getLong("id");
    for (HttpResponse<Buffer> r : answers) {
      if (r.statusCode() != 201) {
        assertEquals(409, r.statusCode(), r.bodyAsString());
        JsonObject j = r.bodyAsJsonObject();
        assertEquals("duplicate", j.getString("error"));
        assertNotNull(j.getString("message"));
        assertEquals(id, j.getLong("id"), "the existing invitation's id: " + j.encode());
        assertEquals(id, j.getLong("existing"));
      }
    }
    // a confirmed second one is still possible, on purpose
    HttpResponse<Buffer> second = await(client.post("/api/v1/candidates").putHeader("Authorization", "Bearer " + secret)
        .sendJsonObject(new JsonObject().put("name", "Rita Race").put("email", email).put("track", "sre-senior")
            .put("confirmDuplicate", true)));
    assertEquals(201, second.statusCode(), second.bodyAsString());
    assertEquals(2, active(email));
  }

  @Test
  @DisplayName("concurrent invites from the recruiter's page: one invitation, the others get the duplicate message (409 page), no 500")
  void concurrentPage() throws Exception {
    String email = "page" + counter.incrementAndGet() + "@example.com";
    List<Browser> browsers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // each with a browser of its own: the CSRF token is per session
      browsers.add(app.signIn(vertx, app.account("recruiter")));
    }
    List<HttpResponse<Buffer>> answers = overlapping(POOL, () -> browsers.stream().map(own -> own.postForm("/candidates",
        MultiMap.caseInsensitiveMultiMap().add("name", "Pat Page").add("email", email).add("track", "sre-senior")
            .add("_csrf", own.cookie("XSRF-TOKEN")))).toList());
    // Post/Redirect/Get: every form answers 303; one leads to the new candidate's page, the others back to the form,
    // which then says why (the flash of each browser's own session)
    assertEquals(List.of(303, 303, 303, 303, 303, 303, 303, 303), answers.stream().map(HttpResponse::statusCode).toList());
    List<String> locations = answers.stream().map(r -> r.getHeader("Location")).toList();
    assertEquals(1, locations.stream().filter(l -> l.matches(".*/candidates/\\d+")).count(), locations.toString());
    for (int i = 0; i < answers.size(); i++) {
      if (!locations.get(i).matches(".*/candidates/\\d+")) {
        String shown = await(browsers.get(i).get(locations.get(i).replaceFirst("^https?://[^/]+", "").replaceFirst("#.*", ""))).bodyAsString();
        assertTrue(shown.contains("already has an open invitation"), shown);
      }
    }
    assertEquals(1, active(email));
  }

  @Test
  @DisplayName("concurrent CSV imports of one file: one imports, the others list each row as a duplicate (400), no 500")
  void concurrentCsv() throws Exception {
    String secret = token();
    String tag = "csvrace" + counter.incrementAndGet();
    StringBuilder csv = new StringBuilder("name,email,track\n");
    for (int i = 0; i < 5; i++) {
      csv.append("Person ").append(i).append(',').append(tag).append('-').append(i).append("@example.com,sre-senior\n");
    }
    List<HttpResponse<Buffer>> answers = overlapping(POOL, () -> {
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(client.post("/api/v1/candidates/import").putHeader("Authorization", "Bearer " + secret)
            .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(csv.toString())));
      }
      return sent;
    });
    assertEquals(1, answers.stream().filter(r -> r.statusCode() == 200).count(),
        answers.stream().map(r -> r.statusCode() + " " + r.bodyAsString()).toList().toString());
    for (HttpResponse<Buffer> r : answers) {
      if (r.statusCode() != 200) {
        assertEquals(400, r.statusCode(), r.bodyAsString());
        assertEquals("invalid_csv", r.bodyAsJsonObject().getString("error"));
        assertTrue(r.bodyAsString().contains("already has an open invitation"), r.bodyAsString());
      }
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(1, active(tag + "-" + i + "@example.com"));
    }
  }

  @Test
  @DisplayName("an expired invitation does not block a new one; the new one is the active one")
  void expiredIsSuperseded() {
    String secret = token();
    String email = "expired" + counter.incrementAndGet() + "@example.com";
    JsonObject body = new JsonObject().put("name", "Eve Expired").put("email", email).put("track", "sre-senior");
    HttpResponse<Buffer> first = await(client.post("/api/v1/candidates").putHeader("Authorization", "Bearer " + secret).sendJsonObject(body));
    assertEquals(201, first.statusCode(), first.bodyAsString());
    app.sql("update invitations set deadline = now() - interval '1 day', closes_at = now() - interval '1 day' where id = $1",
        first.bodyAsJsonObject().getLong("id"));
    HttpResponse<Buffer> again = await(client.post("/api/v1/candidates").putHeader("Authorization", "Bearer " + secret).sendJsonObject(body));
    assertEquals(201, again.statusCode(), again.bodyAsString());
    HttpResponse<Buffer> third = await(client.post("/api/v1/candidates").putHeader("Authorization", "Bearer " + secret).sendJsonObject(body));
    assertEquals(409, third.statusCode(), third.bodyAsString());
    assertEquals(again.bodyAsJsonObject().getLong("id"), third.bodyAsJsonObject().getLong("id"));
  }

  @Test
  @DisplayName("the migration copes with duplicates already in the database: it keeps one active per email and track")
  void migrationWithExistingDuplicates(TestDatabase db) throws Exception {
    String name = "gd_dupmig_" + Long.toHexString(System.nanoTime());
    Migrations.Jdbc admin = Migrations.Jdbc.from(db.adminUrl());
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password()); Statement s = c.createStatement()) {
      s.execute("create database " + name);
    }
    String url = db.adminUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    Migrations.Jdbc jdbc = Migrations.Jdbc.from(url);
    try {
      Flyway.configure().dataSource(jdbc.url(), jdbc.user(), jdbc.password()).locations("classpath:db/migration")
          .target("52").load().migrate();
      try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password()); Statement s = c.createStatement()) {
        s.execute("insert into tracks (id, title, content_hash, definition) values ('t', 'T', 'h', '{}') on conflict do nothing");
        for (int i = 0; i < 4; i++) {
          // three open and one expired for one person, and a second track
          s.execute("insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, deadline, closes_at)"
              + " values (decode(md5('" + i + "'), 'hex'), 'Candidate 000" + i + "', 't', 'Dee', '" + (i == 1 ? "DEE" : "dee")
              + "@example.com', now() + interval '" + (i == 3 ? "-1" : "1") + " day', now() + interval '" + (i == 3 ? "-1" : "1") + " day')");
        }
      }
      Migrations.migrate(url);
      try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password()); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("select count(*) from invitations")) {
        rs.next();
        assertEquals(4, rs.getInt(1), "nothing deleted");
        try (ResultSet kept = s.executeQuery("select pseudonym from invitations where unique_active order by id")) {
          assertTrue(kept.next());
          assertEquals("Candidate 0000", kept.getString(1), "the oldest open one keeps its place in the rule");
          assertFalse(kept.next(), "only one");
        }
        // a fifth one without confirmation is refused by the database itself
        boolean refused = false;
        try {
          s.execute("insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, deadline, closes_at)"
              + " values (decode(md5('x'), 'hex'), 'Candidate 00FF', 't', 'Dee', 'Dee@example.com', now() + interval '1 day',"
              + " now() + interval '1 day')");
        } catch (java.sql.SQLException e) {
          refused = "23505".equals(e.getSQLState());
        }
        assertTrue(refused, "the unique index refuses a second active invitation");
      }
    } finally {
      try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password()); Statement s = c.createStatement()) {
        s.execute("drop database if exists " + name + " with (force)");
      }
    }
    assertFalse(name.isEmpty());
  }
}
