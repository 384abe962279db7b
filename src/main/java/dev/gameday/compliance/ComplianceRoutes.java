package dev.gameday.compliance;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
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

  public ComplianceRoutes(Vertx vertx, Pool pool, Catalog catalog, Pages pages) {
    this.pages = pages;
    this.catalog = catalog;
    this.report = new ImpactReport(vertx, pool, catalog);
    this.selfId = new SelfId(pool);
    this.data = new CandidateData(pool, selfId);
  }

  public void mount(Router router) {
    router.get("/compliance").handler(this::page);
    router.get("/api/v1/compliance/impact").handler(ctx -> json(ctx, false));
    router.get("/api/v1/compliance/export.json").handler(ctx -> json(ctx, true));
    router.get("/api/v1/compliance/export.csv").handler(this::csv);
    router.get("/candidate/privacy").handler(this::privacyPage);
    router.post("/candidate/privacy/self-id").handler(this::selfIdForm);
    router.get("/candidate/privacy/data.json").handler(this::download);
    router.post("/candidate/privacy/erasure").handler(this::erasureForm);
  }

  /** True for the compliance role; else answers 401 or 403 and returns false. API tokens have no session: 401. */
  static boolean compliance(RoutingContext ctx) {
    Session s = ctx.get(Session.KEY);
    if (s == null || !s.account()) {
      ctx.fail(401, new ClientError(401, "no_session", "Sign in with a compliance account to see this page."));
      return false;
    }
    if (!s.compliance()) {
      ctx.fail(403, new ClientError(403, "forbidden", "Only the compliance role may see adverse impact reports."));
      return false;
    }
    return true;
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
    if (!compliance(ctx)) {
      return;
    }
    requested(ctx).onSuccess(r -> {
      if (attachment) {
        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + fileName(r, "json") + "\"");
      }
      Http.json(ctx, 200, r);
    }).onFailure(err -> fail(ctx, err));
  }

  private void csv(RoutingContext ctx) {
    if (!compliance(ctx)) {
      return;
    }
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
    if (!compliance(ctx)) {
      return;
    }
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

  private static Long candidate(RoutingContext ctx) {
    return dev.gameday.candidate.CandidateRoutes.signedIn(ctx);
  }

  private void privacyPage(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    renderPrivacy(ctx, id, 200, null);
  }

  private void renderPrivacy(RoutingContext ctx, long id, int status, String error) {
    data.state(id).compose(state -> selfId.own(id).map(own -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Your data and voluntary questions");
      m.put("submitted", "submitted".equals(state.getString("state")));
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
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
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
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    data.export(id).onSuccess(json -> {
      ctx.response().putHeader("Content-Disposition", "attachment; filename=\"gameday-my-data.json\"");
      Http.json(ctx, 200, json);
    }).onFailure(ctx::fail);
  }

  private void erasureForm(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
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
