package dev.gameday;

import dev.gameday.account.Accounts;
import dev.gameday.account.SetupRoutes;
import dev.gameday.candidate.CandidateRoutes;
import dev.gameday.candidate.CandidateService;
import dev.gameday.candidate.Invitations;
import dev.gameday.candidate.Trails;
import dev.gameday.db.EmbeddedDatabase;
import dev.gameday.db.Migrations;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.ops.Observability;
import dev.gameday.recruiter.Recruiting;
import dev.gameday.recruiter.Outbox;
import dev.gameday.recruiter.RecruiterRoutes;
import dev.gameday.review.CalibrationRoutes;
import dev.gameday.review.ExportRoutes;
import dev.gameday.review.ReviewRoutes;
import dev.gameday.review.ReviewService;
import dev.gameday.review.RubricRoutes;
import dev.gameday.web.HttpVerticle;
import dev.gameday.web.OutageLog;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import dev.gameday.web.Sessions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's parts wired together: database, catalog, services. Built by the CLI commands and by tests.
 * Construction blocks (database start, migrations, exercise loading); it runs before anything listens.
 */
public final class Gameday implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gameday.class);
  public final Config config;
  public final Vertx vertx;
  public final Pool pool;
  public final Catalog catalog;
  public final Invitations invitations;
  public final CandidateService candidates;
  /** What candidates did with the evidence (opened, filtered, zoomed, cited); sealed with the answers. */
  public final Trails trails;
  public final Accounts accounts;
  /** Database outages: classified, answered 503, logged once at start and once at end. */
  public final OutageLog outages;
  /** The recruiter's services: list, candidate pages, invitations, import, actions, erasure. */
  public final Recruiting recruiting;
  /** Sends the outbox's emails; null when email is off. */
  public final Outbox outbox;
  /** API tokens (hashes only), and the handler that recognises them on the API. */
  public final dev.gameday.integration.ApiTokens apiTokens;
  /** First answers to requests sent with an Idempotency-Key. */
  public final dev.gameday.web.Idempotency idempotency;
  /** Webhook endpoints and the sender of their deliveries. */
  public final dev.gameday.integration.Webhooks webhooks;
  /** The Greenhouse assessment partner endpoints and their completion callbacks. */
  public final dev.gameday.integration.Greenhouse greenhouse;
  private final EmbeddedDatabase embedded;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String httpDeployment;
  private volatile io.vertx.ext.web.Router router;
  private volatile long housekeeping = -1;
  private volatile long retention = -1;
  private volatile long reminders = -1;
  public final Observability ops;
  private static final int POOL_SIZE = 16;

  /** The pages, compiling since {@link #open} began (see {@link Pages#warmInBackground}). */
  private final Pages pages;
  private final java.util.concurrent.CompletableFuture<Void> templates;

  /** The schema version this instance migrated to or verified at start (for /ready). */
  private final String schemaVersion;

  private Gameday(Config config, EmbeddedDatabase embedded, String url, ExerciseLoader.Result library, Pages pages,
                  java.util.concurrent.CompletableFuture<Void> templates, String schemaVersion) {
    this.schemaVersion = schemaVersion;
    this.pages = pages;
    this.templates = templates;
    this.config = config;
    this.embedded = embedded;
    this.ops = new Observability(config.ops().metricsToken());
    this.vertx = ops.newVertx();
    PgConnectOptions connect = PgConnectOptions.fromUri(url).setCachePreparedStatements(true).setPipeliningLimit(16);
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setName("gameday").setMaxSize(POOL_SIZE).setMaxWaitQueueSize(2000).setConnectionTimeout(5)
            .setConnectionTimeoutUnit(TimeUnit.SECONDS).setIdleTimeout(5).setIdleTimeoutUnit(TimeUnit.MINUTES)
            .setMaxLifetime(30).setMaxLifetimeUnit(TimeUnit.MINUTES))
        .connectingTo(connect).using(vertx).build();
    this.catalog = new Catalog(pool);
    this.invitations = new Invitations(pool, catalog);
    this.candidates = new CandidateService(pool, catalog);
    this.trails = new Trails(pool);
    this.accounts = new Accounts(vertx, pool);
    this.outages = new OutageLog(vertx, pool);
    this.recruiting = Recruiting.create(vertx, pool, catalog, config.publicUrl(), config.email(), config.contact());
    this.outbox = config.email() ? Outbox.create(vertx, pool, catalog, config.smtpUrl().orElseThrow(), config.mailFrom(),
        config.contact()) : null;
    this.apiTokens = new dev.gameday.integration.ApiTokens(pool);
    this.idempotency = new dev.gameday.web.Idempotency(pool);
    dev.gameday.integration.Outbound outbound = new dev.gameday.integration.Outbound(vertx, config.integrations().egress());
    this.webhooks = new dev.gameday.integration.Webhooks(vertx, pool, dev.gameday.integration.Webhooks.RETRY_BASE, outbound);
    this.greenhouse = new dev.gameday.integration.Greenhouse(vertx, pool, catalog, recruiting.newInvitations(), config.publicUrl(),
        dev.gameday.integration.Webhooks.RETRY_BASE, outbound, config.integrations().greenhouseHosts());
    await(catalog.store(library));
  }

  /**
   * Opens the database, migrates, loads the library (failing with every problem listed) and stores it. A library
   * whose fingerprint (its files and the checking code) passed every check before is parsed without checking it
   * again; a new or changed one is checked in full, and its fingerprint recorded once it passes.
   */
  public static Gameday open(Config config) throws Exception {
    Pages pages = new Pages(null);
    java.util.concurrent.CompletableFuture<Void> templates = pages.warmInBackground();
    // hashing the library's files runs beside the database's start and migrations, which mostly wait
    java.util.concurrent.CompletableFuture<String> fingerprinting = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> ExerciseLoader.fingerprint(config.exercisesDir()));
    String schema;
    EmbeddedDatabase embedded = null;
    String url;
    if (config.embedded()) {
      embedded = EmbeddedDatabase.startOrAttach(config.dataDir());
      url = embedded.url();
    } else {
      url = config.databaseUrl().get();
    }
    try {
      if (config.ops().migrateOnStart()) {
        schema = Migrations.migrate(url, null);
      } else {
        schema = Migrations.verify(url);
      }
      String fingerprint = fingerprinting.join();
      boolean known = fingerprint != null && Migrations.libraryChecked(url, fingerprint);
      ExerciseLoader.Result library = known ? ExerciseLoader.loadVerified(config.exercisesDir())
          : ExerciseLoader.load(config.exercisesDir());
      if (!library.ok()) {
        throw new LibraryException(library);
      }
      Gameday app = new Gameday(config, embedded, url, library, pages, templates, schema);
      if (!known && fingerprint != null) {
        Migrations.markLibraryChecked(url, fingerprint);
      }
      return app;
    } catch (Exception | Error e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /** Deploys one HTTP verticle per event loop and waits until they listen. */
  public void serve() {
    await(ops.start(vertx, pool, POOL_SIZE));
    // the server, not a CLI command run beside it, says whether submissions queue a receipt email
    await(pool.preparedQuery("update mail_settings set enabled = $1").execute(io.vertx.sqlclient.Tuple.of(config.email())));
    pages.observeRenders(ops::rendered);
    await(Future.fromCompletionStage(templates));
    Sessions sessions = new Sessions(pool, config.https(), java.time.Duration.ofMinutes(config.staff().idleMinutes()),
        java.time.Duration.ofHours(config.staff().absoluteHours()), config.trustedProxies());
    MarkdownRenderer markdown = new MarkdownRenderer(vertx);
    CandidateRoutes candidateRoutes = new CandidateRoutes(candidates, catalog, sessions, pages, config, markdown, trails);
    SetupRoutes setupRoutes = new SetupRoutes(accounts, sessions, pages, pool, config.https(), config.publicUrl(),
        config.trustedProxies(), config.staff().twoFactorRoles());
    ReviewService reviews = new ReviewService(pool, catalog);
    CalibrationRoutes calibrationRoutes = new CalibrationRoutes(vertx, pool, catalog, pages, markdown, reviews::changes);
    dev.gameday.review.AgreementService agreement = new dev.gameday.review.AgreementService(vertx, pool, catalog, reviews::changes);
    dev.gameday.review.AgreementRoutes agreementRoutes = new dev.gameday.review.AgreementRoutes(agreement,
        new dev.gameday.review.Adjudication(pool, catalog), catalog, pages);
    ReviewRoutes reviewRoutes = new ReviewRoutes(reviews, catalog, pages, markdown,
        new dev.gameday.review.DecisionGate(pool, catalog, agreement));
    RubricRoutes rubricRoutes = new RubricRoutes(catalog, pages, markdown);
    ExportRoutes exportRoutes = new ExportRoutes(pool, catalog);
    RecruiterRoutes recruiterRoutes = new RecruiterRoutes(recruiting, catalog, pages, idempotency,
        new dev.gameday.recruiter.Results(pool, catalog));
    dev.gameday.integration.GreenhouseRoutes greenhouseRoutes = new dev.gameday.integration.GreenhouseRoutes(greenhouse, catalog);
    dev.gameday.integration.TokenRoutes tokenRoutes = new dev.gameday.integration.TokenRoutes(apiTokens, pages);
    dev.gameday.integration.ApiDocs apiDocs = new dev.gameday.integration.ApiDocs();
    dev.gameday.integration.WebhookRoutes webhookRoutes = new dev.gameday.integration.WebhookRoutes(webhooks, pages);
    dev.gameday.compliance.ComplianceRoutes complianceRoutes = new dev.gameday.compliance.ComplianceRoutes(vertx, pool, catalog, pages);
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    dev.gameday.ops.Readiness readiness = new dev.gameday.ops.Readiness(pool, catalog, schemaVersion);
    httpDeployment = await(vertx.deployVerticle(() -> new HttpVerticle(config, pool, sessions, pages, outages, router -> {
      setupRoutes.gate(router); // two-factor policy: before every other route
      candidateRoutes.mount(router);
      setupRoutes.mount(router);
      calibrationRoutes.mount(router);
      agreementRoutes.mount(router);
      reviewRoutes.mount(router);
      rubricRoutes.mount(router);
      exportRoutes.mount(router);
      recruiterRoutes.mount(router);
      tokenRoutes.mount(router);
      apiDocs.mount(router);
      webhookRoutes.mount(router);
      greenhouseRoutes.mount(router);
      complianceRoutes.mount(router);
      this.router = router;
    }, ops, apiTokens::authenticate, readiness), new DeploymentOptions().setInstances(instances)));
    // housekeeping: expired sessions and old sign-in attempts serve no one (the audit log keeps the history)
    housekeeping = vertx.setPeriodic(10_000, 3_600_000, id -> sessions.forgetExpired()
        .compose(v -> accounts.forgetOldAttempts())
        .compose(v -> idempotency.forgetOld())
        .onFailure(err -> LOG.warn("housekeeping failed: {}", err.toString())));
    if (outbox != null) {
      outbox.start();
    }
    if (config.email()) {
      reminders = vertx.setPeriodic(20_000, 300_000, id -> recruiting.actions().remindDue()
          .onSuccess(n -> {
            if (n > 0) {
              LOG.info("reminders: queued {} automatic reminder(s)", n);
            }
          })
          .onFailure(err -> LOG.warn("automatic reminders failed: {}", err.toString())));
    }
    webhooks.start();
    greenhouse.start();
    if (config.retentionDays() > 0) {
      retention = vertx.setPeriodic(30_000, 3_600_000, id -> recruiting.erasure().eraseExpired(config.retentionDays())
          .onSuccess(n -> {
            if (n > 0) {
              LOG.info("retention: erased the personal data of {} closed, undecided invitation(s)", n);
            }
          })
          .onFailure(err -> LOG.warn("retention failed: {}", err.toString())));
    }
  }

  /** One of the HTTP verticles' routers, with every route mounted (for tests that check the routes). */
  public io.vertx.ext.web.Router router() {
    return router;
  }

  /** Blocks the calling thread (never an event loop) until the future completes. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops in order, once: the HTTP servers first (they stop accepting at once and let the requests in flight finish,
   * at most {@link HttpVerticle#DRAIN_SECONDS} s), then the pool, Vert.x and the embedded Postgres. Later calls
   * return at once.
   */
  @Override
  public void close() throws Exception {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (httpDeployment != null) {
        try {
          await(vertx.undeploy(httpDeployment));
        } catch (RuntimeException e) {
          LOG.warn("stopping the HTTP servers: {}", e.toString());
        }
      }
      vertx.cancelTimer(housekeeping);
      vertx.cancelTimer(retention);
      vertx.cancelTimer(reminders);
      try {
        await(pool.close());
      } finally {
        await(vertx.close());
      }
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** The library has problems: the message lists them as file:line: message. */
  public static final class LibraryException extends Exception {
    public final ExerciseLoader.Result result;

    LibraryException(ExerciseLoader.Result result) {
      super(String.join("\n", result.problems().stream().map(Object::toString).toList()));
      this.result = result;
    }
  }
}
