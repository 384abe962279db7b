package dev.gameday.web;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Who is calling with an API token: its id, name and scopes (put on the request by the token handler). */
public record ApiCaller(long tokenId, String name, Set<String> scopes) {
  /** As the audit log and the invitations' {@code invited_by} name it. */
  public String actor() {
    return "token:" + name;
  }

  /** The account the recruiter workspace acts for (its audit entries name the token). */
  public Account account() {
    return new Account(-tokenId, actor(), name, "recruiter");
  }

  /** True when the token has {@code scope}; else false after answering 403 insufficient_scope. */
  public boolean require(RoutingContext ctx, String scope) {
    if (scopes.contains(scope)) {
      return true;
    }
    ctx.fail(403, new ClientError(403, "insufficient_scope", "This token does not have the scope " + scope + ".",
        new JsonObject().put("required", scope)));
    return false;
  }
}
