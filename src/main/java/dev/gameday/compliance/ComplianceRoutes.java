package dev.gameday.compliance;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compliance role's pages and JSON (aggregates only), and the candidate's privacy page: voluntary
 * self-identification after submitting, their data as JSON, and a request for erasure.
 */
public final class ComplianceRoutes {
  private final Pages pages;
  private final ImpactReport report;
  private final SelfId selfId;
  private final CandidateData data;
  private final Catalog catalog;

  public ComplianceRoutes(ImpactReport report, SelfId selfId, CandidateData data, Catalog catalog, Pages pages) {
    this.pages = pages;
    this.catalog = catalog;
    this.report = report;
    this.selfId = selfId;
    this.data = data;
  }

  public void mount(Router router) {
    // aggregates only, and only for the compliance role (API tokens have no session: 401)
    Access.Routes compliance = Access.on(router, Rule.COMPLIANCE);
    compliance.get("/compliance", this::page);
    compliance.get("/api/v1/compliance/impact", ctx -> json(ctx, false));
    compliance.get("/api/v1/compliance/export.json", ctx -> json(ctx, true));
    compliance.get("/api/v1/compliance/export.csv", this::csv);
    // the signed-in candidate's own data
    Access.Routes candidate = Access.on(router, Rule.CANDIDATE);
    candidate.get("/candidate/privacy", this::privacyPage);
    candidate.post("/candidate/privacy/self-id", this::selfIdForm);
    candidate.get("/candidate/privacy/data.json", this::download);
    candidate.post("/candidate/privacy/erasure", this::erasureForm);
  }

  private Future<JsonObject> requested(RoutingContext ctx) {
    try {
      ImpactReport.Range range = ImpactReport.Range.parse(ctx.request().getParam("from"), ctx.request().getParam("to"));
      return report.report(ctx.request().getParam("track"), range);
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
  }

  private void json(RoutingContext ctx, boolean attachment) {
    requested(ctx).onSuccess(r -> {
      if (attachment) {
        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + fileName(r, "json") + "\"");
      }
      Http.json(ctx, 200, r);
    }).onFailure(err -> fail(ctx, err));
  }

  private void csv(RoutingContext ctx) {
    requested(ctx).compose(r -> ctx.vertx().executeBlocking(() -> new String[] {fileName(r, "csv"), ReportCsv.of(r)}, false))
        .onSuccess(out -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Content-Disposition", "attachment; filename=\"" + out[0] + "\"").end(out[1]))
        .onFailure(err -> fail(ctx, err));
  }

  static String fileName(JsonObject r, String ext) {
    return "bias-audit-" + r.getString("track") + "-" + (r.getString("from") == null ? "start" : r.getString("from"))
        + "-to-" + (r.getString("to") == null ? "now" : r.getString("to")) + "." + ext;
  }

  private void page(RoutingContext ctx) {
    String category = ctx.request().getParam("category");
    String cat = ImpactReport.CATEGORIES.stream().map(ImpactReport.Category::id).filter(c -> c.equals(category)).findFirst()
        .orElse("race");
    requested(ctx).onSuccess(r -> pages.render(ctx, 200, "compliance", CompliancePage.model(r, cat, catalog,
        ctx.request().params()))).onFailure(err -> fail(ctx, err));
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    if (err instanceof ClientError ce) {
      ctx.fail(ce.status(), ce);
    } else {
      ctx.fail(err);
    }
  }

  // --- the candidate's privacy page ---

  private void privacyPage(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    renderPrivacy(ctx, id, 200, null);
  }

  private void renderPrivacy(RoutingContext ctx, long id, int status, String error) {
    data.state(id).compose(state -> selfId.own(id).map(own -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Your data and voluntary questions");
      m.put("submitted", "submitted".equals(state.getString("state")));
      m.put("candidateSubmitted", "submitted".equals(state.getString("state"))); // the nav's "Your submission"
      m.put("erasureRequested", state.getBoolean("erasureRequested"));
      m.put("erased", state.getBoolean("erased"));
      m.put("answered", own != null);
      m.put("saved", "1".equals(ctx.request().getParam("saved")));
      m.put("withdrawn", "1".equals(ctx.request().getParam("withdrawn")));
      m.put("error", error);
      List<Map<String, Object>> questions = new ArrayList<>();
      for (SelfId.Question q : SelfId.QUESTIONS) {
        String chosen = own == null ? SelfId.PREFER_NOT : own.getString(q.field());
        List<Map<String, Object>> answers = new ArrayList<>();
        q.answers().forEach((code, label) -> answers.add(Map.of("code", code, "label", label, "checked", code.equals(chosen))));
        questions.add(Map.of("field", q.field(), "legend", q.legend(), "answers", answers));
      }
      m.put("questions", questions);
      return m;
    })).onSuccess(m -> pages.render(ctx, status, "candidate-privacy", m)).onFailure(ctx::fail);
  }

  private void selfIdForm(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    var form = ctx.request().formAttributes();
    if ("withdraw".equals(form.get("action"))) {
      selfId.withdraw(id).onSuccess(v -> Http.redirect(ctx, "/candidate/privacy?withdrawn=1")).onFailure(ctx::fail);
      return;
    }
    Map<String, String> answers = new HashMap<>();
    for (SelfId.Question q : SelfId.QUESTIONS) {
      answers.put(q.field(), form.get(q.field()));
    }
    selfId.save(id, answers).onSuccess(v -> Http.redirect(ctx, "/candidate/privacy?saved=1")).onFailure(err -> {
      if (err instanceof ClientError ce && ce.status() == 400) {
        renderPrivacy(ctx, id, 400, ce.getMessage());
      } else if (err instanceof ClientError ce) {
        ctx.fail(ce.status(), ce);
      } else {
        ctx.fail(err);
      }
    });
  }

  private void download(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    data.export(id).onSuccess(json -> {
      ctx.response().putHeader("Content-Disposition", "attachment; filename=\"gameday-my-data.json\"");
      Http.json(ctx, 200, json);
    }).onFailure(ctx::fail);
  }

  private void erasureForm(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    data.requestErasure(id)
        .onSuccess(v -> Http.redirect(ctx, "/candidate/privacy#erasure"))
        .onFailure(err -> fail(ctx, err));
  }

  static String percent(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }

  static JsonArray array(JsonObject o, String key) {
    JsonArray a = o.getJsonArray(key);
    return a == null ? new JsonArray() : a;
  }
}
