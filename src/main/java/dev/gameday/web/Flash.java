package dev.gameday.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Post/Redirect/Get: a form's handler stores what its result page should say (a notice, an error, the form's values,
 * a link or secret shown once) in the session row and answers 303; the next page view takes it (reads and clears it
 * in one statement) and {@link Pages#render} adds its fields to the model, where templates escape them like any
 * other value. The flash is written only by server code, so no request can inject one, and it never enters a URL.
 */
public final class Flash {
  /** The context key of a flash taken for this request. */
  public static final String KEY = "gameday.flash";
  static final String SESSIONS = "gameday.sessions.pool";

  private static final String PUT = "update sessions set flash = coalesce(flash, '{}'::jsonb) || $2::jsonb where id_hash = $1";
  private static final String TAKE = """
      with old as (select flash from sessions where id_hash = $1 for update)
      update sessions s set flash = null from old where s.id_hash = $1 returning old.flash""";

  private Flash() {
  }

  /** Stores {@code flash} for the next page and answers 303 to {@code location}; without a session, just the 303. */
  public static void redirect(RoutingContext ctx, String location, JsonObject flash) {
    Session s = ctx.get(Session.KEY);
    Pool pool = ctx.get(SESSIONS);
    if (s == null || pool == null || flash == null || flash.isEmpty()) {
      Http.redirect(ctx, location);
      return;
    }
    pool.preparedQuery(PUT).execute(Tuple.of(s.idHash(), flash))
        .onSuccess(v -> Http.redirect(ctx, location)).onFailure(ctx::fail);
  }

  /** A flash with one field, e.g. {@code notice}. */
  public static JsonObject of(String key, Object value) {
    return new JsonObject().put(key, value);
  }

  /** Whether a request is a page view that shows a waiting flash: a GET of a page (not JSON, not a file). */
  static boolean shows(RoutingContext ctx) {
    return ctx.request().method() == io.vertx.core.http.HttpMethod.GET && !Http.isApi(ctx)
        && !Http.path(ctx).contains("/evidence/");
  }

  static Future<Void> take(RoutingContext ctx, Pool pool, byte[] idHash) {
    return pool.preparedQuery(TAKE).execute(Tuple.of(idHash)).map(rows -> {
      if (rows.size() > 0) {
        Object f = rows.iterator().next().getValue("flash");
        if (f instanceof JsonObject j) {
          ctx.put(KEY, j);
        }
      }
      return null;
    });
  }
}
