package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Calibration: reviewers score each exercise's sample answers (never counted as reviews) and compare with the
 * reference; the page also shows how well reviewers agree with each other on real submissions.
 */
public final class CalibrationRoutes {
  private final CalibrationStore store;
  private final Catalog catalog;
  private final Pages pages;
  private final MarkdownRenderer markdown;
  private final Qualifications qualifications;

  public CalibrationRoutes(CalibrationStore store, Catalog catalog, Pages pages, MarkdownRenderer markdown,
                           Qualifications qualifications) {
    this.store = store;
    this.qualifications = qualifications;
    this.markdown = markdown;
    this.catalog = catalog;
    this.pages = pages;
  }

  public void mount(Router router) {
    // mounted before ReviewRoutes, so that /review/calibration is not taken for a submission id
    Access.Routes reviewer = Access.on(router, Rule.REVIEWER);
    reviewer.get("/review/calibration", this::page);
    reviewer.get("/review/calibration/:ex/:name", this::itemPage);
    reviewer.post("/review/calibration/:ex/:name", this::score);
    reviewer.get("/api/v1/review/calibration", this::json);
    reviewer.get("/api/v1/review/calibration/:ex/:name", this::getJson);
    reviewer.post("/api/v1/review/calibration/:ex/:name", this::scoreJson);
  }

  /** "incident-postmortem:root-cause" as "Incident analysis and postmortem: Root cause and trigger, with evidence". */
  private String criterionTitle(String key) {
    int colon = key.indexOf(':');
    String exerciseId = colon < 0 ? key : key.substring(0, colon);
    String criterionId = colon < 0 ? "" : key.substring(colon + 1);
    return catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(exerciseId)).findFirst()
        .map(v -> v.exercise().title() + ": " + v.exercise().rubric().stream().filter(c -> c.id().equals(criterionId))
            .map(Criterion::title).findFirst().orElse(criterionId))
        .orElse(key);
  }

  private static String fmt(OptionalDouble d) {
    return d.isPresent() ? String.format(java.util.Locale.ROOT, "%.2f", d.getAsDouble()) : "n/a";
  }

  static final String NOT_ENOUGH = "not enough ratings yet";

  private static String fmt(boolean enough, OptionalDouble d) {
    return enough ? fmt(d) : NOT_ENOUGH;
  }

  private void page(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Future<List<Qualifications.Status>> qualified = qualifications.mine(me);
    Future<List<Qualifications.Status>> everyone = me.admin() ? qualifications.everyone() : Future.succeededFuture(List.of());
    store.scoredBy(me)
        .compose(mine -> Future.all(qualified, everyone).compose(x -> store.figures(me)).map(fig -> {
          Map<String, Object> m = new HashMap<>();
          m.put("title", "Calibration");
          m.put("answers", catalog.currentVersions().stream().map(v -> Map.of("exerciseId", v.exercise().id(), "title", v.exercise().title(),
              "items", sampleItems(v, mine))).toList());
          m.put("reference", fig.reference().stream().map(r -> Map.of("reviewer", r.reviewer(), "ratings", r.ratings(),
              "exact", Math.round(r.exact() * 100), "withinOne", Math.round(r.withinOne() * 100), "kappa", fmt(r.kappa()))).toList());
          m.put("criteria", fig.criteria().stream().map(c -> Map.of("criterion", criterionTitle(c.criterion()), "ratings", c.ratings(),
              "units", c.units(), "alpha", fmt(c.enough(), c.alpha()), "pairs", c.pairs().stream().map(p -> Map.of("first", p.first(),
                  "second", p.second(), "items", p.items(), "kappa", fmt(p.enough(), p.kappa()))).toList())).toList());
          m.put("minAnswers", Calibration.MIN_ANSWERS);
          m.put("admin", me.admin());
          // reviewer qualification (issue 24): mine per track that requires it; an admin also sees every reviewer's
          m.put("qualification", qualified.result().stream().map(Qualifications.Status::view).toList());
          m.put("qualifiedReviewers", everyone.result().stream().map(Qualifications.Status::view).toList());
          return m;
        }))
        .onSuccess(m -> pages.render(ctx, 200, "review-calibration", m)).onFailure(ctx::fail);
  }

  private void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Future<List<Qualifications.Status>> qualified = me.admin() ? qualifications.everyone() : qualifications.mine(me);
    qualified.compose(q -> store.figures(me).map(fig -> new JsonObject().put("minAnswers", Calibration.MIN_ANSWERS)
        .put("qualification", new JsonArray(q.stream().map(Qualifications.Status::toJson).toList()))
        .put("reference", new JsonArray(fig.reference().stream().map(r -> new JsonObject().put("reviewer", r.reviewer())
            .put("ratings", r.ratings()).put("exact", r.exact()).put("withinOne", r.withinOne())
            .put("kappa", r.kappa().isPresent() ? r.kappa().getAsDouble() : null)).toList()))
        .put("criteria", new JsonArray(fig.criteria().stream().map(c -> new JsonObject().put("criterion", c.criterion())
            .put("ratings", c.ratings()).put("units", c.units()).put("enough", c.enough())
            .put("alpha", c.alpha().isPresent() ? c.alpha().getAsDouble() : null)
            .put("pairs", new JsonArray(c.pairs().stream().map(p -> new JsonObject().put("first", p.first()).put("second", p.second())
                .put("items", p.items()).put("enough", p.enough())
                .put("kappa", p.kappa().isPresent() ? p.kappa().getAsDouble() : null)).toList()))).toList()))))
        .onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  private record Target(Version version, dev.gameday.exercise.Model.Calibration answer) {
    String id() {
      return sampleId(version.exercise(), answer.name());
    }

    String title() {
      return sampleTitle(version.exercise(), answer.name());
    }
  }

  /**
   * The sample answers of an exercise in a neutral order: by a hash of their names, not by kind, so neither the
   * address nor the position says which is the strong one. The file name (strong, mixed, weak) would steer the score.
   */
  static List<dev.gameday.exercise.Model.Calibration> samples(Exercise ex) {
    return ex.calibration().stream().sorted(java.util.Comparator.comparing(c -> java.util.HexFormat.of()
        .formatHex(dev.gameday.web.Tokens.sha256((ex.id() + "/" + c.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
        .toList();
  }

  /** The address segment of a sample answer: {@code sample-1}, {@code sample-2}, ... in the neutral order. */
  public static String sampleId(Exercise ex, String name) {
    List<dev.gameday.exercise.Model.Calibration> all = samples(ex);
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).name().equals(name)) {
        return "sample-" + (i + 1);
      }
    }
    throw new IllegalArgumentException("no calibration answer " + name + " in " + ex.id());
  }

  /** The list on the calibration page: neutral names, and the kind ("Strong answer") only once scored. */
  private static List<Map<String, Object>> sampleItems(Version v, List<String> scoredByMe) {
    List<dev.gameday.exercise.Model.Calibration> all = samples(v.exercise());
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      var c = all.get(i);
      boolean scored = scoredByMe.contains(v.id() + "|" + c.name());
      String title = "Sample answer " + (i + 1);
      items.add(Map.of("name", "sample-" + (i + 1), "done", scored,
          "label", scored ? title + " (reference: " + c.label() + ")" : title));
    }
    return items;
  }

  static String sampleTitle(Exercise ex, String name) {
    return "Sample answer " + sampleId(ex, name).substring("sample-".length());
  }

  private Target target(RoutingContext ctx) {
    Version v = catalog.currentVersions().stream().filter(x -> x.exercise().id().equals(ctx.pathParam("ex"))).findFirst().orElse(null);
    List<dev.gameday.exercise.Model.Calibration> all = v == null ? List.of() : samples(v.exercise());
    String id = ctx.pathParam("name");
    dev.gameday.exercise.Model.Calibration cal = null;
    for (int i = 0; i < all.size(); i++) {
      if (("sample-" + (i + 1)).equals(id)) {
        cal = all.get(i);
      }
    }
    if (cal == null) {
      ctx.fail(404, new ClientError(404, "not_found", "There is no such calibration answer."));
      return null;
    }
    return new Target(v, cal);
  }

  private void itemPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    mine(me, t).compose(mine -> html(t).map(html -> model(t, mine, null, html)))
        .onSuccess(m -> pages.render(ctx, 200, "calibration-item", m)).onFailure(ctx::fail);
  }

  private Future<JsonObject> mine(Account me, Target t) {
    return store.mine(me, t.version(), t.answer().name());
  }

  /**
   * Records my first score of a sample answer. Once stored it is final: scoring again after the reference has been
   * shown would turn the figures into a measure of copying, so a second score fails with
   * {@link CalibrationStore#alreadyScored}.
   */
  private Future<Void> store(Account me, Target t, JsonObject scores) {
    return store.store(me, t.version(), t.answer().name(), t.id(), scores);
  }

  /** The sample answer rendered, by section id (off the event loop, cached: it is part of the exercise version). */
  private Future<Map<String, String>> html(Target t) {
    Map<String, String> html = new java.util.concurrent.ConcurrentHashMap<>();
    return Future.all(t.answer().sections().entrySet().stream().map(en -> markdown.cached("calibration:" + t.version().id()
        + ":" + t.answer().name() + ":" + en.getKey(), en.getValue()).map(h -> html.put(en.getKey(), h))).toList()).map(x -> html);
  }

  private Map<String, Object> model(Target t, JsonObject mine, String error, Map<String, String> html) {
    Exercise ex = t.version().exercise();
    Map<String, Object> m = new HashMap<>();
    m.put("title", "Calibration: " + ex.title());
    m.put("exerciseTitle", ex.title());
    m.put("label", mine != null ? t.answer().label() : null);
    m.put("sampleTitle", t.title());
    m.put("exerciseId", ex.id());
    m.put("name", t.id());
    m.put("sections", ex.sections().stream().map(s -> Map.of("title", s.title(),
        "html", html.getOrDefault(s.id(), ""))).toList());
    m.put("done", mine != null);
    List<Map<String, Object>> criteria = new ArrayList<>();
    for (Criterion c : ex.rubric()) {
      Integer my = mine == null || mine.getJsonObject(c.id()) == null ? null : mine.getJsonObject(c.id()).getInteger("level");
      Map<String, Object> cm = new HashMap<>();
      cm.put("id", c.id());
      cm.put("title", c.title());
      cm.put("description", c.description());
      cm.put("levels", c.levels().stream().map(l -> Map.of("score", l.score(), "label", l.label(), "descriptor", l.descriptor(), "anchor", l.anchor(),
          "checked", my != null && my == l.score(), "disabled", mine != null)).toList());
      if (mine != null) {
        int ref = t.answer().scores().getOrDefault(c.id(), 0);
        cm.put("mine", my);
        cm.put("reference", ref);
        cm.put("match", my != null && my == ref);
        cm.put("rationale", t.answer().rationale().getOrDefault(c.id(), ""));
      }
      criteria.add(cm);
    }
    m.put("criteria", criteria);
    m.put("error", error);
    return m;
  }

  /** Levels from the form (level.<criterion>) or JSON ({"scores": {"<criterion>": {"level": n}}}); null if incomplete. */
  private static JsonObject levels(Target t, java.util.function.Function<String, Object> read) {
    JsonObject scores = new JsonObject();
    for (Criterion c : t.version().exercise().rubric()) {
      Object raw = read.apply(c.id());
      int l;
      try {
        l = raw instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue() : Integer.parseInt(String.valueOf(raw));
      } catch (NumberFormatException e) {
        return null;
      }
      if (l < 1 || l > 4) {
        return null;
      }
      scores.put(c.id(), new JsonObject().put("level", l));
    }
    return scores;
  }

  private static final String INCOMPLETE = "Pick a level from 1 to 4 for every criterion.";

  private void score(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    MultiMap f = ctx.request().formAttributes();
    JsonObject scores = levels(t, id -> f.get("level." + id));
    // already scored: whatever this form says, the page shows the first score beside the reference
    String page = "/review/calibration/" + t.version().exercise().id() + "/" + t.id();
    mine(me, t).compose(first -> first != null ? Future.succeededFuture(Flash.of("error", CalibrationStore.alreadyScored().getMessage()))
            : scores == null ? Future.succeededFuture(Flash.of("error", INCOMPLETE))
            : store(me, t, scores).map(v -> Flash.of("notice", "Your score is recorded. The reference levels are shown beside yours."))
                .recover(err -> err instanceof ClientError ce && "already_scored".equals(ce.code())
                    ? Future.succeededFuture(Flash.of("error", CalibrationStore.alreadyScored().getMessage())) : Future.failedFuture(err)))
        .onSuccess(flash -> Flash.redirect(ctx, page, flash))
        .onFailure(ctx::fail);
  }

  /** The sample answer and, once I have scored it, my levels beside the reference levels and rationale. */
  private JsonObject itemJson(Target t, JsonObject mine) {
    JsonObject answer = new JsonObject();
    t.answer().sections().forEach(answer::put);
    JsonObject json = new JsonObject().put("exerciseId", t.version().exercise().id()).put("name", t.id())
        .put("title", t.title())
        .put("version", t.version().contentHash()).put("sections", answer).put("scored", mine != null);
    if (mine != null) {
      JsonArray criteria = new JsonArray();
      for (Criterion c : t.version().exercise().rubric()) {
        criteria.add(new JsonObject().put("id", c.id()).put("mine", mine.getJsonObject(c.id(), new JsonObject()).getInteger("level"))
            .put("reference", t.answer().scores().get(c.id())).put("rationale", t.answer().rationale().get(c.id())));
      }
      json.put("label", t.answer().label()).put("criteria", criteria);
    }
    return json;
  }

  private void getJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    mine(me, t).onSuccess(mine -> Http.json(ctx, 200, itemJson(t, mine))).onFailure(ctx::fail);
  }

  private void scoreJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Target t = target(ctx);
    JsonObject body = t == null ? null : Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    JsonObject given = body.getValue("scores") instanceof JsonObject s ? s : new JsonObject();
    JsonObject scores = levels(t, id -> given.getValue(id) instanceof JsonObject o ? o.getValue("level") : null);
    if (scores == null) {
      ctx.fail(400, new ClientError(400, "incomplete", INCOMPLETE));
      return;
    }
    store(me, t, scores).onSuccess(v -> Http.json(ctx, 200, itemJson(t, scores))).onFailure(ctx::fail);
  }
}
