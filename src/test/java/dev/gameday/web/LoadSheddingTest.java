package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.LoadShedding.Limits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The autosave admission on a bare router: a handler behind it that keeps each request until the test answers it, so
 * the test decides how many saves are in flight. The whole application under shedding is in
 * {@code LoadSheddingAppTest}; the page riding it out in {@code browser.LoadSheddingBrowserTest}.
 */
class LoadSheddingTest {
  Vertx vertx;
  HttpServer server;
  WebClient client;
  LoadShedding shedding;
  /** Saves the handler behind the admission holds, in arrival order. */
  final List<RoutingContext> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  /** A server whose PUT /save passes {@code limits}, then is held (or failed, for "fail", or answered, for "now"). */
  int start(Limits limits) {
    shedding = new LoadShedding(limits);
    Router router = Router.router(vertx);
    router.put("/save/:id").handler(shedding.handler("gameday"));
    router.put("/save/:id").handler(ctx -> {
      switch (ctx.pathParam("id")) {
        case "fail" -> ctx.fail(new IllegalStateException("a bug"));
        case "now" -> ctx.response().end("saved");
        default -> held.add(ctx);
      }
    });
    router.get("/other").handler(ctx -> ctx.response().end("other"));
    // as HttpVerticle's failure handler answers a ClientError (headers already set are kept)
    router.route().failureHandler(ctx -> {
      if (ctx.failure() instanceof ClientError ce) {
        ctx.response().setStatusCode(ce.status()).putHeader("Content-Type", "application/json").end(ce.body().encode());
      } else {
        ctx.response().setStatusCode(500).end();
      }
    });
    server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    return server.actualPort();
  }

  Future<HttpResponse<Buffer>> put(int port, String id, String session) {
    var r = client.request(HttpMethod.PUT, port, "localhost", "/save/" + id);
    if (session != null) {
      r.putHeader("Cookie", "gameday=" + session);
    }
    return r.sendBuffer(Buffer.buffer("{}"));
  }

  static void eventually(BooleanSupplier done, String what) throws InterruptedException {
    for (int i = 0; i < 500 && !done.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertTrue(done.getAsBoolean(), what);
  }

  static void assertShed(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertNotNull(r.getHeader("Retry-After"), "Retry-After is set");
    int seconds = Integer.parseInt(r.getHeader("Retry-After"));
    assertTrue(seconds >= 1 && seconds <= 60, "Retry-After in seconds: " + seconds);
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(code, body.getString("error"));
    assertTrue(body.getString("message").contains("kept in this browser"), body.getString("message"));
  }

  @Test
  @DisplayName("at most N saves in flight and M waiting; the next one is answered 503 with Retry-After at once; other routes pass")
  void limits() throws Exception {
    int port = start(new Limits(2, 1, 10_000, 0, 2));
    Future<HttpResponse<Buffer>> a = put(port, "a", "s1");
    Future<HttpResponse<Buffer>> b = put(port, "b", "s2");
    eventually(() -> held.size() == 2, "two saves admitted");
    Future<HttpResponse<Buffer>> c = put(port, "c", "s3");
    eventually(() -> shedding.waiting() == 1, "the third waits");
    HttpResponse<Buffer> d = await(put(port, "d", "s4")); // full and the wait is full: refused at once, not after 10 s
    assertShed(d, 503, "overloaded");
    assertEquals("2", d.getHeader("Retry-After"));
    assertEquals(2, shedding.inFlight());
    assertEquals(2, held.size(), "the refused save never reached the handler");
    assertEquals(200, await(client.get(port, "localhost", "/other").send()).statusCode(), "other routes are not counted");

    held.get(0).response().end("ok"); // a slot frees: the waiting save takes it
    assertEquals(200, await(a).statusCode());
    eventually(() -> held.size() == 3, "the waiting save is admitted when a slot frees");
    assertEquals(0, shedding.waiting());
    assertEquals(2, shedding.inFlight());
    held.get(1).response().end("ok");
    held.get(2).response().end("ok");
    assertEquals(200, await(b).statusCode());
    assertEquals(200, await(c).statusCode());
    eventually(() -> shedding.inFlight() == 0, "every slot is given back");
  }

  @Test
  @DisplayName("a save that waits longer than the bounded wait is refused with 503 and leaves the queue")
  void waitIsBounded() throws Exception {
    int port = start(new Limits(1, 4, 50, 0, 1));
    put(port, "a", null);
    eventually(() -> held.size() == 1, "one admitted");
    HttpResponse<Buffer> r = await(put(port, "b", null));
    assertShed(r, 503, "overloaded");
    assertEquals("1", r.getHeader("Retry-After"));
    assertEquals(0, shedding.waiting());
    held.get(0).response().end();
    eventually(() -> shedding.inFlight() == 0, "released");
    assertEquals(200, await(put(port, "now", null)).statusCode(), "free again");
  }

  @Test
  @DisplayName("a slot is given back when the handler fails, and when the client closes the connection (held or waiting)")
  void releasedOnFailureAndClose() throws Exception {
    int port = start(new Limits(1, 1, 10_000, 0, 1));
    assertEquals(500, await(put(port, "fail", null)).statusCode());
    eventually(() -> shedding.inFlight() == 0, "released after a failure");

    HttpClient raw = vertx.createHttpClient();
    HttpClientRequest admitted = await(raw.request(new RequestOptions().setMethod(HttpMethod.PUT).setPort(port)
        .setHost("localhost").setURI("/save/x")));
    admitted.end("{}");
    eventually(() -> held.size() == 1 && shedding.inFlight() == 1, "held");
    HttpClient raw2 = vertx.createHttpClient();
    HttpClientRequest waiting = await(raw2.request(new RequestOptions().setMethod(HttpMethod.PUT).setPort(port)
        .setHost("localhost").setURI("/save/y")));
    waiting.end("{}");
    eventually(() -> shedding.waiting() == 1, "the second waits");

    await(waiting.connection().close()); // the waiting client leaves: out of the queue, no slot taken later
    eventually(() -> shedding.waiting() == 0, "a closed waiting save leaves the queue");
    await(admitted.connection().close()); // the admitted client leaves before its answer
    eventually(() -> shedding.inFlight() == 0, "a closed connection gives its slot back");
    assertEquals(1, held.size(), "the waiting save that left never reached the handler");
    assertFalse(held.get(0).response().ended());
    assertEquals(200, await(put(port, "now", null)).statusCode(), "the slot is usable again");
    eventually(() -> shedding.inFlight() == 0, "released");
  }

  @Test
  @DisplayName("one session sending faster than its rate gets 429 with Retry-After; another session is not affected")
  void tooFastClient() throws Exception {
    int port = start(new Limits(100, 0, 10, 1, 5)); // 1 save a second, bursts of 2
    assertEquals(200, await(put(port, "now", "warm-up")).statusCode());
    List<Future<HttpResponse<Buffer>>> burst = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      burst.add(put(port, "now", "fast"));
    }
    await(Future.join(burst));
    List<HttpResponse<Buffer>> tooFast = burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
    long saved = burst.stream().filter(f -> f.result().statusCode() == 200).count();
    assertEquals(6, tooFast.size() + saved, "every answer is 200 or 429");
    assertTrue(saved >= 2 && saved <= 3, "a burst of two (and what refilled meanwhile) passes: " + saved);
    HttpResponse<Buffer> r = tooFast.get(0);
    assertShed(r, 429, "too_fast");
    assertEquals("1", r.getHeader("Retry-After"), "the time until the session may send again, not the 503's");
    assertEquals(200, await(put(port, "now", "calm")).statusCode(), "another session has its own budget");
    assertEquals(200, await(client.get(port, "localhost", "/other").putHeader("Cookie", "gameday=fast").send())
        .statusCode(), "other routes are not limited");
    eventually(() -> shedding.inFlight() == 0, "429s hold no slot");
  }

  @Test
  @DisplayName("the limits come from GAMEDAY_AUTOSAVE_* with defaults, and nonsense is refused at start-up")
  void configuration() {
    assertEquals(Limits.DEFAULT, Config.fromEnvironment(Map.of()).autosave());
    Limits l = Config.fromEnvironment(Map.of("GAMEDAY_AUTOSAVE_MAX_IN_FLIGHT", "8", "GAMEDAY_AUTOSAVE_MAX_WAITING", "0",
        "GAMEDAY_AUTOSAVE_MAX_WAIT_MS", "20", "GAMEDAY_AUTOSAVE_SESSION_RATE", "0", "GAMEDAY_AUTOSAVE_RETRY_AFTER", "3")).autosave();
    assertEquals(new Limits(8, 0, 20, 0, 3), l);
    assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_AUTOSAVE_MAX_IN_FLIGHT", "0")));
    assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_AUTOSAVE_RETRY_AFTER", "x")));
  }

  @Test
  @DisplayName("the front door: a save that would be refused is answered 503 before the router, with the same answer,"
      + " counted, the connection kept; other methods, paths and a save with room pass to the router")
  void frontDoor() throws Exception {
    shedding = new LoadShedding(new Limits(1, 0, 10, 0, 3));
    java.util.concurrent.atomic.AtomicInteger routed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger shed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      routed.incrementAndGet();
      ctx.next();
    });
    router.put(LoadShedding.AUTOSAVE_PATH).handler(shedding.handler("gameday"));
    router.put(LoadShedding.AUTOSAVE_PATH).handler(ctx -> {
      if ("hold".equals(ctx.pathParam("exerciseId"))) {
        held.add(ctx);
      } else {
        ctx.response().end("saved");
      }
    });
    router.route().handler(ctx -> ctx.response().end("routed"));
    server = await(vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(shedding.front(router, h -> h.set("X-Content-Type-Options", "nosniff"), shed::incrementAndGet))
        .listen(0));
    int port = server.actualPort();
    WebClient one = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(1));
    java.util.function.Function<String, Future<HttpResponse<Buffer>>> save = path -> one
        .request(HttpMethod.PUT, port, "localhost", path).sendBuffer(Buffer.buffer("{\"rev\": 1, \"sections\": {}}"));
    Future<HttpResponse<Buffer>> holding = WebClient.create(vertx)
        .request(HttpMethod.PUT, port, "localhost", LoadShedding.AUTOSAVE_PREFIX + "hold").sendBuffer(Buffer.buffer("{}"));
    eventually(() -> held.size() == 1, "the one slot is taken");
    int routedBefore = routed.get();

    HttpResponse<Buffer> r = await(save.apply(LoadShedding.AUTOSAVE_PREFIX + "incident-postmortem"));
    assertShed(r, 503, "overloaded");
    assertEquals("3", r.getHeader("Retry-After"));
    assertEquals("no-store", r.getHeader("Cache-Control"));
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), "the security headers are set");
    assertNotNull(r.getHeader(RequestIds.HEADER), "a request id, as on every answer");
    assertEquals(routedBefore, routed.get(), "refused before the router");
    assertEquals(1, shed.get(), "counted");

    assertEquals("routed", await(one.request(HttpMethod.GET, port, "localhost", LoadShedding.AUTOSAVE_PREFIX + "x").send())
        .bodyAsString(), "a GET of the answer passes");
    assertEquals("routed", await(save.apply(LoadShedding.AUTOSAVE_PREFIX + "x/y")).bodyAsString(), "another path passes");
    assertEquals(1, shed.get());

    held.get(0).response().end("ok");
    assertEquals(200, await(holding).statusCode());
    eventually(() -> shedding.inFlight() == 0, "the slot is back");
    HttpResponse<Buffer> saved = await(save.apply(LoadShedding.AUTOSAVE_PREFIX + "incident-postmortem"));
    assertEquals("saved", saved.bodyAsString(), "with a slot free the save passes the front door to the router");
    assertEquals(2, connections.get(), "the refused save's connection was kept for the next requests (one each client)");
  }

  @Test
  @DisplayName("the front door recognises the autosave path only: the prefix and one non-empty segment")
  void autosavePath() {
    assertTrue(LoadShedding.isAutosave("/api/v1/candidate/answers/incident-postmortem"));
    assertFalse(LoadShedding.isAutosave("/api/v1/candidate/answers/"));
    assertFalse(LoadShedding.isAutosave("/api/v1/candidate/answers/x/history"));
    assertFalse(LoadShedding.isAutosave("/api/v1/candidate/answer/x"));
    assertFalse(LoadShedding.isAutosave(null));
  }

  @Test
  @DisplayName("the front door's refusals are logged as a count at most every 10 s, the first at once and the last ones by the periodic report")
  void shedLog() throws Exception {
    try (dev.gameday.support.LogCapture log = new dev.gameday.support.LogCapture()) {
      shedding = new LoadShedding(new Limits(1, 0, 10, 0, 2));
      assertTrue(shedding.tryAcquire());
      server = await(vertx.createHttpServer().requestHandler(shedding.front(r -> r.response().end("routed"), h -> { }, () -> { }))
          .listen(0));
      int port = server.actualPort();
      for (int i = 0; i < 3; i++) {
        assertEquals(503, await(client.request(HttpMethod.PUT, port, "localhost", LoadShedding.AUTOSAVE_PREFIX + "x")
            .sendBuffer(Buffer.buffer("{}"))).statusCode());
      }
      java.util.function.Supplier<List<String>> logged = () -> log.matching("LoadShedding", "autosave overload").stream()
          .map(e -> e.getFormattedMessage()).toList();
      assertEquals(1, logged.get().size(), "one line, not one a refusal: " + logged.get());
      assertTrue(logged.get().get(0).contains("since the last report (at most one every 10 s): 1;"), logged.get().get(0));
      shedding.reportShed(System.nanoTime()); // within 10 s of the first: nothing yet
      assertEquals(1, logged.get().size());
      shedding.reportShed(System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(11));
      assertEquals(2, logged.get().size());
      assertTrue(logged.get().get(1).contains(": 2;"), "the two refused after the first line");
      shedding.reportShed(System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
      assertEquals(2, logged.get().size(), "nothing refused since: no line");
    } finally {
      shedding.release();
    }
  }
}
