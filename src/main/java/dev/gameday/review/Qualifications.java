package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.ReviewerQualification;
import dev.gameday.exercise.Model.Track;
import dev.gameday.web.Account;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reviewer qualification (issue 24): a track with {@code reviewerQualification} counts a reviewer's reviews of its
 * submissions only once their calibration levels are close enough to the reference. Every criterion a reviewer scored
 * on a sample answer of one of the track's exercises is one comparison; they qualify with at least
 * {@code minCriteria} comparisons of which at least {@code share} are within {@code within} levels. Until then a review
 * they submit for the track is marked practice ({@link ReviewDecisions}), and stays practice after they qualify.
 *
 * <p>Only the reviewer's own calibration scores and the published reference levels of the sample answers are read:
 * nothing here says anything about another reviewer's levels on a candidate's answer.
 */
public final class Qualifications {
  /**
   * Per reviewer, exercise and distance from the reference (|level - reference|), how many criteria: the sample
   * answer's reference levels are read from the exercise version the reviewer scored ($1: one reviewer, or null: all).
   */
  private static final String DISTANCES = """
      select cr.reviewer_id, cr.exercise_id,
             abs((s.value ->> 'level')::int - (c.value -> 'scores' ->> s.key)::int) as distance, count(*) as n
        from calibration_reviews cr
        join exercise_versions ev on ev.id = cr.version_id
        cross join lateral jsonb_array_elements(ev.definition -> 'calibration') c
        cross join lateral jsonb_each(cr.scores) s
       where c.value ->> 'name' = cr.calibration_name
         and jsonb_typeof(c.value -> 'scores' -> s.key) = 'number' and jsonb_typeof(s.value -> 'level') = 'number'
         and ($1::bigint is null or cr.reviewer_id = $1)
       group by 1, 2, 3""";

  private static final String REVIEWERS = """
      select id, name from accounts where role in ('reviewer', 'admin') and not disabled order by name, id""";

  /**
   * One reviewer's standing on one track's requirement. {@code scored}: criteria scored on the track's sample answers;
   * {@code close}: how many of them were within the requirement's distance of the reference.
   */
  public record Status(String trackId, String trackTitle, long reviewerId, String reviewer, ReviewerQualification rule,
                       int scored, int close) {
    public boolean qualified() {
      return qualifies(rule, scored, close);
    }

    /** The share close, in whole percent rounded down, so that 79.9% never reads as the 80% it does not reach. */
    public int percent() {
      return scored == 0 ? 0 : (int) Math.floor(close * 100.0 / scored + 1e-9);
    }

    public int needsPercent() {
      return (int) Math.ceil(rule.share() * 100 - 1e-9);
    }

    /** "Scored 6 of 10 criteria within one level of the reference: 60%, needs 80%." and what is left. */
    public String summary() {
      String within = rule.within() == 0 ? "on the reference level" : rule.within() == 1 ? "within one level of the reference"
          : "within " + rule.within() + " levels of the reference";
      String figure = scored == 0 ? "No calibration criteria scored yet for this track"
          : String.format(Locale.ROOT, "Scored %d of %d criteria %s: %d%%, needs %d%%", close, scored, within, percent(), needsPercent());
      if (qualified()) {
        return figure + ". Qualified: your reviews of this track count.";
      }
      String left = scored < rule.minCriteria()
          ? " At least " + rule.minCriteria() + " criteria must be scored: score " + (rule.minCriteria() - scored)
              + " more on the sample answers of this track's exercises."
          : " Score more sample answers of this track's exercises to raise the share.";
      return figure + "." + left;
    }

    public Map<String, Object> view() {
      Map<String, Object> m = new HashMap<>();
      m.put("track", trackId);
      m.put("trackTitle", trackTitle);
      m.put("reviewer", reviewer);
      m.put("scored", scored);
      m.put("close", close);
      m.put("percent", percent());
      m.put("needs", needsPercent());
      m.put("minCriteria", rule.minCriteria());
      m.put("qualified", qualified());
      m.put("summary", summary());
      return m;
    }

    public JsonObject toJson() {
      return new JsonObject().put("track", trackId).put("reviewer", reviewer).put("qualified", qualified())
          .put("scored", scored).put("within", close).put("share", scored == 0 ? 0.0 : (double) close / scored)
          .put("required", new JsonObject().put("within", rule.within()).put("share", rule.share())
              .put("minCriteria", rule.minCriteria()))
          .put("summary", summary());
    }
  }

  /**
   * Whether {@code close} of {@code scored} criteria meet the rule: at least {@code minCriteria} scored and a share of
   * at least {@code share} (exactly the share qualifies; the tolerance only absorbs floating point, e.g. 0.8 * 10).
   */
  static boolean qualifies(ReviewerQualification rule, int scored, int close) {
    return rule == null || scored > 0 && scored >= rule.minCriteria() && close >= rule.share() * scored - 1e-9;
  }

  private final Pool pool;
  private final Catalog catalog;

  public Qualifications(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  /** The requirement of a track, or null when it has none (or is no longer in the library): every review counts. */
  ReviewerQualification rule(String trackId) {
    return trackId == null ? null : catalog.track(trackId).map(t -> t.track().reviewerQualification()).orElse(null);
  }

  /** Tracks that require qualification, in id order. */
  private List<Track> requiring() {
    return catalog.tracks().stream().map(Catalog.CurrentTrack::track).filter(t -> t.reviewerQualification() != null).toList();
  }

  /** My standing on one track; null when the track requires nothing. */
  public Future<Status> of(Account me, String trackId) {
    ReviewerQualification rule = rule(trackId);
    if (rule == null) {
      return Future.succeededFuture();
    }
    Track track = catalog.track(trackId).orElseThrow().track();
    return distances(me.id()).map(d -> status(track, me.id(), me.name(), d.getOrDefault(me.id(), Map.of())));
  }

  /** My standing on every track that requires qualification. */
  public Future<List<Status>> mine(Account me) {
    List<Track> tracks = requiring();
    if (tracks.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return distances(me.id()).map(d -> tracks.stream().map(t -> status(t, me.id(), me.name(), d.getOrDefault(me.id(), Map.of()))).toList());
  }

  /** For admins: every active reviewer's standing on every track that requires qualification. */
  public Future<List<Status>> everyone() {
    List<Track> tracks = requiring();
    if (tracks.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Future<Map<Long, Map<String, Map<Integer, Integer>>>> d = distances(null);
    Future<io.vertx.sqlclient.RowSet<Row>> reviewers = pool.query(REVIEWERS).execute();
    return Future.all(d, reviewers).map(x -> {
      List<Status> out = new ArrayList<>();
      for (Track t : tracks) {
        for (Row r : reviewers.result()) {
          out.add(status(t, r.getLong("id"), r.getString("name"), d.result().getOrDefault(r.getLong("id"), Map.of())));
        }
      }
      return out;
    });
  }

  /** reviewer -> exercise -> distance -> criteria. */
  private Future<Map<Long, Map<String, Map<Integer, Integer>>>> distances(Long reviewerId) {
    return pool.preparedQuery(DISTANCES).execute(Tuple.of(reviewerId)).map(rows -> {
      Map<Long, Map<String, Map<Integer, Integer>>> out = new HashMap<>();
      rows.forEach(r -> out.computeIfAbsent(r.getLong("reviewer_id"), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.getString("exercise_id"), k -> new HashMap<>())
          .merge(r.getInteger("distance"), r.getLong("n").intValue(), Integer::sum));
      return out;
    });
  }

  static Status status(Track track, long reviewerId, String reviewer, Map<String, Map<Integer, Integer>> byExercise) {
    ReviewerQualification rule = track.reviewerQualification();
    int scored = 0;
    int close = 0;
    for (String exercise : track.exercises()) {
      for (Map.Entry<Integer, Integer> e : byExercise.getOrDefault(exercise, Map.of()).entrySet()) {
        scored += e.getValue();
        close += e.getKey() <= rule.within() ? e.getValue() : 0;
      }
    }
    return new Status(track.id(), track.title(), reviewerId, reviewer, rule, scored, close);
  }
}
