package dev.gameday.integration;

import dev.gameday.audit.Audit;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook endpoints and the sender of their deliveries (the events are written by database triggers, see V51).
 * Due deliveries are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease in one short statement (no transaction
 * is open while a delivery is posted), posted concurrently to different endpoints (at most {@link #CONCURRENCY} at
 * once, one per endpoint) through {@link Outbound} (the egress policy, a total deadline of {@link #TIMEOUT} s), and
 * the result recorded in a new short transaction while the lease holds. The body is the same on every attempt (the
 * event's stable {@code id} lets the receiver drop duplicates: delivery is at least once); the signature header is
 * {@code Gameday-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}. A 2xx is delivered; anything else
 * (another status, a refused connection, a timeout) is retried after {@code base x 2^attempts} (at most an hour) until
 * the delivery's {@code retry_until} (a day), then it is failed. Redirects are not followed and response bodies are
 * neither read into the log nor shown: only the status code.
 */
public final class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  public static final List<String> EVENTS = List.of("invitation.opened", "submission.created", "decision.recorded");
  /** The type of a test event an admin sends to one endpoint; it concerns no candidate and needs no subscription. */
  public static final String PING = "ping";
  public static final Duration RETRY_BASE = Duration.ofSeconds(30);
  public static final int TIMEOUT = 10;
  private static final int PER_PASS = 100;
  /** Deliveries in flight at once per instance (each to a different endpoint). */
  static final int CONCURRENCY = 8;

  private static final String ENDPOINT_COLUMNS = """
      e.id, e.url, e.events, e.include_identity, e.created_by, e.created_at, e.disabled_at,
      (select count(*) from webhook_deliveries d where d.endpoint_id = e.id and d.state = 'pending') as pending,
      (select count(*) from webhook_deliveries d where d.endpoint_id = e.id and d.state = 'failed') as failed""";
  /** Claims up to $2 due deliveries, one per endpoint and none of the endpoints in $1, leased for $3 seconds. */
  private static final String CLAIM = """
      with candidates as (
        select d.id, d.endpoint_id, d.next_attempt_at from webhook_deliveries d
         where d.state = 'pending' and d.next_attempt_at <= now() and not (d.endpoint_id = any($1::bigint[]))
           and exists (select 1 from webhook_endpoints e where e.id = d.endpoint_id and e.disabled_at is null)
         order by d.next_attempt_at, d.id
         limit 200
         for update of d skip locked),
      first_per_endpoint as (
        select distinct on (endpoint_id) id, next_attempt_at from candidates order by endpoint_id, next_attempt_at, id),
      picked as (select id from first_per_endpoint order by next_attempt_at, id limit $2),
      claimed as (
        update webhook_deliveries d set lease = gen_random_uuid(), next_attempt_at = now() + make_interval(secs => $3)
          from picked where d.id = picked.id
        returning d.id, d.lease, d.endpoint_id, d.attempts, d.event_id)
      select c.id, c.lease, c.endpoint_id, c.attempts, c.event_id, ev.type, ev.data, ev.occurred_at, e.url, e.secret,
             e.include_identity, i.candidate_name, i.candidate_email, i.erased_at
        from claimed c
        join webhook_events ev on ev.id = c.event_id
        join webhook_endpoints e on e.id = c.endpoint_id
        left join invitations i on i.id = ev.invitation_id""";
  private static final String ATTEMPT = "insert into webhook_attempts (delivery_id, status_code, error, duration_ms) values ($1, $2, $3, $4)";
  private static final String DELIVERED = """
      update webhook_deliveries set state = 'delivered', attempts = attempts + 1, last_status = $2, last_error = null,
             delivered_at = now(), lease = null
       where id = $1 and lease = $3 returning id""";
  private static final String FAILED = """
      update webhook_deliveries
         set attempts = attempts + 1, last_status = $2, last_error = $3,
             next_attempt_at = now() + make_interval(secs => least($4::float8 * power(2, attempts), 3600)),
             state = case when now() + make_interval(secs => least($4::float8 * power(2, attempts), 3600)) > retry_until
                          then 'failed' else 'pending' end,
             lease = null
       where id = $1 and lease = $5 returning id""";

  private final Vertx vertx;
  private final Pool pool;
  private final Duration retryBase;
  private final Outbound outbound;
  private final dev.gameday.ops.Lanes<Long> lanes = new dev.gameday.ops.Lanes<>(this::claim, CONCURRENCY, PER_PASS);
  private volatile Duration deadline = Duration.ofSeconds(TIMEOUT);

  public Webhooks(Vertx vertx, Pool pool, Duration retryBase, Outbound outbound) {
    this.vertx = vertx;
    this.pool = pool;
    this.retryBase = retryBase;
    this.outbound = outbound;
  }

  /** The total deadline of one delivery (tests shorten it). */
  void deadline(Duration d) {
    deadline = d;
  }

  // ---- endpoints

  /**
   * Only {@code http} and {@code https} URLs with a host and no user information. Where the URL may lead is the
   * egress policy's business ({@link Egress}): checked on registration for an address literal, and on every delivery
   * after resolving the host.
   */
  static String validUrl(String raw) {
    String url = raw == null ? "" : raw.strip();
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new ClientError(400, "invalid_url", "The URL is not valid.");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!("http".equals(scheme) || "https".equals(scheme))) {
      throw new ClientError(400, "invalid_url", "A webhook URL must start with http:// or https://.");
    }
    if (u.getHost() == null || u.getHost().isEmpty() || u.getRawUserInfo() != null || url.length() > 2000 || u.getFragment() != null) {
      throw new ClientError(400, "invalid_url", "A webhook URL needs a host, and no user name, password or fragment (at most 2,000 characters).");
    }
    return url;
  }

  static List<String> validEvents(List<String> raw) {
    Set<String> out = new LinkedHashSet<>();
    for (String e : raw == null ? List.<String>of() : raw) {
      String x = e == null ? "" : e.strip();
      if (!EVENTS.contains(x)) {
        throw new ClientError(400, "invalid_event", "Unknown event '" + (x.length() > 40 ? x.substring(0, 40) : x)
            + "'; the events are " + String.join(", ", EVENTS) + ".");
      }
      out.add(x);
    }
    if (out.isEmpty()) {
      throw new ClientError(400, "invalid_event", "Subscribe to at least one event: " + String.join(", ", EVENTS) + ".");
    }
    return List.copyOf(out);
  }

  /** Registers an endpoint; the answer's {@code secret} is the only time it is shown. */
  public Future<JsonObject> add(String actor, String rawUrl, List<String> rawEvents, boolean includeIdentity) {
    String url;
    List<String> events;
    try {
      url = validUrl(rawUrl);
      events = validEvents(rawEvents);
      byte[] literal = Egress.literal(URI.create(url).getHost());
      if (literal != null && !outbound.egress().permits(java.net.InetAddress.getByAddress(literal))) {
        throw new ClientError(400, "invalid_url", "That address is not allowed by the egress policy: loopback, private, "
            + "link-local and metadata addresses need an admin to allow their range (GAMEDAY_EGRESS_ALLOW).");
      }
    } catch (java.net.UnknownHostException e) {
      return Future.failedFuture(new ClientError(400, "invalid_url", "The URL is not valid."));
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    String secret = "whsec_" + dev.gameday.web.Tokens.newToken();
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into webhook_endpoints (url, events, secret, include_identity, created_by) values ($1, $2, $3, $4, $5)
            returning id""").execute(Tuple.of(url, events.toArray(String[]::new), secret, includeIdentity, actor))
        .compose(rows -> {
          long id = rows.iterator().next().getLong("id");
          return Audit.record(conn, actor, "webhook.added", "webhook:" + id, new JsonObject().put("url", url)
              .put("events", new JsonArray(events)).put("includeIdentity", includeIdentity)).map(id);
        }))
        .compose(this::endpoint)
        .map(e -> e.put("secret", secret));
  }

  public Future<JsonObject> disable(String actor, long id) {
    return pool.withTransaction(conn -> conn.preparedQuery("update webhook_endpoints set disabled_at = now() where id = $1 and disabled_at is null returning id")
        .execute(Tuple.of(id)).compose(rows -> rows.size() == 0 ? endpoint(id).compose(e -> Future.failedFuture(
                new ClientError(409, "disabled", "This endpoint is disabled already.")))
            : Audit.record(conn, actor, "webhook.disabled", "webhook:" + id, new JsonObject())))
        .compose(v -> endpoint(id));
  }

  public Future<List<JsonObject>> endpoints() {
    return pool.query("select " + ENDPOINT_COLUMNS + " from webhook_endpoints e order by e.disabled_at is not null, e.id desc").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(endpointJson(r)));
          return out;
        });
  }

  /** One endpoint; 404 unknown_webhook. */
  public Future<JsonObject> endpoint(long id) {
    return pool.preparedQuery("select " + ENDPOINT_COLUMNS + " from webhook_endpoints e where e.id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(unknown()) : Future.succeededFuture(endpointJson(rows.iterator().next())));
  }

  private static ClientError unknown() {
    return new ClientError(404, "unknown_webhook", "There is no webhook endpoint with that id.");
  }

  private static JsonObject endpointJson(Row r) {
    return new JsonObject().put("id", r.getLong("id")).put("url", r.getString("url"))
        .put("events", new JsonArray(List.of(r.getArrayOfStrings("events")))).put("includeIdentity", r.getBoolean("include_identity"))
        .put("createdBy", r.getString("created_by")).put("createdAt", iso(r.getOffsetDateTime("created_at")))
        .put("disabledAt", iso(r.getOffsetDateTime("disabled_at"))).put("active", r.getOffsetDateTime("disabled_at") == null)
        .put("pending", r.getLong("pending")).put("failed", r.getLong("failed"));
  }

  /** The endpoint's delivery log, newest first: each delivery with its attempts and their status codes. */
  public Future<JsonArray> deliveries(long endpointId) {
    return pool.preparedQuery("""
            select d.id, d.event_id, ev.type, d.state, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at,
                   d.next_attempt_at, d.retry_until,
                   coalesce((select json_agg(json_build_object('at', a.at, 'status', a.status_code, 'error', a.error,
                                                               'durationMs', a.duration_ms) order by a.id)
                               from webhook_attempts a where a.delivery_id = d.id), '[]'::json) as log
              from webhook_deliveries d join webhook_events ev on ev.id = d.event_id
             where d.endpoint_id = $1 order by d.id desc limit 200""").execute(Tuple.of(endpointId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getLong("id")).put("eventId", r.getUUID("event_id").toString())
                .put("type", r.getString("type")).put("state", r.getString("state")).put("attempts", r.getInteger("attempts"))
                .put("lastStatus", r.getInteger("last_status")).put("lastError", r.getString("last_error"))
                .put("createdAt", iso(r.getOffsetDateTime("created_at"))).put("deliveredAt", iso(r.getOffsetDateTime("delivered_at")))
                .put("nextAttemptAt", "pending".equals(r.getString("state")) ? iso(r.getOffsetDateTime("next_attempt_at")) : null)
                .put("retryUntil", iso(r.getOffsetDateTime("retry_until")))
                .put("log", r.getValue("log") instanceof JsonArray a ? a : new JsonArray()));
          }
          return out;
        });
  }

  /** Sends a delivery again now, with the same event id and body; it gets another day of retries. */
  public Future<JsonObject> redeliver(String actor, long endpointId, long deliveryId) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            update webhook_deliveries set state = 'pending', next_attempt_at = now(), retry_until = now() + interval '1 day'
             where id = $1 and endpoint_id = $2 returning event_id""").execute(Tuple.of(deliveryId, endpointId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ClientError(404, "unknown_delivery", "There is no such delivery for this endpoint."))
            : Audit.record(conn, actor, "webhook.redelivered", "webhook:" + endpointId,
                new JsonObject().put("delivery", deliveryId).put("event", rows.iterator().next().getUUID("event_id").toString()))))
        .map(v -> new JsonObject().put("id", deliveryId).put("state", "pending"));
  }

  /**
   * Queues a test event ({@link #PING}) for this endpoint only, through the same delivery machinery (lease, egress
   * policy, signature, retries) as real events; audited. 404 for an unknown endpoint, 409 for a disabled one.
   */
  public Future<JsonObject> ping(String actor, long endpointId) {
    return pool.withTransaction(conn -> conn.preparedQuery("select disabled_at from webhook_endpoints where id = $1 for share")
        .execute(Tuple.of(endpointId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(unknown());
          }
          if (rows.iterator().next().getOffsetDateTime("disabled_at") != null) {
            return Future.failedFuture(new ClientError(409, "disabled", "This endpoint is disabled: nothing is sent to it, not even a test event."));
          }
          JsonObject data = new JsonObject().put("endpoint", endpointId)
              .put("message", "A test event from Gameday, sent by an administrator: nothing happened to any candidate.");
          return conn.preparedQuery("insert into webhook_events (type, invitation_id, data) values ($1, null, $2) returning id")
              .execute(Tuple.of(PING, data))
              .compose(ev -> {
                java.util.UUID event = ev.iterator().next().getUUID("id");
                return conn.preparedQuery("insert into webhook_deliveries (event_id, endpoint_id) values ($1, $2) returning id")
                    .execute(Tuple.of(event, endpointId))
                    .compose(d -> {
                      long delivery = d.iterator().next().getLong("id");
                      return Audit.record(conn, actor, "webhook.tested", "webhook:" + endpointId,
                              new JsonObject().put("delivery", delivery).put("event", event.toString()))
                          .map(new JsonObject().put("id", delivery).put("eventId", event.toString()).put("type", PING).put("state", "pending"));
                    });
              });
        }));
  }

  // ---- the sender

  /** Sends due deliveries every two seconds. */
  public void start() {
    lanes.every(vertx, 1_000, 2_000, LOG, "webhook");
  }

  /**
   * One pass: due deliveries, up to {@link #CONCURRENCY} at once to different endpoints, until none is due (or a
   * pass's limit); answers how many were tried.
   */
  public Future<Integer> sendDue() {
    return lanes.pass();
  }

  /** What the receiver gets: the same bytes on every attempt. */
  static String body(Row r) {
    JsonObject data = r.getJsonObject("data").copy();
    if (PING.equals(r.getString("type"))) { // a test event: no candidate
      return new JsonObject().put("id", r.getUUID("event_id").toString()).put("type", PING)
          .put("created_at", iso(r.getOffsetDateTime("occurred_at"))).put("data", data).encode();
    }
    JsonObject candidate = data.getJsonObject("candidate", new JsonObject());
    if (r.getBoolean("include_identity")) {
      candidate.put("name", r.getString("candidate_name")).put("email", r.getString("candidate_email"))
          .put("erased", r.getOffsetDateTime("erased_at") != null);
    }
    data.put("candidate", candidate);
    return new JsonObject().put("id", r.getUUID("event_id").toString()).put("type", r.getString("type"))
        .put("created_at", iso(r.getOffsetDateTime("occurred_at"))).put("data", data).encode();
  }

  /** {@code t=<unix>,v1=<hex HMAC-SHA256 of "t.body">}. */
  public static String signature(String secret, long t, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] h = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + t + ",v1=" + HexFormat.of().formatHex(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Claims due deliveries (one per endpoint, none for a busy one) in one statement, so no transaction is open while
   * they are posted; each is leased for twice the deadline plus a minute, after which a crashed sender's claim is due
   * again.
   */
  Future<List<dev.gameday.ops.Lanes.Job<Long>>> claim(Set<Long> busy, int max) {
    double lease = deadline.toSeconds() * 2.0 + 60;
    return pool.preparedQuery(CLAIM).execute(Tuple.of(busy.toArray(Long[]::new), max, lease)).map(rows -> {
      List<dev.gameday.ops.Lanes.Job<Long>> jobs = new ArrayList<>();
      for (Row r : rows) {
        jobs.add(new dev.gameday.ops.Lanes.Job<>(r.getLong("endpoint_id"), () -> deliver(r)));
      }
      return jobs;
    });
  }

  /** Posts one claimed delivery and records the result in a short transaction of its own, if the lease still holds. */
  private Future<Boolean> deliver(Row r) {
    long id = r.getLong("id");
    java.util.UUID lease = r.getUUID("lease");
    String body = body(r);
    long t = System.currentTimeMillis() / 1000;
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json").add("User-Agent", "Gameday-Webhooks/1")
        .add("Gameday-Event-Id", r.getUUID("event_id").toString()).add("Gameday-Event-Type", r.getString("type"))
        .add("Gameday-Signature", signature(r.getString("secret"), t, body));
    long started = System.nanoTime();
    return outbound.send(HttpMethod.POST, r.getString("url"), headers, Buffer.buffer(body), deadline).transform(ar -> {
      int ms = (int) ((System.nanoTime() - started) / 1_000_000);
      Integer status = ar.succeeded() ? ar.result() : null;
      String error = ar.succeeded() ? null : shorten(String.valueOf(ar.cause().getMessage() == null ? ar.cause().getClass().getSimpleName()
          : ar.cause().getMessage()));
      boolean ok = status != null && status >= 200 && status < 300;
      if (!ok) {
        LOG.info("webhook delivery {} ({}) not accepted, attempt {}: {}", id, r.getString("type"), r.getInteger("attempts") + 1,
            status != null ? "HTTP " + status : error);
      }
      return pool.withTransaction(conn -> (ok ? conn.preparedQuery(DELIVERED).execute(Tuple.of(id, status, lease))
              : conn.preparedQuery(FAILED).execute(Tuple.of(id, status, status != null ? "HTTP " + status : error,
                  retryBase.toMillis() / 1000.0, lease)))
          .compose(updated -> updated.size() == 0 ? Future.succeededFuture(false) // the lease passed: another sender has it
              : conn.preparedQuery(ATTEMPT).execute(Tuple.of(id, status, error, ms)).map(true)));
    });
  }

  private static String shorten(String s) {
    return s.length() > 300 ? s.substring(0, 300) : s;
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }

  public Future<Void> close() {
    return outbound.close();
  }
}
