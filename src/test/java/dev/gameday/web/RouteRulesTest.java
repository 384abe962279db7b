package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Access as routing (issue 22): every route carries its rule ({@link Access#RULE}), read here from the router itself,
 * so a route added without one fails the build; the rule is the one its address promises (admin pages are ADMIN,
 * candidates' pages RECRUITER, review pages REVIEWER...); and the rule is what the server enforces: a caller it
 * refuses gets 401 or 403 on every such route.
 */
@ExtendWith(PostgresExtension.class)
class RouteRulesTest {
  static TestApp app;
  static Vertx vertx;

  /** Address prefixes and the rules a route under them may carry; the first matching prefix decides. */
  static final Map<String, Set<String>> POLICY = new LinkedHashMap<>();

  static {
    POLICY.put("/api/v1/candidates/:id/result", Set.of("ADMIN"));
    POLICY.put("/api/v1/admin/export.csv", Set.of("REVIEWER"));
    POLICY.put("/admin/", Set.of("ADMIN"));
    POLICY.put("/api/v1/admin/", Set.of("ADMIN"));
    POLICY.put("/review/agreement", Set.of("ADMIN"));
    POLICY.put("/api/v1/review/agreement", Set.of("ADMIN"));
    POLICY.put("/review/severity", Set.of("REVIEWER")); // a reviewer sees their own offsets; an admin everyone's
    POLICY.put("/api/v1/review/severity", Set.of("REVIEWER"));
    POLICY.put("/review/adjudications", Set.of("ADMIN"));
    POLICY.put("/api/v1/review/adjudications", Set.of("ADMIN"));
    POLICY.put("/review/assignments", Set.of("ADMIN")); // who reviews what by when: admins assign; a reviewer's own are in the queue
    POLICY.put("/review", Set.of("REVIEWER", "ADMIN"));
    POLICY.put("/api/v1/review/", Set.of("REVIEWER", "ADMIN"));
    POLICY.put("/candidates", Set.of("RECRUITER"));
    POLICY.put("/api/v1/candidates", Set.of("RECRUITER"));
    POLICY.put("/candidate", Set.of("CANDIDATE"));
    POLICY.put("/api/v1/candidate/", Set.of("CANDIDATE"));
    POLICY.put("/api/v1/candidate", Set.of("CANDIDATE"));
    POLICY.put("/compliance", Set.of("COMPLIANCE"));
    POLICY.put("/api/v1/compliance/", Set.of("COMPLIANCE"));
    POLICY.put("/account", Set.of("STAFF"));
    POLICY.put("/api/v1/account/", Set.of("STAFF"));
    POLICY.put("/greenhouse/profiles/", Set.of("RECRUITER")); // Greenhouse links a recruiter to the candidate's page
    POLICY.put("/integrations/greenhouse/", Set.of("TOKEN"));
    // open to anyone: sign-in and its second step, setup and reset links, invitation links, public rubrics, API docs,
    // health and static files
    POLICY.put("/welcome", Set.of("STAFF"));
    for (String open : List.of("/login", "/logout", "/setup", "/password/", "/i/", "/rubrics", "/api/v1/rubrics",
        "/api/v1/openapi.json", "/health", "/ready", "/metrics", "/static/", "/webjars/")) {
      POLICY.put(open, Set.of("PUBLIC"));
    }
    POLICY.put("/", Set.of("PUBLIC")); // the home page only: checked as an exact address below
  }

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

  record Rule(String path, Set<HttpMethod> methods, String rule) {
  }

  static List<Rule> routes() {
    List<Rule> all = new ArrayList<>();
    for (Route r : app.app.router().getRoutes()) {
      boolean anyRequest = r.getPath() == null && (r.methods() == null || r.methods().isEmpty());
      if (anyRequest) {
        continue; // the handlers every request passes (request ids, guards, sessions, CSRF, the 404 and failure handlers)
      }
      Object rule = r.getMetadata(Access.RULE);
      all.add(new Rule(r.getPath(), r.methods() == null ? Set.of() : r.methods(), rule == null ? null : rule.toString()));
    }
    return all;
  }

  static Set<String> expected(String path) {
    if (path.equals("/")) {
      return POLICY.get("/");
    }
    for (var e : POLICY.entrySet()) {
      if (!e.getKey().equals("/") && path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Test
  @DisplayName("every route carries a rule, the one its address promises")
  void everyRouteHasItsRule() {
    List<Rule> routes = routes();
    assertTrue(routes.size() > 100, "the router lists " + routes.size() + " routes");
    List<String> wrong = new ArrayList<>();
    for (Rule r : routes) {
      if ("MIDDLEWARE".equals(r.rule())) {
        continue;
      }
      Set<String> want = expected(r.path());
      if (r.rule() == null) {
        wrong.add(r.methods() + " " + r.path() + ": no rule (mount it through Access.on)");
      } else if (want == null) {
        wrong.add(r.methods() + " " + r.path() + ": " + r.rule() + ", an address RouteRulesTest.POLICY does not know");
      } else if (!want.contains(r.rule())) {
        wrong.add(r.methods() + " " + r.path() + ": " + r.rule() + ", expected one of " + want);
      }
    }
    assertEquals(List.of(), wrong);
  }

  static String concrete(String path) {
    return path.replaceAll(":[A-Za-z]+", "1").replace("*", "x");
  }

  @Test
  @DisplayName("the rule is enforced: nobody gets 401, a role the rule refuses gets 401 or 403, on every GET route")
  void rulesAreEnforced() {
    Map<String, Browser> callers = new LinkedHashMap<>();
    callers.put("nobody", new Browser(vertx, app.port));
    callers.put("reviewer", app.signIn(vertx, app.account("reviewer")));
    callers.put("recruiter", app.signIn(vertx, app.account("recruiter")));
    callers.put("compliance", app.signIn(vertx, app.account("compliance")));
    Map<String, Set<String>> admits = Map.of(
        "nobody", Set.of("PUBLIC"),
        "reviewer", Set.of("PUBLIC", "STAFF", "REVIEWER"),
        "recruiter", Set.of("PUBLIC", "STAFF", "RECRUITER"),
        "compliance", Set.of("PUBLIC", "STAFF", "COMPLIANCE"));
    List<String> leaks = new ArrayList<>();
    int checked = 0;
    for (Rule r : routes()) {
      if (r.rule() == null || "MIDDLEWARE".equals(r.rule()) || "PUBLIC".equals(r.rule())
          || !r.methods().isEmpty() && !r.methods().contains(HttpMethod.GET)) {
        continue;
      }
      for (var c : callers.entrySet()) {
        if (admits.get(c.getKey()).contains(r.rule())) {
          continue;
        }
        HttpResponse<Buffer> res = await(c.getValue().get(concrete(r.path())));
        checked++;
        if (res.statusCode() != 401 && res.statusCode() != 403) {
          leaks.add(c.getKey() + " GET " + r.path() + " (" + r.rule() + "): " + res.statusCode());
        }
      }
    }
    assertTrue(checked > 100, "checked " + checked);
    assertEquals(List.of(), leaks);
  }
}
