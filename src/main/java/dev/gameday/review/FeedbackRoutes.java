package dev.gameday.review;

import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The candidate's feedback (issue 24, item 7), on their own link: {@code /candidate/feedback}, its download and
 * {@code GET /api/v1/candidate/feedback}. Before a recruiter releases it (after the decision) there is nothing: a
 * friendly 404 page, or 404 {@code feedback_not_released}.
 */
public final class FeedbackRoutes {
  static final String NOT_RELEASED = "Feedback on your answers is not available. If the hiring team shares it after "
      + "their decision, it appears here.";

  private final Feedback feedback;
  private final Pages pages;

  public FeedbackRoutes(Feedback feedback, Pages pages) {
    this.feedback = feedback;
    this.pages = pages;
  }

  public void mount(Router router) {
    Access.Routes candidate = Access.on(router, Rule.CANDIDATE);
    candidate.get("/candidate/feedback", this::page);
    candidate.get("/candidate/feedback/download", this::download);
    candidate.get("/api/v1/candidate/feedback", this::json);
  }

  private void page(RoutingContext ctx) {
    feedback.of(Access.invitation(ctx)).onSuccess(view -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Feedback on your answers");
      if (view == null) {
        m.put("notReleased", NOT_RELEASED);
        pages.render(ctx, 404, "candidate-feedback", m);
        return;
      }
      m.put("candidateSubmitted", true); // feedback exists only on a submission: the nav's "Your submission"
      m.put("releasedAt", view.releasedAt());
      m.put("exercises", view.exercises().stream().map(e -> Map.of("id", e.exerciseId(), "title", e.title(),
          "criteria", e.criteria().stream().map(c -> Map.of("title", c.title(), "description", c.description(),
              "level", c.level(), "label", c.label(), "descriptor", c.descriptor())).toList(), "comments", e.comments(), "reviewed", !e.criteria().isEmpty())).toList());
      pages.render(ctx, 200, "candidate-feedback", m);
    }).onFailure(ctx::fail);
  }

  private void json(RoutingContext ctx) {
    feedback.of(Access.invitation(ctx)).onSuccess(view -> {
      if (view == null) {
        ctx.fail(404, new ClientError(404, "feedback_not_released", NOT_RELEASED));
      } else {
        Http.json(ctx, 200, view.toJson());
      }
    }).onFailure(ctx::fail);
  }

  private void download(RoutingContext ctx) {
    feedback.download(Access.invitation(ctx))
        .compose(json -> json == null ? io.vertx.core.Future.<String>succeededFuture(null)
            : ctx.vertx().executeBlocking(json::encodePrettily, false))
        .onSuccess(text -> {
          if (text == null) {
            ctx.fail(404, new ClientError(404, "feedback_not_released", NOT_RELEASED));
            return;
          }
          ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"gameday-feedback.json\"")
              .putHeader("Cache-Control", "no-store").end(text);
        }).onFailure(ctx::fail);
  }
}
