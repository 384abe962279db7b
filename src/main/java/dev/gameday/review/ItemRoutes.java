package dev.gameday.review;

import dev.gameday.candidate.AiAssistance;
import dev.gameday.candidate.Trails;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.review.ReviewService.Aggregate;
import dev.gameday.review.ReviewService.Item;
import dev.gameday.review.ReviewService.Review;
import dev.gameday.web.Access;
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
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One answer (an exercise of a submission): the page a reviewer scores on, its JSON, saving and submitting a review
 * (form and JSON) and the exercise's evidence files.
 */
final class ItemRoutes {
  private static final Map<String, String> RECOMMENDATION_LABELS = Map.of("strong_no", "Strong no", "no", "No",
      "yes", "Yes", "strong_yes", "Strong yes");

  private final ReviewService service;
  private final ReviewDecisions decisions;
  private final Catalog catalog;
  private final Pages pages;
  private final MarkdownRenderer markdown;
  private final NoAnswerRoutes noAnswer;

  ItemRoutes(ReviewService service, ReviewDecisions decisions, Catalog catalog, Pages pages, MarkdownRenderer markdown,
             NoAnswerRoutes noAnswer) {
    this.service = service;
    this.decisions = decisions;
    this.catalog = catalog;
    this.pages = pages;
    this.markdown = markdown;
    this.noAnswer = noAnswer;
  }

  /**
   * @param documents rendered Markdown evidence by evidence index
   * @param html  the sealed answer rendered, by section id
   * @param trail the sealed investigation trail; null when the snapshot predates trails
   * @param questions questions from the trail (issue 25); null while the viewer may not see them
   */
  private record ItemView(Item item, Map<String, String> answer, List<Review> visible, Review mine,
                          Map<Integer, String> documents, Map<String, String> html, List<Trails.Event> trail,
                          String variantNotes, List<Observations.Question> questions) {
  }

  private Future<ItemView> itemView(UUID sid, String ex, Account me) {
    return service.item(sid, ex, me).compose(item -> {
      Map<Integer, String> docs = new java.util.concurrent.ConcurrentHashMap<>();
      String versionKey = item.version().key(); // the candidate's variant: its own figures in the documents
      List<Future<String>> reads = item.version().exercise().evidence().stream().filter(e -> "markdown".equals(e.kind()))
          .map(e -> catalog.text(item.version(), e.file())
              .compose(t -> markdown.cached("evidence:" + versionKey + ":" + e.index(), t))
              .map(h -> docs.put(e.index(), h)))
          .toList();
      Map<String, String> html = new java.util.concurrent.ConcurrentHashMap<>();
      // a sealed answer never changes, so (submission, exercise, section) identifies its text; reviewers read it with
      // the candidate's personal details masked, an admin unmasked only once the identity has been revealed (audited)
      Future<Boolean> unmasked = me.admin() ? decisions.revealed(sid, me).map(id -> id != null) : Future.succeededFuture(false);
      Future<ReviewService.Sealed> sealed = unmasked.compose(plain -> service.answer(sid, ex, !plain)
          .compose(a -> Future.all(a.sections().entrySet().stream().map(en -> markdown.cached(
              (plain ? "sealed:" : "sealed-masked:") + sid + ":" + ex + ":" + en.getKey(), en.getValue())
              .map(h -> html.put(en.getKey(), h))).toList())
              .map(x -> a)));
      // the evidence documents, the sealed answer and the reviews do not depend on each other
      Future<List<Review>> reviews = service.reviews(sid, ex);
      // the notes with this candidate's figures (a variant's times, pods and versions); the rubric page has the written ones
      Future<String> notes = item.version().seed() == 0 ? Future.succeededFuture(null)
          : markdown.cached("notes:" + versionKey, item.version().exercise().reviewerNotes());
      // only once the viewer's own review is submitted: the questions must not steer a blind judgement
      Future<List<Observations.Question>> questions = sealed.compose(a -> service.questions(item, a, me));
      return Future.all(Future.all(reads), sealed, reviews, notes, questions).map(x -> {
        List<Review> all = reviews.result();
        List<Review> visible = ReviewService.visible(all, item, me);
        Review mine = all.stream().filter(r -> r.reviewerId() == me.id()).findFirst().orElse(null);
        ReviewService.Sealed a = sealed.result();
        return new ItemView(item, a.sections(), visible, mine, docs, html, a.trail().orElse(null), notes.result(),
            questions.result());
      });
    });
  }

  void page(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    JsonObject flash = ctx.get(Flash.KEY);
    // after a refused form (Post/Redirect/Get): the levels and notes as they were posted, to correct
    JsonObject formScores = flash == null ? null : flash.getJsonObject("formScores");
    String formComment = flash == null ? null : flash.getString("formForCandidate");
    itemView(sid, ctx.pathParam("ex"), me).compose(v -> (v.item().iSubmitted() || v.item().decided()
        ? Future.<Qualifications.Status>succeededFuture() : decisions.qualification(v.item(), me)).map(q -> {
      Map<String, Object> m = itemModel(v, me, formScores, null);
      // my own comment for the candidate only: another reviewer's is never shown on this page
      m.put("forCandidate", formComment != null ? formComment : v.mine() == null ? "" : v.mine().forCandidate());
      // not yet qualified for the track: said before submitting, so the practice mark surprises nobody
      m.put("practiceAhead", q != null && !q.qualified() ? q.summary() : null);
      m.put("myPractice", v.mine() != null && v.mine().practice());
      return m;
    }))
        .onSuccess(m -> pages.render(ctx, 200, "review-item", m)).onFailure(ctx::fail);
  }

  private Map<String, Object> itemModel(ItemView v, Account me, JsonObject formScores, String formError) {
    Exercise ex = v.item().version().exercise();
    Map<String, Object> m = new HashMap<>();
    m.put("title", v.item().pseudonym() + ": " + ex.title());
    m.put("item", ReviewRoutes.itemRow(v.item()));
    m.put("exerciseTitle", ex.title());
    m.put("variantNotes", v.variantNotes());
    List<Map<String, Object>> sections = new ArrayList<>(ex.sections().stream().map(s -> Map.<String, Object>of("title", s.title(),
        "prompt", s.prompt(), "html", v.html().getOrDefault(s.id(), ""),
        "empty", v.answer().getOrDefault(s.id(), "").isBlank())).toList());
    if (v.answer().containsKey(AiAssistance.SECTION_ID)) { // the candidate's declared AI use, read like any section
      sections.add(Map.of("title", AiAssistance.TITLE, "prompt", AiAssistance.PROMPT,
          "html", v.html().getOrDefault(AiAssistance.SECTION_ID, ""), "empty", v.answer().get(AiAssistance.SECTION_ID).isBlank()));
    }
    m.put("sections", sections);
    List<Map<String, Object>> evidence = new ArrayList<>();
    for (Evidence e : ex.evidence()) {
      evidence.add(e.view("/review/" + v.item().submissionId() + "/" + ex.id() + "/evidence/" + e.index(),
          v.documents().get(e.index())));
    }
    m.put("evidence", evidence);
    m.put("hasCharts", ex.evidence().stream().anyMatch(e -> "csv".equals(e.kind())));
    m.put("trail", Trails.view(v.trail(), ex));
    m.put("questions", v.questions() == null ? null : Map.of("list", v.questions().stream().map(Observations.Question::view).toList()));
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
            "note", r.note(c.id()), "practice", r.practice()));
      }
      cm.put("others", others);
      criteria.add(cm);
    }
    m.put("criteria", criteria);
    m.put("recommendations", ReviewDecisions.RECOMMENDATIONS.stream().map(r -> Map.of("id", r, "label", RECOMMENDATION_LABELS.get(r),
        "checked", r.equals(myRec))).toList());
    List<Review> others = v.visible().stream().filter(r -> v.mine() == null || r.id() != v.mine().id()).toList();
    m.put("othersVisible", !others.isEmpty());
    m.put("otherRecommendations", others.stream().map(r -> Map.of("reviewer", r.reviewerName(),
        "recommendation", r.recommendation() == null ? "-" : RECOMMENDATION_LABELS.get(r.recommendation()),
        "rubricVersion", usedRubric(r, v.item()), "practice", r.practice())).toList());
    // which rubric a review was scored against (issue 24): the item's, recorded with each review on submit
    m.put("rubricVersion", RubricVersions.of(v.item().version()));
    m.put("myRubricVersion", v.mine() != null && "submitted".equals(v.mine().state()) ? usedRubric(v.mine(), v.item()) : null);
    if (v.item().iSubmitted() || me.admin()) {
      Aggregate a = ReviewService.aggregate(ex, v.visible());
      if (a.reviews() > 0) {
        // each reviewer's level beside the mean, and where they are two or more levels apart (issue 9, defect 10)
        List<Review> done = v.visible().stream().filter(Review::counts).toList();
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

  void form(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    String ex = ctx.pathParam("ex");
    MultiMap f = ctx.request().formAttributes();
    boolean submit = "submit".equals(f.get("action"));
    if ("no_answer".equals(f.get("action"))) {
      service.item(sid, ex, me).compose(item -> noAnswer.record(item, me))
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
      String comment = f.get("for_candidate");
      return decisions.save(item, me, scores, rec == null || rec.isBlank() ? null : rec, comment, submit)
          .map(v -> submit ? Flash.of("notice", "Your review is submitted. It is final; the other reviewers' scores are shown below.")
              : Flash.of("savedNotice", true))
          .recover(err -> err instanceof ClientError ce && ce.status() == 400
              ? Future.succeededFuture(new JsonObject().put("error", ce.getMessage()).put("formScores", scores)
                  .put("formForCandidate", f.get("for_candidate")))
              : Future.failedFuture(err));
    }).compose(flash -> !submit || flash.containsKey("error") ? Future.succeededFuture(Map.entry("/review/" + sid + "/" + ex, flash))
        // submitted: straight on to the next answer of the queue (issue 21), or the queue when nothing is left
        : service.next(me, null).map(next -> next == null
            ? Map.entry("/review?status=mine", Flash.of("notice", "Your review is submitted. Nothing else is waiting for you."))
            : Map.entry("/review/" + next.submissionId() + "/" + next.exerciseId(), Flash.of("notice",
                "Your review is submitted; here is the next answer. Your review is on the submission page."))))
        .onSuccess(to -> Flash.redirect(ctx, to.getKey(), to.getValue())).onFailure(ctx::fail);
  }

  void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
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
      if (v.questions() != null) {
        json.put("questions", new JsonArray(v.questions().stream().map(Observations.Question::toJson).toList()));
      }
      return json;
    }).onSuccess(json -> Http.json(ctx, 200, json)).onFailure(ctx::fail);
  }

  void save(RoutingContext ctx, boolean submit) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    JsonObject body = sid == null ? null : Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object scores = body.getValue("scores", new JsonObject());
    Object rec = body.getValue("recommendation");
    Object comment = body.getValue("for_candidate");
    if (!(scores instanceof JsonObject s) || rec != null && !(rec instanceof String) || comment != null && !(comment instanceof String)) {
      ctx.fail(400, new ClientError(400, "invalid_scores",
          "'scores' must be an object, and 'recommendation' and 'for_candidate' texts."));
      return;
    }
    String ex = ctx.pathParam("ex");
    service.item(sid, ex, me).compose(item -> decisions.save(item, me, s, (String) rec, (String) comment, submit))
        .compose(v -> service.reviews(sid, ex)).map(all -> all.stream().filter(r -> r.reviewerId() == me.id()).findFirst().orElseThrow())
        .onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }

  void evidence(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    service.item(sid, ctx.pathParam("ex"), me).compose(item -> {
      Evidence ev = item.version().exercise().evidence().stream()
          .filter(e -> String.valueOf(e.index()).equals(ctx.pathParam("index"))).findFirst().orElse(null);
      if (ev == null) {
        return Future.failedFuture(new ClientError(404, "not_found", "There is no such evidence file."));
      }
      return catalog.file(item.version(), ev.file(), null).map(f -> {
        ctx.response().putHeader("Content-Type", "csv".equals(ev.kind()) ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8")
            .putHeader("Cache-Control", "private, max-age=3600").end(f.content());
        return null;
      });
    }).onFailure(ctx::fail);
  }
}
