package dev.gameday.review;

import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.review.Calibration.CriterionAgreement;
import dev.gameday.review.Calibration.Rating;
import dev.gameday.review.Calibration.ReferenceAgreement;
import dev.gameday.web.Account;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calibration's statements: reviewers' scores of the sample answers (first score final, audited) and the figures
 * computed from them and from real reviews (practice against the reference, reviewers against each other).
 */
public final class CalibrationStore {
  private final Vertx vertx;
  private final Pool pool;
  private final Catalog catalog;
  private final java.util.function.LongSupplier reviewChanges;

  /** @param reviewChanges the count of review writes (see {@link ReviewDecisions#changes}), for the figure cache */
  public CalibrationStore(Vertx vertx, Pool pool, Catalog catalog, java.util.function.LongSupplier reviewChanges) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
    this.reviewChanges = reviewChanges;
  }

  /** The figures: practice against reference, and real reviews against each other. Computed off the event loop. */
  record Figures(List<ReferenceAgreement> reference, List<CriterionAgreement> criteria) {
  }

  /**
   * The figures {@code me} may see, computed only from what they may already read. Practice: a reviewer sees their
   * own agreement with the reference, an admin everyone's. Real submissions: only the answers whose submitted reviews
   * {@code me} may see ({@link ReviewService#seesOthers}): a reviewer's are the answers they have submitted a review
   * on; an admin's are all answers except those where the admin holds an unsubmitted draft. So no figure says
   * anything about reviews its reader cannot open; below {@link Calibration#MIN_ANSWERS} answers a figure is
   * withheld as not enough.
   */
  Future<Figures> figures(Account me) {
    long generation = reviewChanges.getAsLong() + practiceChanges.get();
    Cached hit = cache.getIfPresent(me.id());
    if (hit != null && hit.generation() == generation && hit.admin() == me.admin()) {
      return Future.succeededFuture(hit.figures());
    }
    return compute(me).onSuccess(f -> cache.put(me.id(), new Cached(generation, me.admin(), f)));
  }

  /**
   * Figures per account, reused while no review or practice score was written on this instance and for at most
   * {@link #FIGURES_SECONDS} seconds (another instance's writes show after that). Each reader's figures are computed
   * from what that reader may see, so a cached entry never shows anyone more than a fresh one would have.
   */
  static final int FIGURES_SECONDS = 30;
  private record Cached(long generation, boolean admin, Figures figures) {
  }

  private final com.github.benmanes.caffeine.cache.Cache<Long, Cached> cache = com.github.benmanes.caffeine.cache.Caffeine
      .newBuilder().maximumSize(1_000).expireAfterWrite(java.time.Duration.ofSeconds(FIGURES_SECONDS)).build();
  private final java.util.concurrent.atomic.AtomicLong practiceChanges = new java.util.concurrent.atomic.AtomicLong();

  private Future<Figures> compute(Account me) {
    Future<List<Rating>> practice = pool.preparedQuery("""
        select a.name, cr.version_id, cr.exercise_id, cr.calibration_name, cr.scores
          from calibration_reviews cr join accounts a on a.id = cr.reviewer_id
         where $2 or cr.reviewer_id = $1""").execute(Tuple.of(me.id(), me.admin())).map(rows -> {
      List<Rating> out = new ArrayList<>();
      rows.forEach(r -> out.addAll(ratings(r.getString("name"), r.getLong("version_id") + "|" + r.getString("calibration_name"),
          r.getString("exercise_id"), r.getJsonObject("scores"))));
      return out;
    });
    Future<Map<String, Integer>> reference = pool.query("select distinct version_id from calibration_reviews").execute()
        .compose(rows -> {
          List<Future<Version>> vs = new ArrayList<>();
          rows.forEach(r -> vs.add(catalog.version(r.getLong("version_id"))));
          return Future.all(vs).map(f -> {
            Map<String, Integer> ref = new HashMap<>();
            for (Version v : f.<Version>list()) {
              for (var cal : v.exercise().calibration()) {
                cal.scores().forEach((crit, level) -> ref.put(v.id() + "|" + cal.name() + "|" + v.exercise().id() + ":" + crit, level));
              }
            }
            return ref;
          });
        });
    Future<List<Rating>> real = pool.preparedQuery("""
        select a.name, r.submission_id, r.exercise_id, r.scores from reviews r join accounts a on a.id = r.reviewer_id
         where r.state = 'submitted' and not r.practice
           and case when $2 then not exists (select 1 from reviews m where m.submission_id = r.submission_id
                                               and m.exercise_id = r.exercise_id and m.reviewer_id = $1 and m.state = 'draft')
                    else exists (select 1 from reviews m where m.submission_id = r.submission_id
                                   and m.exercise_id = r.exercise_id and m.reviewer_id = $1 and m.state = 'submitted') end""")
        .execute(Tuple.of(me.id(), me.admin())).map(rows -> {
      List<Rating> out = new ArrayList<>();
      rows.forEach(r -> out.addAll(ratings(r.getString("name"), r.getUUID("submission_id") + "/" + r.getString("exercise_id"),
          r.getString("exercise_id"), r.getJsonObject("scores"))));
      return out;
    });
    return Future.all(practice, reference, real).compose(f -> vertx.executeBlocking(() -> new Figures(
        Calibration.againstReference(practice.result(), reference.result()), Calibration.betweenReviewers(real.result()))));
  }

  /** Ratings keyed by criterion "exerciseId:criterionId" (criteria of different exercises are different questions). */
  private static List<Rating> ratings(String reviewer, String unit, String exerciseId, JsonObject scores) {
    List<Rating> out = new ArrayList<>();
    for (String k : scores.fieldNames()) {
      Integer level = scores.getJsonObject(k).getInteger("level");
      if (level != null) {
        out.add(new Rating(reviewer, unit, exerciseId + ":" + k, level));
      }
    }
    return out;
  }

  /** The sample answers {@code me} has scored, as "versionId|calibrationName". */
  Future<List<String>> scoredBy(Account me) {
    return pool.preparedQuery("select version_id, calibration_name from calibration_reviews where reviewer_id = $1")
        .execute(Tuple.of(me.id())).map(done -> {
          List<String> mine = new ArrayList<>();
          done.forEach(r -> mine.add(r.getLong("version_id") + "|" + r.getString("calibration_name")));
          return mine;
        });
  }

  /** My levels for a sample answer, or null before I scored it. */
  Future<JsonObject> mine(Account me, Version version, String calibrationName) {
    return pool.preparedQuery("select scores, recommendation from calibration_reviews where reviewer_id = $1 and version_id = $2 and calibration_name = $3")
        .execute(Tuple.of(me.id(), version.id(), calibrationName))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getJsonObject("scores"));
  }

  static ClientError alreadyScored() {
    return new ClientError(409, "already_scored",
        "You have already scored this sample answer; your first score, given before you saw the reference, is the one that counts.");
  }

  /**
   * Records my first score of a sample answer. Once stored it is final: scoring again after the reference has been
   * shown would turn the figures into a measure of copying, so a second score fails with {@link #alreadyScored}.
   */
  Future<Void> store(Account me, Version version, String calibrationName, String sampleId, JsonObject scores) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into calibration_reviews (reviewer_id, exercise_id, version_id, calibration_name, scores)
            values ($1, $2, $3, $4, $5)
            on conflict (reviewer_id, version_id, calibration_name) do nothing returning id""")
        .execute(Tuple.of(me.id(), version.exercise().id(), version.id(), calibrationName, scores))
        .compose(rows -> rows.size() == 0 ? Future.<Void>failedFuture(alreadyScored()) : Audit.record(conn, me.email(),
            "calibration.scored", "calibration:" + version.exercise().id() + "/" + sampleId,
            new JsonObject().put("scores", scores))))
        .andThen(done -> practiceChanges.incrementAndGet());
  }
}
