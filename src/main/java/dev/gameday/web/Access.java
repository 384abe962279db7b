package dev.gameday.web;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Who may use a route, declared once per group of routes instead of checked at the top of each handler. A feature
 * mounts its routes through {@link #on(Router, Rule)}: every route of the group gets the rule's check as its first
 * handler and carries the rule as route metadata ({@link #RULE}), so a test can read the rule of every route from the
 * router itself. A handler behind a check reads its principal with {@link #account}, {@link #session} or
 * {@link #invitation}: it never checks a role again.
 *
 * <p>API tokens are recognised earlier (the token handler replaces the session with an {@link ApiCaller}); a group
 * accepts them only when it names the scopes it needs ({@link Routes#tokens}), all in one place.
 */
public final class Access {
  /** The route metadata key holding a route's {@link Rule} (its name). */
  public static final String RULE = "gameday.access";
  /** The route metadata key holding the token scopes a route accepts (a list, empty when tokens are refused). */
  public static final String SCOPES = "gameday.access.scopes";
  private static final String PRINCIPAL = "gameday.access.account";
  /** A candidate route without a live candidate session. */
  public static final ClientError NO_CANDIDATE_SESSION = new ClientError(401, "no_session",
      "You are not signed in. Open your invitation link again; everything you saved is kept.");

  /** The rules. A stricter one never admits someone a looser one refuses, except where noted. */
  public enum Rule {
    /** Anyone, signed in or not (sign-in, invitation and setup links, health, public rubrics). */
    PUBLIC,
    /** A signed-in candidate. */
    CANDIDATE,
    /** Any signed-in staff account, whatever its role (own account, sessions, second factor). */
    STAFF,
    /** A reviewer or an admin: review pages and answer keys. Never a recruiter, who knows candidates' names. */
    REVIEWER,
    /** An admin. */
    ADMIN,
    /** A recruiter or an admin: candidates' names and invitations. */
    RECRUITER,
    /** The compliance role only: aggregates of voluntary self-identification. */
    COMPLIANCE,
    /** An API token only (no session): the partner endpoints. */
    TOKEN
  }

  private Access() {
  }

  /** A group of routes on {@code router} that share {@code rule}. */
  public static Routes on(Router router, Rule rule) {
    return new Routes(router, rule, List.of(), null);
  }

  /** Marks a route that runs for many requests before any rule applies (body limits, guards). */
  public static Route middleware(Route route) {
    return route.putMetadata(RULE, "MIDDLEWARE");
  }

  /** The account behind this request (a staff session, or the account an API token acts for). */
  public static Account account(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /** The signed-in staff member's session (for {@link Rule#STAFF} routes). */
  public static Session session(RoutingContext ctx) {
    return ctx.get(Session.KEY);
  }

  /** The signed-in candidate's invitation id (for {@link Rule#CANDIDATE} routes). */
  public static Long invitation(RoutingContext ctx) {
    Session s = ctx.get(Session.KEY);
    return s == null ? null : s.invitationId();
  }

  /** The token calling, or null for a session (for routes that accept both). */
  public static ApiCaller token(RoutingContext ctx) {
    return ctx.get(Http.API_CALLER);
  }

  /** Routes sharing one rule and, optionally, the token scopes that also let a caller in. */
  public static final class Routes {
    private final Router router;
    private final Rule rule;
    private final List<String> scopes;
    private final String forbidden;
    private final Handler<RoutingContext> check;

    private Routes(Router router, Rule rule, List<String> scopes, String forbidden) {
      this.router = router;
      this.rule = rule;
      this.scopes = scopes;
      this.forbidden = forbidden;
      this.check = ctx -> check(ctx, rule, scopes, forbidden);
    }

    /** The same group, also open to API tokens holding every one of {@code scopes}. */
    public Routes tokens(String... scopes) {
      return new Routes(router, rule, List.of(scopes), forbidden);
    }

    /** The same group, with its own sentence for a signed-in caller the rule refuses (403). */
    public Routes forbidden(String message) {
      return new Routes(router, rule, scopes, message);
    }

    public Route get(String path, Handler<RoutingContext> handler) {
      return add(HttpMethod.GET, path, handler);
    }

    public Route post(String path, Handler<RoutingContext> handler) {
      return add(HttpMethod.POST, path, handler);
    }

    public Route put(String path, Handler<RoutingContext> handler) {
      return add(HttpMethod.PUT, path, handler);
    }

    public Route delete(String path, Handler<RoutingContext> handler) {
      return add(HttpMethod.DELETE, path, handler);
    }

    public Route patch(String path, Handler<RoutingContext> handler) {
      return add(HttpMethod.PATCH, path, handler);
    }

    /** Every method on {@code path} (static files). */
    public Route any(String path, Handler<RoutingContext> handler) {
      Route r = router.route(path).putMetadata(RULE, rule.name()).putMetadata(SCOPES, scopes);
      return rule == Rule.PUBLIC ? r.handler(handler) : r.handler(check).handler(handler);
    }

    private Route add(HttpMethod method, String path, Handler<RoutingContext> handler) {
      Route r = router.route(method, path).putMetadata(RULE, rule.name()).putMetadata(SCOPES, scopes);
      return rule == Rule.PUBLIC ? r.handler(handler) : r.handler(check).handler(handler);
    }
  }

  /** Lets the request on when the rule admits its caller; else answers 401 (nobody) or 403 (someone else). */
  static void check(RoutingContext ctx, Rule rule, List<String> scopes, String forbidden) {
    ApiCaller token = ctx.get(Http.API_CALLER);
    // a token has no session (the token handler removed it): where no scope admits it, the rule refuses it as nobody
    if (token != null && !scopes.isEmpty()) {
      for (String scope : scopes) {
        if (!token.require(ctx, scope)) {
          return;
        }
      }
      ctx.put(PRINCIPAL, token.account());
      ctx.next();
      return;
    }
    Session s = ctx.get(Session.KEY);
    ClientError refusal = switch (rule) {
      case PUBLIC -> null;
      case CANDIDATE -> s != null && s.candidate() ? null : NO_CANDIDATE_SESSION;
      case STAFF -> s != null && s.account() ? null : new ClientError(401, "no_session", "Sign in to see this page.");
      case REVIEWER -> staff(s, s != null && s.reviews(), "Your account may not see this.");
      case ADMIN -> staff(s, s != null && s.admin(), "Your account may not see this.");
      case RECRUITER -> staff(s, s != null && s.recruits(), "Only recruiters and admins may see candidates.");
      case COMPLIANCE -> s == null || !s.account() ? new ClientError(401, "no_session", "Sign in with a compliance account to see this page.")
          : s.compliance() ? null : new ClientError(403, "forbidden", "Only the compliance role may see adverse impact reports.");
      case TOKEN -> new ClientError(401, "invalid_token", "Authenticate with HTTP Basic: the API token as the username.");
    };
    if (refusal != null && refusal.status() == 403 && forbidden != null) {
      refusal = new ClientError(403, "forbidden", forbidden);
    }
    if (refusal != null) {
      ctx.fail(refusal.status(), refusal);
      return;
    }
    if (s != null && s.account()) {
      ctx.put(PRINCIPAL, new Account(s.accountId(), s.email(), s.name(), s.role()));
    }
    ctx.next();
  }

  private static ClientError staff(Session s, boolean admitted, String forbidden) {
    if (s == null) {
      return new ClientError(401, "no_session", "Sign in to see this page.");
    }
    return admitted ? null : new ClientError(403, "forbidden", forbidden);
  }
}
