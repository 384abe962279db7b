package dev.gameday.candidate;

import dev.gameday.candidate.CandidateService.ExerciseStatus;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Access;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.MarkdownRenderer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The signed-in candidate's JSON API: overview, answers and saves, submit, Markdown preview, investigation trail. */
final class CandidateApi {
  private final CandidateService service;
  private final Answers answers;
  private final Submissions submissions;
  private final MarkdownRenderer markdown;
  private final Trails trails;
  private final AiAssistance ai;

  CandidateApi(CandidateService service, MarkdownRenderer markdown, Trails trails, AiAssistance ai) {
    this.service = service;
    this.answers = service.answers();
    this.submissions = service.submissions();
    this.markdown = markdown;
    this.trails = trails;
    this.ai = ai;
  }

  /** On a {@link dev.gameday.web.Access.Rule#CANDIDATE} group. */
  void mount(Access.Routes candidate) {
    candidate.get("/api/v1/candidate", this::overviewJson);
    candidate.get("/api/v1/candidate/answers/:exerciseId", this::answerJson);
    candidate.put("/api/v1/candidate/answers/:exerciseId", this::saveJson);
    candidate.post("/api/v1/candidate/submit", this::submitJson);
    candidate.post("/api/v1/candidate/preview", this::previewJson);
    candidate.get("/api/v1/candidate/trail/:exerciseId", this::trailJson);
    candidate.post("/api/v1/candidate/trail/:exerciseId", this::recordTrail);
  }

  private void overviewJson(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    service.overview(id).map(o -> {
      JsonArray exercises = new JsonArray();
      for (ExerciseStatus e : o.exercises()) {
        Exercise ex = e.version().exercise();
        exercises.add(new JsonObject().put("id", ex.id()).put("title", ex.title()).put("minutes", ex.minutes())
            .put("status", o.submitted() ? "submitted" : e.status()).put("rev", e.rev())
            .put("words", e.wordsWritten()).put("savedAt", e.savedAt() == null ? null : e.savedAt().toString()));
      }
      return new JsonObject()
          .put("track", new JsonObject().put("id", o.track().getString("id")).put("title", o.track().getString("title")))
          .put("pseudonym", o.pseudonym())
          .put("deadline", o.deadline().toString())
          .put("closesAt", o.closesAt().toString())
          .put("open", o.open() && !o.submitted())
          .put("submitted", o.submitted())
          .put("submittedAt", o.submittedAt() == null ? null : o.submittedAt().toString())
          .put("exercises", exercises);
    }).onSuccess(json -> Http.json(ctx, 200, json)).onFailure(ctx::fail);
  }

  private void answerJson(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    answers.answer(id, ctx.pathParam("exerciseId")).onSuccess(a -> Http.json(ctx, 200, a.toJson())).onFailure(ctx::fail);
  }

  private void saveJson(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    ai.allows(id, body.getValue("sections") instanceof JsonObject s ? s : null)
        .compose(ok -> answers.save(id, Access.session(ctx).idHash(), ctx.pathParam("exerciseId"), body))
        .onSuccess(s -> Http.json(ctx, 200, s.toJson()))
        .onFailure(ctx::fail);
  }

  private void submitJson(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    submissions.submit(id).onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }

  private void previewJson(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object md = body.getValue("markdown");
    if (!(md instanceof String text)) {
      ctx.fail(400, new ClientError(400, "invalid_markdown", "'markdown' must be a text."));
      return;
    }
    if (text.length() > Answers.MAX_SECTION_CHARS * 2) {
      ctx.fail(413, new ClientError(413, "too_large", "The text is too long to preview."));
      return;
    }
    markdown.preview(text).onSuccess(html -> Http.json(ctx, 200, new JsonObject().put("html", html))).onFailure(ctx::fail);
  }

  /** The candidate's own trail of one exercise, oldest first. */
  private void trailJson(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    String exerciseId = ctx.pathParam("exerciseId");
    answers.libraryVersion(id, exerciseId).compose(v -> trails.live(id, exerciseId))
        .onSuccess(events -> Http.json(ctx, 200, new JsonObject().put("events", Trails.toJson(events))
            .put("limit", Trails.MAX_PER_EXERCISE)))
        .onFailure(ctx::fail);
  }

  /** A batch of trail events from the exercise page (webroot/js/trail.js). */
  private void recordTrail(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    answers.libraryVersion(id, ctx.pathParam("exerciseId")).compose(v -> trails.record(id, v, body))
        .onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }
}
