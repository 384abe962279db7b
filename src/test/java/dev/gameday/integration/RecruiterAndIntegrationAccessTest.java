package dev.gameday.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import dev.gameday.web.Access;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The access rule of every route of the recruiter workspace, the API tokens and webhooks admin, the API docs and
 * Greenhouse, read from the router itself (issue 22): a route added there without its rule, or with another one,
 * fails here. Each rule's behaviour (401, 403, scopes) is tested by RecruiterTest, ApiTokenTest, GreenhouseTest and
 * WebhookTest.
 */
@ExtendWith(PostgresExtension.class)
class RecruiterAndIntegrationAccessTest {
  static TestApp app;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  private static final List<String> PREFIXES = List.of("/candidates", "/api/v1/candidates", "/admin/tokens", "/api/v1/admin/tokens",
      "/admin/webhooks", "/api/v1/admin/webhooks", "/api/v1/openapi.json", "/integrations/greenhouse/", "/greenhouse/profiles/");

  /** "METHOD path" to "RULE scopes", as the features declare them. */
  private static Map<String, String> expected() {
    Map<String, String> m = new TreeMap<>();
    String read = "RECRUITER [invitations:read]";
    String write = "RECRUITER [invitations:write]";
    m.put("GET /api/v1/candidates", read);
    m.put("GET /api/v1/candidates/:id", read);
    m.put("POST /api/v1/candidates", write);
    m.put("POST /api/v1/candidates/import", write);
    m.put("POST /api/v1/candidates/batch", write);
    m.put("POST /api/v1/candidates/:id/:action", write);
    m.put("POST /api/v1/candidates/actions", write);
    m.put("GET /api/v1/candidates/:id/result", "ADMIN [results:read]");
    for (String page : List.of("GET /candidates", "POST /candidates", "POST /candidates/import", "GET /candidates/template.csv",
        "GET /candidates/export.csv", "GET /candidates/:id", "POST /candidates/:id/:action", "GET /greenhouse/profiles/:id",
        "GET /candidates/batch", "POST /candidates/batch", "POST /candidates/preview-email", "POST /candidates/:id/release-feedback")) {
      m.put(page, "RECRUITER []");
    }
    for (String admin : List.of("GET /admin/tokens", "POST /admin/tokens", "POST /admin/tokens/:id/revoke",
        "DELETE /api/v1/admin/tokens/:id", "GET /admin/webhooks", "POST /admin/webhooks", "GET /admin/webhooks/:id",
        "POST /admin/webhooks/:id/disable", "POST /admin/webhooks/:id/deliveries/:delivery/redeliver", "GET /api/v1/admin/webhooks",
        "POST /api/v1/admin/webhooks", "GET /api/v1/admin/webhooks/:id/deliveries",
        "POST /api/v1/admin/webhooks/:id/deliveries/:delivery/redeliver", "POST /admin/webhooks/:id/test",
        "POST /api/v1/admin/webhooks/:id/test")) {
      m.put(admin, "ADMIN []");
    }
    for (String partner : List.of("GET /integrations/greenhouse/list_tests", "POST /integrations/greenhouse/send_test",
        "GET /integrations/greenhouse/test_status", "POST /integrations/greenhouse/response_error")) {
      m.put(partner, "TOKEN [invitations:write, results:read]");
    }
    m.put("GET /api/v1/openapi.json", "PUBLIC []");
    return m;
  }

  @Test
  @DisplayName("every route of these features carries its rule and token scopes, as declared once per group")
  void everyRouteHasItsRule() {
    Map<String, String> found = new TreeMap<>();
    for (Route route : app.app.router().getRoutes()) {
      String path = route.getPath();
      if (path == null || route.methods() == null || PREFIXES.stream().noneMatch(path::startsWith)) {
        continue;
      }
      Object rule = route.getMetadata(Access.RULE);
      Object scopes = route.getMetadata(Access.SCOPES);
      for (HttpMethod method : route.methods()) {
        found.put(method.name() + " " + path, rule + " " + scopes);
      }
    }
    assertTrue(found.size() >= expected().size(), "routes found: " + found.keySet());
    assertEquals(expected(), found);
  }
}
