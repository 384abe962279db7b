package dev.gameday.integration;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAPI document describes exactly the routes mounted under /api/v1 and /integrations/greenhouse/. */
@ExtendWith(PostgresExtension.class)
class OpenApiTest {
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static JsonObject document() {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port));
    var r = await(client.get("/api/v1/openapi.json").send());
    assertEquals(200, r.statusCode());
    return r.bodyAsJsonObject();
  }

  @Test
  @DisplayName("every route mounted under /api/v1 and /integrations/greenhouse/ (path and method) is in /api/v1/openapi.json, and the document has no other")
  void describesEveryRoute() {
    Set<String> mounted = new TreeSet<>();
    for (Route route : app.app.router().getRoutes()) {
      String path = route.getPath();
      if (path == null || !(path.startsWith("/api/v1/") || path.startsWith("/integrations/greenhouse/"))
          || route.methods() == null || route.methods().isEmpty()) {
        continue; // handlers for every request (body, sessions, CSRF), not endpoints
      }
      String templated = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod m : route.methods()) {
        mounted.add(m.name().toLowerCase() + " " + templated);
      }
    }
    JsonObject doc = document();
    assertEquals("3.1.0", doc.getString("openapi"));
    Set<String> described = new TreeSet<>();
    doc.getJsonObject("paths").forEach(p -> ((JsonObject) p.getValue()).fieldNames().forEach(m -> described.add(m + " " + p.getKey())));
    assertFalse(mounted.isEmpty());
    assertEquals(mounted, described);
  }

  @Test
  @DisplayName("every operation has an id, responses and a security requirement, and every $ref resolves")
  void wellFormed() {
    JsonObject doc = document();
    Set<String> ids = new TreeSet<>();
    doc.getJsonObject("paths").forEach(p -> ((JsonObject) p.getValue()).forEach(o -> {
      JsonObject op = (JsonObject) o.getValue();
      assertNotNull(op.getString("operationId"), p.getKey());
      assertEquals(true, ids.add(op.getString("operationId")), "unique id " + op.getString("operationId"));
      assertFalse(op.getJsonObject("responses").isEmpty(), p.getKey());
      assertNotNull(op.getJsonArray("security"), p.getKey());
    }));
    checkRefs(doc, doc.getValue("paths"));
    checkRefs(doc, doc.getValue("components"));
  }

  private static void checkRefs(JsonObject doc, Object node) {
    if (node instanceof JsonObject o) {
      if (o.getValue("$ref") instanceof String ref) {
        Object target = doc;
        for (String part : ref.substring(2).split("/")) {
          target = ((JsonObject) target).getValue(part);
          assertNotNull(target, ref);
        }
      }
      o.forEach(e -> checkRefs(doc, e.getValue()));
    } else if (node instanceof io.vertx.core.json.JsonArray a) {
      a.forEach(x -> checkRefs(doc, x));
    }
  }
}
