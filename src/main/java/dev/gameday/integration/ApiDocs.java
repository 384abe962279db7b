package dev.gameday.integration;

import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document, a resource read once at start-up.
 * {@code OpenApiTest} checks it against every route mounted under {@code /api/v1}, both ways.
 */
public final class ApiDocs {
  public static final String RESOURCE = "api/openapi.json";
  private final Buffer document;

  public ApiDocs() {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void mount(Router router) {
    Access.on(router, Rule.PUBLIC).get("/api/v1/openapi.json", ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300").end(document));
  }
}
