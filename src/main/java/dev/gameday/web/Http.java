package dev.gameday.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Shared HTTP answers: JSON errors in one shape, and the decision between a JSON and an HTML answer. */
public final class Http {
  private Http() {
  }

  /** A client error with a code and a sentence: {@code {"error": code, "message": sentence}}. */
  public static final class ClientError extends RuntimeException {
    private final int status;
    private final String code;
    private final JsonObject extra;

    public ClientError(int status, String code, String message) {
      this(status, code, message, null);
    }

    public ClientError(int status, String code, String message, JsonObject extra) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.extra = extra;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public JsonObject body() {
      JsonObject body = new JsonObject().put("error", code).put("message", getMessage());
      if (extra != null) {
        body.mergeIn(extra);
      }
      return body;
    }
  }

  /** The context key of an API token's caller (set by {@code ApiTokens.authenticate}). */
  public static final String API_CALLER = "gameday.apiCaller";

  /** JSON endpoints: {@code /api/...}, and the Greenhouse partner endpoints under {@code /integrations/}. */
  public static boolean isApi(RoutingContext ctx) {
    String p = path(ctx);
    return p.startsWith("/api/") || p.startsWith("/integrations/");
  }

  /**
   * The request's normalised path, or its raw path when it cannot be decoded (a broken %-escape such as '/%', which
   * {@link Input#decodable} answers 400): code that runs for every request, error pages and logs included, uses this.
   */
  public static String path(RoutingContext ctx) {
    try {
      return ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      String raw = ctx.request().path();
      return raw == null ? "/" : raw;
    }
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    if (status < 300 && Boolean.TRUE.equals(ctx.get(Input.REPLACED_NUL))) {
      // the client's copy holds a NUL the server stored as U+FFFD: say so, so that it can match (answer.js does)
      body = body.copy().put("replaced", new io.vertx.core.json.JsonArray().add("nul"));
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.toBuffer()); // UTF-8 bytes straight from the generator: no String, no second copy (a queue page is 19 KB)
  }

  /**
   * The request body as a JSON object, or null after failing the request with 400. The bytes must be valid UTF-8;
   * a NUL in a key or string is replaced with U+FFFD (see {@link Input}).
   */
  public static JsonObject jsonBody(RoutingContext ctx) {
    try {
      io.vertx.core.buffer.Buffer raw = ctx.body().buffer();
      // decoded once: the check for well-formed UTF-8 and the parse read the same text (an autosave can be 5 MB)
      String text = raw == null ? "" : Input.decodeUtf8(raw.getBytes());
      if (text == null) {
        ctx.fail(400, new ClientError(400, "malformed_json", "The request body is not valid UTF-8."));
        return null;
      }
      JsonObject body = text.isEmpty() ? null : new JsonObject(text);
      if (body == null) {
        ctx.fail(400, new ClientError(400, "malformed_json", "The request body must be a JSON object."));
        return null;
      }
      // JSON can carry a NUL or a lone surrogate only as an escape (raw control characters do not parse, raw
      // surrogates are not UTF-8): no copy without one
      if (!Input.mayNeedCleaning(text)) {
        return body;
      }
      boolean[] replaced = {false};
      JsonObject clean = Input.replaceNul(body, replaced);
      if (replaced[0]) {
        ctx.put(Input.REPLACED_NUL, true);
      }
      return clean;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      ctx.fail(400, new ClientError(400, "malformed_json", "The request body is not valid JSON."));
      return null;
    }
  }

  /**
   * A place to return to after signing in, if it is a path on this site: starts with a single {@code /}, with no
   * backslash or control character (browsers read {@code //host} and {@code /\host} as another site). Else null.
   */
  public static String safeNext(String next) {
    if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//")) {
      return null;
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      if (c == '\\' || c < 0x20 || c == 0x7f) {
        return null;
      }
    }
    return next;
  }

  public static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }
}
