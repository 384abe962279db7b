package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.review.ReviewService;
import dev.gameday.review.ReviewService.Aggregate;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The result of a decided submission for other systems: per exercise the per-criterion means of the submitted
 * reviews and their weighted overall (levels 1 to 4, as on the scoring page), the overall over every exercise
 * (weighted by the rubrics' weights) and the decision. Never a reviewer's name, a note or the answer text.
 */
public final class Results {
  private static final String STATE = """
      select i.id, i.pseudonym, i.track_id, s.id as submission_id, s.submitted_at, d.decision, d.decided_at
        from invitations i
        left join submissions s on s.invitation_id = i.id
        left join decisions d on d.submission_id = s.id
       where i.id = $1""";
  private static final String ITEMS = """
      select ri.exercise_id, ri.version_id from review_items ri
        join submissions s on s.id = ri.submission_id
        join invitation_exercises ie on ie.invitation_id = s.invitation_id and ie.exercise_id = ri.exercise_id
       where ri.submission_id = $1 order by ie.position""";

  private final Pool pool;
  private final Catalog catalog;
  private final ReviewService reviews;

  public Results(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
    this.reviews = new ReviewService(pool, catalog);
  }

  /** The result; 404 unknown_candidate, 409 not_submitted or not_decided otherwise. */
  public Future<JsonObject> result(long invitationId) {
    return pool.preparedQuery(STATE).execute(Tuple.of(invitationId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new ClientError(404, "unknown_candidate", "There is no candidate with that id."));
      }
      Row r = rows.iterator().next();
      if (r.getValue("submission_id") == null) {
        return Future.failedFuture(new ClientError(409, "not_submitted", "This candidate has not submitted; there is no result yet.",
            new JsonObject().put("state", "not_submitted")));
      }
      if (r.getString("decision") == null) {
        return Future.failedFuture(new ClientError(409, "not_decided", "This submission is not decided yet; results are given once it is.",
            new JsonObject().put("state", "submitted")));
      }
      UUID submission = r.getUUID("submission_id");
      JsonObject out = new JsonObject().put("id", r.getLong("id")).put("pseudonym", r.getString("pseudonym"))
          .put("track", r.getString("track_id")).put("submissionId", submission.toString())
          .put("submittedAt", r.getOffsetDateTime("submitted_at").toString())
          .put("decision", r.getString("decision")).put("decidedAt", r.getOffsetDateTime("decided_at").toString());
      return pool.preparedQuery(ITEMS).execute(Tuple.of(submission)).compose(items -> {
        List<Future<JsonObject>> exercises = new ArrayList<>();
        for (Row item : items) {
          String exerciseId = item.getString("exercise_id");
          exercises.add(catalog.version(item.getLong("version_id")).compose(v -> reviews.reviews(submission, exerciseId).map(all -> {
            Aggregate a = ReviewService.aggregate(v.exercise(), all);
            int weight = v.exercise().rubric().stream().mapToInt(Criterion::weight).sum();
            return new JsonObject().put("id", exerciseId).put("title", v.exercise().title())
                .put("criteria", a.toJson().getJsonObject("criteria")).put("overall", a.overall())
                .put("reviews", a.reviews()).put("weight", weight);
          })));
        }
        return Future.all(exercises).map(f -> {
          JsonArray list = new JsonArray();
          double weighted = 0;
          int weights = 0;
          for (JsonObject e : f.<JsonObject>list()) {
            if (e.getDouble("overall") != null) {
              weighted += e.getDouble("overall") * e.getInteger("weight");
              weights += e.getInteger("weight");
            }
            e.remove("weight");
            list.add(e);
          }
          return out.put("overall", weights == 0 ? null : Math.round(weighted / weights * 100) / 100.0)
              .put("scale", new JsonObject().put("min", 1).put("max", 4)).put("exercises", list);
        });
      });
    });
  }
}
