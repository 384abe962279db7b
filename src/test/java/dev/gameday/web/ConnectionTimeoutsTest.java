package dev.gameday.web;

import dev.gameday.HttpVerticle;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Finding 9 of issue 8: slow-header and idle connections are closed. The server is built exactly as HttpVerticle
 * builds it ({@link ConnectionTimeouts#create}), with short periods so that the test takes seconds.
 */
class ConnectionTimeoutsTest {
  private static final Duration HEAD = Duration.ofMillis(500);
  private static final int IDLE_SECONDS = 2;
  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = await(ConnectionTimeouts.create(vertx, new HttpServerOptions().setPort(0).setIdleTimeout(IDLE_SECONDS), HEAD,
        req -> {
          if (req.path().equals("/slow")) {
            vertx.setTimer(1500, t -> req.response().end("slow done"));
          } else {
            req.response().end("ok");
          }
        }).listen());
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  /** Milliseconds until the server closes the socket (reading -1 or a reset), or -1 if it is still open after max. */
  private static long closedWithin(Socket s, long maxMillis, Runnable everyTick) throws IOException {
    long start = System.nanoTime();
    s.setSoTimeout(100);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    while ((System.nanoTime() - start) / 1_000_000 < maxMillis) {
      try {
        if (in.read(buf) < 0) {
          return (System.nanoTime() - start) / 1_000_000;
        }
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      try {
        everyTick.run();
      } catch (RuntimeException e) {
        return (System.nanoTime() - start) / 1_000_000; // writing failed: closed
      }
    }
    return -1;
  }

  private static void write(OutputStream out, String s) {
    try {
      out.write(s.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  @DisplayName("a connection whose headers trickle in a byte at a time is closed within two periods")
  void slowHeaders() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      OutputStream out = s.getOutputStream();
      write(out, "GET / HTTP/1.1\r\nHost: localhost\r\n");
      long[] n = {0};
      long ms = closedWithin(s, 5000, () -> write(out, (n[0]++ % 2 == 0) ? "X" : "-"));
      assertTrue(ms >= 0, "still open after 5 s while sending header bytes");
      assertTrue(ms <= 2 * HEAD.toMillis() + 500, "closed after " + ms + " ms");
    }
  }

  @Test
  @DisplayName("a connection that never sends anything is closed within two periods")
  void silentConnection() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      long ms = closedWithin(s, 5000, () -> { });
      assertTrue(ms >= 0 && ms <= 2 * HEAD.toMillis() + 500, "closed after " + ms + " ms (-1: never)");
    }
  }

  @Test
  @DisplayName("an idle kept-alive connection is closed after its response, within two periods")
  void idleKeepAlive() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      write(s.getOutputStream(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
      String response = readResponse(s, "ok");
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(!response.toLowerCase().contains("connection: close"), "kept alive: " + response);
      long ms = closedWithin(s, 5000, () -> { });
      assertTrue(ms >= 0 && ms <= 2 * HEAD.toMillis() + 500, "closed after " + ms + " ms (-1: never)");
    }
  }

  @Test
  @DisplayName("a request whose handler takes longer than the period is answered, not cut off")
  void slowHandlerIsAnswered() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      write(s.getOutputStream(), "GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
      String response = readResponse(s, "slow done");
      assertTrue(response.startsWith("HTTP/1.1 200") && response.endsWith("slow done"), response);
    }
  }

  @Test
  @DisplayName("the application's server uses these checks with a 15 s period and a 60 s idle timeout")
  void productionSettings() {
    assertEquals(Duration.ofSeconds(15), HttpVerticle.HEAD_TIMEOUT);
    assertEquals(60, HttpVerticle.IDLE_TIMEOUT_SECONDS);
  }

  private static String readResponse(Socket s, String bodyEnd) throws IOException {
    s.setSoTimeout(5000);
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[4096];
    while (!sb.toString().endsWith(bodyEnd)) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
    }
    return sb.toString();
  }

  @Test
  @DisplayName("a kept-alive connection holds only its request in progress, not every request it served until the next check")
  void keptAliveHoldsNoFinishedRequests() throws IOException {
    ConnectionTimeouts t = new ConnectionTimeouts(vertx, Duration.ofHours(1)); // no check runs during the test
    HttpServer own = await(vertx.createHttpServer(new HttpServerOptions().setPort(0).setHttp2ClearTextEnabled(false))
        .connectionHandler(t::connected)
        .requestHandler(t.wrap(req -> req.response().end(req.path().equals("/held") ? String.valueOf(t.held()) : "ok")))
        .listen());
    try (Socket s = new Socket("localhost", own.actualPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 200; i++) {
        assertTrue(exchange(out, in, "/").endsWith("ok"));
      }
      // the request asking is the one in progress; the 200 before it are done and must not be held
      assertTrue(exchange(out, in, "/held").endsWith("\r\n\r\n1"), "held: only the request in progress");
    } finally {
      await(own.close());
    }
  }

  /** One request on a kept-alive connection; the whole response (its body is short and has a content-length). */
  private static String exchange(OutputStream out, InputStream in, String path) throws IOException {
    write(out, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    StringBuilder b = new StringBuilder();
    int length = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed");
      }
      b.append((char) c);
      int head = b.indexOf("\r\n\r\n");
      if (head >= 0) {
        if (length < 0) {
          String h = b.substring(0, head).toLowerCase(java.util.Locale.ROOT);
          int at = h.indexOf("content-length: ");
          length = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at) < 0 ? h.length() : h.indexOf("\r\n", at)).trim());
        }
        if (b.length() - head - 4 >= length) {
          return b.toString();
        }
      }
    }
  }
}
