package dev.gameday;

import dev.gameday.account.AccountServices;
import dev.gameday.account.Accounts;
import dev.gameday.account.SetupRoutes;
import dev.gameday.account.SsoRoutes;
import dev.gameday.audit.AuditLog;
import dev.gameday.audit.AuditRoutes;
import dev.gameday.candidate.CandidateRoutes;
import dev.gameday.candidate.CandidateService;
import dev.gameday.candidate.Invitations;
import dev.gameday.candidate.Trails;
import dev.gameday.compliance.CandidateData;
import dev.gameday.compliance.ComplianceRoutes;
import dev.gameday.compliance.ImpactReport;
import dev.gameday.compliance.SelfId;
import dev.gameday.db.EmbeddedDatabase;
import dev.gameday.db.Migrations;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.integration.ApiDocs;
import dev.gameday.integration.ApiTokens;
import dev.gameday.integration.Greenhouse;
import dev.gameday.integration.GreenhouseRoutes;
import dev.gameday.integration.Outbound;
import dev.gameday.integration.TokenRoutes;
import dev.gameday.integration.WebhookRoutes;
import dev.gameday.integration.Webhooks;
import dev.gameday.ops.Observability;
import dev.gameday.ops.Readiness;
import dev.gameday.recruiter.FeedbackRelease;
import dev.gameday.recruiter.Outbox;
import dev.gameday.recruiter.RecruiterRoutes;
import dev.gameday.recruiter.Recruiting;
import dev.gameday.recruiter.Results;
import dev.gameday.review.Adjudication;
import dev.gameday.review.AgreementRoutes;
import dev.gameday.review.AgreementService;
import dev.gameday.review.AssignmentReminders;
import dev.gameday.review.AssignmentRoutes;
import dev.gameday.review.Assignments;
import dev.gameday.review.CalibrationRoutes;
import dev.gameday.review.CalibrationStore;
import dev.gameday.review.DecisionGate;
import dev.gameday.review.ExportRoutes;
import dev.gameday.review.ExportStore;
import dev.gameday.review.Feedback;
import dev.gameday.review.FeedbackRoutes;
import dev.gameday.review.Qualifications;
import dev.gameday.review.ReviewDecisions;
import dev.gameday.review.ReviewRoutes;
import dev.gameday.review.ReviewService;
import dev.gameday.review.RubricRoutes;
import dev.gameday.web.Idempotency;
import dev.gameday.web.Loop;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.OutageLog;
import dev.gameday.web.Pages;
import dev.gameday.web.Sessions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
  public final ApiTokens apiTokens;
  /** First answers to requests sent with an Idempotency-Key. */
  public final Idempotency idempotency;
  /** Webhook endpoints and the sender of their deliveries. */
  public final Webhooks webhooks;
  /** The Greenhouse assessment partner endpoints and their completion callbacks. */
  public final Greenhouse greenhouse;
  private final EmbeddedDatabase embedded;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String httpDeployment;
  private volatile Router router;
  private volatile Sessions sessions;
  /** The features' timers, started by {@link #serve} and stopped by {@link #close}. */
  private final List<Loop> loops = new ArrayList<>();
  public final Observability ops;
  /** Statements up to this many characters are kept prepared on each connection (all of Gameday's). */
  static final int PREPARED_SQL_LIMIT = 64 * 1024;

  /**
   * How the pool connects: statements kept prepared on each connection, pipelined. Every statement is kept: the
   * client's default keeps only those shorter than 2,048 characters, and the autosave's (2,098) was parsed, described
   * and planned again on every save (autosave closed loop on the dev server: 1,800-2,200 saves a second before,
   * 3,300-3,400 after).
   */
  static PgConnectOptions connectOptions(String url) {
    return PgConnectOptions.fromUri(url).setCachePreparedStatements(true).setPreparedStatementCacheSqlLimit(PREPARED_SQL_LIMIT)
        .setPipeliningLimit(16);
  }

  /** The pages, compiling since {@link #open} began (see {@link Pages#warmInBackground}). */
  private final Pages pages;
  private final CompletableFuture<Void> templates;

  /** How long each step of the start took (logged once serving). */
  private final StartupTimes times;

  /** The schema version this instance migrated to or verified at start (for /ready). */
  private final String schemaVersion;

  private Gameday(Config config, EmbeddedDatabase embedded, String url, ExerciseLoader.Result library, Pages pages,
                  CompletableFuture<Void> templates, String schemaVersion, StartupTimes times) {
    this.times = times;
    this.schemaVersion = schemaVersion;
    this.pages = pages;
    this.templates = templates;
    this.config = config;
    this.embedded = embedded;
    this.ops = new Observability(config.ops().metricsToken());
    this.vertx = ops.newVertx();
    PgConnectOptions connect = connectOptions(url);
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setName("gameday").setMaxSize(config.ops().databasePool()).setMaxWaitQueueSize(2000)
            .setConnectionTimeout(5)
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
    this.apiTokens = new ApiTokens(pool);
    this.idempotency = new Idempotency(pool);
    Outbound outbound = new Outbound(vertx, config.integrations().egress());
    this.webhooks = new Webhooks(vertx, pool, Webhooks.RETRY_BASE, outbound);
    this.greenhouse = new Greenhouse(vertx, pool, catalog, recruiting.newInvitations(), config.publicUrl(), Webhooks.RETRY_BASE,
        outbound, config.integrations().greenhouseHosts());
    times.mark("services");
    await(catalog.store(library));
    times.mark("catalog");
  }

  /**
   * Opens the database, migrates, loads the library (failing with every problem listed) and stores it. A library
   * whose fingerprint (its files and the checking code) passed every check before is parsed without checking it
   * again; a new or changed one is checked in full, and its fingerprint recorded once it passes.
   */
  public static Gameday open(Config config) throws Exception {
    StartupTimes times = new StartupTimes();
    Pages pages = new Pages(null);
    CompletableFuture<Void> templates = pages.warmInBackground();
    // hashing the library's files runs beside the database's start and migrations, which mostly wait
    CompletableFuture<String> fingerprinting = CompletableFuture
        .supplyAsync(() -> ExerciseLoader.fingerprint(config.exercisesDir()));
    // and so does parsing it as a library that passed its checks before (the usual case; used only if it did)
    CompletableFuture<ExerciseLoader.Result> parsing = fingerprinting
        .thenApplyAsync(fingerprint -> ExerciseLoader.loadVerified(config.exercisesDir()));
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
      times.mark("database");
      if (config.ops().migrateOnStart()) {
        schema = Migrations.migrate(url, null);
      } else {
        schema = Migrations.verify(url);
      }
      times.mark("migrations");
      String fingerprint = fingerprinting.join();
      boolean known = fingerprint != null && Migrations.libraryChecked(url, fingerprint);
      times.mark("fingerprint");
      ExerciseLoader.Result library = known ? parsed(parsing) : ExerciseLoader.load(config.exercisesDir());
      if (!library.ok()) {
        throw new LibraryException(library);
      }
      times.mark(known ? "library" : "library (checked)");
      Gameday app = new Gameday(config, embedded, url, library, pages, templates, schema, times);
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

  /**
   * Deploys one HTTP verticle per event loop with every feature's routes, waits until they listen, then starts the
   * features' loops (email outbox, webhook and Greenhouse senders, reminders, retention, housekeeping).
   */
  public void serve() {
    await(ops.start(vertx, pool, config.ops().databasePool()));
    await(Outbox.announce(pool, config.email()));
    times.mark("metrics");
    pages.observeRenders(ops::rendered);
    await(Future.fromCompletionStage(templates));
    times.mark("templates");
    Sessions sessions = new Sessions(pool, config.https(), Duration.ofMinutes(config.staff().idleMinutes()),
        Duration.ofHours(config.staff().absoluteHours()), config.trustedProxies());
    this.sessions = sessions;
    List<Consumer<Router>> features = features(sessions, new MarkdownRenderer(vertx));
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    Readiness readiness = new Readiness(pool, catalog, schemaVersion);
    httpDeployment = await(vertx.deployVerticle(() -> new HttpVerticle(config, pool, sessions, pages, outages, router -> {
      features.forEach(f -> f.accept(router));
      this.router = router;
    }, ops, apiTokens::authenticate, readiness), new DeploymentOptions().setInstances(instances)));
    times.mark("http");
    // expired sessions, old sign-in attempts and old idempotency keys serve no one (the audit log keeps the history)
    loops.add(Loop.every(vertx, "housekeeping", Duration.ofSeconds(10), Duration.ofHours(1),
        () -> sessions.forgetExpired().compose(v -> accounts.forgetOldAttempts()).compose(v -> idempotency.forgetOld()), null));
    loops.addAll(recruiting.loops(vertx, config.retentionDays()));
    if (config.email()) {
      loops.add(new AssignmentReminders(pool, config.publicUrl()).loop(vertx)); // reviewers' due and overdue reminders
    }
    loops.forEach(Loop::start);
    if (outbox != null) {
      outbox.start();
    }
    webhooks.start();
    greenhouse.start();
    times.mark("loops");
    LOG.info("Started in {}", times);
  }

  /**
   * Every feature's routes, in the order the router tries them: the two-factor gate first (it keeps an account that
   * must enrol on enrolment), single sign-on before the sign-in page it adds to, then each feature.
   */
  private List<Consumer<Router>> features(Sessions sessions, MarkdownRenderer markdown) {
    AccountServices staff = AccountServices.create(vertx, pool, sessions, config.publicUrl(), config.staff().twoFactorRoles());
    SetupRoutes setup = new SetupRoutes(accounts, staff, sessions, pages, config.https(), config.publicUrl(), config.trustedProxies());
    SsoRoutes sso = new SsoRoutes(vertx, config.sso(), staff.ssoLogins(), staff.twoFactor(), sessions, pages, config.publicUrl(),
        config.https());
    await(sso.discover()); // within a deadline; a provider down at start is tried again at each sign-in
    ReviewService reviews = new ReviewService(pool, catalog);
    Qualifications qualifications = new Qualifications(pool, catalog);
    ReviewDecisions decisions = new ReviewDecisions(pool, qualifications);
    AgreementService agreement = new AgreementService(vertx, pool, catalog, decisions::changes);
    SelfId selfId = new SelfId(pool);
    Feedback feedback = new Feedback(pool, catalog, reviews);
    Assignments assignments = new Assignments(pool, catalog);
    return List.of(
        setup::gate,
        sso::mount,
        new CandidateRoutes(candidates, catalog, sessions, pages, config.contact(), config.publicUrl(), markdown, trails)::mount,
        setup::mount,
        new AuditRoutes(pages, new AuditLog(pool))::mount,
        new CalibrationRoutes(new CalibrationStore(vertx, pool, catalog, decisions::changes), catalog, pages, markdown,
            qualifications)::mount,
        new AgreementRoutes(agreement, new Adjudication(pool, catalog), catalog, pages)::mount,
        new AssignmentRoutes(assignments, pages)::mount, // before the review routes' /review/:sid
        new ReviewRoutes(reviews, decisions, catalog, pages, markdown, new DecisionGate(pool, catalog, agreement), assignments)::mount,
        new RubricRoutes(catalog, pages, markdown)::mount,
        new ExportRoutes(new ExportStore(pool, catalog), catalog)::mount,
        new FeedbackRoutes(feedback, pages)::mount,
        new FeedbackRelease(feedback)::mount, // before the recruiter's /candidates/:id/:action
        new RecruiterRoutes(recruiting, catalog, pages, idempotency, new Results(pool, catalog))::mount,
        new TokenRoutes(apiTokens, pages)::mount,
        new ApiDocs()::mount,
        new WebhookRoutes(webhooks, pages)::mount,
        new GreenhouseRoutes(greenhouse, catalog)::mount,
        new ComplianceRoutes(new ImpactReport(vertx, pool, catalog), selfId, new CandidateData(pool, selfId), catalog, pages)::mount);
  }

  /** The library parsed beside the start, or what went wrong while parsing it, unwrapped. */
  private static ExerciseLoader.Result parsed(CompletableFuture<ExerciseLoader.Result> parsing) {
    try {
      return parsing.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  /** The sessions of a serving app (null before {@link #serve}); for tests. */
  public Sessions sessions() {
    return sessions;
  }

  /** One of the HTTP verticles' routers, with every route mounted (for tests that check the routes). */
  public Router router() {
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
      loops.forEach(Loop::stop);
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
