package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The published rubrics: public pages and JSON (what candidates are scored against), plus reviewer notes and the
 * ground truth for signed-in reviewers only. A rubric's version is its exercise's content hash, so a changed
 * rubric is a new version and scores already given keep pointing at the one they used.
 */
public final class RubricRoutes {
  private final Catalog catalog;
  private final Pages pages;
  private final MarkdownRenderer markdown;

  public RubricRoutes(Catalog catalog, Pages pages, MarkdownRenderer markdown) {
    this.catalog = catalog;
    this.markdown = markdown;
    this.pages = pages;
  }

  public void mount(Router router) {
    // open to anyone: a signed-in reviewer or admin also sees the anchors and the reviewer notes
    Access.Routes open = Access.on(router, Rule.PUBLIC);
    open.get("/rubrics", this::listPage);
    open.get("/rubrics/:exerciseId", this::rubricPage);
    open.get("/api/v1/rubrics", this::listJson);
    open.get("/api/v1/rubrics/:exerciseId", this::rubricJson);
  }

  private Version find(RoutingContext ctx) {
    String id = ctx.pathParam("exerciseId");
    Version v = catalog.currentVersions().stream().filter(x -> x.exercise().id().equals(id)).findFirst().orElse(null);
    if (v == null) {
      ctx.fail(404, new ClientError(404, "unknown_exercise", "There is no exercise with that id."));
    }
    return v;
  }

  private static boolean reviewer(RoutingContext ctx) {
    Session s = Access.session(ctx);
    // recruiters talk to candidates: the answer key is not theirs to know
    return s != null && s.reviews();
  }

  /**
   * A rubric as JSON. The published layer for everyone; {@code forReviewer} adds each level's scenario-specific
   * {@code anchor}, and {@code withNotes} the reviewer notes: the answer key, never for candidates.
   */
  public static JsonObject rubricJson(Exercise ex, String version, boolean forReviewer, boolean withNotes) {
    JsonArray criteria = new JsonArray();
    for (Criterion c : ex.rubric()) {
      JsonArray levels = new JsonArray();
      c.levels().forEach(l -> {
        JsonObject level = new JsonObject().put("score", l.score()).put("label", l.label()).put("descriptor", l.descriptor());
        if (forReviewer) {
          level.put("anchor", l.anchor());
        }
        levels.add(level);
      });
      criteria.add(new JsonObject().put("id", c.id()).put("title", c.title()).put("value", c.value()).put("weight", c.weight())
          .put("description", c.description()).put("levels", levels));
    }
    JsonObject json = new JsonObject().put("exerciseId", ex.id()).put("title", ex.title()).put("version", version)
        .put("criteria", criteria);
    if (forReviewer && withNotes) {
      json.put("reviewerNotes", ex.reviewerNotes());
    }
    return json;
  }

  private void listJson(RoutingContext ctx) {
    JsonArray all = new JsonArray();
    catalog.currentVersions().forEach(v -> all.add(rubricJson(v.exercise(), v.contentHash(), reviewer(ctx), reviewer(ctx))));
    Http.json(ctx, 200, new JsonObject().put("rubrics", all));
  }

  private void rubricJson(RoutingContext ctx) {
    Version v = find(ctx);
    if (v != null) {
      Http.json(ctx, 200, rubricJson(v.exercise(), v.contentHash(), reviewer(ctx), reviewer(ctx)));
    }
  }

  private void listPage(RoutingContext ctx) {
    pages.render(ctx, 200, "rubrics", Map.of("title", "Rubrics", "exercises", catalog.currentVersions().stream().map(v -> Map.of(
        "id", v.exercise().id(), "title", v.exercise().title(), "minutes", v.exercise().minutes(),
        "criteria", v.exercise().rubric().size())).toList()));
  }

  private void rubricPage(RoutingContext ctx) {
    Version v = find(ctx);
    if (v == null) {
      return;
    }
    Exercise ex = v.exercise();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", "Rubric: " + ex.title());
    m.put("exerciseTitle", ex.title());
    m.put("exerciseId", ex.id());
    m.put("version", v.contentHash().substring(0, 12));
    m.put("totalWeight", ex.rubric().stream().mapToInt(Criterion::weight).sum());
    boolean reviewer = reviewer(ctx);
    m.put("reviewer", reviewer);
    m.put("criteria", ex.rubric().stream().map(c -> Map.of("id", c.id(), "title", c.title(), "value", c.value(),
        "weight", c.weight(), "description", c.description(), "levels", c.levels().stream().map(l -> Map.of(
            "score", l.score(), "label", l.label(), "descriptor", l.descriptor(), "anchor", reviewer ? l.anchor() : ""))
            .toList())).toList());
    if (!reviewer) {
      pages.render(ctx, 200, "rubric", m);
      return;
    }
    markdown.cached("notes:" + v.id(), ex.reviewerNotes()).onSuccess(notes -> {
      m.put("notes", notes);
      pages.render(ctx, 200, "rubric", m);
    }).onFailure(ctx::fail);
  }
}
