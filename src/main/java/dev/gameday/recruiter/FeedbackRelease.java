package dev.gameday.recruiter;

import dev.gameday.review.Feedback;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Flash;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /candidates/:id/release-feedback} (issue 24, item 7): a recruiter or an admin releases a decided
 * candidate's feedback from the candidate's page. The form carries a confirmation box; without it nothing happens.
 * Released once (audited as {@code feedback.released}); releasing again changes nothing and says so.
 */
public final class FeedbackRelease {
  private final Feedback feedback;

  public FeedbackRelease(Feedback feedback) {
    this.feedback = feedback;
  }

  /** Mounted before {@link RecruiterRoutes}, whose {@code /candidates/:id/:action} would take the address otherwise. */
  public void mount(Router router) {
    Access.on(router, Rule.RECRUITER).post("/candidates/:id/release-feedback", this::release);
  }

  private void release(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ctx.fail(404, new ClientError(404, "unknown_candidate", "There is no candidate with that id."));
      return;
    }
    String back = "/candidates/" + id;
    if (!"yes".equals(ctx.request().getFormAttribute("confirm"))) {
      Flash.redirect(ctx, back, new JsonObject().put("actionError",
          "Tick the box to confirm that the candidate may read the feedback; nothing was released."));
      return;
    }
    feedback.release(id, Access.account(ctx))
        .onSuccess(now -> Flash.redirect(ctx, back, new JsonObject().put("notice", now
            ? "Feedback is released: the candidate's link now shows the level reached per criterion and the reviewers' comments for them."
            : "Feedback was already released; nothing changed.")))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 409) {
            Flash.redirect(ctx, back, new JsonObject().put("actionError", ce.getMessage()));
          } else {
            ctx.fail(err);
          }
        });
  }
}
