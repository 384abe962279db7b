package dev.gameday.web;

import dev.gameday.web.Http.ClientError;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Autosave admission (issue 28): a bounded number of saves in flight and a short, bounded wait; beyond that a save is
 * answered at once with {@code 503} and {@code Retry-After} instead of joining a queue that makes every candidate see
 * "Saving..." for half a minute. A single page that sends faster than a sane rate gets {@code 429}. The page keeps
 * its text in the browser and sends the newest revision again after {@code Retry-After} (answer.js), so a refusal
 * loses nothing.
 *
 * <p>One instance per Vert.x instance, shared by every {@link HttpVerticle} ({@link #of}): saves wait on the one
 * Postgres pool of the process, so the capacity being protected is the process's, not an event loop's. Per-verticle
 * counters would admit N times the limit in total and shed on a busy loop while another has room.
 *
 * <p>It is mounted on the autosave route only, before the session lookup (a database round trip a refused save
 * should not cost, and whose queue reviewer, recruiter and health requests share); the per-client limit therefore
 * counts by the session cookie's value, which a client could change at will, but a client changing cookies still
 * meets the process-wide limit. A slot is held from admission until the response ends, fails or its connection
 * closes ({@link RoutingContext#addEndHandler}), whichever comes first.
 */
public final class LoadShedding implements Shareable {
  /** The autosave route, the only one shed. */
  public static final String AUTOSAVE_PATH = "/api/v1/candidate/answers/:exerciseId";
  /** What {@link #AUTOSAVE_PATH} starts with, for {@link #front}, which runs before the router parses a path. */
  public static final String AUTOSAVE_PREFIX = "/api/v1/candidate/answers/";
  private static final Logger LOG = LoggerFactory.getLogger(LoadShedding.class);
  /** How often, at most, the log says how many saves the front door refused. */
  private static final long SHED_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final String MAP = "gameday.loadShedding";
  private static final long PRUNE_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final ClientError OVERLOADED = new ClientError(503, "overloaded", "Too many answers are being saved at this"
      + " moment. Your work is kept in this browser and will be sent again automatically in a few seconds; nothing is lost.");
  static final ClientError TOO_FAST = new ClientError(429, "too_fast", "This page sent saves faster than the server"
      + " accepts them. Your work is kept in this browser and will be sent again automatically in a moment.");

  /**
   * @param maxInFlight       saves admitted at once (from admission to the end of the response), in the whole process
   * @param maxWaiting        saves that may wait for a slot when all are taken; 0: none wait
   * @param maxWaitMillis     how long a waiting save waits before it is refused
   * @param sessionRate       saves a second one session may send, sustained (bursts of twice that); 0: no limit
   * @param retryAfterSeconds the {@code Retry-After} of a 503
   */
  public record Limits(int maxInFlight, int maxWaiting, int maxWaitMillis, int sessionRate, int retryAfterSeconds) {
    /**
     * 24 in flight: with group commit, 4 lanes of up to 6 saves each keep Postgres busy, and few enough that an admitted
     * save does not queue behind a long line. Measured on the 2-core bench machine (open loop, 2026-12-05): at 2,000
     * saves/s, p99 40 ms with 24 against 126-133 ms with 64 and fewer refused (5,916 against 9,483-11,972 of 70,000);
     * at 4,000/s, accepted p99 67 ms against 124 ms, refused p99 28 ms against 34 ms, for 12% fewer accepted.
     */
    public static final Limits DEFAULT = new Limits(24, 16, 15, 10, 2);

    public Limits {
      if (maxInFlight < 1 || maxInFlight > 100_000) {
        throw new IllegalArgumentException("GAMEDAY_AUTOSAVE_MAX_IN_FLIGHT must be between 1 and 100000, got " + maxInFlight);
      }
      if (maxWaiting < 0 || maxWaiting > 100_000) {
        throw new IllegalArgumentException("GAMEDAY_AUTOSAVE_MAX_WAITING must be between 0 and 100000, got " + maxWaiting);
      }
      if (maxWaitMillis < 1 || maxWaitMillis > 10_000) {
        throw new IllegalArgumentException("GAMEDAY_AUTOSAVE_MAX_WAIT_MS must be between 1 and 10000, got " + maxWaitMillis);
      }
      if (sessionRate < 0 || sessionRate > 1_000_000) {
        throw new IllegalArgumentException("GAMEDAY_AUTOSAVE_SESSION_RATE must be 0 (no limit) or a number of saves a"
            + " second, got " + sessionRate);
      }
      if (retryAfterSeconds < 1 || retryAfterSeconds > 60) {
        throw new IllegalArgumentException("GAMEDAY_AUTOSAVE_RETRY_AFTER must be between 1 and 60 seconds, got "
            + retryAfterSeconds);
      }
    }
  }

  private final Limits limits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger waitingCount = new AtomicInteger();
  private final ConcurrentLinkedQueue<Ticket> waiting = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, Bucket> clients = new ConcurrentHashMap<>();
  private final AtomicLong nextPrune = new AtomicLong(System.nanoTime() + PRUNE_NANOS);

  public LoadShedding(Limits limits) {
    this.limits = limits;
  }

  /**
   * The instance of this Vert.x instance, made with {@code limits} by the first caller, which also reports its saves
   * in flight and waiting to {@code registry} ({@code gameday_autosave_in_flight}, {@code gameday_autosave_waiting}).
   */
  public static LoadShedding of(Vertx vertx, Limits limits, MeterRegistry registry) {
    return vertx.sharedData().<String, LoadShedding>getLocalMap(MAP).computeIfAbsent("autosave", k -> {
      LoadShedding made = new LoadShedding(limits);
      // the refusals of a storm's last seconds are reported too, not only when the next one comes
      vertx.setPeriodic(TimeUnit.NANOSECONDS.toMillis(SHED_LOG_NANOS), id -> made.reportShed(System.nanoTime()));
      Gauge.builder("gameday.autosave.in.flight", made.inFlight, AtomicInteger::get)
          .description("Autosaves admitted and not yet answered (limit: GAMEDAY_AUTOSAVE_MAX_IN_FLIGHT)").register(registry);
      Gauge.builder("gameday.autosave.waiting", made.waitingCount, AtomicInteger::get)
          .description("Autosaves waiting for a slot").register(registry);
      return made;
    });
  }

  /** The instance of this Vert.x instance, or null before a server started (for tests and diagnostics). */
  public static LoadShedding of(Vertx vertx) {
    return vertx.sharedData().<String, LoadShedding>getLocalMap(MAP).get("autosave");
  }

  public Limits limits() {
    return limits;
  }

  /** Saves holding a slot now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Saves waiting for a slot now. */
  public int waiting() {
    return waitingCount.get();
  }

  /**
   * Takes a slot if one is free. The handler calls it; a test may too, to hold slots (then it must {@link #release}
   * each one).
   */
  public boolean tryAcquire() {
    while (true) {
      int n = inFlight.get();
      if (n >= limits.maxInFlight()) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives a slot back: the oldest waiting save, if any, takes it. */
  public void release() {
    inFlight.decrementAndGet();
    drain();
  }

  /** The route handler; {@code sessionCookie} names the cookie that identifies a client for the per-client rate. */
  public Handler<RoutingContext> handler(String sessionCookie) {
    return ctx -> admit(ctx, sessionCookie);
  }

  private void admit(RoutingContext ctx, String sessionCookie) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return; // the client left already: no slot, and no end handler that would ever give one back
    }
    if (limits.sessionRate() > 0) {
      Cookie c = ctx.request().getCookie(sessionCookie);
      if (c != null && !c.getValue().isEmpty() && c.getValue().length() <= 100) {
        long now = System.nanoTime();
        prune(now);
        long wait = clients.computeIfAbsent(c.getValue(), k -> new Bucket(limits.sessionRate(), now)).take(now);
        if (wait > 0) {
          refuse(ctx, TOO_FAST, Math.max(1, (wait + 999_999_999L) / 1_000_000_000L));
          return;
        }
      }
    }
    Ticket t = new Ticket(ctx);
    if (tryAcquire()) {
      t.state.set(Ticket.ADMITTED);
      ctx.addEndHandler(v -> t.ended());
      ctx.next();
      return;
    }
    if (waitingCount.incrementAndGet() > limits.maxWaiting()) {
      waitingCount.decrementAndGet();
      refuse(ctx, OVERLOADED, limits.retryAfterSeconds());
      return;
    }
    ctx.addEndHandler(v -> t.ended());
    t.timer = ctx.vertx().setTimer(limits.maxWaitMillis(), id -> t.timedOut());
    waiting.add(t);
    drain(); // a slot may have been released between tryAcquire and add
  }

  /**
   * The front door (issue 28): in front of the router, a save that would be refused anyway (every slot taken and the
   * wait full) is answered {@code 503} with {@code Retry-After} before routing, body parsing, the access log and the
   * metrics' route lookup. Those cost 0.22 ms of CPU a refusal on the 2-core bench machine, so at 4,000 saves a
   * second the refusals alone took most of a core and the saves admitted waited behind them; a refusal here costs
   * the HTTP parse and a fixed response, 0.065 ms (wrk, every slot held: 22,700 refusals a second on 1.5 cores).
   * The answer is the same as {@link #handler}'s: the same status, headers ({@code headers} adds the security headers
   * every response carries) and JSON body. The unread body is discarded by
   * Vert.x and the connection kept. {@code onShed} counts each one (the metrics); the log says how many were refused,
   * at most once every 10 seconds (and within 20 s of the last one), instead of an access-log line each.
   */
  public Handler<HttpServerRequest> front(Handler<HttpServerRequest> next, Consumer<MultiMap> headers, Runnable onShed) {
    Buffer body = Buffer.buffer(OVERLOADED.body().encode());
    String retryAfter = Integer.toString(limits.retryAfterSeconds());
    return req -> {
      if (req.method() == HttpMethod.PUT && full() && isAutosave(req.path())) {
        req.routed(AUTOSAVE_PATH); // the HTTP metrics name the route, as the router would, not "unmatched"
        MultiMap h = req.response().headers();
        headers.accept(h);
        h.set(RequestIds.HEADER, RequestIds.generate());
        h.set("Content-Type", "application/json; charset=utf-8");
        h.set("Retry-After", retryAfter);
        h.set("Cache-Control", "no-store");
        req.response().setStatusCode(OVERLOADED.status()).end(body);
        onShed.run();
        shedAtFront(System.nanoTime());
        return;
      }
      next.handle(req);
    };
  }

  /** Every slot taken and the wait full: the route's handler would refuse a save now. */
  boolean full() {
    return inFlight.get() >= limits.maxInFlight() && waitingCount.get() >= limits.maxWaiting();
  }

  /** {@link #AUTOSAVE_PATH}: the prefix and one non-empty segment. */
  static boolean isAutosave(String path) {
    return path != null && path.length() > AUTOSAVE_PREFIX.length() && path.startsWith(AUTOSAVE_PREFIX)
        && path.indexOf('/', AUTOSAVE_PREFIX.length()) < 0;
  }

  private final AtomicLong shedSinceLog = new AtomicLong();
  private final AtomicLong nextShedLog = new AtomicLong(System.nanoTime());

  private void shedAtFront(long now) {
    shedSinceLog.incrementAndGet();
    reportShed(now);
  }

  /** Logs the refusals counted since the last report, if any and if the last report is 10 s old. */
  void reportShed(long now) {
    long due = nextShedLog.get();
    if (shedSinceLog.get() > 0 && now - due >= 0 && nextShedLog.compareAndSet(due, now + SHED_LOG_NANOS)) {
      LOG.warn("autosave overload: refused at the front door since the last report (at most one every 10 s): {};"
          + " answered 503 with Retry-After {} s, the pages send them again", shedSinceLog.getAndSet(0),
          limits.retryAfterSeconds());
    }
  }

  /** Hands free slots to waiting saves, oldest first. */
  private void drain() {
    while (waiting.peek() != null && tryAcquire()) {
      Ticket t = waiting.poll();
      if (t != null && t.state.compareAndSet(Ticket.WAITING, Ticket.ADMITTED)) {
        waitingCount.decrementAndGet();
        t.context.runOnContext(v -> t.go());
      } else {
        inFlight.decrementAndGet(); // gone meanwhile (timed out, connection closed): the slot goes to the next one
      }
    }
  }

  private static void refuse(RoutingContext ctx, ClientError error, long retryAfterSeconds) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().putHeader("Retry-After", Long.toString(retryAfterSeconds)).putHeader("Cache-Control", "no-store");
    ctx.fail(error.status(), error);
  }

  /** Forgets clients whose bucket is full again: a full bucket and no bucket admit the same. */
  private void prune(long now) {
    long due = nextPrune.get();
    if (now - due < 0 || !nextPrune.compareAndSet(due, now + PRUNE_NANOS)) {
      return;
    }
    clients.values().removeIf(b -> b.full(now));
  }

  /** One save's passage: waiting, admitted (holds a slot), done (gave it back) or gone (refused or left waiting). */
  private final class Ticket {
    static final int WAITING = 0;
    static final int ADMITTED = 1;
    static final int DONE = 2;
    static final int GONE = 3;
    final AtomicInteger state = new AtomicInteger(WAITING);
    final RoutingContext ctx;
    final Context context;
    volatile long timer = -1;

    Ticket(RoutingContext ctx) {
      this.ctx = ctx;
      this.context = Vertx.currentContext() != null ? Vertx.currentContext() : ctx.vertx().getOrCreateContext();
    }

    /** A slot was handed to this waiting save (on its own event loop). */
    void go() {
      ctx.vertx().cancelTimer(timer);
      if (state.get() == ADMITTED) { // not ended meanwhile
        ctx.next();
      }
    }

    void timedOut() {
      if (state.compareAndSet(WAITING, GONE)) {
        waiting.remove(this);
        waitingCount.decrementAndGet();
        refuse(ctx, OVERLOADED, limits.retryAfterSeconds());
      }
    }

    /** The response ended, failed or its connection closed. */
    void ended() {
      if (state.compareAndSet(WAITING, GONE)) {
        ctx.vertx().cancelTimer(timer);
        waiting.remove(this);
        waitingCount.decrementAndGet();
      } else if (state.compareAndSet(ADMITTED, DONE)) {
        release();
      }
    }
  }

  /** A token bucket: {@code rate} tokens a second, at most {@code 2 * rate} kept. */
  private static final class Bucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long at;

    Bucket(int rate, long now) {
      this.perNano = rate / 1e9;
      this.capacity = 2.0 * rate;
      this.tokens = capacity;
      this.at = now;
    }

    /** 0 when a token was taken, else the nanoseconds until one is there. */
    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perNano);
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + (now - at) * perNano);
      at = now;
    }
  }
}
