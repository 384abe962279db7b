package dev.gameday.review;

import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Level;
import dev.gameday.web.Account;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Feedback to candidates (issue 24, item 7). After a decision, a recruiter or an admin releases a submission's
 * feedback (once, audited as {@code feedback.released}); the candidate's link then shows, per exercise and criterion,
 * the public quality descriptor of the level the answer reached, and the reviewers' comments "for the candidate".
 *
 * <p>The level reached is the item's level as the decision page counts it ({@link ReviewService#aggregate}): the
 * median of the submitted reviews' levels (of three after an adjudication, the adjudicated result). A median between
 * two levels shows the lower one. What a candidate never gets: anchors (they name the exercise's answer key),
 * reviewers' evidence notes, names or ids, their individual levels, or anything about another submission.
 */
public final class Feedback {
  private final Pool pool;
  private final Catalog catalog;
  private final ReviewService reviews;

  public Feedback(Pool pool, Catalog catalog, ReviewService reviews) {
    this.pool = pool;
    this.catalog = catalog;
    this.reviews = reviews;
  }

  /** One criterion as the candidate reads it. */
  public record CriterionFeedback(String title, String description, int level, String label, String descriptor) {
  }

  /** One exercise: its criteria (empty when it was not reviewed) and the comments for the candidate, without author. */
  public record ExerciseFeedback(String exerciseId, String title, List<CriterionFeedback> criteria, List<String> comments) {
  }

  /** A released submission's feedback. */
  public record View(UUID submissionId, OffsetDateTime releasedAt, List<ExerciseFeedback> exercises) {
    public JsonObject toJson() {
      JsonArray ex = new JsonArray();
      for (ExerciseFeedback e : exercises) {
        JsonArray cs = new JsonArray();
        e.criteria().forEach(c -> cs.add(new JsonObject().put("criterion", c.title()).put("level", c.level())
            .put("label", c.label()).put("descriptor", c.descriptor())));
        ex.add(new JsonObject().put("exercise", e.exerciseId()).put("title", e.title()).put("criteria", cs)
            .put("comments", new JsonArray(e.comments())));
      }
      return new JsonObject().put("submissionId", submissionId.toString()).put("releasedAt", releasedAt.toString())
          .put("exercises", ex);
    }
  }

  /**
   * Releases the feedback of the invitation's submission. True when this call released it, false when it already was
   * (nothing written again). 409 before submission or before a decision.
   */
  public Future<Boolean> release(long invitationId, Account by) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select s.id, d.decision is not null as decided,
                   exists (select 1 from feedback_releases f where f.submission_id = s.id) as released
              from invitations i left join submissions s on s.invitation_id = i.id
              left join decisions d on d.submission_id = s.id
             where i.id = $1 for update of i""").execute(Tuple.of(invitationId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ClientError(404, "unknown_candidate", "There is no candidate with that id."));
          }
          Row r = rows.iterator().next();
          if (r.getUUID("id") == null) {
            return Future.failedFuture(new ClientError(409, "not_submitted",
                "This candidate has not submitted: there is no feedback to release."));
          }
          if (!r.getBoolean("decided")) {
            return Future.failedFuture(new ClientError(409, "not_decided", "Feedback can be released only after a decision."));
          }
          if (r.getBoolean("released")) {
            return Future.succeededFuture(false);
          }
          UUID sid = r.getUUID("id");
          return conn.preparedQuery("insert into feedback_releases (submission_id, released_by) values ($1, $2)")
              .execute(Tuple.of(sid, by.id()))
              .compose(v -> Audit.record(conn, by.email(), "feedback.released", "submission:" + sid,
                  new JsonObject().put("invitation", invitationId)))
              .map(true);
        }));
  }

  /** The released feedback of the invitation's submission, or null when there is none (not submitted or not released). */
  public Future<View> of(long invitationId) {
    return pool.preparedQuery("""
            select s.id, f.released_at from submissions s join feedback_releases f on f.submission_id = s.id
             where s.invitation_id = $1""").execute(Tuple.of(invitationId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row r = rows.iterator().next();
      UUID sid = r.getUUID("id");
      OffsetDateTime at = r.getOffsetDateTime("released_at");
      return pool.preparedQuery("""
              select ri.exercise_id, ri.version_id from review_items ri
                join submissions s on s.id = ri.submission_id
                join invitation_exercises ie on ie.invitation_id = s.invitation_id and ie.exercise_id = ri.exercise_id
               where ri.submission_id = $1 order by ie.position""").execute(Tuple.of(sid))
          .compose(items -> {
            List<Future<ExerciseFeedback>> out = new ArrayList<>();
            for (Row item : items) {
              String ex = item.getString("exercise_id");
              out.add(catalog.version(item.getLong("version_id"))
                  .compose(v -> reviews.reviews(sid, ex).map(all -> exercise(v, all))));
            }
            return Future.all(out).map(all -> new View(sid, at, all.<ExerciseFeedback>list()));
          });
    });
  }

  /** Pure: the candidate's view of one exercise from its reviews (drafts and practice reviews ignored). */
  static ExerciseFeedback exercise(Version v, List<ReviewService.Review> all) {
    List<ReviewService.Review> done = all.stream().filter(ReviewService.Review::counts).toList(); // practice counts for nothing
    List<CriterionFeedback> criteria = new ArrayList<>();
    for (Criterion c : v.exercise().rubric()) {
      List<Integer> levels = done.stream().map(r -> r.level(c.id())).filter(l -> l != null).toList();
      if (levels.isEmpty()) {
        continue;
      }
      int reached = (int) Math.floor(ReviewService.median(levels));
      Level l = c.levels().stream().filter(x -> x.score() == reached).findFirst().orElse(null);
      // the public parts of the rubric only: never l.anchor()
      criteria.add(new CriterionFeedback(c.title(), c.description(), reached, l == null ? "" : l.label(),
          l == null ? "" : l.descriptor()));
    }
    List<String> comments = done.stream().map(ReviewService.Review::forCandidate)
        .filter(t -> t != null && !t.isBlank()).map(String::strip).toList();
    return new ExerciseFeedback(v.exercise().id(), v.exercise().title(), criteria, comments);
  }

  /**
   * The candidate's own answers and feedback as one JSON document (their own text, unmasked), or null when no
   * feedback has been released.
   */
  public Future<JsonObject> download(long invitationId) {
    return of(invitationId).compose(view -> {
      if (view == null) {
        return Future.succeededFuture(null);
      }
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (ExerciseFeedback e : view.exercises()) {
        answers.add(reviews.answer(view.submissionId(), e.exerciseId(), false).map(a -> {
          JsonObject sections = new JsonObject();
          a.sections().forEach(sections::put);
          return sections;
        }));
      }
      return Future.all(answers).map(all -> {
        JsonObject json = view.toJson();
        JsonArray ex = json.getJsonArray("exercises");
        for (int i = 0; i < ex.size(); i++) {
          ex.getJsonObject(i).put("answer", (JsonObject) all.resultAt(i));
        }
        return json.put("format", "gameday-feedback").put("version", 1);
      });
    });
  }
}
