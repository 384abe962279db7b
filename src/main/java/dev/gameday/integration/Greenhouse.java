package dev.gameday.integration;

import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.recruiter.NewInvitations;
import dev.gameday.recruiter.Results;
import dev.gameday.web.ApiCaller;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gameday as a Greenhouse assessment partner (developers.greenhouse.io/assessment.html): the store and the sender
 * behind {@link GreenhouseRoutes}. A {@code send_test} becomes an invitation (emailed through the outbox) and an
 * interview row naming it; a test is {@code complete} once an admin has decided (then there is a score: the weighted
 * mean rubric level, 1 to 4); at that decision the completion callback (a PATCH to the {@code url} of
 * {@code send_test}) becomes due and is sent by {@link #sendDue} with the same backoff as webhooks.
 */
public final class Greenhouse {
  private static final Logger LOG = LoggerFactory.getLogger(Greenhouse.class);
  public static final String BASE = "/integrations/greenhouse/";
  /** The candidate's page as Greenhouse links to it: the interview's opaque id, never an internal one. */
  public static final String PROFILES = "/greenhouse/profiles/";
  /** A closed interview replaced by a new one: no longer current, and its callback (never due now) loses the key. */
  private static final String SUPERSEDE = """
      update greenhouse_interviews set superseded_at = now(), callback_auth = null,
             callback_state = case when callback_state in ('waiting', 'pending') then 'failed' else callback_state end,
             callback_last_error = case when callback_state in ('waiting', 'pending') then 'sent again' else callback_last_error end
       where id = $1 and superseded_at is null""";
  /** Claims up to $1 due callbacks of active tokens, leased for $2 seconds, in one statement (no open transaction). */
  private static final String CLAIM = """
      with picked as (
        select g.id from greenhouse_interviews g join api_tokens t on t.id = g.token_id
         where g.callback_state = 'pending' and g.callback_next_at <= now()
           and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
         order by g.callback_next_at, g.id limit $1 for update of g skip locked)
      update greenhouse_interviews g set callback_lease = gen_random_uuid(), callback_next_at = now() + make_interval(secs => $2)
        from picked where g.id = picked.id
      returning g.id, g.callback_url, g.callback_auth, g.callback_attempts, g.callback_lease""";
  /** Callbacks of an expired token end as a revoked token's do (V52's trigger): failed, the key wiped. */
  private static final String EXPIRED = """
      update greenhouse_interviews g set callback_auth = null,
             callback_state = case when callback_state in ('waiting', 'pending') then 'failed' else callback_state end,
             callback_last_error = case when callback_state in ('waiting', 'pending') then 'token expired' else callback_last_error end
        from api_tokens t
       where t.id = g.token_id and t.expires_at <= now()
         and (g.callback_auth is not null or g.callback_state in ('waiting', 'pending'))""";
  private static final String DELIVERED = """
      update greenhouse_interviews set callback_state = 'delivered', callback_auth = null, callback_attempts = callback_attempts + 1,
             callback_last_status = $2, callback_last_error = null, callback_lease = null where id = $1 and callback_lease = $3""";
  private static final String FAILED = """
      update greenhouse_interviews
         set callback_attempts = callback_attempts + 1, callback_last_status = $2, callback_last_error = $3,
             callback_next_at = now() + make_interval(secs => least($4::float8 * power(2, callback_attempts), 3600)),
             callback_state = case when $6 or now() + make_interval(secs => least($4::float8 * power(2, callback_attempts), 3600))
                                        > callback_retry_until then 'failed' else 'pending' end,
             callback_auth = case when $6 or now() + make_interval(secs => least($4::float8 * power(2, callback_attempts), 3600))
                                       > callback_retry_until then null else callback_auth end,
             callback_lease = null
       where id = $1 and callback_lease = $5""";

  private final Vertx vertx;
  private final Pool pool;
  private final Catalog catalog;
  private final NewInvitations invitations;
  private final Results results;
  private final String publicUrl;
  private final Duration retryBase;
  private final Outbound outbound;
  private final List<String> callbackHosts;
  private final dev.gameday.ops.Lanes<String> lanes = new dev.gameday.ops.Lanes<>(this::claim, 4, 100);

  public Greenhouse(Vertx vertx, Pool pool, Catalog catalog, NewInvitations invitations, String publicUrl, Duration retryBase,
                    Outbound outbound, List<String> callbackHosts) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
    this.invitations = invitations;
    this.results = new Results(pool, catalog);
    this.publicUrl = publicUrl;
    this.retryBase = retryBase;
    this.outbound = outbound;
    this.callbackHosts = List.copyOf(callbackHosts);
  }

  /** The invitation behind an interview (Greenhouse's profile link), or null for an unknown interview. */
  public Future<Long> invitation(String interviewId) {
    return pool.preparedQuery("select invitation_id from greenhouse_interviews where id = $1").execute(Tuple.of(interviewId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("invitation_id"));
  }

  /**
   * {@code send_test}, validated: the current interview of this application and test if it is still open (Greenhouse
   * retried), else a new invitation ({@code invitation}, from {@code via} "greenhouse") and a new interview that
   * replaces a closed one. {@code callback} and {@code auth} (the key, for the callback) may be null. Answers the
   * interview's id.
   */
  public Future<String> sendTest(ApiCaller c, String testId, String profile, JsonObject invitation, String callback, String auth) {
    return current(c, testId, profile)
        .compose(found -> found != null && !found.closed() ? Future.succeededFuture(found.id())
            : invitations.invite(c.account(), invitation, "greenhouse").compose(created -> {
              String interview = "gh_" + Tokens.newToken();
              return pool.withTransaction(conn -> (found == null ? Future.<Void>succeededFuture()
                  : conn.preparedQuery(SUPERSEDE).execute(Tuple.of(found.id())).<Void>mapEmpty())
                  .compose(v -> conn.preparedQuery("""
                      insert into greenhouse_interviews (id, invitation_id, partner_test_id, token_id, greenhouse_profile_url,
                                                         callback_url, callback_auth, callback_state)
                      values ($1, $2, $3, $4, $5, $6, $7, $8)""")
                  .execute(Tuple.of(interview, created.getLong("id"), testId, c.tokenId(), profile.isEmpty() ? null : profile,
                      callback, callback == null ? null : auth, callback == null ? "none" : "waiting"))))
                  .map(interview)
                  // the same application sent twice at once: the other request's interview is the current one
                  .recover(err -> err instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                      && String.valueOf(pg.getConstraint()).equals("greenhouse_interviews_application")
                      ? current(c, testId, profile).compose(now -> now == null ? Future.failedFuture(err) : Future.succeededFuture(now.id()))
                      : Future.failedFuture(err));
            }));
  }

  /** The current interview of an application and test sent before by this token, and whether its test is closed. */
  private record Current(String id, boolean closed) {
  }

  /**
   * The same application sent the same test again (Greenhouse retried): the current interview, if any. A test
   * revoked, or expired unsubmitted, is closed: sending it again makes a new interview (a new invitation, emailed).
   */
  private Future<Current> current(ApiCaller c, String testId, String profile) {
    if (profile.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("""
            select g.id, (i.revoked_at is not null or (i.state <> 'submitted' and i.closes_at <= now())) as closed
              from greenhouse_interviews g join invitations i on i.id = g.invitation_id
             where g.token_id = $1 and g.partner_test_id = $2 and g.greenhouse_profile_url = $3 and g.superseded_at is null""")
        .execute(Tuple.of(c.tokenId(), testId, profile))
        .map(rows -> rows.size() == 0 ? null : new Current(rows.iterator().next().getString("id"),
            rows.iterator().next().getBoolean("closed")));
  }

  /** {@code test_status}: the interview's status, score and metadata as Greenhouse reads them; 404 unknown_interview. */
  public Future<JsonObject> testStatus(ApiCaller c, String id) {
    return pool.preparedQuery("""
            select g.id, g.invitation_id, g.partner_test_id, i.first_opened_at, i.submitted_at, i.revoked_at, i.closes_at <= now() as closed,
                   i.state, s.id as submission_id, d.decision, d.decided_at,
                   exists (select 1 from answers a where a.invitation_id = i.id) as started
              from greenhouse_interviews g join invitations i on i.id = g.invitation_id
              left join submissions s on s.invitation_id = i.id
              left join decisions d on d.submission_id = s.id
             where g.id = $1 and g.token_id = $2""").execute(Tuple.of(id.strip(), c.tokenId()))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ClientError(404, "unknown_interview", "There is no test with that partner_interview_id."))
            : status(rows.iterator().next()));
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
    out.put("partner_profile_url", publicUrl + PROFILES + r.getString("id"));
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
  public Future<Void> responseError(ApiCaller c, JsonObject detail) {
    return Audit.record(pool, c.actor(), "greenhouse.response_error", null, detail).mapEmpty();
  }

  // ---- the completion callback

  public void start() {
    lanes.every(vertx, 1_500, 5_000, LOG, "greenhouse callback");
  }

  /** One pass: first ends the callbacks of expired tokens, then sends the due ones (up to four at once). */
  public Future<Integer> sendDue() {
    return pool.query(EXPIRED).execute().compose(v -> lanes.pass());
  }

  /** Due callbacks, each its own lane; claimed and leased in one statement, so no transaction spans the call. */
  Future<List<dev.gameday.ops.Lanes.Job<String>>> claim(java.util.Set<String> busy, int max) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(max, Webhooks.TIMEOUT * 2.0 + 60)).map(rows -> {
      List<dev.gameday.ops.Lanes.Job<String>> jobs = new java.util.ArrayList<>();
      for (Row r : rows) {
        jobs.add(new dev.gameday.ops.Lanes.Job<>(r.getString("id"), () -> callback(r)));
      }
      return jobs;
    });
  }

  /**
   * The PATCH, only to a host Greenhouse's callbacks may go to ({@code GAMEDAY_GREENHOUSE_HOSTS}) and through the egress
   * policy: the key is attached to nothing else. The result is recorded in a short transaction while the lease holds.
   */
  private Future<Void> callback(Row r) {
    String id = r.getString("id");
    java.util.UUID lease = r.getUUID("callback_lease");
    String url = r.getString("callback_url");
    if (!callbackAllowed(url)) {
      LOG.warn("Greenhouse completion callback for {} refused: its url is not on a Greenhouse host", id);
      return pool.preparedQuery(FAILED).execute(Tuple.of(id, null, "the callback url is not on a Greenhouse host",
          retryBase.toMillis() / 1000.0, lease, true)).mapEmpty();
    }
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("User-Agent", "Gameday-Greenhouse/1");
    if (r.getString("callback_auth") != null) {
      headers.add("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (r.getString("callback_auth") + ":").getBytes(StandardCharsets.UTF_8)));
    }
    return outbound.send(HttpMethod.PATCH, url, headers, null, Duration.ofSeconds(Webhooks.TIMEOUT)).transform(ar -> {
      Integer status = ar.succeeded() ? ar.result() : null;
      if (status != null && status >= 200 && status < 300) {
        return pool.preparedQuery(DELIVERED).execute(Tuple.of(id, status, lease)).mapEmpty();
      }
      String error = status != null ? "HTTP " + status : String.valueOf(ar.cause().getMessage());
      LOG.info("Greenhouse completion callback for {} not accepted, attempt {}: {}", id, r.getInteger("callback_attempts") + 1, error);
      return pool.preparedQuery(FAILED).execute(Tuple.of(id, status, error.length() > 300 ? error.substring(0, 300) : error,
          retryBase.toMillis() / 1000.0, lease, false)).mapEmpty();
    });
  }

  /** True when the url is https (or http where the host is listed as {@code http://host}) on a listed host. */
  boolean callbackAllowed(String url) {
    java.net.URI u;
    try {
      u = new java.net.URI(url);
    } catch (java.net.URISyntaxException | NullPointerException e) {
      return false;
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    String host = u.getHost() == null ? "" : u.getHost().toLowerCase(java.util.Locale.ROOT);
    if (u.getRawUserInfo() != null || host.isEmpty()) {
      return false;
    }
    for (String allowed : callbackHosts) {
      if ("https".equals(scheme) && (allowed.equals(host) || allowed.equals("http://" + host))) {
        return true;
      }
      if ("http".equals(scheme) && allowed.equals("http://" + host)) {
        return true;
      }
    }
    return false;
  }
}
