package dev.gameday.web;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id: taken from {@code X-Request-Id} when it is present and harmless ({@code [A-Za-z0-9._-]{1,64}}),
 * else generated; returned on every response and kept in the request's own (duplicated) Vert.x context, so that
 * every log line written while serving the request, on the event loop or a worker, carries it
 * ({@link dev.gameday.ops.RequestIdMdc} copies it into the logging MDC).
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  /** The MDC key (and JSON log field) that holds the id. */
  public static final String MDC_KEY = "requestId";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** The key in the request context's local data; an object of our own, so nothing else can collide with it. */
  private static final Object KEY = new Object();

  private RequestIds() {
  }

  /** The given id if it is valid, else a new one: a client cannot inject log syntax or unbounded text. */
  public static String accept(String given) {
    return given != null && VALID.matcher(given).matches() ? given : generate();
  }

  /** 128 random bits in hex: unique enough to find one request, not a secret. */
  public static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong(), r.nextLong());
  }

  /** Sets the id of this request (the first handler of every request calls this). */
  public static String assign(RoutingContext ctx) {
    String id = accept(ctx.request().getHeader(HEADER));
    ctx.put(MDC_KEY, id);
    ctx.response().putHeader(HEADER, id);
    if (Vertx.currentContext() instanceof ContextInternal c && c.isDuplicate()) {
      c.localContextData().put(KEY, id);
    }
    return id;
  }

  /** The id of the request the calling code serves, or null outside a request. */
  public static String current() {
    Context c = Vertx.currentContext();
    if (c instanceof ContextInternal ci && ci.isDuplicate()) {
      Object id = ci.localContextData().get(KEY);
      return id instanceof String s ? s : null;
    }
    return null;
  }
}
