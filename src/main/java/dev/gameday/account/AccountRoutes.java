package dev.gameday.account;

import dev.gameday.web.Access;
import dev.gameday.web.Account;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The account lifecycle, for admins only: as forms on {@code /admin/accounts} (each POST answers 303 back to the page,
 * which names the outcome from a fixed list of codes) and as JSON under {@code /api/v1/admin/accounts}.
 */
final class AccountRoutes {
  /** What the page says after a change (the codes are the only thing a redirect carries). */
  static final Map<String, String> NOTICES = Map.of(
      "disabled", "The account is disabled: its sessions have ended and its API tokens are revoked.",
      "enabled", "The account is enabled again. Its owner signs in anew.",
      "role", "The role is changed; it applies from the account's next request.",
      "deleted", "The account is deleted.",
      "withdrawn", "The setup link is withdrawn: it no longer works.",
      "reset_emailed", "A password reset link is on its way to the account's email address (valid 30 minutes).",
      "reset_link", "Email is off: pass the password reset link below to the account's owner.",
      "second_factor_reset", "The account's second factor is reset: it signs in with its password alone until it sets "
          + "two-factor authentication up again.");
  /** What the page says after a refused change, by error code. */
  static final Map<String, String> PROBLEMS = Map.of(
      "last_admin", "That would leave no active admin: make another account admin first.",
      "own_account", "You cannot disable or delete your own account; ask another admin.",
      "has_history", "That account has history (reviews, decisions, invitations or audited actions), so it cannot be "
          + "deleted. Disable it instead: its history stays attributable.",
      "not_found", "That account or link no longer exists.",
      "no_second_factor", "That account has no second factor to reset.",
      "invalid_role", "The role must be reviewer, recruiter or admin.");

  private final Lifecycle lifecycle;

  AccountRoutes(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  /** On an {@link dev.gameday.web.Access.Rule#ADMIN} group. */
  void mount(Access.Routes admin) {
    admin.post("/admin/accounts/:id/disable", ctx -> form(ctx, "disabled", (me, id) -> lifecycle.disable(me, id)));
    admin.post("/admin/accounts/:id/enable", ctx -> form(ctx, "enabled", (me, id) -> lifecycle.enable(me, id)));
    admin.post("/admin/accounts/:id/role", ctx -> form(ctx, "role",
        (me, id) -> lifecycle.setRole(me, id, ctx.request().getFormAttribute("role"))));
    admin.post("/admin/accounts/:id/delete", ctx -> form(ctx, "deleted", (me, id) -> lifecycle.delete(me, id)));
    admin.post("/admin/setup-links/:id/withdraw", ctx -> form(ctx, "withdrawn", (me, id) -> lifecycle.withdrawLink(me, id)));

    admin.get("/api/v1/admin/accounts", this::listJson);
    admin.post("/api/v1/admin/accounts/:id/disable", ctx -> api(ctx, 200, (me, id) -> lifecycle.disable(me, id)));
    admin.post("/api/v1/admin/accounts/:id/enable", ctx -> api(ctx, 200, (me, id) -> lifecycle.enable(me, id)));
    admin.put("/api/v1/admin/accounts/:id/role", ctx -> {
      JsonObject body = Http.jsonBody(ctx);
      if (body != null) {
        api(ctx, 200, (me, id) -> lifecycle.setRole(me, id, body.getValue("role") instanceof String s ? s : null));
      }
    });
    admin.delete("/api/v1/admin/accounts/:id", ctx -> api(ctx, 204, (me, id) -> lifecycle.delete(me, id)));
    admin.delete("/api/v1/admin/setup-links/:id", ctx -> api(ctx, 204, (me, id) -> lifecycle.withdrawLink(me, id)));
  }

  /** A form action: 303 to the accounts page with {@code done=<notice>} or {@code problem=<error code>}. */
  private void form(RoutingContext ctx, String notice, BiFunction<Account, Long, Future<Void>> action) {
    Account me = Access.account(ctx);
    Long id = SetupRoutes.parseLong(ctx.pathParam("id"));
    (id == null ? Future.<Void>failedFuture(notFound()) : action.apply(me, id))
        .onSuccess(v -> Http.redirect(ctx, "/admin/accounts?done=" + notice))
        .onFailure(err -> {
          if (err instanceof ClientError ce) {
            Http.redirect(ctx, "/admin/accounts?problem=" + ce.code());
          } else {
            ctx.fail(err);
          }
        });
  }

  private void api(RoutingContext ctx, int status, BiFunction<Account, Long, Future<Void>> action) {
    Account me = Access.account(ctx);
    Long id = SetupRoutes.parseLong(ctx.pathParam("id"));
    if (id == null) {
      ctx.fail(404, notFound());
      return;
    }
    action.apply(me, id).compose(v -> status == 204 ? Future.succeededFuture((JsonObject) null)
            : lifecycle.all(me.id()).map(list -> list.stream().filter(a -> a.id() == id).findFirst()
                .map(Lifecycle.Listed::toJson).orElse(null)))
        .onSuccess(body -> {
          if (body == null) {
            ctx.response().setStatusCode(204).end();
          } else {
            Http.json(ctx, status, new JsonObject().put("account", body));
          }
        })
        .onFailure(ctx::fail);
  }

  private void listJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    lifecycle.all(me.id()).compose(list -> lifecycle.pendingLinks().map(links -> new JsonObject()
            .put("accounts", new JsonArray(list.stream().map(Lifecycle.Listed::toJson).toList()))
            .put("pendingLinks", new JsonArray(links.stream().map(Lifecycle.PendingLink::toJson).toList()))))
        .onSuccess(body -> Http.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private static ClientError notFound() {
    return new ClientError(404, "not_found", "There is no account with this id.");
  }
}
