package dev.gameday.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes connections that hold a socket without a request. Vert.x 5.0.7 has an idle timeout (no byte read or
 * written for a while) but no timeout for reading a request's headers, so a client sending one header byte every
 * few seconds kept a connection open for ever. Here every connection is checked every {@code head} period: when no
 * request is in progress and no new request arrived since the last check, it is closed. So a connection that has
 * not completed its request headers (the first request's, or the next one's on a kept-alive connection) is closed
 * within one to two periods, and an idle kept-alive connection likewise. A request in progress (its handler
 * working, its body arriving, its response being written) is never cut by this: stalls there are the idle
 * timeout's job ({@link HttpServerOptions#setIdleTimeout}).
 *
 * <p>One instance per verticle: its state is confined to that verticle's event loop.
 */
public final class ConnectionTimeouts {
  private final Vertx vertx;
  private final long periodMillis;
  private final Map<HttpConnection, State> states = new IdentityHashMap<>();

  private static final class State {
    long timer;
    long requests;
    long requestsAtLastCheck;
    final List<HttpServerRequest> open = new ArrayList<>(1);
  }

  public ConnectionTimeouts(Vertx vertx, Duration head) {
    this.vertx = vertx;
    this.periodMillis = Math.max(1, head.toMillis());
  }

  /**
   * A server with these checks around {@code handler}. Cleartext HTTP/2 (h2c, which no browser uses) is switched
   * off: with it on, Vert.x 5.0.7 creates the connection, and calls the connection handler, only once the first
   * request has arrived, so a connection that never completes one could not be seen.
   */
  public static HttpServer create(Vertx vertx, HttpServerOptions options, Duration head,
                                  Handler<HttpServerRequest> handler) {
    ConnectionTimeouts t = new ConnectionTimeouts(vertx, head);
    return vertx.createHttpServer(new HttpServerOptions(options).setHttp2ClearTextEnabled(false))
        .connectionHandler(t::connected).requestHandler(t.wrap(handler));
  }

  void connected(HttpConnection conn) {
    State st = new State();
    states.put(conn, st);
    st.timer = vertx.setPeriodic(periodMillis, id -> check(conn, st));
    conn.closeHandler(v -> {
      vertx.cancelTimer(st.timer);
      states.remove(conn);
    });
  }

  Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
    return req -> {
      State st = states.get(req.connection());
      if (st != null) {
        st.requests++;
        // the requests this connection finished go now, not at the next check: a kept-alive connection serving
        // thousands of requests a second held every one of them (its context, headers and body) for up to a period
        // (15 s), so they outlived young collections and filled the old generation (issue 28)
        st.open.removeIf(ConnectionTimeouts::finished);
        st.open.add(req);
      }
      next.handle(req);
    };
  }

  private static boolean finished(HttpServerRequest r) {
    return r.response().ended() || r.response().closed();
  }

  /** Requests this instance still holds, over all connections; for tests (call on the server's event loop). */
  int held() {
    return states.values().stream().mapToInt(st -> st.open.size()).sum();
  }

  private void check(HttpConnection conn, State st) {
    st.open.removeIf(ConnectionTimeouts::finished);
    if (st.open.isEmpty() && st.requests == st.requestsAtLastCheck) {
      vertx.cancelTimer(st.timer);
      states.remove(conn);
      conn.close();
      return;
    }
    st.requestsAtLastCheck = st.requests;
  }
}
