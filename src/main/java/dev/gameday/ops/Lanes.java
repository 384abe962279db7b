package dev.gameday.ops;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The sender loop of outboxes whose calls go to many receivers (webhooks, the Greenhouse callback): up to
 * {@code bound} calls in flight at once, at most one per lane (a lane is a receiver: one slow receiver holds one slot
 * and delays only its own rows). Whenever a slot frees, {@link Source#claim} is asked for more due rows, excluding the
 * busy lanes; it claims them in a short transaction of its own (with a lease, so a crashed sender's rows come back),
 * and each row's call and the recording of its result happen outside any transaction. A pass ends when nothing is in
 * flight and nothing more is due, or after {@code perPass} rows. Passes never overlap on one instance.
 */
public final class Lanes<K> {
  /** One claimed row: its lane, and the call that sends it and records the result (failing only on a bug). */
  public record Job<K>(K lane, Supplier<Future<?>> run) {
  }

  /** Claims up to {@code max} due rows, at most one per lane and none in {@code busy}, and commits the claim. */
  public interface Source<K> {
    Future<List<Job<K>>> claim(Set<K> busy, int max);
  }

  private final Source<K> source;
  private final int bound;
  private final int perPass;
  private boolean running;
  // the state of the pass in progress; touched only from the callbacks of one pass, which are serialised by `lock`
  private final Object lock = new Object();
  private Set<K> busy;
  private int started;
  private boolean claiming;
  private boolean again;
  private boolean exhausted;
  private Promise<Integer> done;

  public Lanes(Source<K> source, int bound, int perPass) {
    this.source = source;
    this.bound = bound;
    this.perPass = perPass;
  }

  /** One pass; answers how many rows were tried (0 while another pass runs). */
  public Future<Integer> pass() {
    synchronized (lock) {
      if (running) {
        return Future.succeededFuture(0);
      }
      running = true;
      busy = new HashSet<>();
      started = 0;
      claiming = false;
      again = false;
      exhausted = false;
      done = Promise.promise();
    }
    Future<Integer> result = done.future();
    fill();
    return result;
  }

  private void fill() {
    int max;
    Set<K> exclude;
    synchronized (lock) {
      if (claiming) {
        again = true;
        return;
      }
      max = Math.min(bound - busy.size(), perPass - started);
      if (max <= 0 || exhausted) {
        finishIfIdle();
        return;
      }
      claiming = true;
      again = false;
      exclude = Set.copyOf(busy);
    }
    Future<List<Job<K>>> claimed;
    try {
      claimed = source.claim(exclude, max);
    } catch (RuntimeException e) {
      claimed = Future.failedFuture(e);
    }
    claimed.onComplete(ar -> {
      boolean more;
      synchronized (lock) {
        claiming = false;
        if (ar.failed()) {
          exhausted = true;
          if (busy.isEmpty()) {
            running = false;
            done.fail(ar.cause());
          }
          return;
        }
        List<Job<K>> jobs = ar.result();
        if (jobs.isEmpty()) {
          // nothing due outside the busy lanes: claim again only when a lane frees (it may have more rows)
          more = again && !busy.isEmpty();
          if (busy.isEmpty()) {
            exhausted = true;
          }
        } else {
          more = true;
          for (Job<K> j : jobs) {
            busy.add(j.lane());
            started++;
          }
        }
      }
      for (Job<K> j : ar.result()) {
        Future<?> run;
        try {
          run = j.run().get();
        } catch (RuntimeException e) {
          run = Future.failedFuture(e);
        }
        run.onComplete(x -> {
          synchronized (lock) {
            busy.remove(j.lane());
          }
          fill();
        });
      }
      if (more) {
        fill();
      } else {
        synchronized (lock) {
          finishIfIdle();
        }
      }
    });
  }

  // with `lock` held
  private void finishIfIdle() {
    if (busy.isEmpty() && !claiming && running) {
      running = false;
      done.tryComplete(started);
    }
  }

  /** Runs a pass every {@code periodMs} (the first after {@code delayMs}); a failed pass is logged. Returns the timer. */
  public long every(Vertx vertx, long delayMs, long periodMs, Logger log, String what) {
    return vertx.setPeriodic(delayMs, periodMs, id -> pass().onFailure(err -> log.warn("{} pass failed: {}", what, err.toString())));
  }
}
