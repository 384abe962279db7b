package dev.gameday.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which route template a request is logged and counted under (templates indexed by their first segment). */
class RouteTemplatesTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  @DisplayName("a request is named by the best template: exact beats prefix, more literal segments win, a tie goes to the route mounted first, parameters match any first segment")
  void names() {
    Router router = Router.router(vertx);
    router.route().handler(RoutingContext::next); // no path: names nothing
    router.get("/").handler(RoutingContext::next);
    router.route("/api/*").handler(RoutingContext::next);
    router.put("/api/v1/candidate/answers/:exerciseId").handler(RoutingContext::next);
    router.get("/api/v1/candidate/answers/:exerciseId/history").handler(RoutingContext::next);
    router.get("/i/:token").handler(RoutingContext::next);
    router.get("/:lang/help").handler(RoutingContext::next);
    router.get("/docs/:page").handler(RoutingContext::next); // ties with /:lang/help on /docs/help: mounted later
    router.get("/static/*").handler(RoutingContext::next);
    RouteTemplates t = new RouteTemplates(router);

    assertEquals("/", t.of(HttpMethod.GET, "/"));
    assertEquals("/api/v1/candidate/answers/:exerciseId", t.of(HttpMethod.PUT, "/api/v1/candidate/answers/incident-postmortem"));
    assertEquals("/api/*", t.of(HttpMethod.GET, "/api/v1/candidate/answers/incident-postmortem"), "the PUT route is PUT only");
    assertEquals("/api/v1/candidate/answers/:exerciseId/history", t.of(HttpMethod.GET, "/api/v1/candidate/answers/x/history"));
    assertEquals("/api/*", t.of(HttpMethod.POST, "/api/anything/else"));
    assertEquals("/i/:token", t.of(HttpMethod.GET, "/i/secret-token"), "the token never names the route");
    assertEquals(RouteTemplates.UNMATCHED, t.of(HttpMethod.GET, "/i/"), "a parameter needs a value");
    assertEquals("/:lang/help", t.of(HttpMethod.GET, "/en/help"), "a template starting with a parameter is found");
    assertEquals("/:lang/help", t.of(HttpMethod.GET, "/docs/help"), "a tie goes to the route mounted first");
    assertEquals("/docs/:page", t.of(HttpMethod.GET, "/docs/intro"));
    assertEquals("/static/*", t.of(HttpMethod.GET, "/static/app.js"));
    assertEquals(RouteTemplates.UNMATCHED, t.of(HttpMethod.GET, "/nowhere"));
    assertEquals("/", t.of(HttpMethod.GET, null));
  }
}
