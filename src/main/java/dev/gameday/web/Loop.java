package dev.gameday.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work a feature repeats on a timer (reminders, retention, housekeeping): started and stopped by the composition root,
 * owned by the feature that builds it. A failed round is logged and the next round runs as planned; a round that
 * reports a count above zero logs it.
 */
public final class Loop {
  private static final Logger LOG = LoggerFactory.getLogger(Loop.class);
  private final Vertx vertx;
  private final String name;
  private final Duration first;
  private final Duration every;
  private final Supplier<Future<?>> work;
  private final String done;
  private volatile long timer = -1;

  private Loop(Vertx vertx, String name, Duration first, Duration every, Supplier<Future<?>> work, String done) {
    this.vertx = vertx;
    this.name = name;
    this.first = first;
    this.every = every;
    this.work = work;
    this.done = done;
  }

  /**
   * {@code work} every {@code every}, the first time after {@code first}. When the work's result is a positive
   * number, {@code done} is logged with it ("{} reminder(s) queued").
   */
  public static Loop every(Vertx vertx, String name, Duration first, Duration every, Supplier<Future<?>> work, String done) {
    return new Loop(vertx, name, first, every, work, done);
  }

  public void start() {
    timer = vertx.setPeriodic(first.toMillis(), every.toMillis(), id -> work.get()
        .onSuccess(r -> {
          if (done != null && r instanceof Number n && n.longValue() > 0) {
            LOG.info("{}: " + done, name, n);
          }
        })
        .onFailure(err -> LOG.warn("{} failed: {}", name, err.toString())));
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }
}
