package dev.gameday.ops;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.OutputStreamAppender;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.LogCapture;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Logs: JSON lines when asked, every request line carries its request id, and no secret or answer ever appears. */
@ExtendWith(PostgresExtension.class)
class LogsTest {
  static final String PASSWORD = "Hunter2-Secret-Passphrase";
  static final String CANDIDATE_EMAIL = "ada.logtest@example.com";
  static final String REVIEWER_EMAIL = "rita.logtest@example.com";
  static final String ANSWER = "The-Answer-Text-Nobody-Should-Log: the pool was exhausted at 04:12.";
  static final String NOTE = "Reviewer-Note-Nobody-Should-Log";
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
    configure(null);
  }

  /** Reconfigures logback from the shipped logback.xml, as if GAMEDAY_LOG_FORMAT were {@code format}; captures it. */
  static ByteArrayOutputStream configure(String format) throws Exception {
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    lc.reset();
    lc.getStatusManager().clear();
    if (format != null) {
      lc.putProperty("GAMEDAY_LOG_FORMAT", format);
    }
    JoranConfigurator jc = new JoranConfigurator();
    jc.setContext(lc);
    jc.doConfigure(LogsTest.class.getResource("/logback.xml"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // the access log's queue and every other logger end in the same console appender
    var console = (OutputStreamAppender<?>) lc.getLogger("ROOT").getAppender("console");
    console.setOutputStream(out);
    assertEquals(format == null ? "PatternLayoutEncoder" : "JsonEncoder", console.getEncoder().getClass().getSimpleName());
    assertTrue(lc.getStatusManager().getCopyOfStatusList().stream().noneMatch(st -> st.getLevel() > 0),
        "logback.xml configures without warnings (a warning prints logback's status on standard output)");
    return out;
  }

  static List<String> lines(ByteArrayOutputStream out) {
    List<String> lines = new ArrayList<>();
    for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        lines.add(l);
      }
    }
    return lines;
  }

  /** Log lines pass a queue: wait (bounded) until a marker has been written. */
  static void waitFor(ByteArrayOutputStream out, String marker) throws InterruptedException {
    for (int i = 0; i < 100 && !out.toString(StandardCharsets.UTF_8).contains(marker); i++) {
      Thread.sleep(50);
    }
  }

  @Test
  @DisplayName("a whole journey logs JSON lines with request ids and never a token, answer, password or email")
  void journey() throws Exception {
    ByteArrayOutputStream out = configure("json");
    Created inv = app.invite("Ada Logtest", CANDIDATE_EMAIL);
    Browser cand = new Browser(vertx, app.port);
    HttpResponse<Buffer> opened = await(cand.get("/i/" + inv.token(), Map.of("X-Request-Id", "journey-open-1")));
    assertEquals(303, opened.statusCode());
    assertEquals("journey-open-1", opened.getHeader("X-Request-Id"), "a valid given id is kept");
    assertEquals(200, await(cand.get("/candidate/exercises/" + EX)).statusCode());
    HttpResponse<Buffer> saved = await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", ANSWER))));
    assertEquals(200, saved.statusCode(), saved.bodyAsString());
    HttpResponse<Buffer> submitted = await(cand.post("/api/v1/candidate/submit", null));
    assertEquals(200, submitted.statusCode(), submitted.bodyAsString());
    String sid = submitted.bodyAsJsonObject().getString("submissionId");

    await(app.app.accounts.add("Rita Logtest", REVIEWER_EMAIL, PASSWORD, "reviewer"));
    Browser rev = new Browser(vertx, app.port);
    await(rev.get("/login"));
    HttpResponse<Buffer> in = await(rev.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", REVIEWER_EMAIL).add("password", PASSWORD).add("_csrf", rev.cookie("XSRF-TOKEN"))));
    assertEquals(303, in.statusCode(), in.bodyAsString());
    JsonObject scores = new JsonObject();
    app.app.catalog.track("sre-senior").orElseThrow().versions().get(0).exercise().rubric()
        .forEach(c -> scores.put(c.id(), new JsonObject().put("level", 3).put("note", NOTE)));
    HttpResponse<Buffer> reviewed = await(rev.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX
        + "/review/submit", new JsonObject().put("scores", scores).put("recommendation", "yes")));
    assertEquals(200, reviewed.statusCode(), reviewed.bodyAsString());
    await(new Browser(vertx, app.port).get("/login", Map.of("X-Request-Id", "journey-last")));
    waitFor(out, "journey-last"); // end handlers log after the response is written, through a queue
    LoggerFactory.getLogger("gameday.test").info("a line outside any request");

    List<String> lines = lines(out);
    assertFalse(lines.isEmpty());
    String all = String.join("\n", lines);
    for (String secret : List.of(inv.token(), ANSWER, "Nobody-Should-Log", PASSWORD, CANDIDATE_EMAIL, REVIEWER_EMAIL,
        "ada.logtest", "rita.logtest")) {
      assertFalse(all.contains(secret), "the logs contain " + secret);
    }
    List<JsonObject> access = new ArrayList<>();
    for (String l : lines) {
      JsonObject j = new JsonObject(l); // every line is one JSON object
      if ("gameday.access".equals(j.getString("loggerName"))) {
        access.add(j);
      }
    }
    assertTrue(access.size() >= 7, "one line per request: " + access.size());
    JsonObject outside = lines.stream().map(JsonObject::new).filter(j -> "gameday.test".equals(j.getString("loggerName")))
        .findFirst().orElseThrow();
    assertTrue(outside.getJsonObject("mdc") == null || outside.getJsonObject("mdc").getString("requestId") == null,
        "no request id outside a request: " + outside.encode());
    for (JsonObject a : access) {
      JsonObject mdc = a.getJsonObject("mdc");
      assertTrue(mdc != null && mdc.getString("requestId") != null && !mdc.getString("requestId").isEmpty(),
          "every request line carries its request id: " + a.encode());
    }
    assertTrue(access.stream().anyMatch(a -> "journey-open-1".equals(a.getJsonObject("mdc").getString("requestId"))
        && a.getString("formattedMessage").contains("GET /i/:token 303")), "the route template, not the path: " + access);
    assertTrue(access.stream().anyMatch(a -> a.getString("formattedMessage").contains("PUT /api/v1/candidate/answers/:exerciseId 200")));
    assertTrue(access.stream().anyMatch(a -> a.getString("formattedMessage").contains("GET /candidate/exercises/:exerciseId 200")));
    assertTrue(access.stream().anyMatch(a -> a.getString("formattedMessage").contains(
        "POST /api/v1/review/submissions/:sid/exercises/:ex/review/submit 200")));
  }

  @Test
  @DisplayName("a line logged on a worker and after a database round trip while serving a request carries its id")
  void workerAndAsyncLines() throws Exception {
    ByteArrayOutputStream out = configure("json");
    org.slf4j.Logger log = LoggerFactory.getLogger("gameday.test.worker");
    io.vertx.ext.web.Router router = io.vertx.ext.web.Router.router(vertx);
    router.route().handler(ctx -> {
      dev.gameday.web.RequestIds.assign(ctx);
      ctx.next();
    });
    router.get("/w").handler(ctx -> ctx.vertx().executeBlocking(() -> {
      log.info("on a worker");
      return null;
    }).compose(v -> app.app.pool.query("select 1").execute()).onComplete(r -> {
      log.info("after the database");
      ctx.end("ok");
    }));
    var server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    try {
      Browser b = new Browser(vertx, server.actualPort());
      assertEquals(200, await(b.get("/w", Map.of("X-Request-Id", "worker-check-1"))).statusCode());
      assertEquals(200, await(b.get("/w", Map.of("X-Request-Id", "worker-check-2"))).statusCode());
    } finally {
      await(server.close());
    }
    List<JsonObject> lines = lines(out).stream().map(JsonObject::new)
        .filter(j -> "gameday.test.worker".equals(j.getString("loggerName"))).toList();
    assertEquals(4, lines.size(), lines.toString());
    for (int i = 0; i < 4; i++) {
      assertEquals("worker-check-" + (i / 2 + 1), lines.get(i).getJsonObject("mdc").getString("requestId"),
          lines.get(i).encode());
    }
  }

  @Test
  @DisplayName("text logs carry the request id too; an invalid X-Request-Id is replaced, errors and static files get one")
  void textAndInvalidIds() throws Exception {
    ByteArrayOutputStream out = configure(null);
    Browser b = new Browser(vertx, app.port);
    HttpResponse<Buffer> r = await(b.get("/no/such/page", Map.of("X-Request-Id", "text-check-42")));
    assertEquals(404, r.statusCode());
    assertEquals("text-check-42", r.getHeader("X-Request-Id"));
    waitFor(out, "[text-check-42]");
    assertTrue(lines(out).stream().anyMatch(l -> l.contains("[text-check-42]") && l.contains("GET unmatched 404")),
        String.join("\n", lines(out)));

    for (String bad : List.of("has space", "x".repeat(65), "semi;colon", "new\u2028line", "")) {
      HttpResponse<Buffer> res = await(b.get("/static/css/app.css", Map.of("X-Request-Id", bad)));
      assertEquals(200, res.statusCode());
      String id = res.getHeader("X-Request-Id");
      assertNotEquals(bad, id);
      assertTrue(id.matches("[0-9a-f]{32}"), id);
    }
    HttpResponse<Buffer> api = await(b.put("/api/v1/candidate/answers/" + EX, new JsonObject()));
    assertEquals(401, api.statusCode());
    assertTrue(api.getHeader("X-Request-Id").matches("[0-9a-f]{32}"), "JSON errors carry an id");
  }

  /**
   * A request that fails on our side (here: a table the invitation link reads is missing, as after a botched manual
   * change) gets a readable 500 page, and its one error line names the route by its template, so an operator can
   * tell which page broke, and never the raw path, which carries the invitation's token.
   */
  @Test
  @DisplayName("a 500 is logged once, with the stack trace and its route template (/i/:token), never the path's token")
  void serverErrorNamesRoute() {
    Created inv = app.invite("Err Or", "error-log@example.com");
    Browser b = new Browser(vertx, app.port);
    app.sql("alter table invitations rename to invitations_away");
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<Buffer> r = await(b.get("/i/" + inv.token()));
      assertEquals(500, r.statusCode(), r.bodyAsString());
      assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
      assertFalse(r.bodyAsString().contains("Exception") || r.bodyAsString().contains("invitations_away"), r.bodyAsString());

      List<ILoggingEvent> failed = logs.matching("HttpVerticle", "failed").stream()
          .filter(e -> e.getFormattedMessage().startsWith("GET ")).toList();
      assertEquals(1, failed.size(), "one error line for the request: " + failed.stream().map(ILoggingEvent::getFormattedMessage).toList());
      // before: "GET (no route) failed" (currentRoute() in a failure handler is the failure handler's own route)
      assertEquals("GET /i/:token failed", failed.get(0).getFormattedMessage());
      assertTrue(failed.get(0).getThrowableProxy() != null, "the line carries the stack trace");
      assertTrue(logs.events().stream().noneMatch(e -> e.getFormattedMessage().contains(inv.token())),
          "the invitation's token is in no log line");
    } finally {
      app.sql("alter table invitations_away rename to invitations");
    }
  }
}
