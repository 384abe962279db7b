package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
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
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile Markdown through the server: the preview, a stored answer's reviewer page and JSON, and the rest of the
 * server while the worst of it renders. Bounds are liveness bounds (a stalled server fails them), not speed targets.
 */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class MarkdownServerTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String EX = "incident-postmortem";
  static final Set<Integer> SAFE = Set.of(200, 422, 503);
  static final AtomicInteger counter = new AtomicInteger();
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

  static Browser candidate() {
    Created c = app.invite("Hostile " + counter.incrementAndGet(), "hostile" + counter.get() + "@example.com");
    Browser b = new Browser(vertx, app.port);
    assertEquals(3, within(b.get("/i/" + c.token()), 30).statusCode() / 100, "the invitation signs the candidate in");
    return b;
  }

  static Browser reviewer() {
    String email = "reviewer" + counter.incrementAndGet() + "@example.com";
    await(app.app.accounts.add("Reviewer " + counter.get(), email, PASSWORD, "reviewer"));
    Browser b = new Browser(vertx, app.port);
    within(b.get("/login"), 30);
    HttpResponse<Buffer> r = within(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))), 30);
    assertEquals(303, r.statusCode(), r.bodyAsString());
    return b;
  }

  /** The future's result, or a failure if it takes longer than a stalled server would (never waits 60 s). */
  static <T> T within(Future<T> f, int seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer within " + seconds + " s: " + e, e);
    }
  }

  static HttpResponse<Buffer> preview(Browser b, String text) {
    return within(b.post("/api/v1/candidate/preview", new JsonObject().put("markdown", text)), 30);
  }

  static void assertSafe(String what, HttpResponse<Buffer> r) {
    assertTrue(SAFE.contains(r.statusCode()), what + ": " + r.statusCode() + " " + r.bodyAsString().substring(0, Math.min(200, r.bodyAsString().length())));
    JsonObject body = r.bodyAsJsonObject();
    if (r.statusCode() == 200) {
      assertFalse(body.getString("html").isEmpty(), what);
    } else {
      assertTrue(Set.of("too_complex", "busy").contains(body.getString("error")), what + ": " + body);
    }
  }

  /** The worst inputs: the issue's, and the slowest of the suites' at the preview's size. */
  static Map<String, String> worst() {
    Map<String, String> all = Pathological.all();
    Map<String, String> m = new java.util.LinkedHashMap<>(Pathological.issue());
    for (String k : List.of("cmark: issue #389", "cmark: pattern ![[]() repeated", "cmark: unclosed links A",
        "cmark: unclosed <!--", "cmark: backticks", "commonmark.js: #172", "table padded to a wide header")) {
      m.put(k, all.get(k));
    }
    return m;
  }

  @Test
  @DisplayName("the preview answers 200, 422 too_complex or 503 busy to every pathological input, never 500")
  void previewNever500() {
    Browser c = candidate();
    Pathological.issue().forEach((name, text) -> assertSafe(name, preview(c, text)));
    assertSafe("a table beyond the cell cap", preview(c, Pathological.all().get("table padded to a wide header")));
    assertEquals("<p><em>fine</em></p>\n", preview(c, "*fine*").bodyAsJsonObject().getString("html"));
  }

  @Test
  @DisplayName("a stored pathological answer: the candidate's review page, the reviewer's page and JSON answer 200")
  void storedAnswer() {
    Browser c = candidate();
    JsonObject sections = new JsonObject()
        .put("summary", "<".repeat(100_000))
        .put("impact", "> ".repeat(50_000))
        .put("timeline", "*".repeat(49_999) + "a" + "*".repeat(50_000))
        .put("root-cause", "1. ".repeat(33_333))
        .put("detection", "*a ".repeat(12_500) + "_a*_ ".repeat(12_500))
        .put("resolution", "plain *words*");
    HttpResponse<Buffer> saved = within(c.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1).put("sections", sections)), 30);
    assertEquals(200, saved.statusCode(), saved.bodyAsString());
    HttpResponse<Buffer> review = within(c.get("/candidate/review"), 30);
    assertEquals(200, review.statusCode());
    String sid = within(c.post("/api/v1/candidate/submit", null), 30).bodyAsJsonObject().getString("submissionId");

    Browser r = reviewer();
    for (int view = 0; view < 2; view++) {
      HttpResponse<Buffer> page = within(r.get("/review/" + sid + "/" + EX), 30);
      assertEquals(200, page.statusCode(), "the reviewer's page, view " + view);
      assertTrue(page.bodyAsString().contains("<em>words</em>"), "ordinary Markdown still renders");
      HttpResponse<Buffer> json = within(r.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX), 30);
      assertEquals(200, json.statusCode(), "the reviewer's JSON, view " + view);
      JsonObject answer = json.bodyAsJsonObject().getJsonObject("answer");
      for (String section : sections.fieldNames()) {
        assertFalse(answer.getJsonObject(section).getString("html").isEmpty(), section + " is shown");
      }
    }
  }

  @Test
  @DisplayName("/health keeps answering within a second while the worst inputs render")
  void healthStaysUp() {
    WebClient probe = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port));
    Browser c1 = candidate();
    Browser c2 = candidate();
    List<Future<HttpResponse<Buffer>>> heavy = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int i = 0;
    for (var e : worst().entrySet()) {
      heavy.add((i++ % 2 == 0 ? c1 : c2).post("/api/v1/candidate/preview", new JsonObject().put("markdown", e.getValue())));
      names.add(e.getKey());
    }
    int probes = 0;
    while (probes < 10 || heavy.stream().anyMatch(f -> !f.isComplete())) {
      long start = System.nanoTime();
      HttpResponse<Buffer> h = within(probe.get("/health").timeout(1_000).send(), 5);
      assertEquals(200, h.statusCode(), "/health");
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "/health answered within a second");
      probes++;
      if (probes > 2_000) {
        break;
      }
    }
    for (int k = 0; k < heavy.size(); k++) {
      assertSafe(names.get(k), within(heavy.get(k), 30));
    }
  }
}
