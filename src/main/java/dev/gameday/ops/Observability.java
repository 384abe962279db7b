package dev.gameday.ops;

import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.OutageLog;
import dev.gameday.web.RequestIds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics, the access log and the request id, in one place: one Prometheus registry per process (Vert.x reports its
 * HTTP server, pool and JVM metrics into it; the application adds its own), one line per request, and
 * {@code GET /metrics}.
 *
 * <p>Access to {@code /metrics}: with {@code GAMEDAY_METRICS_TOKEN} set, only {@code Authorization: Bearer <token>};
 * without it, only connections from the loopback address (the connection's own peer; {@code X-Forwarded-For} is
 * never believed here), so a public deployment does not publish its traffic figures by default.
 */
public final class Observability {
  private static final Logger ACCESS = LoggerFactory.getLogger("gameday.access");
  private static final Logger LOG = LoggerFactory.getLogger(Observability.class);
  /** Latency buckets (seconds): the 1 s bucket is the autosave SLO's threshold. */
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final Pattern CODE = Pattern.compile("[a-z_]{1,40}");
  private static final Set<String> QUIET = Set.of("/health", "/ready", "/metrics");
  private static final String AUTOSAVE_ROUTE = "/api/v1/candidate/answers/:exerciseId";
  /** How often {@code gameday_database_up} asks Postgres whether it answers ({@code select 1}). */
  static final long UP_PROBE_MS = 15_000;
  /**
   * How often the whole-database counts are taken. They scan whole tables (100,000 submissions and 500,000 review
   * items: 0.12 s of Postgres with three parallel processes, measured), which taken every 15 s by every instance
   * was a burst of work each time on a database serving saves; once a minute, on one process, is enough for a
   * dashboard.
   */
  static final long COUNTS_MS = 60_000;
  /** Postgres itself cancels the counts' statement after this long, so a slow one never keeps a pool connection. */
  static final String COUNTS_TIMEOUT = "5s";
  private static final String COUNTS = "select (select count(*) from submissions) as submissions,"
      + " (select count(*) from reviews where state = 'draft') as drafts,"
      + " (select count(*) from reviews where state = 'submitted') as reviewed,"
      + " (select count(*) from decisions) as decisions,"
      + " (select count(distinct invitation_id) from answers where saved_at > now() - interval '5 minutes') as active,"
      + " (select count(*) from invitations i where closes_at > now()"
      + "    and not exists (select 1 from submissions s where s.invitation_id = i.id)) as open";

  public final PrometheusMeterRegistry registry;
  private final Optional<String> metricsToken;
  private final AtomicLong databaseUp = new AtomicLong(0);
  private final AtomicLong submissions = new AtomicLong(0);
  private final AtomicLong reviewsDraft = new AtomicLong(0);
  private final AtomicLong reviewsSubmitted = new AtomicLong(0);
  private final AtomicLong decisions = new AtomicLong(0);
  private final AtomicLong activeCandidates = new AtomicLong(0);
  private final AtomicLong invitationsOpen = new AtomicLong(0);

  public Observability(Optional<String> metricsToken) {
    this.metricsToken = metricsToken;
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        // Vert.x names a request's route by every route it passed (e.g. "/api/*>/api/v1/candidate"); keep the last
        .meterFilter(MeterFilter.replaceTagValues("route", v -> v.isEmpty() ? RouteTemplates.UNMATCHED
            : v.substring(v.lastIndexOf('>') + 1)))
        // status class, not code: 2xx, 3xx, 4xx, 5xx
        .meterFilter(MeterFilter.replaceTagValues("code", v -> v.length() == 3 ? v.charAt(0) + "xx" : v))
        .meterFilter(new MeterFilter() {
          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (id.getType() != Meter.Type.TIMER && id.getType() != Meter.Type.LONG_TASK_TIMER) {
              return config;
            }
            double[] nanos = new double[BUCKETS.length];
            for (int i = 0; i < BUCKETS.length; i++) {
              nanos[i] = BUCKETS[i] * 1e9;
            }
            return DistributionStatisticConfig.builder().percentilesHistogram(false).percentiles()
                .serviceLevelObjectives(nanos).build().merge(config);
          }
        });
    // the series alerts divide by exist from the start at zero, so a rate is 0 rather than absent
    for (String[] oc : new String[][] {{"saved", "none"}, {"stale", "stale_rev"}, {"unavailable", "unavailable"},
        {"unavailable", "error"}, {"unavailable", "overloaded"}}) {
      registry.counter("gameday.autosaves", "outcome", oc[0], "reason", oc[1]);
    }
    for (String outcome : new String[] {"saved", "stale", "refused", "unavailable"}) {
      registry.timer("gameday.autosave.duration", "outcome", outcome);
    }
    for (String outcome : new String[] {"sealed", "refused", "unavailable"}) {
      registry.counter("gameday.submit.requests", "outcome", outcome);
    }
    for (String outcome : new String[] {"accepted", "refused", "unavailable"}) {
      registry.counter("gameday.review.requests", "outcome", outcome);
    }
    Gauge.builder("gameday.database.up", databaseUp, AtomicLong::get)
        .description("1 while the last database probe (every 15 s) succeeded, 0 during an outage").register(registry);
    Gauge.builder("gameday.submissions", submissions, AtomicLong::get)
        .description("Sealed submissions stored (whole database: take max, not sum, across instances)").register(registry);
    Gauge.builder("gameday.reviews", reviewsDraft, AtomicLong::get).tags("state", "draft")
        .description("Reviews stored, by state (whole database)").register(registry);
    Gauge.builder("gameday.reviews", reviewsSubmitted, AtomicLong::get).tags("state", "submitted")
        .description("Reviews stored, by state (whole database)").register(registry);
    Gauge.builder("gameday.decisions", decisions, AtomicLong::get)
        .description("Decisions recorded (whole database)").register(registry);
    Gauge.builder("gameday.candidates.active", activeCandidates, AtomicLong::get)
        .description("Invitations with an answer saved in the last 5 minutes (whole database)").register(registry);
    Gauge.builder("gameday.invitations.open", invitationsOpen, AtomicLong::get)
        .description("Invitations not submitted whose deadline has not passed (whole database)").register(registry);
  }

  /** Vert.x options that report into this registry: HTTP server by route, pools, JVM. */
  public Vertx newVertx() {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME)
        // the server does not use these; the Postgres connections' socket gauges also collide per connection
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT).addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS).addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /** Starts the database probe and the event-loop delay probes. */
  public Future<?> start(Vertx vertx, Pool pool, int poolMaxSize) {
    Gauge.builder("gameday.db.pool.max", () -> poolMaxSize).description("Size limit of the Postgres pool")
        .register(registry);
    probe(pool);
    counts(pool, COUNTS_TIMEOUT);
    vertx.setPeriodic(UP_PROBE_MS, UP_PROBE_MS, id -> probe(pool));
    vertx.setPeriodic(COUNTS_MS, COUNTS_MS, id -> counts(pool, COUNTS_TIMEOUT));
    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    Timer delay = Timer.builder("gameday.event.loop.delay")
        .description("How late a 100 ms timer fires on an event loop: work that blocked the loop").register(registry);
    return vertx.deployVerticle(() -> new LoopProbe(delay), new DeploymentOptions().setInstances(loops));
  }

  /** A timer on one event loop that measures how late it fires. */
  private static final class LoopProbe extends VerticleBase {
    private final Timer delay;

    LoopProbe(Timer delay) {
      this.delay = delay;
    }

    @Override
    public Future<?> start() {
      long[] expected = {System.nanoTime() + 100_000_000L};
      vertx.setPeriodic(100, id -> {
        long now = System.nanoTime();
        delay.record(Math.max(0, now - expected[0]), TimeUnit.NANOSECONDS);
        expected[0] = now + 100_000_000L;
      });
      return Future.succeededFuture();
    }
  }

  /** Whether Postgres answers: {@code gameday_database_up}. */
  private void probe(Pool pool) {
    pool.query("select 1").execute().timeout(5, TimeUnit.SECONDS)
        .onSuccess(rows -> databaseUp.set(1))
        .onFailure(err -> {
          if (databaseUp.getAndSet(0) == 1) {
            LOG.warn("database probe failed: {}", err.toString());
          }
        });
  }

  /**
   * The whole-database gauges, in one statement on one Postgres process (no parallel workers: they would take the
   * cores the saves need) that Postgres cancels after {@code timeout}; on failure the gauges keep their last values.
   */
  Future<Void> counts(Pool pool, String timeout) {
    return pool.withTransaction(conn -> conn.query("set local max_parallel_workers_per_gather = 0;"
                + " set local statement_timeout = '" + timeout + "'").execute()
            .compose(v -> conn.query(COUNTS).execute()))
        .timeout(30, TimeUnit.SECONDS) // a backstop for a connection that stops answering altogether
        .onSuccess(rows -> {
          Row r = rows.iterator().next();
          submissions.set(r.getLong("submissions"));
          reviewsDraft.set(r.getLong("drafts"));
          reviewsSubmitted.set(r.getLong("reviewed"));
          decisions.set(r.getLong("decisions"));
          activeCandidates.set(r.getLong("active"));
          invitationsOpen.set(r.getLong("open"));
        })
        .onFailure(err -> {
          if (databaseUp.get() == 1) { // during an outage the probe has said so already
            LOG.warn("whole-database counts not taken (the gauges keep their last values): {}", OutageLog.describe(err));
          }
        })
        .mapEmpty();
  }

  /** The first handler of every request: assigns the request id, and on the response's end logs and counts it. */
  public Handler<RoutingContext> requests(RouteTemplates templates) {
    return ctx -> {
      String id = RequestIds.assign(ctx);
      long start = System.nanoTime();
      ctx.addEndHandler(v -> ended(ctx, templates, id, System.nanoTime() - start));
      ctx.next();
    };
  }

  private void ended(RoutingContext ctx, RouteTemplates templates, String id, long nanos) {
    HttpMethod method = ctx.request().method();
    String route = templates.of(method, Http.path(ctx));
    int status = ctx.response().getStatusCode();
    if (AUTOSAVE_ROUTE.equals(route) && method == HttpMethod.PUT) {
      autosave(ctx, status, nanos);
    } else if (method == HttpMethod.POST && ("/api/v1/candidate/submit".equals(route) || "/candidate/submit".equals(route))) {
      registry.counter("gameday.submit.requests", "outcome", status < 400 ? "sealed" : outcomeOf(status)).increment();
    } else if (method == HttpMethod.POST && route.startsWith("/api/v1/review/submissions/") && route.endsWith("/review/submit")
        || method == HttpMethod.POST && "/review/:sid/:ex".equals(route)) {
      registry.counter("gameday.review.requests", "outcome", status < 400 ? "accepted" : outcomeOf(status)).increment();
    }
    // the route template, never the raw path: paths carry invitation and setup tokens
    long ms = nanos / 1_000_000;
    (QUIET.contains(route) ? ACCESS.atDebug() : ACCESS.atInfo())
        .addKeyValue("method", method.name()).addKeyValue("route", route).addKeyValue("status", status)
        .addKeyValue("durationMs", ms)
        .log("{} {} {} {}ms", method, route, status, ms);
  }

  private static String outcomeOf(int status) {
    return status >= 500 ? "unavailable" : "refused";
  }

  /** Autosave outcomes: saved, stale (another device saved a newer revision), refused (by reason), unavailable. */
  private void autosave(RoutingContext ctx, int status, long nanos) {
    String outcome;
    String reason;
    String code = ctx.failure() instanceof ClientError ce ? ce.code() : null;
    if (status == 200) {
      outcome = "saved";
      reason = "none";
    } else if ("stale_rev".equals(code)) {
      outcome = "stale";
      reason = code;
    } else if (status >= 500) {
      outcome = "unavailable";
      // overloaded: shed by web/LoadShedding before any work (the page sends it again after Retry-After)
      reason = status == 503 ? ("overloaded".equals(code) ? code : "unavailable") : "error";
    } else {
      outcome = "refused";
      reason = code != null && CODE.matcher(code).matches() ? code : "status_" + status;
    }
    registry.counter("gameday.autosaves", "outcome", outcome, "reason", reason).increment();
    registry.timer("gameday.autosave.duration", "outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * An autosave refused by web/LoadShedding's front door, before the router (and so before {@link #requests}' access
   * log and timing): counted as the route's handler counts a refusal, {@code unavailable}/{@code overloaded}.
   */
  public void shedAtFront() {
    if (shedAtFront == null) {
      shedAtFront = registry.counter("gameday.autosaves", "outcome", "unavailable", "reason", "overloaded");
    }
    shedAtFront.increment();
  }

  private volatile io.micrometer.core.instrument.Counter shedAtFront;

  /** Time to apply one template (the page renderer reports here). */
  public void rendered(String template, long nanos) {
    registry.timer("gameday.render", "template", template).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** {@code GET /metrics}: Prometheus text format, for the token holder or the loopback address. */
  public void metrics(RoutingContext ctx) {
    if (metricsToken.isPresent()) {
      String auth = ctx.request().getHeader("Authorization");
      byte[] given = (auth == null ? "" : auth).getBytes(StandardCharsets.UTF_8);
      byte[] wanted = ("Bearer " + metricsToken.get()).getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(given, wanted)) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Http.json(ctx, 401, new JsonObject().put("error", "metrics_token")
            .put("message", "Metrics need the bearer token set in GAMEDAY_METRICS_TOKEN."));
        return;
      }
    } else if (!loopback(ctx.request().connection().remoteAddress())) {
      Http.json(ctx, 403, new JsonObject().put("error", "metrics_local_only")
          .put("message", "Metrics are served to the loopback address only unless GAMEDAY_METRICS_TOKEN is set."));
      return;
    }
    ctx.vertx().executeBlocking(registry::scrape).onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .putHeader("Cache-Control", "no-store").end(text))
        .onFailure(ctx::fail);
  }

  private static boolean loopback(SocketAddress address) {
    if (address == null || address.hostAddress() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
