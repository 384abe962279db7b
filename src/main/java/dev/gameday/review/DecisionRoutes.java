package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.review.ReviewService.Item;
import dev.gameday.web.Access;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An admin's decision on a submission (with the decision gate's override when agreement is weak) and the audited
 * identity reveal, as forms and JSON.
 */
final class DecisionRoutes {
  private final ReviewService service;
  private final ReviewDecisions decisions;
  private final Catalog catalog;
  private final DecisionGate gate;

  DecisionRoutes(ReviewService service, ReviewDecisions decisions, Catalog catalog, DecisionGate gate) {
    this.service = service;
    this.decisions = decisions;
    this.catalog = catalog;
    this.gate = gate;
  }

  /**
   * The override a decision needs (null when none: every criterion at least tentative or too few to say, and no
   * unresolved disagreement), or 409 {@code override_required} without a reason. Decided already: nothing to check.
   */
  private Future<JsonObject> overrideFor(UUID sid, Account me, String reason) {
    return decisions.decision(sid).compose(d -> d != null ? Future.succeededFuture(null) : gate.checks(sid, me).map(checks -> {
      List<String> reasons = new ArrayList<>();
      checks.forEach(c -> reasons.addAll(c.reasons((e, k) -> AgreementRoutes.criterionTitle(catalog, e, k))));
      return DecisionGate.override(reasons, reason);
    }));
  }

  void form(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    MultiMap f = ctx.request().formAttributes();
    boolean confirmed = f.get("confirmIncomplete") != null && !f.get("confirmIncomplete").isBlank();
    completeOrConfirmed(sid, me, confirmed)
        .compose(v -> overrideFor(sid, me, f.get("override_reason")))
        .compose(override -> decisions.decide(sid, me, f.get("decision"), f.get("rationale"), override))
        .onSuccess(v -> Flash.redirect(ctx, "/review/" + sid, Flash.of("notice", "The decision is recorded: "
            + f.get("decision") + ". The reviews are now read-only.")))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() < 500 && ce.status() != 404 && ce.status() != 403) {
            Flash.redirect(ctx, "/review/" + sid, new JsonObject().put("decisionError", ce.getMessage())
                .put("formDecision", f.get("decision") == null ? "" : f.get("decision"))
                .put("formRationale", f.get("rationale") == null ? "" : f.get("rationale"))
                .put("formOverride", f.get("override_reason") == null ? "" : f.get("override_reason")));
          } else {
            ctx.fail(err);
          }
        });
  }

  /**
   * A decision makes the reviews read-only, so exercises still short of reviews could never be reviewed: refused
   * (409 {@code incomplete_reviews}) unless the admin confirmed deciding without them.
   */
  private Future<Void> completeOrConfirmed(UUID sid, Account me, boolean confirmed) {
    if (confirmed) {
      return Future.succeededFuture();
    }
    return service.itemsOf(sid, me).compose(items -> {
      long reviewed = items.stream().filter(ReviewRoutes::fullyReviewed).count();
      if (reviewed == items.size() || items.stream().anyMatch(Item::decided)) {
        return Future.succeededFuture(); // complete, or decided already (decide answers 409 decided)
      }
      return Future.failedFuture(new ClientError(409, "incomplete_reviews", "Only " + reviewed + " of " + items.size()
          + (reviewed == 1 ? " exercises has all its reviews" : " exercises have all their reviews")
          + ", and after a decision the others can never be reviewed. Confirm to decide"
          + " with " + reviewed + " of " + items.size() + " exercises reviewed.",
          new JsonObject().put("reviewed", reviewed).put("exercises", items.size())));
    });
  }

  void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    JsonObject body = sid == null ? null : Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    completeOrConfirmed(sid, me, Boolean.TRUE.equals(body.getValue("confirmIncomplete")))
        .compose(x -> overrideFor(sid, me, body.getValue("override_reason") instanceof String s ? s : null))
        .compose(override -> decisions.decide(sid, me, body.getValue("decision") instanceof String s ? s : null,
            body.getValue("rationale") instanceof String s ? s : null, override))
        .compose(v -> decisions.decision(sid))
        .onSuccess(d -> Http.json(ctx, 200, d.toJson())).onFailure(ctx::fail);
  }

  void revealForm(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    if (!"yes".equals(ctx.request().getFormAttribute("confirm"))) {
      // the confirmation step is a page of its own (GET): nothing happens until "Yes" is posted
      Http.redirect(ctx, "/review/" + sid + "?reveal=confirm");
      return;
    }
    decisions.reveal(sid, me).onSuccess(identity -> Flash.redirect(ctx, "/review/" + sid,
        Flash.of("notice", "The identity is revealed and the reveal is written to the audit log."))).onFailure(ctx::fail);
  }

  void revealJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    decisions.reveal(sid, me).onSuccess(id -> Http.json(ctx, 200, id)).onFailure(ctx::fail);
  }

  // ---- one item
}
