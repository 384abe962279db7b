package dev.gameday.ops;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class MetricsTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;

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

  static void assertSeries(String metrics, String regex) {
    assertTrue(Pattern.compile("(?m)^" + regex).matcher(metrics).find(), "no series " + regex);
  }

  @Test
  @DisplayName("after a short load /metrics shows HTTP by route template, pool, event loop, autosave outcomes and more")
  void series() throws Exception {
    Created inv = app.invite("Metric Candidate", "metric@example.com");
    Browser cand = new Browser(vertx, app.port);
    assertEquals(303, await(cand.get("/i/" + inv.token())).statusCode());
    assertEquals(200, await(cand.get("/candidate/exercises/" + EX)).statusCode());
    String path = "/api/v1/candidate/answers/" + EX;
    JsonObject sections = new JsonObject().put("summary", "text");
    assertEquals(200, await(cand.put(path, new JsonObject().put("rev", 2).put("sections", sections))).statusCode());
    assertEquals(409, await(cand.put(path, new JsonObject().put("rev", 1).put("sections", sections))).statusCode());
    assertEquals(400, await(cand.put(path, new JsonObject().put("rev", 3)
        .put("sections", new JsonObject().put("no-such-section", "x")))).statusCode());
    assertEquals(200, await(cand.post("/api/v1/candidate/submit", null)).statusCode());
    assertEquals(404, await(cand.get("/nowhere/" + inv.token())).statusCode());
    Thread.sleep(300);

    HttpResponse<Buffer> res = await(new Browser(vertx, app.port).get("/metrics"));
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertTrue(res.getHeader("Content-Type").startsWith("text/plain"));
    String m = res.bodyAsString();
    java.nio.file.Files.writeString(Path.of("target/metrics-sample.txt"), m); // for a reader of the build
    assertSeries(m, "vertx_http_server_requests_total\\{[^}]*code=\"2xx\"[^}]*route=\"/api/v1/candidate/answers/:exerciseId\"");
    assertSeries(m, "vertx_http_server_requests_total\\{[^}]*route=\"/i/:token\"");
    assertSeries(m, "vertx_http_server_response_time_seconds_bucket\\{[^}]*route=\"/candidate/exercises/:exerciseId\",le=\"1\\.0\"");
    assertSeries(m, "gameday_autosaves_total\\{outcome=\"saved\",reason=\"none\"\\} 1\\.0");
    assertSeries(m, "gameday_autosaves_total\\{outcome=\"stale\",reason=\"stale_rev\"\\} 1\\.0");
    assertSeries(m, "gameday_autosaves_total\\{outcome=\"refused\",reason=\"unknown_section\"\\} 1\\.0");
    assertSeries(m, "gameday_autosave_duration_seconds_bucket\\{outcome=\"saved\",le=\"1\\.0\"\\} 1");
    assertSeries(m, "gameday_submit_requests_total\\{outcome=\"sealed\"\\} 1\\.0");
    assertSeries(m, "gameday_render_seconds_count\\{template=\"candidate-exercise\"\\}");
    assertSeries(m, "gameday_event_loop_delay_seconds_count");
    assertSeries(m, "gameday_database_up 1\\.0");
    assertSeries(m, "gameday_db_pool_max " + Config.Ops.DEFAULT_DATABASE_POOL + "\\.0");
    assertSeries(m, "gameday_candidates_active ");
    assertSeries(m, "gameday_submissions ");
    assertSeries(m, "gameday_reviews\\{state=\"submitted\"\\}");
    assertSeries(m, "vertx_pool_in_use\\{[^}]*pool_name=\"gameday\"");
    assertSeries(m, "vertx_pool_queue_pending\\{[^}]*pool_name=\"gameday\"");
    assertSeries(m, "jvm_memory_used_bytes");
    assertFalse(m.contains(inv.token()), "no raw path (with its token) becomes a label");
    assertFalse(m.contains("/nowhere"), "unknown paths do not become labels");
    assertSeries(m, "vertx_http_server_requests_total\\{[^}]*code=\"4xx\"[^}]*route=\"unmatched\"");
  }

  @Test
  @SuppressWarnings("unchecked")
  @DisplayName("every series the alert rules and the Grafana dashboard use is exposed; every alert has a runbook entry")
  void docsUseRealSeries() throws Exception {
    Browser b = new Browser(vertx, app.port);
    assertEquals(200, await(b.get("/")).statusCode());
    String m = await(b.get("/metrics")).bodyAsString();
    List<String> exprs = new java.util.ArrayList<>();
    Map<String, Object> rules = new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(Path.of("docs/prometheus-rules.yml")));
    java.util.Set<String> recorded = new java.util.HashSet<>();
    List<String> alerts = new java.util.ArrayList<>();
    for (Map<String, Object> g : (List<Map<String, Object>>) rules.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
        exprs.add(String.valueOf(r.get("expr")));
        if (r.containsKey("record")) {
          recorded.add(String.valueOf(r.get("record")));
        } else {
          alerts.add(String.valueOf(r.get("alert")));
        }
      }
    }
    JsonObject dash = new JsonObject(java.nio.file.Files.readString(Path.of("docs/grafana-dashboard.json")));
    dash.getJsonArray("panels").forEach(p -> {
      var targets = ((JsonObject) p).getJsonArray("targets");
      if (targets != null) {
        targets.forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
      }
    });
    assertTrue(exprs.size() > 30, "rules and panels: " + exprs.size());
    java.util.Set<String> used = new java.util.TreeSet<>();
    for (String e : exprs) {
      String bare = e.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*\\}", "").replaceAll("\\[[^\\]]*\\]", "")
          .replaceAll("by \\([^)]*\\)", "");
      java.util.regex.Matcher t = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
      while (t.find()) {
        String name = t.group();
        if (name.contains(":")) {
          assertTrue(recorded.contains(name), "recording rule " + name + " is defined");
        } else if (name.matches("(gameday|vertx|jvm|process)_.*")) {
          used.add(name);
        }
      }
    }
    for (String name : used) {
      assertSeries(m, Pattern.quote(name) + "[{ ]");
    }
    assertTrue(used.size() >= 15, "series used: " + used);
    String runbook = java.nio.file.Files.readString(Path.of("docs/operations.md"));
    for (String alert : alerts) {
      assertTrue(runbook.contains("\n### " + alert + "\n"), "docs/operations.md has a runbook entry for " + alert);
      assertTrue(runbook.contains("`" + alert + "`"), "docs/operations.md's alert table lists " + alert);
    }
  }

  @Test
  @DisplayName("the whole-database counts behind the gauges have a deadline Postgres enforces: a count stuck behind a lock"
      + " is cancelled in the database, not left running there, and the gauges keep their last values")
  void countsDeadline(TestDatabase db) throws Exception {
    // its own server: MetricsTest's other tests count the shared one's saves
    try (TestApp own = TestApp.start(db)) {
      own.submitted(vertx, "Counts Candidate");
      Observability ops = new Observability(Optional.empty());
      await(ops.counts(own.app.pool, "5s"));
      long submissions = own.one("select count(*) as n from submissions").orElseThrow().getLong("n");
      assertTrue(submissions > 0, "a candidate submitted");
      assertEquals(submissions, ops.registry.get("gameday.submissions").gauge().value());

      // the counts through a pool of their own, named, so pg_stat_activity tells their statement from the servers'
      Pool named = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.url())
          .addProperty("application_name", "counts-deadline-test")).using(vertx).build();
      io.vertx.sqlclient.SqlConnection locker = await(own.app.pool.getConnection());
      try {
        await(locker.query("begin").execute());
        await(locker.query("lock table decisions in access exclusive mode").execute());
        // 57014 query_canceled: Postgres stopped the statement itself (a deadline kept only by the client would leave
        // it waiting for the lock in the database, holding the pool's connection)
        PgException cancelled = assertThrows(PgException.class, () -> await(ops.counts(named, "300ms")));
        assertEquals("57014", cancelled.getSqlState(), "cancelled by Postgres: " + cancelled);
        assertEquals(0, own.one("select count(*) as n from pg_stat_activity where state = 'active'"
            + " and application_name = 'counts-deadline-test'").orElseThrow().getLong("n"));
        assertEquals(submissions, ops.registry.get("gameday.submissions").gauge().value(), "the last value is kept");
      } finally {
        await(locker.query("rollback").execute());
        await(locker.close());
        await(named.close());
      }
    }
  }

  @Test
  @DisplayName("GAMEDAY_DATABASE_POOL sets how many connections the server's pool holds (8 by default); nonsense is refused"
      + " at start-up with the variable's name")
  void poolSize(TestDatabase db) throws Exception {
    assertEquals(8, Config.fromEnvironment(Map.of()).ops().databasePool());
    assertEquals(3, Config.fromEnvironment(Map.of("GAMEDAY_DATABASE_POOL", " 3 ")).ops().databasePool());
    for (String bad : List.of("0", "-2", "501", "many")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Config.fromEnvironment(Map.of("GAMEDAY_DATABASE_POOL", bad)), bad);
      assertTrue(e.getMessage().startsWith("GAMEDAY_DATABASE_POOL must be"), e.getMessage());
    }
    try (TestApp small = TestApp.start(db, Path.of("exercises"),
        c -> c.withOps(new Config.Ops("text", Optional.empty(), true, 3)))) {
      HttpResponse<Buffer> m = await(new Browser(vertx, small.port).get("/metrics"));
      assertEquals(200, m.statusCode());
      assertSeries(m.bodyAsString(), "gameday_db_pool_max 3\\.0");
      // the pool itself: with three connections taken, a fourth waits until one is given back
      List<io.vertx.sqlclient.SqlConnection> taken = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        taken.add(await(small.app.pool.getConnection()));
      }
      io.vertx.core.Future<io.vertx.sqlclient.SqlConnection> fourth = small.app.pool.getConnection();
      Thread.sleep(500);
      assertFalse(fourth.isComplete(), "a fourth connection was given while three were taken");
      await(taken.get(0).close());
      await(await(fourth).close());
      for (int i = 1; i < 3; i++) {
        await(taken.get(i).close());
      }
    }
  }

  @Test
  @DisplayName("with GAMEDAY_METRICS_TOKEN set, /metrics needs the bearer token; without, it answers loopback only")
  void access(TestDatabase db) throws Exception {
    try (TestApp guarded = TestApp.start(db, Path.of("exercises"),
        c -> c.withOps(new Config.Ops("text", Optional.of("metrics-secret"), true, Config.Ops.DEFAULT_DATABASE_POOL)))) {
      Browser b = new Browser(vertx, guarded.port);
      assertEquals(401, await(b.get("/metrics")).statusCode());
      assertEquals(401, await(b.get("/metrics", Map.of("Authorization", "Bearer wrong"))).statusCode());
      HttpResponse<Buffer> ok = await(b.get("/metrics", Map.of("Authorization", "Bearer metrics-secret")));
      assertEquals(200, ok.statusCode());
      assertTrue(ok.bodyAsString().contains("gameday_database_up"));
    }
    InetAddress external = null;
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && nif.isUp()) {
          external = a;
        }
      }
    }
    Assumptions.assumeTrue(external != null, "this machine has no non-loopback address to connect from");
    var client = io.vertx.ext.web.client.WebClient.create(vertx);
    HttpResponse<Buffer> far = await(client.get(app.port, external.getHostAddress(), "/metrics").send());
    assertEquals(403, far.statusCode(), "a connection from " + external + " is not loopback");
    assertEquals("metrics_local_only", far.bodyAsJsonObject().getString("error"));
    List.of(far).forEach(r -> assertTrue(r.getHeader("X-Request-Id") != null));
  }
}
