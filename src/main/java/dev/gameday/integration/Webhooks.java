package dev.gameday.integration;

import dev.gameday.audit.Audit;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
 * Each delivery is claimed with {@code FOR UPDATE SKIP LOCKED} in a transaction held while it is posted (at most
 * {@link #TIMEOUT} s), so two instances never post one attempt twice. The body is the same on every attempt (the
 * event's stable {@code id} lets the receiver drop duplicates: delivery is at least once); the signature header is
 * {@code Gameday-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}. A 2xx is delivered; anything else
 * (another status, a refused connection, a timeout) is retried after {@code base x 2^attempts} (at most an hour) until
 * the delivery's {@code retry_until} (a day), then it is failed. Redirects are not followed and response bodies are
 * neither read into the log nor shown: only the status code.
 */
public final class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  public static final List<String> EVENTS = List.of("invitation.opened", "submission.created", "decision.recorded");
  public static final Duration RETRY_BASE = Duration.ofSeconds(30);
  public static final int TIMEOUT = 10;
  private static final int PER_PASS = 100;

  private static final String ENDPOINT_COLUMNS = """
      e.id, e.url, e.events, e.include_identity, e.created_by, e.created_at, e.disabled_at,
      (select count(*) from webhook_deliveries d where d.endpoint_id = e.id and d.state = 'pending') as pending,
      (select count(*) from webhook_deliveries d where d.endpoint_id = e.id and d.state = 'failed') as failed""";
  private static final String CLAIM = """
      select d.id, d.attempts, d.event_id, ev.type, ev.data, ev.occurred_at, e.url, e.secret, e.include_identity,
             i.candidate_name, i.candidate_email, i.erased_at
        from webhook_deliveries d
        join webhook_events ev on ev.id = d.event_id
        join webhook_endpoints e on e.id = d.endpoint_id
        join invitations i on i.id = ev.invitation_id
       where d.state = 'pending' and d.next_attempt_at <= now() and e.disabled_at is null
       order by d.next_attempt_at, d.id
       limit 1
       for update of d skip locked""";
  private static final String ATTEMPT = "insert into webhook_attempts (delivery_id, status_code, error, duration_ms) values ($1, $2, $3, $4)";
  private static final String DELIVERED = """
      update webhook_deliveries set state = 'delivered', attempts = attempts + 1, last_status = $2, last_error = null,
             delivered_at = now()
       where id = $1""";
  private static final String FAILED = """
      update webhook_deliveries
         set attempts = attempts + 1, last_status = $2, last_error = $3,
             next_attempt_at = now() + make_interval(secs => least($4::float8 * power(2, attempts), 3600)),
             state = case when now() + make_interval(secs => least($4::float8 * power(2, attempts), 3600)) > retry_until
                          then 'failed' else 'pending' end
       where id = $1""";

  private final Vertx vertx;
  private final Pool pool;
  private final Duration retryBase;
  private final HttpClientAgent http;
  private final dev.gameday.ops.Drain drain = new dev.gameday.ops.Drain(this::sendOne, PER_PASS);

  public Webhooks(Vertx vertx, Pool pool, Duration retryBase) {
    this.vertx = vertx;
    this.pool = pool;
    this.retryBase = retryBase;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(TIMEOUT * 1000).setIdleTimeout(TIMEOUT)
        .setKeepAlive(false).setVerifyHost(true));
  }

  // ---- endpoints

  /**
   * Only {@code http} and {@code https} URLs with a host and no user information. An admin may point a webhook
   * anywhere the server can reach, internal addresses included (receivers often live there): the risk of server-side
   * request forgery is bounded by who may register (admins), by not following redirects and by never showing a
   * response body; restrict the server's egress where that matters (README, Webhooks).
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

  // ---- the sender

  /** Sends due deliveries every two seconds. */
  public void start() {
    drain.every(vertx, 1_000, 2_000, LOG, "webhook");
  }

  /** One pass: due deliveries one by one until none is due (or a pass's limit); answers how many were tried. */
  public Future<Integer> sendDue() {
    return drain.pass();
  }

  /** What the receiver gets: the same bytes on every attempt. */
  static String body(Row r) {
    JsonObject data = r.getJsonObject("data").copy();
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

  Future<Boolean> sendOne() {
    return pool.withTransaction(conn -> conn.preparedQuery(CLAIM).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Row r = rows.iterator().next();
      long id = r.getLong("id");
      String body = body(r);
      long t = System.currentTimeMillis() / 1000;
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(r.getString("url"))
          .setFollowRedirects(false).setTimeout(TIMEOUT * 1000L)
          .putHeader("Content-Type", "application/json").putHeader("User-Agent", "Gameday-Webhooks/1")
          .putHeader("Gameday-Event-Id", r.getUUID("event_id").toString()).putHeader("Gameday-Event-Type", r.getString("type"))
          .putHeader("Gameday-Signature", signature(r.getString("secret"), t, body));
      long started = System.nanoTime();
      return post(options, body).transform(ar -> {
        int ms = (int) ((System.nanoTime() - started) / 1_000_000);
        Integer status = ar.succeeded() ? ar.result() : null;
        String error = ar.succeeded() ? null : shorten(String.valueOf(ar.cause().getMessage() == null ? ar.cause().getClass().getSimpleName()
            : ar.cause().getMessage()));
        boolean ok = status != null && status >= 200 && status < 300;
        if (!ok) {
          LOG.info("webhook delivery {} ({}) not accepted, attempt {}: {}", id, r.getString("type"), r.getInteger("attempts") + 1,
              status != null ? "HTTP " + status : error);
        }
        return conn.preparedQuery(ATTEMPT).execute(Tuple.of(id, status, error, ms))
            .compose(v -> ok ? conn.preparedQuery(DELIVERED).execute(Tuple.of(id, status))
                : conn.preparedQuery(FAILED).execute(Tuple.of(id, status, status != null ? "HTTP " + status : error,
                    retryBase.toMillis() / 1000.0)));
      }).map(true);
    }));
  }

  /** Posts and answers the status code; the response body is drained, never kept. */
  private Future<Integer> post(RequestOptions options, String body) {
    try {
      return http.request(options).compose(req -> req.send(Buffer.buffer(body)))
          .compose(resp -> resp.end().map(v -> resp.statusCode()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static String shorten(String s) {
    return s.length() > 300 ? s.substring(0, 300) : s;
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }

  public Future<Void> close() {
    return http.close();
  }
}
