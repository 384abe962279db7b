package dev.gameday.web;

import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database outages: which failures mean "the database cannot be reached right now" (answered 503, retried by the
 * page) rather than a bug, and one log line when an outage starts and one when it ends (with the number of
 * requests refused and how long it lasted), instead of a stack trace per request. One per process, shared by the
 * HTTP verticles.
 *
 * <p>The end is found by a probe ({@code select 1}, every {@value #PROBE_MS} ms while down) that succeeds when no
 * request has been refused for {@value #QUIET_MS} ms; the pool itself reconnects on next use, so nothing restarts.
 */
public final class OutageLog {
  private static final Logger LOG = LoggerFactory.getLogger(OutageLog.class);
  static final long PROBE_MS = 500;
  static final long QUIET_MS = 1000;

  private final Vertx vertx;
  private final Pool pool;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean down;
  private volatile long startedNanos;
  private volatile long lastRefusalNanos;
  private long refusedBefore;
  private long timer = -1;

  public OutageLog(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /**
   * True when the failure means the database is unreachable or refusing connections for now: connection refused or
   * reset (on read or on write), a connection closed under a query or before it sent the queued ones, Postgres
   * shutting down or crashed (SQLSTATE class 08, 57P01-57P03), out of connections or resources (class 53), or no
   * pooled connection within the pool's timeout.
   */
  public static boolean unavailable(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Http.ClientError) {
        return false;
      }
      if (t instanceof PgException pe) {
        String state = pe.getSqlState() == null ? "" : pe.getSqlState();
        if (state.startsWith("08") || state.startsWith("53") || state.equals("57P01") || state.equals("57P02")
            || state.equals("57P03")) {
          return true;
        }
        return false; // any other SQL error is a real error
      }
      if (t instanceof ClosedConnectionException || t instanceof java.net.SocketException
          || t instanceof java.nio.channels.ClosedChannelException || t instanceof TimeoutException
          || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
        return true;
      }
      if (t instanceof java.io.IOException && t.getMessage() != null
          && (t.getMessage().startsWith("Connection reset") || t.getMessage().startsWith("Broken pipe"))) {
        // the JDK's NIO write to a socket the peer reset or closed (SocketChannelImpl.write): a plain IOException,
        // not a SocketException, with the system's words; the pg client's flush of a statement meets it when
        // Postgres crashed after the connection was taken from the pool
        return true;
      }
      if (t instanceof VertxException && t.getMessage() != null) {
        String m = t.getMessage();
        // "Pending requests failed to be sent...": the pg client's answer to statements queued on a connection that
        // closed before it sent them (SocketConnectionBase.handleClose), with no cause when the server closed it
        if (m.contains("Connection refused") || m.startsWith("Connection is not active") || m.startsWith("Timeout")
            || m.equals("Pool closed") || m.contains("connection may have been lost")
            || m.startsWith("Pending requests failed to be sent")) {
          return true;
        }
      }
    }
    return false;
  }

  /** A request answered 503 because of {@code cause}; the first of an outage logs its start. */
  public void refused(Throwable cause) {
    long total = refused.incrementAndGet();
    lastRefusalNanos = System.nanoTime();
    if (!down) {
      start(total, cause);
    }
  }

  private synchronized void start(long total, Throwable cause) {
    if (down) {
      return;
    }
    down = true;
    refusedBefore = total - 1;
    startedNanos = System.nanoTime();
    LOG.warn("The database is unavailable ({}): requests that need it are answered 503 until it is back",
        describe(cause));
    timer = vertx.setPeriodic(PROBE_MS, id -> probe());
  }

  private void probe() {
    if (!down || System.nanoTime() - lastRefusalNanos < TimeUnit.MILLISECONDS.toNanos(QUIET_MS)
        || !probing.compareAndSet(false, true)) {
      return;
    }
    pool.query("select 1").execute().timeout(2, TimeUnit.SECONDS).onComplete(ar -> {
      probing.set(false);
      if (ar.succeeded() && System.nanoTime() - lastRefusalNanos >= TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
        end();
      }
    });
  }

  private synchronized void end() {
    if (!down) {
      return;
    }
    down = false;
    vertx.cancelTimer(timer);
    long count = refused.get() - refusedBefore;
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    LOG.warn("The database is available again after {} s; {} requests refused with 503 meanwhile",
        String.format(java.util.Locale.ROOT, "%.1f", seconds), count);
  }

  /** The exception's class and message, never its stack trace. */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) : m));
  }
}
