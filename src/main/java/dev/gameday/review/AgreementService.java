package dev.gameday.review;

import dev.gameday.web.Account;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.review.LiveAgreement.Figure;
import dev.gameday.review.LiveAgreement.Group;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Live agreement between reviewers (issue 24): every exercise's criteria and weighted total, per rubric version, over
 * every item with two or more submitted reviews. The statistics run on a worker thread; the result is cached until a
 * review is written on this instance (and for at most {@link #CACHE_SECONDS} s, for other instances' writes).
 *
 * <p>Whose reviews: an admin's figures leave out the items the admin holds a draft on (as on the calibration page),
 * so a figure never tells its reader about reviews they could not open; a figure needs {@link LiveAgreement#MIN_ITEMS}
 * double-marked items.
 */
public final class AgreementService {
  static final int CACHE_SECONDS = 30;

  private final Vertx vertx;
  private final Pool pool;
  private final Catalog catalog;
  private final LongSupplier changes;

  /** Keyed by the review generation and the reader's draft items; the value is the computation, shared while it runs. */
  private final com.github.benmanes.caffeine.cache.Cache<String, Future<Figures>> cache = com.github.benmanes.caffeine.cache.Caffeine
      .newBuilder().maximumSize(100).expireAfterWrite(Duration.ofSeconds(CACHE_SECONDS)).build();

  public AgreementService(Vertx vertx, Pool pool, Catalog catalog, LongSupplier changes) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
    this.changes = changes;
  }

  /** The figures, their trend per calendar month ({@link AgreementTrend}), and when they were computed. */
  public record Figures(List<Figure> rows, List<AgreementTrend.Point> trend, OffsetDateTime computedAt, int resamples, long seed) {
    /** The figures of one exercise under one rubric version, criteria in rubric order and the total last. */
    public List<Figure> of(String exercise, String rubricVersion) {
      return rows.stream().filter(f -> f.exercise().equals(exercise) && f.rubricVersion().equals(rubricVersion)).toList();
    }
  }

  public static JsonObject toJson(Figure f) {
    return new JsonObject().put("exercise", f.exercise()).put("criterion", f.criterion()).put("rubric_version", f.rubricVersion())
        .put("alpha", round(f.alpha())).put("ci_low", round(f.ciLow())).put("ci_high", round(f.ciHigh()))
        .put("items", f.items()).put("grade", f.grade());
  }

  static Double round(Double d) {
    return d == null ? null : Math.round(d * 1000) / 1000.0;
  }

  private static final String ROWS = """
      select r.submission_id, r.exercise_id, ri.version_id, r.rubric_version,
             to_char(r.submitted_at at time zone 'UTC', 'YYYY-MM') as month,
             (select jsonb_object_agg(s.key, s.value -> 'level') from jsonb_each(r.scores) s)::text as levels
        from reviews r join review_items ri on ri.submission_id = r.submission_id and ri.exercise_id = r.exercise_id
       where r.state = 'submitted' and not r.practice and ri.reviews_submitted >= 2""";

  private static final String SEVERITY = """
      select r.reviewer_id, a.name, r.submission_id, r.exercise_id, to_char(r.submitted_at at time zone 'UTC', 'YYYY-MM') as month,
             (select jsonb_object_agg(s.key, s.value -> 'level') from jsonb_each(r.scores) s)::text as levels
        from reviews r join accounts a on a.id = r.reviewer_id
        join review_items ri on ri.submission_id = r.submission_id and ri.exercise_id = r.exercise_id
       where r.state = 'submitted' and not r.practice and ri.reviews_submitted >= 2
         and case when $2 then not exists (select 1 from reviews m where m.submission_id = r.submission_id
                                             and m.exercise_id = r.exercise_id and m.reviewer_id = $1 and m.state = 'draft')
                  else exists (select 1 from reviews m where m.submission_id = r.submission_id
                                 and m.exercise_id = r.exercise_id and m.reviewer_id = $1 and m.state = 'submitted') end""";

  /**
   * Reviewer severity (see {@link Severity}): an admin's covers every reviewer (answers the admin holds a draft on left
   * out); a reviewer's covers only themselves, over the answers they reviewed (whose other reviews they can open).
   */
  public Future<List<Severity.Row>> severity(Account me) {
    return pool.preparedQuery(SEVERITY).execute(Tuple.of(me.id(), me.admin())).compose(rows -> {
      List<Severity.Level> levels = new ArrayList<>();
      List<Object[]> raw = new ArrayList<>();
      rows.forEach(r -> raw.add(new Object[] {r.getLong("reviewer_id"), r.getString("name"),
          r.getUUID("submission_id") + "/" + r.getString("exercise_id"), r.getString("exercise_id"), r.getString("month"),
          r.getString("levels")}));
      return vertx.executeBlocking(() -> {
        for (Object[] r : raw) {
          if (r[5] == null) {
            continue;
          }
          JsonObject given = new JsonObject((String) r[5]);
          for (String criterion : given.fieldNames()) {
            if (given.getValue(criterion) instanceof Number n) {
              levels.add(new Severity.Level((Long) r[0], (String) r[1], (String) r[2], r[3] + ":" + criterion, (String) r[4], n.intValue()));
            }
          }
        }
        return Severity.compute(levels).stream().filter(x -> me.admin() || x.reviewerId() == me.id()).toList();
      }, false);
    });
  }

  /** The figures {@code me} may see. */
  public Future<Figures> figures(Account me) {
    long generation = changes.getAsLong();
    return pool.preparedQuery("select submission_id, exercise_id from reviews where reviewer_id = $1 and state = 'draft'")
        .execute(Tuple.of(me.id())).compose(rows -> {
          TreeSet<String> drafts = new TreeSet<>();
          rows.forEach(r -> drafts.add(r.getUUID("submission_id") + "/" + r.getString("exercise_id")));
          String key = generation + "|" + String.join(",", drafts);
          Future<Figures> f = cache.get(key, k -> compute(drafts));
          return f.onFailure(err -> cache.invalidate(key));
        });
  }

  /** One submitted review: {@code levels} is {"criterionId": level, ...}, the notes left in the database. */
  record Rating(String item, String exercise, long versionId, String rubricVersion, String month, String levels) {
  }

  private Future<Figures> compute(Set<String> excluded) {
    return pool.preparedQuery(ROWS).execute().compose(rows -> {
      List<Rating> ratings = new ArrayList<>(rows.size());
      Set<Long> versions = new HashSet<>();
      for (Row r : rows) {
        String item = r.getUUID("submission_id") + "/" + r.getString("exercise_id");
        if (excluded.contains(item)) {
          continue;
        }
        ratings.add(new Rating(item, r.getString("exercise_id"), r.getLong("version_id"), r.getString("rubric_version"),
            r.getString("month"), r.getString("levels")));
        versions.add(r.getLong("version_id"));
      }
      List<Future<Version>> vs = versions.stream().map(catalog::version).toList();
      return Future.all(vs).compose(all -> {
        Map<Long, Version> byId = new HashMap<>();
        for (Version v : all.<Version>list()) {
          byId.put(v.id(), v);
        }
        return vertx.executeBlocking(() -> compute(ratings, byId, exerciseOrder()), false);
      });
    });
  }

  /** Exercises in the order the library's tracks list them; others (retired) after. */
  private List<String> exerciseOrder() {
    List<String> order = new ArrayList<>();
    catalog.tracks().forEach(t -> t.versions().forEach(v -> {
      if (!order.contains(v.exercise().id())) {
        order.add(v.exercise().id());
      }
    }));
    return order;
  }

  /** Pure: ratings (one per submitted review) to figures, per exercise and rubric version. */
  static Figures compute(List<Rating> ratings, Map<Long, Version> versions, List<String> order) {
    record Key(String exercise, String rubricVersion) {
    }
    Map<Key, Version> rubricOf = new LinkedHashMap<>();
    Map<Key, Map<String, List<int[]>>> items = new LinkedHashMap<>();
    Map<String, String> monthOf = new HashMap<>(); // item -> the month of its latest submitted review
    for (Rating r : ratings) {
      Version v = versions.get(r.versionId());
      String rv = r.rubricVersion() != null ? r.rubricVersion() : RubricVersions.of(v);
      Key key = new Key(r.exercise(), rv);
      rubricOf.putIfAbsent(key, v);
      List<Criterion> rubric = v.exercise().rubric();
      JsonObject given = r.levels() == null ? new JsonObject() : new JsonObject(r.levels());
      int[] levels = new int[rubric.size()];
      for (int c = 0; c < levels.length; c++) {
        Object level = given.getValue(rubric.get(c).id());
        levels[c] = level instanceof Number num ? num.intValue() : 0;
      }
      items.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(r.item(), k -> new ArrayList<>()).add(levels);
      if (r.month() != null) {
        monthOf.merge(r.item(), r.month(), (x, y) -> x.compareTo(y) >= 0 ? x : y);
      }
    }
    List<Key> keys = new ArrayList<>(items.keySet());
    keys.sort(java.util.Comparator.<Key>comparingInt(k -> order.contains(k.exercise()) ? order.indexOf(k.exercise()) : order.size())
        .thenComparing(Key::exercise).thenComparing(Key::rubricVersion));
    List<Figure> out = new ArrayList<>();
    List<AgreementTrend.Point> trend = new ArrayList<>();
    for (Key key : keys) {
      List<Criterion> rubric = rubricOf.get(key).exercise().rubric();
      List<int[][]> units = new ArrayList<>();
      Map<String, List<int[][]>> byMonth = new HashMap<>();
      items.get(key).forEach((item, l) -> {
        if (l.size() >= 2) {
          int[][] unit = l.toArray(int[][]::new);
          units.add(unit);
          byMonth.computeIfAbsent(monthOf.getOrDefault(item, "unknown"), m -> new ArrayList<>()).add(unit);
        }
      });
      Group g = new Group(key.exercise(), key.rubricVersion(), rubric.stream().map(Criterion::id).toList(),
          rubric.stream().mapToInt(Criterion::weight).toArray(), units);
      out.addAll(LiveAgreement.compute(g, LiveAgreement.RESAMPLES, LiveAgreement.SEED));
      trend.addAll(AgreementTrend.compute(g, byMonth, LiveAgreement.RESAMPLES, LiveAgreement.SEED));
    }
    return new Figures(out, trend, OffsetDateTime.now(ZoneOffset.UTC), LiveAgreement.RESAMPLES, LiveAgreement.SEED);
  }
}
