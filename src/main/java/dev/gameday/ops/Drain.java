package dev.gameday.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The email outbox's sender loop: on a timer, claim and send one due row at a time until none is due or a pass's
 * limit is reached (webhooks and the Greenhouse callback, whose receivers are many and may be slow, use {@link Lanes}). Passes never overlap on one instance; rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so instances never send one row twice.
 */
public final class Drain {
  private final AtomicBoolean running = new AtomicBoolean();
  private final Supplier<Future<Boolean>> one;
  private final int perPass;

  /** @param one claims and sends one due row; false when none is due */
  public Drain(Supplier<Future<Boolean>> one, int perPass) {
    this.one = one;
    this.perPass = perPass;
  }

  /** One pass; answers how many rows were tried (0 while another pass runs). */
  public Future<Integer> pass() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return loop(0).andThen(ar -> running.set(false));
  }

  private Future<Integer> loop(int done) {
    if (done >= perPass) {
      return Future.succeededFuture(done);
    }
    return one.get().compose(sent -> sent ? loop(done + 1) : Future.succeededFuture(done));
  }

  /** Runs a pass every {@code periodMs} (the first after {@code delayMs}); a failed pass is logged. Returns the timer. */
  public long every(Vertx vertx, long delayMs, long periodMs, Logger log, String what) {
    return vertx.setPeriodic(delayMs, periodMs, id -> pass().onFailure(err -> log.warn("{} pass failed: {}", what, err.toString())));
  }
}
