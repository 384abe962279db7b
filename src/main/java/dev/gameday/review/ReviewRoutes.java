package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.review.ReviewService.Item;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Reviewer pages and the review JSON API, mounted in one place with their access rules: reviewers and admins
 * ({@link Rule#REVIEWER}) read the queue, submissions and answers and score them; only an admin ({@link Rule#ADMIN})
 * decides and reveals an identity. A recruiter knows candidates' names, so a recruiter never reaches a review page or
 * JSON: that would defeat blind review. The handlers live by capability: {@link QueueRoutes}, {@link SubmissionRoutes},
 * {@link DecisionRoutes}, {@link ItemRoutes} and {@link NoAnswerRoutes}.
 */
public final class ReviewRoutes {
  static final String NO_ANSWER_NOTE = "No answer was written.";

  private final QueueRoutes queue;
  private final SubmissionRoutes submissions;
  private final DecisionRoutes decisions;
  private final ItemRoutes items;
  private final NoAnswerRoutes noAnswer;

  public ReviewRoutes(ReviewService service, ReviewDecisions decisions, Catalog catalog, Pages pages, MarkdownRenderer markdown,
                      DecisionGate gate, Assignments assignments) {
    this.queue = new QueueRoutes(service, pages, assignments);
    this.submissions = new SubmissionRoutes(service, decisions, catalog, pages, gate);
    this.decisions = new DecisionRoutes(service, decisions, catalog, gate);
    this.noAnswer = new NoAnswerRoutes(service, decisions);
    this.items = new ItemRoutes(service, decisions, catalog, pages, markdown, noAnswer);
  }

  public void mount(Router router) {
    Access.Routes reviewer = Access.on(router, Rule.REVIEWER);
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    // in this order: /review/:sid/:ex would also match /review/:sid/decision
    reviewer.get("/review", queue::page);
    reviewer.get("/review/next", queue::next);
    reviewer.get("/review/:sid", submissions::page);
    admin.post("/review/:sid/decision", decisions::form);
    admin.post("/review/:sid/reveal", decisions::revealForm);
    reviewer.post("/review/:sid/no-answer", noAnswer::allForm);
    reviewer.get("/review/:sid/:ex", items::page);
    reviewer.post("/review/:sid/:ex", items::form);
    reviewer.get("/review/:sid/:ex/evidence/:index", items::evidence);

    reviewer.get("/api/v1/review/queue", queue::json);
    reviewer.get("/api/v1/review/submissions/:sid", submissions::json);
    admin.post("/api/v1/review/submissions/:sid/decision", decisions::json);
    admin.post("/api/v1/review/submissions/:sid/reveal", decisions::revealJson);
    reviewer.get("/api/v1/review/submissions/:sid/exercises/:ex", items::json);
    reviewer.put("/api/v1/review/submissions/:sid/exercises/:ex/review", ctx -> items.save(ctx, false));
    reviewer.post("/api/v1/review/submissions/:sid/exercises/:ex/review/submit", ctx -> items.save(ctx, true));
    reviewer.post("/api/v1/review/submissions/:sid/exercises/:ex/review/no-answer", noAnswer::json);
  }

  /** The submission id of the address, or null after answering 404. */
  static UUID uuid(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("sid"));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, ReviewService.notFound());
      return null;
    }
  }

  /** An item as a row of the queue or of a submission's page. */
  static Map<String, Object> itemRow(Item i) {
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

  static boolean fullyReviewed(Item i) {
    return i.reviewsSubmitted() >= i.reviewsRequired();
  }

  /** Blank exercises of a submission I can still review: "no answer" for all of them in one confirmed step. */
  static boolean blankForMe(Item i) {
    return i.noAnswer() && !i.iSubmitted() && !i.decided();
  }
}
