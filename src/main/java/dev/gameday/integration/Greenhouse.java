package dev.gameday.integration;

import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.recruiter.CandidateDirectory;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gameday as a Greenhouse assessment partner (developers.greenhouse.io/assessment.html), under
 * {@code /integrations/greenhouse/}: {@code list_tests} (the tracks), {@code send_test} (an invitation, emailed through
 * the outbox), {@code test_status} and {@code response_error}. Greenhouse authenticates with HTTP Basic, the API key as
 * the username; the key is a Gameday API token with {@code invitations:write} and {@code results:read}. A test is
 * {@code complete} once an admin has decided (then there is a score: the weighted mean rubric level, 1 to 4); at that
 * decision the completion callback (a PATCH to the {@code url} of {@code send_test}) becomes due and is sent by
 * {@link #sendDue} with the same backoff as webhooks. Errors are HTTP status codes with {@code {"error", "message"}}.
 */
public final class Greenhouse {
  private static final Logger LOG = LoggerFactory.getLogger(Greenhouse.class);
  public static final String BASE = "/integrations/greenhouse/";
  private static final String CLAIM = """
      select id, callback_url, callback_auth, callback_attempts from greenhouse_interviews
       where callback_state = 'pending' and callback_next_at <= now()
       order by callback_next_at, id limit 1 for update skip locked""";
  private static final String DELIVERED = """
      update greenhouse_interviews set callback_state = 'delivered', callback_auth = null, callback_attempts = callback_attempts + 1,
             callback_last_status = $2, callback_last_error = null where id = $1""";
  private static final String FAILED = """
      update greenhouse_interviews
         set callback_attempts = callback_attempts + 1, callback_last_status = $2, callback_last_error = $3,
             callback_next_at = now() + make_interval(secs => least($4::float8 * power(2, callback_attempts), 3600)),
             callback_state = case when now() + make_interval(secs => least($4::float8 * power(2, callback_attempts), 3600))
                                        > callback_retry_until then 'failed' else 'pending' end,
             callback_auth = case when now() + make_interval(secs => least($4::float8 * power(2, callback_attempts), 3600))
                                       > callback_retry_until then null else callback_auth end
       where id = $1""";

  private final Vertx vertx;
  private final Pool pool;
  private final Catalog catalog;
  private final CandidateDirectory directory;
  private final Results results;
  private final String publicUrl;
  private final Duration retryBase;
  private final HttpClientAgent http;
  private final dev.gameday.ops.Drain drain = new dev.gameday.ops.Drain(this::sendOne, 100);

  public Greenhouse(Vertx vertx, Pool pool, Catalog catalog, CandidateDirectory directory, String publicUrl, Duration retryBase) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
    this.directory = directory;
    this.results = new Results(pool, catalog);
    this.publicUrl = publicUrl;
    this.retryBase = retryBase;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(Webhooks.TIMEOUT * 1000)
        .setIdleTimeout(Webhooks.TIMEOUT).setKeepAlive(false));
  }

  public void mount(Router router) {
    router.get(BASE + "list_tests").handler(this::listTests);
    router.post(BASE + "send_test").handler(this::sendTest);
    router.get(BASE + "test_status").handler(this::testStatus);
    router.post(BASE + "response_error").handler(this::responseError);
  }

  /** The token, with both scopes Greenhouse needs; null after answering 401/403. */
  private static ApiTokens.Caller caller(RoutingContext ctx) {
    ApiTokens.Caller c = ApiTokens.caller(ctx);
    if (c == null) {
      // ApiTokens.authenticate answers every request here without a valid key; this is only a second lock
      ctx.fail(401, new ClientError(401, "invalid_token", "Authenticate with HTTP Basic: the API token as the username."));
      return null;
    }
    return c.require(ctx, "invitations:write") && c.require(ctx, "results:read") ? c : null;
  }

  private void listTests(RoutingContext ctx) {
    if (caller(ctx) == null) {
      return;
    }
    JsonArray tests = new JsonArray();
    catalog.tracks().forEach(t -> tests.add(new JsonObject().put("partner_test_id", t.track().id())
        .put("partner_test_name", t.track().title())));
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(tests.encode());
  }

  private void sendTest(RoutingContext ctx) {
    ApiTokens.Caller c = caller(ctx);
    JsonObject body = c == null ? null : Http.jsonBody(ctx);
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
    String name = (first + " " + last).strip();
    JsonObject invitation = new JsonObject().put("name", name).put("email", candidate.getValue("email"))
        .put("track", testId).put("confirmDuplicate", true);
    String auth = ApiTokens.basicUser(ctx.request().getHeader("Authorization"));
    existing(c, testId, profile)
        .compose(found -> found != null ? Future.succeededFuture(found)
            : directory.invite(c.account(), invitation, "greenhouse").compose(created -> {
              String interview = "gh_" + Tokens.newToken();
              return pool.preparedQuery("""
                      insert into greenhouse_interviews (id, invitation_id, partner_test_id, token_id, greenhouse_profile_url,
                                                         callback_url, callback_auth, callback_state)
                      values ($1, $2, $3, $4, $5, $6, $7, $8)""")
                  .execute(Tuple.of(interview, created.getLong("id"), testId, c.tokenId(), profile.isEmpty() ? null : profile,
                      callback, callback == null ? null : auth, callback == null ? "none" : "waiting"))
                  .map(interview);
            }))
        .onSuccess(id -> Http.json(ctx, 200, new JsonObject().put("partner_interview_id", id)))
        .onFailure(err -> ctx.fail(err instanceof ClientError ce && ce.status() < 500 ? new ClientError(400, ce.code(),
            ce.getMessage().replace("the name", "first_name and last_name"), null) : err));
  }

  /** The same application sent the same test again (Greenhouse retried): the first interview's id. */
  private Future<String> existing(ApiTokens.Caller c, String testId, String profile) {
    if (profile.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("""
            select id from greenhouse_interviews where token_id = $1 and partner_test_id = $2 and greenhouse_profile_url = $3""")
        .execute(Tuple.of(c.tokenId(), testId, profile))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("id"));
  }

  private static String text(Object o) {
    return o instanceof String s ? s.strip() : o == null ? "" : String.valueOf(o).strip();
  }

  private void testStatus(RoutingContext ctx) {
    if (caller(ctx) == null) {
      return;
    }
    String id = ctx.request().getParam("partner_interview_id");
    if (id == null || id.isBlank()) {
      ctx.fail(400, new ClientError(400, "missing_partner_interview_id", "Give partner_interview_id in the query string."));
      return;
    }
    pool.preparedQuery("""
            select g.invitation_id, g.partner_test_id, i.first_opened_at, i.submitted_at, i.revoked_at, i.closes_at <= now() as closed,
                   i.state, s.id as submission_id, d.decision, d.decided_at,
                   exists (select 1 from answers a where a.invitation_id = i.id) as started
              from greenhouse_interviews g join invitations i on i.id = g.invitation_id
              left join submissions s on s.invitation_id = i.id
              left join decisions d on d.submission_id = s.id
             where g.id = $1""").execute(Tuple.of(id.strip()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(404, "unknown_interview", "There is no test with that partner_interview_id."));
          }
          Row r = rows.iterator().next();
          return status(r);
        })
        .onSuccess(j -> Http.json(ctx, 200, j))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> status(Row r) {
    long invitation = r.getLong("invitation_id");
    JsonObject metadata = new JsonObject();
    String track = r.getString("partner_test_id");
    metadata.put("Track", catalog.track(track).map(t -> t.track().title()).orElse(track));
    if (r.getOffsetDateTime("first_opened_at") != null) {
      metadata.put("Started At", text(r.getOffsetDateTime("first_opened_at")));
    }
    if (r.getOffsetDateTime("submitted_at") != null) {
      metadata.put("Completed At", text(r.getOffsetDateTime("submitted_at")));
    }
    JsonObject out = new JsonObject();
    String profile = r.getValue("submission_id") != null ? publicUrl + "/review/" + r.getUUID("submission_id")
        : publicUrl + "/candidates/" + invitation;
    out.put("partner_profile_url", profile);
    if (r.getString("decision") != null) {
      return results.result(invitation).map(result -> {
        metadata.put("Decision", result.getString("decision")).put("Decided At", text(r.getOffsetDateTime("decided_at")))
            .put("Score Scale", "1 to 4 (mean rubric level)");
        return out.put("partner_status", "complete").put("partner_score", result.getValue("overall")).put("metadata", metadata);
      });
    }
    String status;
    if (r.getOffsetDateTime("revoked_at") != null) {
      status = "revoked";
    } else if ("submitted".equals(r.getString("state"))) {
      status = "in_progress";
      metadata.put("Gameday Status", "submitted, awaiting review");
    } else if (Boolean.TRUE.equals(r.getBoolean("closed"))) {
      status = "expired";
    } else if (Boolean.TRUE.equals(r.getBoolean("started")) || r.getOffsetDateTime("first_opened_at") != null) {
      status = "in_progress";
    } else {
      status = "not_started";
    }
    return Future.succeededFuture(out.put("partner_status", status).putNull("partner_score").put("metadata", metadata));
  }

  private static String text(OffsetDateTime t) {
    return t.withOffsetSameInstant(java.time.ZoneOffset.UTC).toString();
  }

  /** Greenhouse tells us a response of ours did not validate: kept in the audit log (without the candidate's email). */
  private void responseError(RoutingContext ctx) {
    ApiTokens.Caller c = caller(ctx);
    JsonObject body = c == null ? null : Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    JsonObject detail = new JsonObject().put("api_call", text(body.getValue("api_call")))
        .put("errors", body.getValue("errors") instanceof JsonArray a ? a : new JsonArray())
        .put("partner_test_id", text(body.getValue("partner_test_id")))
        .put("partner_interview_id", text(body.getValue("partner_interview_id")));
    LOG.warn("Greenhouse reports an invalid {} response: {}", detail.getString("api_call"), detail.getJsonArray("errors").encode());
    Audit.record(pool, c.actor(), "greenhouse.response_error", null, detail)
        .onSuccess(v -> Http.json(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail);
  }

  // ---- the completion callback

  public void start() {
    drain.every(vertx, 1_500, 5_000, LOG, "greenhouse callback");
  }

  public Future<Integer> sendDue() {
    return drain.pass();
  }

  Future<Boolean> sendOne() {
    return pool.withTransaction(conn -> conn.preparedQuery(CLAIM).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Row r = rows.iterator().next();
      String id = r.getString("id");
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.PATCH).setAbsoluteURI(r.getString("callback_url"))
          .setFollowRedirects(false).setTimeout(Webhooks.TIMEOUT * 1000L).putHeader("User-Agent", "Gameday-Greenhouse/1");
      if (r.getString("callback_auth") != null) {
        options.putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (r.getString("callback_auth") + ":").getBytes(StandardCharsets.UTF_8)));
      }
      Future<Integer> sent;
      try {
        sent = http.request(options).compose(req -> req.send()).compose(resp -> resp.end().map(v -> resp.statusCode()));
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      return sent.transform(ar -> {
        Integer status = ar.succeeded() ? ar.result() : null;
        if (status != null && status >= 200 && status < 300) {
          return conn.preparedQuery(DELIVERED).execute(Tuple.of(id, status));
        }
        String error = status != null ? "HTTP " + status : String.valueOf(ar.cause().getMessage());
        LOG.info("Greenhouse completion callback for {} not accepted, attempt {}: {}", id, r.getInteger("callback_attempts") + 1, error);
        return conn.preparedQuery(FAILED).execute(Tuple.of(id, status, error.length() > 300 ? error.substring(0, 300) : error,
            retryBase.toMillis() / 1000.0));
      }).map(true);
    }));
  }
}
