package dev.gameday.web;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/** CPU work the event loop must not do (hashing, rewriting megabytes of text): a worker of the calling context. */
public final class Workers {
  private Workers() {
  }

  /** Runs {@code work} on a worker of the current Vert.x context (unordered); outside Vert.x, here and now. */
  public static <T> Future<T> blocking(Callable<T> work) {
    Context context = Vertx.currentContext();
    if (context == null) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return context.executeBlocking(work, false);
  }
}
