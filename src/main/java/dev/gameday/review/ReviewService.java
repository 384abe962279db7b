package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Blind, independent review: the queue and what a reviewer reads (items, sealed answers, reviews, aggregates). The
 * unit of review is one exercise of one submission (an "item"), so a reviewer can score the same question across
 * candidates. No query here selects a candidate's name or email (the sealed answer
 * reads them only to mask them). Writes (reviews, decisions, the identity reveal) are {@link ReviewDecisions}'.
 */
public final class ReviewService {
  private static final String ITEM = """
      select ri.submission_id, ri.exercise_id, ri.version_id, ri.track_id, ri.pseudonym, ri.submitted_at,
             ri.reviews_required, ri.reviews_active, ri.reviews_submitted, ri.disagreement, ri.decided, ri.no_answer, r.state as my_state,
             (select i.variant_seed from submissions s join invitations i on i.id = s.invitation_id where s.id = ri.submission_id) as variant_seed
        from review_items ri
        left join reviews r on r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.reviewer_id = $3
       where ri.submission_id = $1 and ri.exercise_id = $2""";
  private static final String ITEMS_OF_SUBMISSION = """
      select ri.submission_id, ri.exercise_id, ri.version_id, ri.track_id, ri.pseudonym, ri.submitted_at,
             ri.reviews_required, ri.reviews_active, ri.reviews_submitted, ri.disagreement, ri.decided, ri.no_answer, r.state as my_state,
             (select i.variant_seed from submissions s join invitations i on i.id = s.invitation_id where s.id = ri.submission_id) as variant_seed
        from review_items ri
        left join reviews r on r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.reviewer_id = $2
        join invitation_exercises ie on ie.exercise_id = ri.exercise_id
        join submissions s on s.id = ri.submission_id and s.invitation_id = ie.invitation_id
       where ri.submission_id = $1 order by ie.position""";
  private static final String REVIEWS = """
      select r.id, r.reviewer_id, a.name as reviewer_name, r.state, r.recommendation, r.scores, r.submitted_at, r.updated_at,
             r.rubric_version, r.adjudicator, r.for_candidate, r.practice
        from reviews r join accounts a on a.id = r.reviewer_id
       where r.submission_id = $1 and r.exercise_id = $2 order by r.submitted_at nulls last, r.id""";

  private final Pool pool;
  private final Catalog catalog;
  private final Adjudication adjudication;
  private final Qualifications qualifications;
  private final TrailQuestions questions;
  private final ReviewQueue queue;

  public ReviewService(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
    this.adjudication = new Adjudication(pool, catalog);
    this.qualifications = new Qualifications(pool, catalog);
    this.questions = new TrailQuestions(pool, catalog);
    this.queue = new ReviewQueue(pool, this);
  }

  /** The queue's pages (see {@link ReviewQueue}). */
  public ReviewQueue queue() {
    return queue;
  }

  /** The tracks whose reviews of mine are practice for now (see {@link Qualifications}), for the queue to say so. */
  public Future<List<Qualifications.Status>> notQualified(Account me) {
    return qualifications.mine(me).map(all -> all.stream().filter(q -> !q.qualified()).toList());
  }

  /** Questions from the trail (issue 25): for a viewer who {@link #seesOthers}, else none are computed. */
  Future<List<Observations.Question>> questions(Item item, Sealed sealed, Account me) {
    return seesOthers(item.myState(), me) ? questions.of(item, sealed) : Future.succeededFuture(null);
  }

  /**
   * One exercise of one submission, as a reviewer sees it: a pseudonym, never a name. {@code disagreement} is null
   * while the viewer may not see others' reviews of it (see {@link #seesOthers}): the flag tells something about them.
   */
  public record Item(UUID submissionId, String exerciseId, Version version, String trackId, String pseudonym,
                     OffsetDateTime submittedAt, int reviewsRequired, int reviewsActive, int reviewsSubmitted,
                     Boolean disagreement, boolean decided, String myState, boolean noAnswer) {
    public boolean iSubmitted() {
      return "submitted".equals(myState);
    }

    public boolean flagged() {
      return Boolean.TRUE.equals(disagreement);
    }

    public String status() {
      if (decided) {
        return "decided";
      }
      if (flagged()) {
        return "disagreement";
      }
      return reviewsSubmitted >= reviewsRequired ? "reviewed" : "needs_reviews";
    }

    public JsonObject toJson() {
      // sized for its 13 fields: a default JsonObject's map grows once on the way (a queue page writes 50 of these)
      return new JsonObject(new java.util.LinkedHashMap<>(32)).put("submissionId", submissionId.toString()).put("exerciseId", exerciseId)
          .put("exerciseTitle", version.exercise().title()).put("track", trackId).put("pseudonym", pseudonym)
          .put("submittedAt", submittedAt.toString()).put("reviewsRequired", reviewsRequired)
          .put("reviewsSubmitted", reviewsSubmitted).put("disagreement", disagreement).put("decided", decided)
          .put("status", status()).put("myReview", myState == null ? "none" : myState).put("noAnswer", noAnswer);
    }
  }

  /**
   * Whether {@code me} may see what others' submitted reviews of an item say (their levels, the aggregate, the
   * disagreement flag): after submitting my own, or as an admin who is not reviewing it. Same rule as {@link #visible}.
   */
  public static boolean seesOthers(String myState, Account me) {
    return "submitted".equals(myState) || me.admin() && myState == null;
  }

  private Future<Item> item(Row r, Account me) {
    return item(r, me, true);
  }

  /**
   * {@code variant}: the item's version as the candidate's variant renders it (an item's page, a submission's pages),
   * or as the library writes it (the queue, which shows titles only: fifty variants built for one page of it made the
   * queue's deep pages ten times slower).
   */
  Future<Item> item(Row r, Account me, boolean variant) {
    String mine = r.getString("my_state");
    Boolean disagreement = seesOthers(mine, me) ? r.getBoolean("disagreement") : null;
    long seed = variant ? r.getLong("variant_seed") : 0; // seed 0: the library's version
    return catalog.version(r.getLong("version_id"), seed).map(v -> new Item(r.getUUID("submission_id"), r.getString("exercise_id"), v,
        r.getString("track_id"), r.getString("pseudonym"), r.getOffsetDateTime("submitted_at"), r.getInteger("reviews_required"),
        r.getInteger("reviews_active"), r.getInteger("reviews_submitted"), disagreement, r.getBoolean("decided"), mine,
        Boolean.TRUE.equals(r.getBoolean("no_answer"))));
  }

  private Future<List<Item>> items(io.vertx.sqlclient.RowSet<Row> rows, Account me) {
    List<Future<Item>> all = new ArrayList<>();
    rows.forEach(r -> all.add(item(r, me)));
    return Future.all(all).map(f -> f.list());
  }

  /**
   * The next item for me: undecided, still short of reviewers, not yet reviewed by me; the fewest reviews first,
   * then the oldest submission, so that work spreads evenly and nobody waits longest.
   */
  public Future<Item> next(Account me, String exercise) {
    // an answer awaiting a third review goes first to the best-calibrated reviewers (see Adjudication)
    return adjudication.offer(me, blank(exercise)).compose(offer -> offer != null
        ? item(UUID.fromString(offer[0]), offer[1], me) : pool.preparedQuery("""
        select ri.submission_id, ri.exercise_id from review_items ri
         where not ri.decided and ri.reviews_active < ri.reviews_required
           and ($2::text is null or ri.exercise_id = $2)
           and (ri.adjudication is distinct from 'needed' or ri.adjudication_since < now() - make_interval(hours => $3))
           and not exists (select 1 from reviews r where r.submission_id = ri.submission_id
                             and r.exercise_id = ri.exercise_id and r.reviewer_id = $1)
         order by ri.reviews_active, ri.submitted_at, ri.submission_id, ri.exercise_id
         limit 1""").execute(Tuple.of(me.id(), blank(exercise), Adjudication.WAIT_HOURS))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : item(rows.iterator().next().getUUID("submission_id"), rows.iterator().next().getString("exercise_id"), me)));
  }

  public Future<Item> item(UUID submissionId, String exerciseId, Account me) {
    return pool.preparedQuery(ITEM).execute(Tuple.of(submissionId, exerciseId, me.id())).compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound()) : item(rows.iterator().next(), me));
  }

  public Future<List<Item>> itemsOf(UUID submissionId, Account me) {
    return pool.preparedQuery(ITEMS_OF_SUBMISSION).execute(Tuple.of(submissionId, me.id())).compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound()) : items(rows, me));
  }

  static ClientError notFound() {
    return new ClientError(404, "not_found", "There is no such submission.");
  }

  /**
   * What the candidate sealed for one exercise: section id to Markdown, and the investigation trail (empty for a
   * snapshot taken before trails were recorded). One read of this exercise's part of the snapshot, as {@code json}
   * so the sections keep the order they were sealed in.
   */
  public record Sealed(Map<String, String> sections, java.util.Optional<List<dev.gameday.candidate.Trails.Event>> trail) {
  }

  /**
   * The one query here that reads a candidate's name and email: only to mask them in the answer (see
   * {@link PersonalDetails}); they never leave {@link #answer}.
   */
  private static final String SEALED_EXERCISE = """
      select e.value -> 'sections' as sections, e.value -> 'trail' as trail, i.candidate_name, i.candidate_email
        from submissions s join invitations i on i.id = s.invitation_id, json_array_elements(s.snapshot::json -> 'exercises') e
       where s.id = $1 and e.value ->> 'exerciseId' = $2""";

  /** The sealed answer with the candidate's personal details masked (on a worker), as every reviewer reads it. */
  public Future<Sealed> answer(UUID submissionId, String exerciseId) {
    return answer(submissionId, exerciseId, true);
  }

  /** @param masked false only for an admin after the identity was revealed (audited) */
  public Future<Sealed> answer(UUID submissionId, String exerciseId, boolean masked) {
    return pool.preparedQuery(SEALED_EXERCISE).execute(Tuple.of(submissionId, exerciseId)).compose(rows -> {
      if (!masked || rows.size() == 0) {
        return Future.succeededFuture(sealed(rows));
      }
      Row r = rows.iterator().next();
      String name = r.getString("candidate_name");
      String email = r.getString("candidate_email");
      io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
      java.util.concurrent.Callable<Sealed> work = () -> {
        Sealed plain = sealed(rows);
        return new Sealed(PersonalDetails.mask(plain.sections(), name, email), plain.trail());
      };
      return context == null ? Future.fromCompletionStage(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return work.call();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      })) : context.owner().executeBlocking(work, false);
    });
  }

  private static Sealed sealed(io.vertx.sqlclient.RowSet<Row> rows) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rows.size() == 0) {
      return new Sealed(out, java.util.Optional.empty());
    }
    Row r = rows.iterator().next();
    if (r.getValue("sections") instanceof JsonObject sections) {
      sections.forEach(en -> out.put(en.getKey(), String.valueOf(en.getValue())));
    }
    if (!(r.getValue("trail") instanceof JsonArray a)) {
      return new Sealed(out, java.util.Optional.empty());
    }
    List<dev.gameday.candidate.Trails.Event> trail = new ArrayList<>();
    a.forEach(o -> trail.add(dev.gameday.candidate.Trails.Event.fromJson((JsonObject) o)));
    return new Sealed(out, java.util.Optional.of(trail));
  }

  /**
   * A review as stored. {@code scores}: criterion id to level and note; {@code rubricVersion}: the version of the
   * rubric it was submitted against (null for a draft); {@code forCandidate}: the reviewer's comment for the candidate,
   * shown to them only once feedback is released ({@link Feedback}); {@code practice}: submitted before its reviewer
   * qualified for the track ({@link Qualifications}), so it counts for nothing.
   */
  public record Review(long id, long reviewerId, String reviewerName, String state, String recommendation,
                       JsonObject scores, String rubricVersion, boolean adjudicator, String forCandidate, boolean practice) {
    /** Submitted and not practice: a review that counts toward the answer's result and decision. */
    public boolean counts() {
      return "submitted".equals(state) && !practice;
    }

    public Integer level(String criterionId) {
      JsonObject s = scores.getJsonObject(criterionId);
      return s == null ? null : s.getInteger("level");
    }

    public String note(String criterionId) {
      JsonObject s = scores.getJsonObject(criterionId);
      return s == null ? "" : s.getString("note", "");
    }

    public JsonObject toJson() {
      return new JsonObject().put("reviewer", reviewerName).put("state", state).put("recommendation", recommendation)
          .put("scores", scores).put("rubricVersion", rubricVersion).put("adjudicator", adjudicator)
          .put("for_candidate", forCandidate).put("practice", practice);
    }
  }

  public Future<List<Review>> reviews(UUID submissionId, String exerciseId) {
    return pool.preparedQuery(REVIEWS).execute(Tuple.of(submissionId, exerciseId)).map(rows -> {
      List<Review> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Review(r.getLong("id"), r.getLong("reviewer_id"), r.getString("reviewer_name"),
          r.getString("state"), r.getString("recommendation"), r.getJsonObject("scores"), r.getString("rubric_version"),
          Boolean.TRUE.equals(r.getBoolean("adjudicator")), r.getString("for_candidate"), Boolean.TRUE.equals(r.getBoolean("practice")))));
      return out;
    });
  }

  /**
   * Whose reviews {@code me} may see on an item: always their own; others' submitted reviews only once their own is
   * submitted (independence), or as an admin who is not reviewing it; never another reviewer's draft. Another
   * reviewer's practice review only to an admin: it is that reviewer's exercise, not part of the answer's result.
   */
  public static List<Review> visible(List<Review> all, Item item, Account me) {
    boolean reviewing = all.stream().anyMatch(r -> r.reviewerId() == me.id());
    boolean seeOthers = item.iSubmitted() || me.admin() && !reviewing;
    return all.stream().filter(r -> r.reviewerId() == me.id()
        || seeOthers && "submitted".equals(r.state()) && (!r.practice() || me.admin())).toList();
  }

  /** Validates scores against the rubric. {@code complete}: every criterion and a recommendation are required. */  /** Weighted aggregate of submitted reviews: per criterion mean, overall weighted mean (levels 1-4). */
  public record Aggregate(Map<String, Double> criterionMeans, Double overall, int reviews, boolean disagreement) {
    public JsonObject toJson() {
      JsonObject c = new JsonObject();
      criterionMeans.forEach(c::put);
      return new JsonObject().put("criteria", c).put("overall", overall).put("reviews", reviews).put("disagreement", disagreement);
    }
  }

  /** Practice reviews ({@link Review#practice}) are left out: they count for nothing. */
  public static Aggregate aggregate(Exercise exercise, List<Review> reviews) {
    List<Review> done = reviews.stream().filter(Review::counts).toList();
    // adjudicated (issue 24): a third reviewer settled a disagreement, and the level is the median of the three
    boolean adjudicated = done.stream().anyMatch(Review::adjudicator);
    Map<String, Double> means = new LinkedHashMap<>();
    double weighted = 0;
    int weights = 0;
    boolean disagreement = false;
    for (Criterion c : exercise.rubric()) {
      List<Integer> levels = done.stream().map(r -> r.level(c.id())).filter(l -> l != null).toList();
      if (levels.isEmpty()) {
        continue;
      }
      double mean = adjudicated ? median(levels) : levels.stream().mapToInt(Integer::intValue).average().orElse(0);
      means.put(c.id(), Math.round(mean * 100) / 100.0);
      weighted += mean * c.weight();
      weights += c.weight();
      int spread = levels.stream().mapToInt(Integer::intValue).max().getAsInt() - levels.stream().mapToInt(Integer::intValue).min().getAsInt();
      disagreement |= spread >= 2;
    }
    Double overall = weights == 0 ? null : Math.round(weighted / weights * 100) / 100.0;
    return new Aggregate(means, overall, done.size(), disagreement);
  }

  /** The median of the levels (of an even number: the mean of the middle two). */
  static double median(List<Integer> levels) {
    int[] sorted = levels.stream().mapToInt(Integer::intValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
  /** Tracks' ids and their exercises, for the queue's filters. */
  public List<Map<String, Object>> filters() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var t : catalog.tracks()) {
      out.add(Map.of("id", t.track().id(), "title", t.track().title(), "exercises",
          t.versions().stream().map(v -> Map.of("id", v.exercise().id(), "title", v.exercise().title())).toList()));
    }
    return out;
  }

  static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static JsonArray toJson(List<Item> items) {
    return new JsonArray(items.stream().map(Item::toJson).toList());
  }
}
