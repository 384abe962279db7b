package dev.gameday.review;

import static dev.gameday.account.Accounts.signedIn;

import dev.gameday.web.Account;
import dev.gameday.candidate.Trails;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.review.ReviewService.Aggregate;
import dev.gameday.review.ReviewService.Item;
import dev.gameday.review.ReviewService.Review;
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
import java.util.UUID;

/** Reviewer pages and the review JSON API. Every handler resolves the account first and checks its role. */
public final class ReviewRoutes {
  private static final Map<String, String> RECOMMENDATION_LABELS = Map.of("strong_no", "Strong no", "no", "No",
      "yes", "Yes", "strong_yes", "Strong yes");

  private final ReviewService service;
  private final Catalog catalog;
  private final Pages pages;
  private final MarkdownRenderer markdown;
  private final DecisionGate gate;

  public ReviewRoutes(ReviewService service, Catalog catalog, Pages pages, MarkdownRenderer markdown, DecisionGate gate) {
    this.gate = gate;
    this.service = service;
    this.markdown = markdown;
    this.catalog = catalog;
    this.pages = pages;
  }

  public void mount(Router router) {
    router.get("/review").handler(this::queuePage);
    router.get("/review/next").handler(this::next);
    router.get("/review/:sid").handler(this::submissionPage);
    router.post("/review/:sid/decision").handler(this::decisionForm);
    router.post("/review/:sid/reveal").handler(this::revealForm);
    router.post("/review/:sid/no-answer").handler(this::noAnswerAllForm);
    router.get("/review/:sid/:ex").handler(this::itemPage);
    router.post("/review/:sid/:ex").handler(this::itemForm);
    router.get("/review/:sid/:ex/evidence/:index").handler(this::evidence);

    router.get("/api/v1/review/queue").handler(this::queueJson);
    router.get("/api/v1/review/submissions/:sid").handler(this::submissionJson);
    router.post("/api/v1/review/submissions/:sid/decision").handler(this::decisionJson);
    router.post("/api/v1/review/submissions/:sid/reveal").handler(this::revealJson);
    router.get("/api/v1/review/submissions/:sid/exercises/:ex").handler(this::itemJson);
    router.put("/api/v1/review/submissions/:sid/exercises/:ex/review").handler(ctx -> saveJson(ctx, false));
    router.post("/api/v1/review/submissions/:sid/exercises/:ex/review/submit").handler(ctx -> saveJson(ctx, true));
    router.post("/api/v1/review/submissions/:sid/exercises/:ex/review/no-answer").handler(this::noAnswerJson);
  }

  static UUID uuid(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("sid"));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, ReviewService.notFound());
      return null;
    }
  }

  private static int page(RoutingContext ctx) {
    try {
      String p = ctx.request().getParam("page");
      return p == null ? 0 : Math.max(0, Math.min(100_000, Integer.parseInt(p)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---- queue

  private void queuePage(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    if (me == null) {
      return;
    }
    String track = ctx.request().getParam("track");
    String exercise = ctx.request().getParam("exercise");
    String status = ctx.request().getParam("status") == null ? "mine" : ctx.request().getParam("status");
    int page = page(ctx);
    service.queue(me, track, exercise, status, page).map(items -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Review queue");
      boolean more = items.size() > ReviewService.PAGE_SIZE;
      m.put("items", items.stream().limit(ReviewService.PAGE_SIZE).map(ReviewRoutes::itemRow).toList());
      m.put("empty", items.isEmpty());
      m.put("filters", service.filters());
      m.put("track", track == null ? "" : track);
      m.put("exercise", exercise == null ? "" : exercise);
      m.put("status", status);
      m.put("statuses", List.of(Map.of("id", "mine", "label", "Needs my review"), Map.of("id", "more", "label", "Needs more reviews"),
          Map.of("id", "disagreement", "label", "Disagreement"), Map.of("id", "decided", "label", "Decided"),
          Map.of("id", "all", "label", "All")));
      String q = "track=" + enc(track) + "&exercise=" + enc(exercise) + "&status=" + enc(status);
      if (page > 0) {
        m.put("prev", "/review?" + q + "&page=" + (page - 1));
      }
      if (more) {
        m.put("next", "/review?" + q + "&page=" + (page + 1));
      }
      m.put("admin", me.admin());
      return m;
    }).onSuccess(m -> pages.render(ctx, 200, "review-queue", m)).onFailure(ctx::fail);
  }

  private static String enc(String s) {
    return s == null ? "" : java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Map<String, Object> itemRow(Item i) {
    Map<String, Object> m = new HashMap<>();
    m.put("submissionId", i.submissionId().toString());
    m.put("exerciseId", i.exerciseId());
    m.put("exerciseTitle", i.version().exercise().title());
    m.put("pseudonym", i.pseudonym());
    m.put("track", i.trackId());
    m.put("submittedAt", i.submittedAt());
    m.put("reviewsSubmitted", i.reviewsSubmitted());
    m.put("reviewsRequired", i.reviewsRequired());
    m.put("disagreement", i.flagged());
    m.put("decided", i.decided());
    m.put("noAnswer", i.noAnswer());
    m.put("myState", i.myState() == null ? "Not started" : "submitted".equals(i.myState()) ? "Submitted" : "Draft");
    return m;
  }

  private void queueJson(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    if (me == null) {
      return;
    }
    int page = page(ctx);
    service.queue(me, ctx.request().getParam("track"), ctx.request().getParam("exercise"), ctx.request().getParam("status"), page)
        .onSuccess(items -> Http.json(ctx, 200, new JsonObject()
            .put("items", ReviewService.toJson(items.stream().limit(ReviewService.PAGE_SIZE).toList()))
            .put("page", page).put("hasMore", items.size() > ReviewService.PAGE_SIZE)))
        .onFailure(ctx::fail);
  }

  private void next(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    if (me == null) {
      return;
    }
    String exercise = ctx.request().getParam("exercise");
    service.next(me, exercise).onSuccess(item -> Http.redirect(ctx, item == null ? "/review?status=mine&empty=1"
        : "/review/" + item.submissionId() + "/" + item.exerciseId())).onFailure(ctx::fail);
  }

  // ---- submission

  private record SubmissionView(List<Item> items, Map<String, Aggregate> aggregates, ReviewService.Decision decision) {
  }

  private Future<SubmissionView> submission(UUID sid, Account me) {
    return service.itemsOf(sid, me).compose(items -> {
      List<Future<List<Review>>> all = items.stream().map(i -> service.reviews(sid, i.exerciseId())).toList();
      return Future.all(all).compose(f -> service.decision(sid).map(d -> {
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

  private void submissionPage(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    renderSubmission(ctx, sid, me, 200, Map.of("confirmReveal", "confirm".equals(ctx.request().getParam("reveal")) && me.admin()));
  }

  /** The submission page; for an admin with the identity if it was revealed before (that read is not audited again). */
  private void renderSubmission(RoutingContext ctx, UUID sid, Account me, int status, Map<String, Object> extra) {
    submission(sid, me).compose(v -> (v.decision() == null ? Future.<JsonObject>succeededFuture(null) : service.revealed(sid, me))
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

  /**
   * The override a decision needs (null when none: every criterion at least tentative or too few to say, and no
   * unresolved disagreement), or 409 {@code override_required} without a reason. Decided already: nothing to check.
   */
  private Future<JsonObject> overrideFor(UUID sid, Account me, String reason) {
    return service.decision(sid).compose(d -> d != null ? Future.succeededFuture(null) : gate.checks(sid, me).map(checks -> {
      List<String> reasons = new ArrayList<>();
      checks.forEach(c -> reasons.addAll(c.reasons((e, k) -> AgreementRoutes.criterionTitle(catalog, e, k))));
      return DecisionGate.override(reasons, reason);
    }));
  }

  private static boolean fullyReviewed(Item i) {
    return i.reviewsSubmitted() >= i.reviewsRequired();
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
      Map<String, Object> r = itemRow(i);
      Aggregate a = v.aggregates().get(i.exerciseId());
      // every row sets its own score fields: a missing one would resolve to the page's overall in the template
      r.put("scoreText", a == null ? "shown after you submit your review" : a.overall() == null ? "not scored"
          : String.format(java.util.Locale.ROOT, "%.2f", a.overall()));
      r.put("scored", a != null && a.overall() != null);
      r.put("scorePartial", a != null && a.overall() != null && !fullyReviewed(i)
          ? "partial: " + i.reviewsSubmitted() + " of " + i.reviewsRequired() + " reviews, not in the overall" : "");
      if (fullyReviewed(i)) {
        complete++;
      }
      if (a != null && a.overall() != null && fullyReviewed(i)) {
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
    m.put("decisions", ReviewService.DECISIONS);
    long blank = v.items().stream().filter(ReviewRoutes::blankForMe).count();
    m.put("blankCount", blank);
    m.put("blankPlural", blank != 1);
    return m;
  }

  private void submissionJson(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
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

  private void decisionForm(RoutingContext ctx) {
    Account me = signedIn(ctx, true);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    MultiMap f = ctx.request().formAttributes();
    boolean confirmed = f.get("confirmIncomplete") != null && !f.get("confirmIncomplete").isBlank();
    completeOrConfirmed(sid, me, confirmed)
        .compose(v -> overrideFor(sid, me, f.get("override_reason")))
        .compose(override -> service.decide(sid, me, f.get("decision"), f.get("rationale"), override))
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

  private void decisionJson(RoutingContext ctx) {
    Account me = signedIn(ctx, true);
    UUID sid = me == null ? null : uuid(ctx);
    JsonObject body = sid == null ? null : Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    completeOrConfirmed(sid, me, Boolean.TRUE.equals(body.getValue("confirmIncomplete")))
        .compose(x -> overrideFor(sid, me, body.getValue("override_reason") instanceof String s ? s : null))
        .compose(override -> service.decide(sid, me, body.getValue("decision") instanceof String s ? s : null,
            body.getValue("rationale") instanceof String s ? s : null, override))
        .compose(v -> service.decision(sid))
        .onSuccess(d -> Http.json(ctx, 200, d.toJson())).onFailure(ctx::fail);
  }

  private void revealForm(RoutingContext ctx) {
    Account me = signedIn(ctx, true);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    if (!"yes".equals(ctx.request().getFormAttribute("confirm"))) {
      // the confirmation step is a page of its own (GET): nothing happens until "Yes" is posted
      Http.redirect(ctx, "/review/" + sid + "?reveal=confirm");
      return;
    }
    service.reveal(sid, me).onSuccess(identity -> Flash.redirect(ctx, "/review/" + sid,
        Flash.of("notice", "The identity is revealed and the reveal is written to the audit log."))).onFailure(ctx::fail);
  }

  private void revealJson(RoutingContext ctx) {
    Account me = signedIn(ctx, true);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    service.reveal(sid, me).onSuccess(id -> Http.json(ctx, 200, id)).onFailure(ctx::fail);
  }

  // ---- one item

  /**
   * @param documents rendered Markdown evidence by evidence index
   * @param html  the sealed answer rendered, by section id
   * @param trail the sealed investigation trail; null when the snapshot predates trails
   */
  private record ItemView(Item item, Map<String, String> answer, List<Review> visible, Review mine,
                          Map<Integer, String> documents, Map<String, String> html, List<Trails.Event> trail) {
  }

  private Future<ItemView> itemView(UUID sid, String ex, Account me) {
    return service.item(sid, ex, me).compose(item -> {
      Map<Integer, String> docs = new java.util.concurrent.ConcurrentHashMap<>();
      long versionId = item.version().id();
      List<Future<String>> reads = item.version().exercise().evidence().stream().filter(e -> "markdown".equals(e.kind()))
          .map(e -> catalog.text(versionId, e.file())
              .compose(t -> markdown.cached("evidence:" + versionId + ":" + e.index(), t))
              .map(h -> docs.put(e.index(), h)))
          .toList();
      Map<String, String> html = new java.util.concurrent.ConcurrentHashMap<>();
      // a sealed answer never changes, so (submission, exercise, section) identifies its text; reviewers read it with
      // the candidate's personal details masked, an admin unmasked only once the identity has been revealed (audited)
      Future<Boolean> unmasked = me.admin() ? service.revealed(sid, me).map(id -> id != null) : Future.succeededFuture(false);
      Future<ReviewService.Sealed> sealed = unmasked.compose(plain -> service.answer(sid, ex, !plain)
          .compose(a -> Future.all(a.sections().entrySet().stream().map(en -> markdown.cached(
              (plain ? "sealed:" : "sealed-masked:") + sid + ":" + ex + ":" + en.getKey(), en.getValue())
              .map(h -> html.put(en.getKey(), h))).toList())
              .map(x -> a)));
      // the evidence documents, the sealed answer and the reviews do not depend on each other
      Future<List<Review>> reviews = service.reviews(sid, ex);
      return Future.all(Future.all(reads), sealed, reviews).map(x -> {
        List<Review> all = reviews.result();
        List<Review> visible = ReviewService.visible(all, item, me);
        Review mine = all.stream().filter(r -> r.reviewerId() == me.id()).findFirst().orElse(null);
        ReviewService.Sealed a = sealed.result();
        return new ItemView(item, a.sections(), visible, mine, docs, html, a.trail().orElse(null));
      });
    });
  }

  private void itemPage(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    JsonObject flash = ctx.get(Flash.KEY);
    // after a refused form (Post/Redirect/Get): the levels and notes as they were posted, to correct
    JsonObject formScores = flash == null ? null : flash.getJsonObject("formScores");
    itemView(sid, ctx.pathParam("ex"), me).map(v -> itemModel(v, me, formScores, null))
        .onSuccess(m -> pages.render(ctx, 200, "review-item", m)).onFailure(ctx::fail);
  }

  private Map<String, Object> itemModel(ItemView v, Account me, JsonObject formScores, String formError) {
    Exercise ex = v.item().version().exercise();
    Map<String, Object> m = new HashMap<>();
    m.put("title", v.item().pseudonym() + ": " + ex.title());
    m.put("item", itemRow(v.item()));
    m.put("exerciseTitle", ex.title());
    m.put("sections", ex.sections().stream().map(s -> Map.of("title", s.title(), "prompt", s.prompt(),
        "html", v.html().getOrDefault(s.id(), ""),
        "empty", v.answer().getOrDefault(s.id(), "").isBlank())).toList());
    List<Map<String, Object>> evidence = new ArrayList<>();
    for (Evidence e : ex.evidence()) {
      evidence.add(Pages.evidence(e, "/review/" + v.item().submissionId() + "/" + ex.id() + "/evidence/" + e.index(),
          v.documents().get(e.index())));
    }
    m.put("evidence", evidence);
    m.put("hasCharts", ex.evidence().stream().anyMatch(e -> "csv".equals(e.kind())));
    m.put("trail", Trails.view(v.trail(), ex));
    boolean editable = !v.item().decided() && !v.item().iSubmitted();
    m.put("editable", editable);
    m.put("submitted", v.item().iSubmitted());
    JsonObject scores = formScores != null ? formScores : v.mine() == null ? new JsonObject() : v.mine().scores();
    String myRec = v.mine() == null ? null : v.mine().recommendation();
    List<Map<String, Object>> criteria = new ArrayList<>();
    for (Criterion c : ex.rubric()) {
      JsonObject s = scores.getJsonObject(c.id(), new JsonObject());
      Integer chosen = s.getInteger("level");
      Map<String, Object> cm = new HashMap<>();
      cm.put("id", c.id());
      cm.put("title", c.title());
      cm.put("value", c.value());
      cm.put("weight", c.weight());
      cm.put("description", c.description());
      cm.put("note", s.getString("note", ""));
      cm.put("levels", c.levels().stream().map(l -> Map.of("score", l.score(), "label", l.label(), "descriptor", l.descriptor(), "anchor", l.anchor(),
          "checked", chosen != null && chosen == l.score())).toList());
      List<Map<String, Object>> others = new ArrayList<>();
      for (Review r : v.visible()) {
        if (v.mine() != null && r.id() == v.mine().id()) {
          continue;
        }
        others.add(Map.of("reviewer", r.reviewerName(), "level", r.level(c.id()) == null ? "-" : r.level(c.id()),
            "note", r.note(c.id())));
      }
      cm.put("others", others);
      criteria.add(cm);
    }
    m.put("criteria", criteria);
    m.put("recommendations", ReviewService.RECOMMENDATIONS.stream().map(r -> Map.of("id", r, "label", RECOMMENDATION_LABELS.get(r),
        "checked", r.equals(myRec))).toList());
    List<Review> others = v.visible().stream().filter(r -> v.mine() == null || r.id() != v.mine().id()).toList();
    m.put("othersVisible", !others.isEmpty());
    m.put("otherRecommendations", others.stream().map(r -> Map.of("reviewer", r.reviewerName(),
        "recommendation", r.recommendation() == null ? "-" : RECOMMENDATION_LABELS.get(r.recommendation()),
        "rubricVersion", usedRubric(r, v.item()))).toList());
    // which rubric a review was scored against (issue 24): the item's, recorded with each review on submit
    m.put("rubricVersion", RubricVersions.of(v.item().version()));
    m.put("myRubricVersion", v.mine() != null && "submitted".equals(v.mine().state()) ? usedRubric(v.mine(), v.item()) : null);
    if (v.item().iSubmitted() || me.admin()) {
      Aggregate a = ReviewService.aggregate(ex, v.visible());
      if (a.reviews() > 0) {
        // each reviewer's level beside the mean, and where they are two or more levels apart (issue 9, defect 10)
        List<Review> done = v.visible().stream().filter(r -> "submitted".equals(r.state())).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> apart = new ArrayList<>();
        for (Criterion c : ex.rubric()) {
          if (!a.criterionMeans().containsKey(c.id())) {
            continue;
          }
          List<Integer> levels = done.stream().map(r -> r.level(c.id())).filter(java.util.Objects::nonNull).toList();
          boolean disagree = !levels.isEmpty() && java.util.Collections.max(levels) - java.util.Collections.min(levels) >= 2;
          if (disagree) {
            apart.add(c.title());
          }
          rows.add(Map.of("title", c.title(), "weight", c.weight(),
              "mean", String.format(java.util.Locale.ROOT, "%.2f", a.criterionMeans().get(c.id())),
              "levels", done.stream().map(r -> r.level(c.id()) == null ? "-" : String.valueOf(r.level(c.id()))).toList(),
              "disagree", disagree));
        }
        m.put("aggregate", Map.of("overall", a.overall() == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", a.overall()),
            "reviews", a.reviews(), "disagreement", a.disagreement(), "adjudicated", done.stream().anyMatch(Review::adjudicator),
            "reviewers", done.stream().map(Review::reviewerName).toList(), "criteria", rows));
        m.put("disagreementOn", String.join(", ", apart));
      }
    }
    m.put("hiddenOthers", !v.item().iSubmitted() && !me.admin() && v.item().reviewsSubmitted() > 0);
    m.put("error", formError);
    m.put("admin", me.admin());
    return m;
  }

  /** The rubric version a submitted review used; reviews submitted before versions were recorded used their item's. */
  static String usedRubric(Review r, Item item) {
    if (!"submitted".equals(r.state())) {
      return "";
    }
    return r.rubricVersion() != null ? r.rubricVersion() : RubricVersions.of(item.version());
  }

  private void itemForm(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    String ex = ctx.pathParam("ex");
    MultiMap f = ctx.request().formAttributes();
    boolean submit = "submit".equals(f.get("action"));
    if ("no_answer".equals(f.get("action"))) {
      service.item(sid, ex, me).compose(item -> recordNoAnswer(item, me))
          .onSuccess(v -> Flash.redirect(ctx, "/review/" + sid + "/" + ex, Flash.of("notice",
              "No answer is recorded for this exercise: the lowest level on every criterion, recommendation No.")))
          .onFailure(ctx::fail);
      return;
    }
    service.item(sid, ex, me).compose(item -> {
      JsonObject scores = new JsonObject();
      for (Criterion c : item.version().exercise().rubric()) {
        JsonObject s = new JsonObject().put("note", f.get("note." + c.id()) == null ? "" : f.get("note." + c.id()));
        String level = f.get("level." + c.id());
        if (level != null) {
          try {
            s.put("level", Integer.parseInt(level));
          } catch (NumberFormatException e) {
            s.put("level", -1);
          }
        }
        scores.put(c.id(), s);
      }
      String rec = f.get("recommendation");
      return service.save(item, me, scores, rec == null || rec.isBlank() ? null : rec, submit)
          .map(v -> submit ? Flash.of("notice", "Your review is submitted. It is final; the other reviewers' scores are shown below.")
              : Flash.of("savedNotice", true))
          .recover(err -> err instanceof ClientError ce && ce.status() == 400
              ? Future.succeededFuture(new JsonObject().put("error", ce.getMessage()).put("formScores", scores))
              : Future.failedFuture(err));
    }).compose(flash -> !submit || flash.containsKey("error") ? Future.succeededFuture(Map.entry("/review/" + sid + "/" + ex, flash))
        // submitted: straight on to the next answer of the queue (issue 21), or the queue when nothing is left
        : service.next(me, null).map(next -> next == null
            ? Map.entry("/review?status=mine", Flash.of("notice", "Your review is submitted. Nothing else is waiting for you."))
            : Map.entry("/review/" + next.submissionId() + "/" + next.exerciseId(), Flash.of("notice",
                "Your review is submitted; here is the next answer. Your review is on the submission page."))))
        .onSuccess(to -> Flash.redirect(ctx, to.getKey(), to.getValue())).onFailure(ctx::fail);
  }

  private void itemJson(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    itemView(sid, ctx.pathParam("ex"), me).map(v -> {
      Exercise ex = v.item().version().exercise();
      JsonObject answer = new JsonObject();
      v.answer().forEach((k, text) -> answer.put(k, new JsonObject().put("markdown", text).put("html", v.html().getOrDefault(k, ""))));
      JsonObject json = v.item().toJson().put("answer", answer)
          .put("trail", v.trail() == null ? null : new JsonArray(v.trail().stream().map(Trails.Event::toJson).toList()))
          .put("rubric", RubricRoutes.rubricJson(ex, v.item().version().contentHash(), true, false))
          .put("rubricVersion", RubricVersions.of(v.item().version()))
          .put("myReview", v.mine() == null ? null : v.mine().toJson())
          .put("otherReviews", new JsonArray(v.visible().stream().filter(r -> v.mine() == null || r.id() != v.mine().id())
              .map(Review::toJson).toList()));
      if (v.item().iSubmitted() || me.admin()) {
        json.put("aggregate", ReviewService.aggregate(ex, v.visible()).toJson());
      }
      return json;
    }).onSuccess(json -> Http.json(ctx, 200, json)).onFailure(ctx::fail);
  }

  private void saveJson(RoutingContext ctx, boolean submit) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    JsonObject body = sid == null ? null : Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object scores = body.getValue("scores", new JsonObject());
    Object rec = body.getValue("recommendation");
    if (!(scores instanceof JsonObject s) || rec != null && !(rec instanceof String)) {
      ctx.fail(400, new ClientError(400, "invalid_scores", "'scores' must be an object and 'recommendation' a text."));
      return;
    }
    String ex = ctx.pathParam("ex");
    service.item(sid, ex, me).compose(item -> service.save(item, me, s, (String) rec, submit))
        .compose(v -> service.reviews(sid, ex)).map(all -> all.stream().filter(r -> r.reviewerId() == me.id()).findFirst().orElseThrow())
        .onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }

  static final String NO_ANSWER_NOTE = "No answer was written.";

  /**
   * An exercise submitted with every section blank has nothing to judge: one submitted review with the lowest level
   * on every criterion, the note "No answer was written." and the recommendation "no" (issue 9, defect 19).
   */
  /** Blank exercises of a submission I can still review: "no answer" for all of them in one confirmed step. */
  private static boolean blankForMe(Item i) {
    return i.noAnswer() && !i.iSubmitted() && !i.decided();
  }

  private void noAnswerAllForm(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    service.itemsOf(sid, me).compose(items -> {
      List<Item> blank = items.stream().filter(ReviewRoutes::blankForMe).toList();
      Future<Void> chain = Future.succeededFuture();
      for (Item i : blank) {
        chain = chain.compose(v -> recordNoAnswer(i, me));
      }
      return chain.map(v -> blank.size());
    }).onSuccess(n -> Flash.redirect(ctx, "/review/" + sid, n == 0
            ? Flash.of("error", "There is no blank exercise left for you to record.")
            : Flash.of("notice", "No answer is recorded for " + n + (n == 1 ? " exercise" : " exercises")
                + ": the lowest level on every criterion, recommendation No.")))
        .onFailure(ctx::fail);
  }

  private Future<Void> recordNoAnswer(Item item, Account me) {
    if (!item.noAnswer()) {
      return Future.failedFuture(new ClientError(409, "has_answer",
          "This answer has text: score each criterion instead of recording no answer."));
    }
    JsonObject scores = new JsonObject();
    item.version().exercise().rubric().forEach(c -> scores.put(c.id(), new JsonObject().put("level", 1).put("note", NO_ANSWER_NOTE)));
    return service.save(item, me, scores, "no", true);
  }

  private void noAnswerJson(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    String ex = ctx.pathParam("ex");
    service.item(sid, ex, me).compose(item -> recordNoAnswer(item, me))
        .compose(v -> service.reviews(sid, ex)).map(all -> all.stream().filter(r -> r.reviewerId() == me.id()).findFirst().orElseThrow())
        .onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }

  private void evidence(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    UUID sid = me == null ? null : uuid(ctx);
    if (sid == null) {
      return;
    }
    service.item(sid, ctx.pathParam("ex"), me).compose(item -> {
      Evidence ev = item.version().exercise().evidence().stream()
          .filter(e -> String.valueOf(e.index()).equals(ctx.pathParam("index"))).findFirst().orElse(null);
      if (ev == null) {
        return Future.failedFuture(new ClientError(404, "not_found", "There is no such evidence file."));
      }
      return catalog.file(item.version().id(), ev.file(), null).map(f -> {
        ctx.response().putHeader("Content-Type", "csv".equals(ev.kind()) ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8")
            .putHeader("Cache-Control", "private, max-age=3600").end(f.content());
        return null;
      });
    }).onFailure(ctx::fail);
  }
}
