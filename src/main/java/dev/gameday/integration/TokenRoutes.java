package dev.gameday.integration;

import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /admin/tokens}: admins create (the secret shown once) and revoke API tokens; and the same revoke as JSON. */
public final class TokenRoutes {
  private final ApiTokens tokens;
  private final Pages pages;

  public TokenRoutes(ApiTokens tokens, Pages pages) {
    this.tokens = tokens;
    this.pages = pages;
  }

  public void mount(Router router) {
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    admin.get("/admin/tokens", this::page);
    admin.post("/admin/tokens", this::createPage);
    admin.post("/admin/tokens/:id/revoke", this::revokePage);
    admin.delete("/api/v1/admin/tokens/:id", this::revokeJson);
  }

  private void page(RoutingContext ctx) {
    render(ctx, 200, new HashMap<>());
  }

  private void render(RoutingContext ctx, int status, Map<String, Object> extra) {
    tokens.list().onSuccess(list -> {
      Map<String, Object> m = new HashMap<>(extra);
      m.put("title", "API tokens");
      m.put("tokens", list);
      m.put("empty", list.isEmpty());
      m.put("scopes", ApiTokens.SCOPES);
      pages.render(ctx, status, "admin-tokens", m);
    }).onFailure(ctx::fail);
  }

  private void createPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    var f = ctx.request().formAttributes();
    String days = f.get("expiresDays");
    Integer expires;
    try {
      expires = days == null || days.isBlank() ? null : Integer.valueOf(days.strip());
    } catch (NumberFormatException e) {
      expires = -1;
    }
    List<String> scopes = f.getAll("scope");
    tokens.create(me.email(), f.get("name"), scopes, expires)
        .onSuccess(t -> Flash.redirect(ctx, "/admin/tokens", Flash.of("created", t)))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() < 500) {
            Flash.redirect(ctx, "/admin/tokens", new JsonObject().put("formError", ce.getMessage())
                .put("formName", f.get("name") == null ? "" : f.get("name")));
          } else {
            ctx.fail(err);
          }
        });
  }

  private void revokePage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    tokens.revoke(me.email(), id)
        .onSuccess(t -> Flash.redirect(ctx, "/admin/tokens", Flash.of("notice", "The token " + t.getString("name") + " is revoked: it no longer works.")))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 409) {
            Flash.redirect(ctx, "/admin/tokens", Flash.of("formError", ce.getMessage()));
          } else {
            ctx.fail(err);
          }
        });
  }

  private void revokeJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    tokens.revoke(me.email(), id).onSuccess(t -> Http.json(ctx, 200, t)).onFailure(ctx::fail);
  }

  private static Long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ctx.fail(404, new ClientError(404, "unknown_token", "There is no token with that id or name."));
      return null;
    }
  }

  static JsonObject none() {
    return new JsonObject();
  }
}
