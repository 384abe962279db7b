package dev.gameday;

import dev.gameday.ops.Observability;
import dev.gameday.ops.RouteTemplates;
import dev.gameday.web.Access;
import dev.gameday.web.Guards;
import dev.gameday.web.Http;
import dev.gameday.web.Input;
import dev.gameday.web.LoadShedding;
import dev.gameday.web.OutageLog;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import dev.gameday.web.Sessions;
import dev.gameday.web.ConnectionTimeouts;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server instance (deployed once per event loop): the order of the handlers every request passes, then the
 * features' routes ({@link Gameday#serve} lists them), then one failure handler for every error.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** Twelve sections of 100,000 characters of 4-byte UTF-8 fit; anything larger is a client's mistake. */
  public static final int API_BODY_LIMIT = 5 * 1024 * 1024;
  private static final int FORM_BODY_LIMIT = 64 * 1024;
  /** How long a shutdown waits for requests in flight. */
  public static final int DRAIN_SECONDS = 10;
  private static final ClientError UNAVAILABLE = new ClientError(503, "unavailable",
      "The service is briefly unavailable. Nothing you saved before is lost; please try again in a few seconds"
          + " (the answer page keeps your text and sends it again by itself).");
  /** A request's headers must arrive, and a kept-alive connection is kept, for 15 to 30 s (ConnectionTimeouts). */
  public static final java.time.Duration HEAD_TIMEOUT = java.time.Duration.ofSeconds(15);
  /** A connection with a request under way that neither reads nor writes a byte for this long is closed. */
  public static final int IDLE_TIMEOUT_SECONDS = 60;

  private final Config config;
  private final Pool pool;
  private final Sessions sessions;
  private final Pages pages;
  private final Consumer<Router> features;
  private final OutageLog outages;
  private final Observability ops;
  private final dev.gameday.ops.Readiness readiness;
  private final io.vertx.core.Handler<RoutingContext> apiCallers;
  private HttpServer server;
  private RouteTemplates templates; // the router's, built in start(): names the route of a failed request

  public HttpVerticle(Config config, Pool pool, Sessions sessions, Pages pages, OutageLog outages,
                      Consumer<Router> features, Observability ops, dev.gameday.ops.Readiness readiness) {
    this(config, pool, sessions, pages, outages, features, ops, RoutingContext::next, readiness);
  }

  /** {@code apiCallers} runs after the session is loaded, before the CSRF check: it recognises API tokens. */
  public HttpVerticle(Config config, Pool pool, Sessions sessions, Pages pages, OutageLog outages,
                      Consumer<Router> features, Observability ops, io.vertx.core.Handler<RoutingContext> apiCallers,
                      dev.gameday.ops.Readiness readiness) {
    this.readiness = readiness;
    this.apiCallers = apiCallers;
    this.ops = ops;
    this.config = config;
    this.pool = pool;
    this.sessions = sessions;
    this.pages = pages;
    this.outages = outages;
    this.features = features;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    templates = new RouteTemplates(router);
    router.route().handler(ops.requests(templates)); // request id, access log, request metrics: first of all
    Guards guards = new Guards(config.https(), config.publicUrl());
    router.route().handler(guards::headers);
    router.route().handler(Input::decodable); // before the first route with a path: '/%' cannot be matched at all
    Access.Routes open = Access.on(router, Access.Rule.PUBLIC);
    open.get("/health", ctx -> Http.json(ctx, 200, new JsonObject().put("status", "up")));
    open.get("/ready", this::ready);
    open.get("/metrics", ops::metrics); // its own bearer token, checked by the handler (operators, not accounts)
    open.any("/static/*", StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(3600));
    open.any("/webjars/*", StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86400));

    Access.middleware(router.route("/api/*")).handler(BodyHandler.create(false).setBodyLimit(API_BODY_LIMIT));
    // autosaves beyond capacity: 503 + Retry-After at once, before the session lookup's round trip (issue 28)
    LoadShedding shedding = LoadShedding.of(vertx, config.autosave(), ops.registry);
    Access.middleware(router.put(LoadShedding.AUTOSAVE_PATH)).handler(shedding.handler(sessions.cookieName()));
    router.route().handler(BodyHandler.create(false).setBodyLimit(FORM_BODY_LIMIT));
    router.route().handler(Input::guard);
    router.route().handler(sessions::load);
    router.route().handler(apiCallers);
    router.route().handler(guards::csrf);
    open.get("/", ctx -> pages.render(ctx, 200, "home", Map.of("title", "Gameday")));
    open.post("/logout", ctx -> sessions.end(ctx).onSuccess(v -> Http.redirect(ctx, "/")).onFailure(ctx::fail));
    features.accept(router);

    router.route().last().handler(ctx -> ctx.fail(404, new ClientError(404, "not_found", "There is nothing at this address.")));
    router.route().failureHandler(this::failure);

    // form fields carry up to 5,000 characters (a decision rationale), up to 4 bytes each once decoded
    return ConnectionTimeouts.create(vertx, new HttpServerOptions().setPort(config.port()).setCompressionSupported(true)
            .setMaxFormAttributeSize(FORM_BODY_LIMIT).setIdleTimeout(IDLE_TIMEOUT_SECONDS), HEAD_TIMEOUT,
            shedding.front(router, guards::headers, ops::shedAtFront))
        .listen().onSuccess(s -> server = s);
  }

  /**
   * Undeploying shuts the server down gracefully: it stops accepting connections at once, lets the requests in
   * flight finish (at most {@link #DRAIN_SECONDS} s), then closes. The pool stays open meanwhile (its owner closes it
   * after every server is down), so those requests can still reach the database.
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(DRAIN_SECONDS, TimeUnit.SECONDS);
  }

  /** Ready when Postgres answers; each check is named, so a 503 says which one failed. */
  private void ready(RoutingContext ctx) {
    readiness.check()
        .onSuccess(r -> Http.json(ctx, r.getBoolean("ready") ? 200 : 503, new JsonObject()
            .put("status", r.getBoolean("ready") ? "ready" : "not_ready").put("checks", r.getJsonObject("checks"))))
        .onFailure(err -> {
          if (OutageLog.unavailable(err)) {
            outages.refused(err);
          } else {
            LOG.warn("readiness check failed: {}", OutageLog.describe(err));
          }
          Http.json(ctx, 503, new JsonObject().put("error", "unavailable").put("message", "The database is not reachable.")
              .put("status", "not_ready").put("checks", new JsonObject().put("database", "down")));
        });
  }

  /**
   * What an error page adds for its reader (issue 21, defect 8): the way back to their own start page, and for a
   * refusal or a missing page, what it means for their role and what to do.
   */
  private static void helpful(RoutingContext ctx, int status, Map<String, Object> m) {
    Session s = ctx.get(Session.KEY);
    if (s != null && s.candidate()) {
      m.put("homeHref", "/candidate");
      m.put("homeLabel", "Back to your assessment");
    } else if (s != null && s.account()) {
      m.put("homeHref", s.recruiter() ? "/candidates" : "/review");
      m.put("homeLabel", s.recruiter() ? "Back to the candidates" : "Back to the review queue");
    }
    if (status == 403 && s != null && s.account()) {
      m.put("advice", "You are signed in as " + (s.admin() ? "an admin" : "a " + s.role()) + ". Reviewers score answers without"
          + " seeing names, recruiters look after candidates, and an admin does both; if your work needs this page, ask an admin.");
    } else if (status == 404) {
      m.put("advice", "Check the address. If you followed a link from Gameday, what it pointed to may have been removed.");
    }
  }

  /** One place that turns failures into a JSON error or an error page; never a stack trace. */
  private void failure(RoutingContext ctx) {
    Throwable err = ctx.failure();
    ClientError ce;
    if (err instanceof ClientError c) {
      ce = c;
    } else if (OutageLog.unavailable(err)) {
      // the database is down or its connection broke: no bug, no stack trace; the page keeps the text and retries
      outages.refused(err);
      ce = UNAVAILABLE;
      ctx.response().putHeader("Retry-After", "5");
    } else {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      ce = switch (status) {
        case 400 -> new ClientError(400, "bad_request", "The request could not be understood.");
        case 401 -> new ClientError(401, "no_session", "You are not signed in.");
        case 403 -> new ClientError(403, "forbidden", "You may not do this.");
        case 404 -> new ClientError(404, "not_found", "There is nothing at this address.");
        case 405 -> new ClientError(405, "method_not_allowed", "This address does not accept that method.");
        case 413 -> new ClientError(413, "too_large", "The request is too large.");
        case 415 -> new ClientError(415, "unsupported_media_type", "Send the body as application/json.");
        default -> null;
      };
      if (ce == null) {
        // the route template, never the path: a path can hold an invitation or setup token. Not currentRoute():
        // in a failure handler that is the failure handler's own route, which has no path
        LOG.error("{} {} failed", ctx.request().method(), templates.of(ctx.request().method(), Http.path(ctx)), err);
        ce = new ClientError(500, "internal_error",
            "Something went wrong on our side. Nothing you saved before is lost; please try again.");
      }
    }
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    if (Http.isApi(ctx)) {
      Http.json(ctx, ce.status(), ce.body());
    } else {
      Map<String, Object> m = new java.util.HashMap<>(Map.of("title", ce.status() == 500 ? "Something went wrong"
              : ce.status() == 503 ? "Briefly unavailable" : "Sorry",
          "status", ce.status(), "message", ce.getMessage(), "noSession", ce.status() == 401));
      helpful(ctx, ce.status(), m);
      String back = Http.safeNext(ctx.request().uri());
      if (ce.status() == 401 && ctx.request().method() == io.vertx.core.http.HttpMethod.GET && back != null
          && (back.startsWith("/review") || back.startsWith("/admin"))) {
        m.put("signInNext", java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8));
      }
      pages.render(ctx, ce.status(), "error", m);
    }
  }
}
