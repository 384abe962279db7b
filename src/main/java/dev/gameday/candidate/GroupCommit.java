package dev.gameday.candidate;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for one statement (issue 28, item 1): executions that arrive while a round is in flight wait, and the
 * next round sends all of them as one pipelined batch on one connection ({@code executeBatch}: one round trip, one
 * implicit transaction, so one commit and one WAL flush for the whole round). Each caller's future completes only
 * after the round that holds its execution has committed, with its own rows.
 *
 * <p>Executions are spread over {@link #LANES} lanes by a key (the invitation): a lane has at most one round in
 * flight and keeps arrival order, so one key's executions run in the order they arrived, each statement of a round
 * seeing the ones before it, and two rounds in flight never touch the same key (no lock waits between them). If a
 * round fails as a whole (one statement's error aborts its transaction), its executions are retried one at a time,
 * in order, so each gets its own answer; a retry of one that did commit is refused by the statement's own revision
 * check, which the caller answers as a repeat.
 */
final class GroupCommit {
  /** Rounds in flight at once: a quarter of the pool (16), leaving connections for every other request. */
  static final int LANES = 4;
  /** At most this many executions per round; the rest wait for the next. */
  static final int MAX_ROUND = 64;

  private final Pool pool;
  private final String sql;
  private final Lane[] lanes = new Lane[LANES];
  private final java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();

  GroupCommit(Pool pool, String sql) {
    this.pool = pool;
    this.sql = sql;
    for (int i = 0; i < LANES; i++) {
      lanes[i] = new Lane();
    }
  }

  private record Pending(Tuple args, Promise<RowSet<Row>> promise, Context context) {
    void complete(RowSet<Row> rows, Throwable failure) {
      Runnable done = failure == null ? () -> promise.tryComplete(rows) : () -> promise.tryFail(failure);
      if (context != null && context != Vertx.currentContext()) {
        context.runOnContext(v -> done.run()); // the caller's event loop writes its response
      } else {
        done.run();
      }
    }
  }

  /** Batches sent so far (each a round trip and a commit); for tests. */
  long rounds() {
    return rounds.get();
  }

  /** Runs the statement with these arguments in the next round of the key's lane. */
  Future<RowSet<Row>> submit(long key, Tuple args) {
    Promise<RowSet<Row>> promise = Promise.promise();
    Lane lane = lanes[(int) Math.floorMod(key, (long) LANES)];
    boolean start;
    synchronized (lane) {
      lane.waiting.add(new Pending(args, promise, Vertx.currentContext()));
      start = !lane.busy;
      lane.busy = true;
    }
    if (start) {
      lane.next();
    }
    return promise.future();
  }

  private final class Lane {
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean busy;

    /** Sends what is waiting as one round; when it is answered, the next. */
    void next() {
      List<Pending> round = new ArrayList<>();
      synchronized (this) {
        while (round.size() < MAX_ROUND && !waiting.isEmpty()) {
          round.add(waiting.poll());
        }
        if (round.isEmpty()) {
          busy = false;
          return;
        }
      }
      List<Tuple> batch = new ArrayList<>(round.size());
      round.forEach(p -> batch.add(p.args()));
      rounds.incrementAndGet();
      pool.preparedQuery(sql).executeBatch(batch).onComplete(ar -> {
        if (ar.succeeded()) {
          RowSet<Row> rows = ar.result();
          for (Pending p : round) {
            p.complete(rows, null);
            rows = rows.next();
          }
          next();
        } else if (round.size() == 1) {
          round.get(0).complete(null, ar.cause());
          next();
        } else {
          oneByOne(round, 0).onComplete(v -> next());
        }
      });
    }

    private Future<Void> oneByOne(List<Pending> round, int i) {
      if (i == round.size()) {
        return Future.succeededFuture();
      }
      Pending p = round.get(i);
      return pool.preparedQuery(sql).execute(p.args())
          .andThen(ar -> p.complete(ar.result(), ar.cause()))
          .transform(ar -> oneByOne(round, i + 1));
    }
  }
}
