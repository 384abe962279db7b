package dev.gameday.web;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders Markdown off the event loop: on a small dedicated worker pool ({@value #POOL_NAME}), with a time
 * budget per text, a bound on the work waiting for it, and a cache of the HTML, so one hostile text can
 * neither stall an event loop nor occupy the pool, and a page view does not render the same text again.
 *
 * <ul>
 *   <li>At most {@code threads} texts render at once and {@code maxPending} (running and queued) wait for the
 *       pool; beyond that a page gets the text escaped in {@code <pre>} at once (not cached) and a preview 503.</li>
 *   <li>A text not done within {@code budget} of being asked for (queued time included) is given up: the
 *       renderer stops at its next check, the page gets the text escaped in {@code <pre>} (cached, so a reload
 *       does not spend the budget again for a minute), a preview 422 {@code too_complex}.</li>
 *   <li>The cache is keyed by what identifies an immutable text (a sealed answer's section, a draft's section at
 *       a revision, an exercise version's brief) and checks the text's length and hash on a hit; it is a
 *       least-recently-used map bounded in characters.</li>
 * </ul>
 */
public final class MarkdownRenderer {
  public static final String POOL_NAME = "gameday-markdown";
  public static final int THREADS = 2;
  public static final int MAX_PENDING = 64;
  public static final long BUDGET_MILLIS = 2_000;
  /** A thirty-second of the heap in characters (16 M, at most 32 MiB, in a 512 MiB heap; web/MemoryBudget). */
  public static final long CACHE_CHARS = MemoryBudget.markdownChars();

  /** How long a given-up text is shown as text before it is tried again (a slow moment must not last). */
  private static final long GIVEN_UP_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final Logger LOG = LoggerFactory.getLogger(MarkdownRenderer.class);

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final int maxPending;
  private final long budgetMillis;
  private final AtomicInteger pending = new AtomicInteger();
  private final Cache cache;

  public MarkdownRenderer(Vertx vertx) {
    this(vertx, THREADS, MAX_PENDING, BUDGET_MILLIS, CACHE_CHARS);
  }

  public MarkdownRenderer(Vertx vertx, int threads, int maxPending, long budgetMillis, long cacheChars) {
    this.vertx = vertx;
    // maxExecuteTime only makes Vert.x warn about a blocked worker; the budget below is what stops a render
    this.workers = vertx.createSharedWorkerExecutor(POOL_NAME, threads, 2 * budgetMillis, TimeUnit.MILLISECONDS);
    this.maxPending = maxPending;
    this.budgetMillis = budgetMillis;
    this.cache = new Cache(cacheChars);
  }

  /**
   * The safe HTML for a text that {@code key} identifies (with its content): from the cache, or rendered on the
   * pool. Never fails: a text that is too complex, or a pool that is full, gives {@link Markdown#fallback}.
   */
  public Future<String> cached(String key, String markdown) {
    if (markdown == null || markdown.isEmpty()) {
      return Future.succeededFuture("");
    }
    String hit = cache.get(key, markdown);
    if (hit != null) {
      return Future.succeededFuture(hit);
    }
    return submit(markdown).map(html -> {
      cache.put(key, markdown, html, Long.MAX_VALUE);
      return html;
    }).recover(err -> {
      if (err instanceof Markdown.TooComplex) {
        LOG.warn("Markdown {} ({} characters) is too complex to render; shown as text", key, markdown.length());
        String fallback = Markdown.fallback(markdown);
        cache.put(key, markdown, fallback, GIVEN_UP_NANOS);
        return Future.succeededFuture(fallback);
      }
      return Future.succeededFuture(Markdown.fallback(markdown));
    });
  }

  /** A preview: the safe HTML, or a 422 {@code too_complex} / 503 {@code busy} {@link ClientError}. Not cached. */
  public Future<String> preview(String markdown) {
    if (markdown == null || markdown.isEmpty()) {
      return Future.succeededFuture("");
    }
    return submit(markdown).recover(err -> Future.failedFuture(err instanceof Markdown.TooComplex
        ? new ClientError(422, "too_complex", "This text is too complex to preview; it is saved as written.")
        : err));
  }

  private Future<String> submit(String markdown) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return Future.failedFuture(new ClientError(503, "busy", "The server is busy rendering; try again in a moment."));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
    Promise<String> answer = Promise.promise();
    long timer = vertx.setTimer(budgetMillis, id -> answer.tryFail(new Markdown.TooComplex(null)));
    workers.<String>executeBlocking(() -> Markdown.render(markdown, deadline), false)
        .onComplete(done -> {
          // only a render that has stopped frees its place, so given-up renders cannot pile up on the pool
          pending.decrementAndGet();
          vertx.cancelTimer(timer);
          if (done.succeeded()) {
            answer.tryComplete(done.result());
          } else {
            answer.tryFail(done.cause() instanceof Markdown.TooComplex ? done.cause() : new Markdown.TooComplex(done.cause()));
          }
        });
    return answer.future();
  }

  /**
   * Whether the HTML for this text is final: rendered and kept for good (not a fallback given for a text too complex
   * or a pool too busy). Callers that keep HTML built from {@link #cached} keep it only when every part is final.
   */
  public boolean isFinal(String key, String markdown) {
    return markdown == null || markdown.isEmpty() || cache.isFinal(key, markdown);
  }

  /** Texts rendered (or given up) and kept: for tests and the README's figures. */
  public int cachedEntries() {
    return cache.size();
  }

  /** A least-recently-used map bounded by the characters of its keys and values. */
  private static final class Cache {
    private record Entry(int length, int hash, String html, long born, long lifeNanos) {
      boolean fresh() {
        return lifeNanos == Long.MAX_VALUE || System.nanoTime() - born < lifeNanos;
      }
    }

    private final long maxChars;
    private long chars;
    private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(256, 0.75f, true);

    Cache(long maxChars) {
      this.maxChars = maxChars;
    }

    synchronized String get(String key, String markdown) {
      Entry e = map.get(key);
      return e != null && e.fresh() && e.length() == markdown.length() && e.hash() == markdown.hashCode() ? e.html() : null;
    }

    synchronized boolean isFinal(String key, String markdown) {
      Entry e = map.get(key);
      return e != null && e.lifeNanos() == Long.MAX_VALUE && e.length() == markdown.length() && e.hash() == markdown.hashCode();
    }

    synchronized void put(String key, String markdown, String html, long lifeNanos) {
      long size = key.length() + html.length();
      if (size > maxChars / 8) {
        return; // one text may not push out most of the others
      }
      Entry old = map.put(key, new Entry(markdown.length(), markdown.hashCode(), html, System.nanoTime(), lifeNanos));
      if (old != null) {
        chars -= key.length() + old.html().length();
      }
      chars += size;
      var it = map.entrySet().iterator();
      while (chars > maxChars && it.hasNext()) {
        Map.Entry<String, Entry> eldest = it.next();
        chars -= eldest.getKey().length() + eldest.getValue().html().length();
        it.remove();
      }
    }

    synchronized int size() {
      return map.size();
    }
  }
}
