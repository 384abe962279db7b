package dev.gameday.web;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on creating requests: the key is claimed (per caller: a token or an account) before the
 * work runs, and the first answer (status and body, a 4xx included) is kept for 24 hours and given again to every
 * retry with the same key and the same request. The same key with another request is refused with 422
 * {@code idempotency_key_reused}; a retry while the first is still running gets 409 {@code idempotency_in_progress}.
 * A failure that is not the client's (database down, a bug) releases the key, so the retry runs the work.
 */
public final class Idempotency {
  public static final String HEADER = "Idempotency-Key";
  public static final int MAX_KEY = 255;

  private static final String CLAIM = """
      insert into idempotency_keys (caller, key, request_hash) values ($1, $2, $3)
      on conflict (caller, key) do update set request_hash = excluded.request_hash, status = null, body = null, created_at = now()
       where idempotency_keys.created_at < now() - interval '24 hours'
      returning true as fresh""";
  private static final String EXISTING = "select request_hash, status, body from idempotency_keys where caller = $1 and key = $2";
  private static final String DONE = "update idempotency_keys set status = $3, body = $4 where caller = $1 and key = $2";
  private static final String RELEASE = "delete from idempotency_keys where caller = $1 and key = $2 and status is null";

  /** An answer to give: a status and a JSON body. */
  public record Answer(int status, JsonObject body) {
  }

  private final Pool pool;

  public Idempotency(Pool pool) {
    this.pool = pool;
  }

  /** Who the key belongs to: the token, or the signed-in account. */
  public static String caller(RoutingContext ctx, Account me) {
    ApiCaller c = Access.token(ctx);
    return c != null ? "token:" + c.tokenId() : "account:" + me.id();
  }

  /** Runs {@code work} once per key and answers the request with its (first) answer. */
  public void answer(RoutingContext ctx, String caller, Supplier<Future<Answer>> work) {
    String key = ctx.request().getHeader(HEADER);
    Future<Answer> f;
    if (key == null) {
      f = work.get();
    } else if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      f = Future.failedFuture(new ClientError(400, "invalid_idempotency_key",
          "An Idempotency-Key is 1 to " + MAX_KEY + " printable ASCII characters without spaces."));
    } else {
      Buffer body = ctx.body() == null || ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
      byte[] hash = Tokens.sha256(Buffer.buffer(ctx.request().method() + " " + Http.path(ctx) + "\n").appendBuffer(body).getBytes());
      f = once(caller, key, hash, work).map(a -> {
        if (a.replayed) {
          ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        return a.answer;
      });
    }
    f.onSuccess(a -> Http.json(ctx, a.status(), a.body())).onFailure(ctx::fail);
  }

  private record Outcome(Answer answer, boolean replayed) {
  }

  private Future<Outcome> once(String caller, String key, byte[] hash, Supplier<Future<Answer>> work) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(caller, key, hash)).compose(claimed -> {
      if (claimed.size() == 1) {
        return work.get()
            .recover(err -> err instanceof ClientError ce && ce.status() < 500
                ? Future.succeededFuture(new Answer(ce.status(), ce.body())) : Future.failedFuture(err))
            .compose(a -> pool.preparedQuery(DONE).execute(Tuple.of(caller, key, a.status(), a.body().encode()))
                .map(new Outcome(a, false)))
            .recover(err -> pool.preparedQuery(RELEASE).execute(Tuple.of(caller, key))
                .transform(ignored -> Future.failedFuture(err)));
      }
      return pool.preparedQuery(EXISTING).execute(Tuple.of(caller, key)).compose(rows -> {
        if (rows.size() == 0) {
          // released a moment ago by a failed first attempt: try to claim it again
          return once(caller, key, hash, work);
        }
        Row r = rows.iterator().next();
        if (!java.security.MessageDigest.isEqual(r.getBuffer("request_hash").getBytes(), hash)) {
          return Future.failedFuture(new ClientError(422, "idempotency_key_reused",
              "This Idempotency-Key was used for a different request; use a new key for a new request."));
        }
        if (r.getInteger("status") == null) {
          return Future.failedFuture(new ClientError(409, "idempotency_in_progress",
              "The first request with this Idempotency-Key is still being served; retry in a moment."));
        }
        return Future.succeededFuture(new Outcome(new Answer(r.getInteger("status"), new JsonObject(r.getString("body"))), true));
      });
    });
  }

  /** Forgets keys older than a day (housekeeping). */
  public Future<Void> forgetOld() {
    return pool.query("delete from idempotency_keys where created_at < now() - interval '24 hours'").execute().mapEmpty();
  }
}
