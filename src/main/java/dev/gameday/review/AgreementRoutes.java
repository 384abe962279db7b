package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.review.LiveAgreement.Figure;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Http;
import dev.gameday.web.Pages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /review/agreement} and {@code GET /api/v1/review/agreement}: live agreement, admins only. */
public final class AgreementRoutes {
  static final Map<String, String> GRADE_LABELS = Map.of("decision-grade", "Decision-grade", "tentative", "Tentative",
      "not-reliable", "Not reliable", "too-few", "Too few items");

  private final AgreementService agreement;
  private final Catalog catalog;
  private final Pages pages;

  private final Adjudication adjudication;

  public AgreementRoutes(AgreementService agreement, Adjudication adjudication, Catalog catalog, Pages pages) {
    this.adjudication = adjudication;
    this.agreement = agreement;
    this.catalog = catalog;
    this.pages = pages;
  }

  /** Mounted before {@link ReviewRoutes}, so that /review/agreement is not taken for a submission id. */
  public void mount(Router router) {
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    admin.get("/review/agreement", this::page);
    admin.get("/api/v1/review/agreement", this::json);
    admin.get("/api/v1/review/adjudications", this::adjudicationsJson);
    // a reviewer sees their own offsets, an admin every reviewer's
    Access.Routes reviewer = Access.on(router, Rule.REVIEWER);
    reviewer.get("/review/severity", this::severityPage);
    reviewer.get("/api/v1/review/severity", this::severityJson);
  }

  private void severityJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    agreement.severity(me).map(rows -> new JsonObject().put("reviewers", new JsonArray(rows.stream().map(r -> new JsonObject()
            .put("reviewer", r.reviewer()).put("criterion", r.criterion()).put("month", r.month()).put("items", r.items())
            .put("offset", AgreementService.round(r.mean())).put("ci_low", AgreementService.round(r.ciLow()))
            .put("ci_high", AgreementService.round(r.ciHigh())).put("recalibrate", r.recalibrate())).toList())))
        .onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  private void severityPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    agreement.severity(me).map(rows -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Reviewer severity");
      m.put("admin", me.admin());
      m.put("rows", rows.stream().map(r -> {
        int colon = r.criterion().indexOf(':');
        Map<String, Object> x = new HashMap<>();
        x.put("reviewer", r.reviewer());
        x.put("criterion", exerciseTitle(r.criterion().substring(0, colon)) + ": "
            + criterionTitle(r.criterion().substring(0, colon), r.criterion().substring(colon + 1)));
        x.put("month", r.month());
        x.put("items", r.items());
        x.put("offset", String.format(Locale.ROOT, "%+.2f", r.mean()));
        x.put("ci", r.ciLow() == null ? "n/a" : String.format(Locale.ROOT, "%+.2f to %+.2f", r.ciLow(), r.ciHigh()));
        x.put("recalibrate", r.recalibrate());
        return x;
      }).toList());
      return m;
    }).onSuccess(m -> pages.render(ctx, 200, "review-severity", m)).onFailure(ctx::fail);
  }

  private void adjudicationsJson(RoutingContext ctx) {
    adjudication.records().onSuccess(a -> Http.json(ctx, 200, new JsonObject().put("items", a))).onFailure(ctx::fail);
  }

  private void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    agreement.figures(me).map(f -> new JsonObject()
            .put("criteria", new JsonArray(f.rows().stream().map(AgreementService::toJson).toList()))
            .put("trend", new JsonArray(f.trend().stream().map(AgreementTrend.Point::toJson).toList()))
            .put("resamples", f.resamples()).put("seed", f.seed()).put("minItems", LiveAgreement.MIN_ITEMS)
            .put("computedAt", f.computedAt().toString()))
        .onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  private Exercise exercise(String id) {
    return catalog.currentVersions().stream().map(v -> v.exercise()).filter(e -> e.id().equals(id)).findFirst().orElse(null);
  }

  String criterionTitle(String exerciseId, String criterionId) {
    return criterionTitle(catalog, exerciseId, criterionId);
  }

  static String criterionTitle(Catalog catalog, String exerciseId, String criterionId) {
    if (LiveAgreement.TOTAL.equals(criterionId)) {
      return "Weighted total";
    }
    Exercise e = catalog.currentVersions().stream().map(v -> v.exercise()).filter(x -> x.id().equals(exerciseId)).findFirst().orElse(null);
    return e == null ? criterionId : e.rubric().stream().filter(c -> c.id().equals(criterionId)).map(Criterion::title)
        .findFirst().orElse(criterionId);
  }

  String exerciseTitle(String exerciseId) {
    Exercise e = exercise(exerciseId);
    return e == null ? exerciseId : e.title();
  }

  static String fmt(Double d) {
    return d == null ? "n/a" : String.format(Locale.ROOT, "%.3f", d);
  }

  /** A table row for a figure (the page and the decision page). */
  Map<String, Object> row(Figure f) {
    Map<String, Object> r = new HashMap<>();
    r.put("criterion", criterionTitle(f.exercise(), f.criterion()));
    r.put("alpha", f.items() < LiveAgreement.MIN_ITEMS ? "hidden" : fmt(f.alpha()));
    r.put("ci", f.ciLow() == null ? "n/a" : fmt(f.ciLow()) + " to " + fmt(f.ciHigh()));
    r.put("items", f.items());
    r.put("grade", f.grade());
    r.put("gradeLabel", GRADE_LABELS.get(f.grade()));
    r.put("warn", f.notReliable());
    // for the chart: plain numbers, empty when not shown
    r.put("dataAlpha", f.alpha() == null ? "" : String.format(Locale.ROOT, "%.4f", f.alpha()));
    r.put("dataLow", f.ciLow() == null ? "" : String.format(Locale.ROOT, "%.4f", f.ciLow()));
    r.put("dataHigh", f.ciHigh() == null ? "" : String.format(Locale.ROOT, "%.4f", f.ciHigh()));
    return r;
  }

  /**
   * The group's trend as a table: a row per month, a cell per criterion (alpha, or "too few" under
   * {@link LiveAgreement#MIN_ITEMS} items); null without any month.
   */
  Map<String, Object> trendTable(List<AgreementTrend.Point> trend, String exercise, String rubricVersion, List<Figure> columns) {
    Map<String, List<Figure>> months = new java.util.TreeMap<>();
    trend.stream().filter(p -> p.figure().exercise().equals(exercise) && p.figure().rubricVersion().equals(rubricVersion))
        .forEach(p -> months.computeIfAbsent(p.month(), k -> new ArrayList<>()).add(p.figure()));
    if (months.isEmpty()) {
      return null;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    months.forEach((month, figures) -> rows.add(Map.of("month", month, "items", figures.isEmpty() ? 0 : figures.get(figures.size() - 1).items(),
        "cells", figures.stream().map(x -> Map.of("text", x.items() < LiveAgreement.MIN_ITEMS ? "too few (" + x.items() + ")"
            : fmt(x.alpha()) + " " + GRADE_LABELS.get(x.grade()).toLowerCase(Locale.ROOT), "warn", x.notReliable())).toList())));
    return Map.of("columns", columns.stream().map(x -> criterionTitle(x.exercise(), x.criterion())).toList(), "rows", rows);
  }

  private void page(RoutingContext ctx) {
    Account me = Access.account(ctx);
    agreement.figures(me).compose(f -> adjudication.records().map(adj -> {
      Map<String, List<Figure>> groups = new LinkedHashMap<>();
      f.rows().forEach(x -> groups.computeIfAbsent(x.exercise() + "|" + x.rubricVersion(), k -> new ArrayList<>()).add(x));
      List<Map<String, Object>> out = new ArrayList<>();
      int n = 0;
      for (List<Figure> g : groups.values()) {
        Figure first = g.get(0);
        boolean current = catalog.currentVersions().stream().anyMatch(v -> v.exercise().id().equals(first.exercise())
            && RubricVersions.of(v).equals(first.rubricVersion()));
        Map<String, Object> m = new HashMap<>();
        m.put("id", "agreement-" + (++n));
        m.put("exerciseTitle", exerciseTitle(first.exercise()));
        m.put("rubricVersion", first.rubricVersion());
        m.put("current", current);
        m.put("rows", g.stream().map(this::row).toList());
        m.put("trend", trendTable(f.trend(), first.exercise(), first.rubricVersion(), g));
        out.add(m);
      }
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Reviewer agreement");
      m.put("groups", out);
      m.put("hasCharts", true);
      m.put("minItems", LiveAgreement.MIN_ITEMS);
      m.put("resamples", f.resamples());
      m.put("seed", f.seed());
      m.put("computedAt", f.computedAt());
      m.put("adjudications", adj.stream().map(o -> (JsonObject) o).map(o -> Map.of(
          "submissionId", o.getString("submissionId"), "exerciseId", o.getString("exerciseId"),
          "exerciseTitle", exerciseTitle(o.getString("exerciseId")), "pseudonym", o.getString("pseudonym"),
          "state", "done".equals(o.getString("state")) ? "adjudicated" : "awaiting the third review",
          "before", o.getValue("overallBefore") == null ? "-" : String.format(Locale.ROOT, "%.2f", o.getDouble("overallBefore")),
          "after", o.getValue("overallAfter") == null ? "-" : String.format(Locale.ROOT, "%.2f", o.getDouble("overallAfter")),
          "moved", o.getValue("moved") == null ? "-" : String.format(Locale.ROOT, "%+.2f", o.getDouble("moved")))).toList());
      return m;
    })).onSuccess(m -> pages.render(ctx, 200, "review-agreement", m)).onFailure(ctx::fail);
  }
}
