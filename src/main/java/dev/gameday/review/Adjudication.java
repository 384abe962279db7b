package dev.gameday.review;

import dev.gameday.web.Account;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The third reviewer on a disagreement (issue 24). An answer whose submitted reviews are two or more levels apart on
 * a criterion wants one more review ({@link ReviewService}'s ADJUDICATION statement). It is offered first, by "Review
 * the next answer", to the {@link #OFFER_TO} reviewers with the best calibration record among those who have not
 * reviewed it; after {@link #WAIT_HOURS} hours unanswered, to anyone who has not. Nothing tells the third reviewer that
 * the answer is disputed: it looks like any answer that wants one more review, its other reviews stay hidden until
 * theirs is submitted (the usual rule), and then its level per criterion is the median of the three.
 */
public final class Adjudication {
  static final int OFFER_TO = 3;
  static final int WAIT_HOURS = 24;

  private final Pool pool;
  private final Catalog catalog;

  public Adjudication(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  /**
   * Reviewers' calibration records, best first: the share of their calibration levels within one level of the
   * reference, then the share exactly on it, then how many levels; reviewers without any calibration score last.
   */
  Future<List<Long>> ranking() {
    return pool.query("select cr.reviewer_id, cr.version_id, cr.exercise_id, cr.calibration_name, cr.scores from calibration_reviews cr")
        .execute().compose(rows -> {
          List<Row> all = new ArrayList<>();
          rows.forEach(all::add);
          List<Future<Version>> vs = all.stream().map(r -> r.getLong("version_id")).distinct().map(catalog::version).toList();
          return Future.all(vs).map(f -> {
            Map<Long, Version> versions = new HashMap<>();
            f.<Version>list().forEach(v -> versions.put(v.id(), v));
            Map<Long, int[]> record = new HashMap<>(); // reviewer -> {levels, within one, exact}
            for (Row r : all) {
              Version v = versions.get(r.getLong("version_id"));
              var cal = v.exercise().calibration().stream().filter(c -> c.name().equals(r.getString("calibration_name"))).findFirst();
              if (cal.isEmpty()) {
                continue;
              }
              JsonObject scores = r.getJsonObject("scores");
              int[] acc = record.computeIfAbsent(r.getLong("reviewer_id"), k -> new int[3]);
              cal.get().scores().forEach((criterion, reference) -> {
                JsonObject s = scores.getJsonObject(criterion);
                Integer level = s == null ? null : s.getInteger("level");
                if (level != null) {
                  acc[0]++;
                  acc[1] += Math.abs(level - reference) <= 1 ? 1 : 0;
                  acc[2] += level.equals(reference) ? 1 : 0;
                }
              });
            }
            List<Long> ranked = new ArrayList<>(record.keySet());
            ranked.sort(Comparator.<Long>comparingDouble(id -> -(double) record.get(id)[1] / Math.max(1, record.get(id)[0]))
                .thenComparingDouble(id -> -(double) record.get(id)[2] / Math.max(1, record.get(id)[0]))
                .thenComparingInt(id -> -record.get(id)[0]).thenComparingLong(id -> id));
            return ranked;
          });
        });
  }

  private static final String WAITING = """
      select ri.submission_id, ri.exercise_id, ri.adjudication_since < now() - make_interval(hours => $3) as overdue,
             array(select a.id from accounts a where a.role in ('reviewer', 'admin') and not a.disabled
                     and not exists (select 1 from reviews r where r.submission_id = ri.submission_id
                                       and r.exercise_id = ri.exercise_id and r.reviewer_id = a.id)) as eligible
        from review_items ri
       where ri.adjudication = 'needed' and not ri.decided and ($2::text is null or ri.exercise_id = $2)
         and not exists (select 1 from reviews r where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id
                           and r.reviewer_id = $1)
       order by ri.adjudication_since, ri.submission_id, ri.exercise_id
       limit 200""";

  /** The answer awaiting a third review that is offered to {@code me} first, or null. */
  public Future<String[]> offer(Account me, String exercise) {
    return pool.preparedQuery(WAITING).execute(Tuple.of(me.id(), exercise == null || exercise.isBlank() ? null : exercise, WAIT_HOURS))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : ranking().map(ranked -> {
          for (Row r : rows) {
            List<Long> eligible = new ArrayList<>();
            for (Object o : r.getArrayOfLongs("eligible")) {
              eligible.add((Long) o);
            }
            List<Long> order = new ArrayList<>(ranked.stream().filter(eligible::contains).toList());
            eligible.stream().filter(id -> !order.contains(id)).sorted().forEach(order::add);
            int rank = order.indexOf(me.id());
            if (Boolean.TRUE.equals(r.getBoolean("overdue")) || rank >= 0 && rank < OFFER_TO) {
              return new String[] {r.getUUID("submission_id").toString(), r.getString("exercise_id")};
            }
          }
          return null;
        }));
  }

  /**
   * For admins: every adjudicated answer (or awaiting its third review), with the levels before (the mean of the
   * first reviews per criterion) and after (the median of the three), and how far the weighted result moved.
   */
  public Future<JsonArray> records() {
    return pool.query("""
        select ri.submission_id, ri.exercise_id, ri.version_id, ri.pseudonym, ri.adjudication, ri.adjudication_since,
               ri.adjudication_before, ri.decided
          from review_items ri where ri.adjudication is not null order by ri.adjudication_since desc limit 500""").execute()
        .compose(rows -> {
          List<Row> all = new ArrayList<>();
          rows.forEach(all::add);
          List<Future<JsonObject>> out = new ArrayList<>();
          for (Row r : all) {
            UUID sid = r.getUUID("submission_id");
            String ex = r.getString("exercise_id");
            out.add(catalog.version(r.getLong("version_id")).compose(v -> pool.preparedQuery(
                    "select scores, adjudicator from reviews where submission_id = $1 and exercise_id = $2 and state = 'submitted'"
                    + " and not practice")
                .execute(Tuple.of(sid, ex)).map(reviews -> record(r, v, reviews))));
          }
          return Future.all(out).map(f -> new JsonArray(f.list()));
        });
  }

  private static JsonObject record(Row r, Version v, io.vertx.sqlclient.RowSet<Row> reviews) {
    JsonObject before = r.getJsonObject("adjudication_before") == null ? new JsonObject() : r.getJsonObject("adjudication_before");
    boolean done = "done".equals(r.getString("adjudication"));
    JsonArray criteria = new JsonArray();
    double wBefore = 0;
    double wAfter = 0;
    int weights = 0;
    for (var c : v.exercise().rubric()) {
      List<Integer> levels = new ArrayList<>();
      reviews.forEach(x -> {
        JsonObject s = x.getJsonObject("scores").getJsonObject(c.id());
        if (s != null && s.getInteger("level") != null) {
          levels.add(s.getInteger("level"));
        }
      });
      Double b = before.getValue(c.id()) instanceof Number n ? n.doubleValue() : null;
      Double a = done && !levels.isEmpty() ? ReviewService.median(levels) : null;
      criteria.add(new JsonObject().put("criterion", c.id()).put("levels", new JsonArray(levels)).put("before", b).put("after", a));
      if (b != null && a != null) {
        wBefore += b * c.weight();
        wAfter += a * c.weight();
        weights += c.weight();
      }
    }
    Double overallBefore = weights == 0 ? null : Math.round(wBefore / weights * 100) / 100.0;
    Double overallAfter = weights == 0 ? null : Math.round(wAfter / weights * 100) / 100.0;
    return new JsonObject().put("submissionId", r.getUUID("submission_id").toString()).put("exerciseId", r.getString("exercise_id"))
        .put("pseudonym", r.getString("pseudonym")).put("state", r.getString("adjudication"))
        .put("since", r.getOffsetDateTime("adjudication_since").toString()).put("decided", r.getBoolean("decided"))
        .put("criteria", criteria).put("overallBefore", overallBefore).put("overallAfter", overallAfter)
        .put("moved", overallBefore == null || overallAfter == null ? null : Math.round((overallAfter - overallBefore) * 100) / 100.0);
  }
}
