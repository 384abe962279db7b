package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.review.ReviewService.Aggregate;
import dev.gameday.review.ReviewService.Item;
import dev.gameday.review.ReviewService.Review;
import dev.gameday.web.Access;
import dev.gameday.web.Account;
import dev.gameday.web.Http;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One submission as a whole: its page (every exercise, the aggregates a reader may see, the decision and, for an admin,
 * the decision gate) and its JSON.
 */
final class SubmissionRoutes {
  private final ReviewService service;
  private final ReviewDecisions decisions;
  private final Catalog catalog;
  private final Pages pages;
  private final DecisionGate gate;

  SubmissionRoutes(ReviewService service, ReviewDecisions decisions, Catalog catalog, Pages pages, DecisionGate gate) {
    this.service = service;
    this.decisions = decisions;
    this.catalog = catalog;
    this.pages = pages;
    this.gate = gate;
  }

  private record SubmissionView(List<Item> items, Map<String, Aggregate> aggregates, ReviewDecisions.Decision decision) {
  }

  private Future<SubmissionView> submission(UUID sid, Account me) {
    return service.itemsOf(sid, me).compose(items -> {
      List<Future<List<Review>>> all = items.stream().map(i -> service.reviews(sid, i.exerciseId())).toList();
      return Future.all(all).compose(f -> decisions.decision(sid).map(d -> {
        Map<String, Aggregate> aggs = new HashMap<>();
        for (int k = 0; k < items.size(); k++) {
          Item i = items.get(k);
          List<Review> visible = ReviewService.visible(f.resultAt(k), i, me);
          if (i.iSubmitted() || me.admin()) {
            aggs.put(i.exerciseId(), ReviewService.aggregate(i.version().exercise(), visible));
          }
        }
        return new SubmissionView(items, aggs, d);
      }));
    });
  }

  void page(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    renderSubmission(ctx, sid, me, 200, Map.of("confirmReveal", "confirm".equals(ctx.request().getParam("reveal")) && me.admin()));
  }

  /** The submission page; for an admin with the identity if it was revealed before (that read is not audited again). */
  private void renderSubmission(RoutingContext ctx, UUID sid, Account me, int status, Map<String, Object> extra) {
    submission(sid, me).compose(v -> (v.decision() == null ? Future.<JsonObject>succeededFuture(null) : decisions.revealed(sid, me))
        .compose(identity -> (me.admin() ? gate.checks(sid, me) : Future.<List<DecisionGate.Check>>succeededFuture(List.of()))
            .map(checks -> {
          Map<String, Object> m = submissionModel(v, me);
          gateModel(m, checks);
          if (identity != null) {
            m.put("identity", Map.of("name", identity.getString("name"), "email", identity.getString("email"),
                "revealedBy", identity.getString("revealedBy"), "revealedAt", identity.getString("revealedAt")));
          }
          m.putAll(extra);
          return m;
        })))
        .onSuccess(m -> pages.render(ctx, status, "review-submission", m)).onFailure(ctx::fail);
  }

  /** Per exercise, its criteria's agreement grades; and whether a decision needs an override (issue 24). */
  private void gateModel(Map<String, Object> m, List<DecisionGate.Check> checks) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (DecisionGate.Check c : checks) {
      out.add(Map.of("exerciseTitle", c.exerciseTitle(), "rubricVersion", c.rubricVersion(), "unresolved", c.unresolvedDisagreement(),
          "grades", c.figures().stream().map(f -> Map.of("criterion", AgreementRoutes.criterionTitle(catalog, f.exercise(), f.criterion()),
              "gradeLabel", AgreementRoutes.GRADE_LABELS.get(f.grade()), "warn", f.notReliable(),
              "alpha", f.alpha() == null ? "n/a" : AgreementRoutes.fmt(f.alpha()))).toList()));
      reasons.addAll(c.reasons((e, k) -> AgreementRoutes.criterionTitle(catalog, e, k)));
    }
    m.put("gates", out);
    m.put("overrideReasons", reasons);
    m.put("overrideNeeded", !reasons.isEmpty());
  }

  private Map<String, Object> submissionModel(SubmissionView v, Account me) {
    Item first = v.items().get(0);
    Map<String, Object> m = new HashMap<>();
    m.put("title", first.pseudonym());
    m.put("pseudonym", first.pseudonym());
    m.put("submissionId", first.submissionId().toString());
    m.put("track", first.trackId());
    m.put("submittedAt", first.submittedAt());
    List<Map<String, Object>> rows = new ArrayList<>();
    double weighted = 0;
    int weights = 0;
    int complete = 0;
    for (Item i : v.items()) {
      Map<String, Object> r = ReviewRoutes.itemRow(i);
      Aggregate a = v.aggregates().get(i.exerciseId());
      // every row sets its own score fields: a missing one would resolve to the page's overall in the template
      r.put("scoreText", a == null ? "shown after you submit your review" : a.overall() == null ? "not scored"
          : String.format(java.util.Locale.ROOT, "%.2f", a.overall()));
      r.put("scored", a != null && a.overall() != null);
      r.put("scorePartial", a != null && a.overall() != null && !ReviewRoutes.fullyReviewed(i)
          ? "partial: " + i.reviewsSubmitted() + " of " + i.reviewsRequired() + " reviews, not in the overall" : "");
      if (ReviewRoutes.fullyReviewed(i)) {
        complete++;
      }
      if (a != null && a.overall() != null && ReviewRoutes.fullyReviewed(i)) {
        int w = i.version().exercise().rubric().stream().mapToInt(Criterion::weight).sum();
        weighted += a.overall() * w;
        weights += w;
      }
      rows.add(r);
    }
    m.put("items", rows);
    if (me.admin() && weights > 0) {
      m.put("overall", String.format(java.util.Locale.ROOT, "%.2f", weighted / weights));
      m.put("overallOver", complete == rows.size() ? "over all " + rows.size() + " exercises"
          : "over " + complete + " of " + rows.size() + " exercises; the others are not fully reviewed");
    }
    m.put("reviewedCount", complete);
    m.put("exerciseCount", rows.size());
    m.put("incomplete", complete < rows.size());
    m.put("admin", me.admin());
    if (v.decision() != null) {
      m.put("decision", Map.of("decision", v.decision().decision(), "rationale", v.decision().rationale(),
          "decidedBy", v.decision().decidedBy(), "decidedAt", v.decision().decidedAt(),
          "overrideReason", v.decision().overrideReason() == null ? "" : v.decision().overrideReason()));
    }
    m.put("decisions", ReviewDecisions.DECISIONS);
    long blank = v.items().stream().filter(ReviewRoutes::blankForMe).count();
    m.put("blankCount", blank);
    m.put("blankPlural", blank != 1);
    return m;
  }

  void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    submission(sid, me).map(v -> {
      JsonArray exercises = new JsonArray();
      for (Item i : v.items()) {
        JsonObject e = i.toJson();
        Aggregate a = v.aggregates().get(i.exerciseId());
        if (a != null) {
          e.put("aggregate", a.toJson());
        }
        exercises.add(e);
      }
      Item first = v.items().get(0);
      return new JsonObject().put("submissionId", first.submissionId().toString()).put("pseudonym", first.pseudonym())
          .put("track", first.trackId()).put("submittedAt", first.submittedAt().toString()).put("exercises", exercises)
          .put("decision", v.decision() == null ? null : v.decision().toJson());
    }).onSuccess(json -> Http.json(ctx, 200, json)).onFailure(ctx::fail);
  }
}
