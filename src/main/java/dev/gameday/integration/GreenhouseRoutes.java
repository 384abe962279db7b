package dev.gameday.integration;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.ApiCaller;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gameday as a Greenhouse assessment partner (developers.greenhouse.io/assessment.html), under
 * {@code /integrations/greenhouse/}: {@code list_tests} (the tracks), {@code send_test} (an invitation, emailed through
 * the outbox), {@code test_status} and {@code response_error}. Greenhouse authenticates with HTTP Basic, the API key as
 * the username ({@link ApiTokens#authenticate}); the key is a Gameday API token with {@code invitations:write} and
 * {@code results:read}, which the routes' group requires. Errors are HTTP status codes with
 * {@code {"error", "message"}}. The store, the completion callback and its sender are {@link Greenhouse}.
 */
public final class GreenhouseRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(Greenhouse.class);
  private final Greenhouse greenhouse;
  private final Catalog catalog;

  public GreenhouseRoutes(Greenhouse greenhouse, Catalog catalog) {
    this.greenhouse = greenhouse;
    this.catalog = catalog;
  }

  public void mount(Router router) {
    Access.Routes partner = Access.on(router, Rule.TOKEN).tokens("invitations:write", "results:read");
    partner.get(Greenhouse.BASE + "list_tests", this::listTests);
    partner.post(Greenhouse.BASE + "send_test", this::sendTest);
    partner.get(Greenhouse.BASE + "test_status", this::testStatus);
    partner.post(Greenhouse.BASE + "response_error", this::responseError);
    Access.on(router, Rule.RECRUITER).get(Greenhouse.PROFILES + ":id", this::profile);
  }

  /** A signed-in recruiter or admin following Greenhouse's profile link lands on the candidate's page. */
  private void profile(RoutingContext ctx) {
    greenhouse.invitation(ctx.pathParam("id"))
        .onSuccess(invitation -> {
          if (invitation == null) {
            ctx.fail(404, new ClientError(404, "unknown_interview", "There is no such Greenhouse test."));
          } else {
            ctx.response().setStatusCode(303).putHeader("Location", "/candidates/" + invitation).end();
          }
        })
        .onFailure(ctx::fail);
  }

  private void listTests(RoutingContext ctx) {
    JsonArray tests = new JsonArray();
    catalog.tracks().forEach(t -> tests.add(new JsonObject().put("partner_test_id", t.track().id())
        .put("partner_test_name", t.track().title())));
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(tests.encode());
  }

  private void sendTest(RoutingContext ctx) {
    ApiCaller c = Access.token(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object test = body.getValue("partner_test_id");
    String testId = test instanceof String || test instanceof Number ? String.valueOf(test).strip() : "";
    if (!(body.getValue("candidate") instanceof JsonObject candidate)) {
      ctx.fail(400, new ClientError(400, "invalid_candidate", "candidate must be an object with first_name, last_name and email."));
      return;
    }
    if (catalog.track(testId).isEmpty()) {
      ctx.fail(404, new ClientError(404, "unknown_test", "There is no test with partner_test_id '" + (testId.length() > 60
          ? testId.substring(0, 60) : testId) + "'; list_tests names them."));
      return;
    }
    String first = text(candidate.getValue("first_name"));
    String last = text(candidate.getValue("last_name"));
    String profile = text(candidate.getValue("greenhouse_profile_url"));
    String url = text(body.getValue("url"));
    String callback;
    try {
      callback = url.isEmpty() ? null : Webhooks.validUrl(url);
      if (!profile.isEmpty() && profile.length() > 2000) {
        throw new ClientError(400, "invalid_profile_url", "greenhouse_profile_url is longer than 2,000 characters.");
      }
    } catch (ClientError e) {
      ctx.fail(400, e);
      return;
    }
    if (callback != null && !greenhouse.callbackAllowed(callback)) {
      ctx.fail(400, new ClientError(400, "invalid_url", "The callback url must be an https:// address on Greenhouse's host"
          + " (GAMEDAY_GREENHOUSE_HOSTS lists the hosts allowed)."));
      return;
    }
    String name = (first + " " + last).strip();
    JsonObject invitation = new JsonObject().put("name", name).put("email", candidate.getValue("email"))
        .put("track", testId).put("confirmDuplicate", true);
    String auth = ApiTokens.basicUser(ctx.request().getHeader("Authorization"));
    greenhouse.sendTest(c, testId, profile, invitation, callback, auth)
        .onSuccess(id -> Http.json(ctx, 200, new JsonObject().put("partner_interview_id", id)))
        .onFailure(err -> ctx.fail(err instanceof ClientError ce && ce.status() < 500 ? new ClientError(400, ce.code(),
            ce.getMessage().replace("the name", "first_name and last_name"), null) : err));
  }

  private static String text(Object o) {
    return o instanceof String s ? s.strip() : o == null ? "" : String.valueOf(o).strip();
  }

  private void testStatus(RoutingContext ctx) {
    String id = ctx.request().getParam("partner_interview_id");
    if (id == null || id.isBlank()) {
      ctx.fail(400, new ClientError(400, "missing_partner_interview_id", "Give partner_interview_id in the query string."));
      return;
    }
    greenhouse.testStatus(Access.token(ctx), id).onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  /** Greenhouse tells us a response of ours did not validate: kept in the audit log (without the candidate's email). */
  private void responseError(RoutingContext ctx) {
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    JsonObject detail = new JsonObject().put("api_call", text(body.getValue("api_call")))
        .put("errors", body.getValue("errors") instanceof JsonArray a ? a : new JsonArray())
        .put("partner_test_id", text(body.getValue("partner_test_id")))
        .put("partner_interview_id", text(body.getValue("partner_interview_id")));
    LOG.warn("Greenhouse reports an invalid {} response: {}", detail.getString("api_call"), detail.getJsonArray("errors").encode());
    greenhouse.responseError(Access.token(ctx), detail)
        .onSuccess(v -> Http.json(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail);
  }
}
