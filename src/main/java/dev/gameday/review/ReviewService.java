package dev.gameday.review;

import dev.gameday.web.Account;
import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
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
import java.util.Set;
import java.util.UUID;

/**
 * Blind, independent review. The unit of review is one exercise of one submission (an "item"), so a reviewer can
 * score the same question across candidates. No query here selects a candidate's name or email, except
 * {@link #reveal}, which only an admin reaches, only after a decision, and which is audited.
 */
public final class ReviewService {
  public static final int PAGE_SIZE = 50;
  public static final int MAX_NOTE = 2000;
  public static final List<String> RECOMMENDATIONS = List.of("strong_no", "no", "yes", "strong_yes");
  public static final List<String> DECISIONS = List.of("advance", "hold", "decline");
  public static final Set<String> STATUSES = Set.of("all", "mine", "more", "disagreement", "decided");

  /**
   * The queue's statement for one combination of filters: a predicate only for a filter that is given, so each
   * combination is its own prepared statement with a plan that reads the matching index in order ($1: me, then the
   * track and exercise when given, then limit and offset; the admin flag only for "disagreement").
   */
  private static String queueSql(boolean track, boolean exercise, String status) {
    StringBuilder where = new StringBuilder(" where true");
    int n = 2;
    if (track) {
      where.append(" and ri.track_id = $").append(n++);
    }
    if (exercise) {
      where.append(" and ri.exercise_id = $").append(n++);
    }
    switch (status) {
      case "mine" -> where.append(" and not ri.decided and r.state is distinct from 'submitted'"
          + " and (r.id is not null or ri.reviews_active < ri.reviews_required)");
      case "more" -> where.append(" and not ri.decided and ri.reviews_submitted < ri.reviews_required");
      case "disagreement" -> where.append(" and ri.disagreement and (r.state = 'submitted' or $").append(n + 2).append(" and r.id is null)");
      case "decided" -> where.append(" and ri.decided");
      default -> { }
    }
    return """
        select ri.submission_id, ri.exercise_id, ri.version_id, ri.track_id, ri.pseudonym, ri.submitted_at,
               ri.reviews_required, ri.reviews_active, ri.reviews_submitted, ri.disagreement, ri.decided, ri.no_answer, r.state as my_state
          from review_items ri
          left join reviews r on r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.reviewer_id = $1
        """ + where + (exercise ? "\n order by ri.submitted_at desc, ri.submission_id" : "\n order by ri.submitted_at desc, ri.submission_id, ri.position")
        + "\n limit $" + n + " offset $" + (n + 1);
  }

  private static final String ITEM = """
      select ri.submission_id, ri.exercise_id, ri.version_id, ri.track_id, ri.pseudonym, ri.submitted_at,
             ri.reviews_required, ri.reviews_active, ri.reviews_submitted, ri.disagreement, ri.decided, ri.no_answer, r.state as my_state
        from review_items ri
        left join reviews r on r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.reviewer_id = $3
       where ri.submission_id = $1 and ri.exercise_id = $2""";
  private static final String ITEMS_OF_SUBMISSION = """
      select ri.submission_id, ri.exercise_id, ri.version_id, ri.track_id, ri.pseudonym, ri.submitted_at,
             ri.reviews_required, ri.reviews_active, ri.reviews_submitted, ri.disagreement, ri.decided, ri.no_answer, r.state as my_state
        from review_items ri
        left join reviews r on r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.reviewer_id = $2
        join invitation_exercises ie on ie.exercise_id = ri.exercise_id
        join submissions s on s.id = ri.submission_id and s.invitation_id = ie.invitation_id
       where ri.submission_id = $1 order by ie.position""";
  private static final String REVIEWS = """
      select r.id, r.reviewer_id, a.name as reviewer_name, r.state, r.recommendation, r.scores, r.submitted_at, r.updated_at,
             r.rubric_version, r.adjudicator
        from reviews r join accounts a on a.id = r.reviewer_id
       where r.submission_id = $1 and r.exercise_id = $2 order by r.submitted_at nulls last, r.id""";
  private static final String SAVE_DRAFT = """
      insert into reviews (submission_id, exercise_id, reviewer_id, scores, recommendation)
      select $1, $2, $3, $4, $5 from review_items ri
       where ri.submission_id = $1 and ri.exercise_id = $2 and not ri.decided
      on conflict (submission_id, exercise_id, reviewer_id) do update
         set scores = excluded.scores, recommendation = excluded.recommendation, updated_at = now()
       where reviews.state = 'draft'
      returning id""";
  private static final String SUBMIT = """
      update reviews set state = 'submitted', submitted_at = now(), updated_at = now(), rubric_version = $4,
             adjudicator = exists (select 1 from review_items ri where ri.submission_id = $1 and ri.exercise_id = $2
                                     and ri.adjudication = 'needed')
       where submission_id = $1 and exercise_id = $2 and reviewer_id = $3 and state = 'draft'
         and not exists (select 1 from review_items ri where ri.submission_id = $1 and ri.exercise_id = $2 and ri.decided)
      returning id""";
  private static final String RECOUNT = """
      update review_items ri set
        reviews_active = (select count(*) from reviews r where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id),
        reviews_submitted = (select count(*) from reviews r
                              where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.state = 'submitted'),
        disagreement = coalesce((select bool_or(spread >= 2) from (
            select max((s.value->>'level')::int) - min((s.value->>'level')::int) as spread
              from reviews r, jsonb_each(r.scores) as s
             where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.state = 'submitted'
             group by s.key) x), false)
       where ri.submission_id = $1 and ri.exercise_id = $2""";
  /**
   * After a recount: submitted reviews two or more levels apart, not yet adjudicated, start an adjudication (one more
   * review wanted, the means per criterion kept as "before"); a submitted adjudicating review ends it.
   */
  private static final String ADJUDICATION = """
      update review_items ri set
        adjudication = case when exists (select 1 from reviews r where r.submission_id = ri.submission_id
                                           and r.exercise_id = ri.exercise_id and r.state = 'submitted' and r.adjudicator)
                            then 'done' else 'needed' end,
        adjudication_since = coalesce(ri.adjudication_since, now()),
        reviews_required = case when ri.adjudication is null then greatest(ri.reviews_required, ri.reviews_submitted + 1)
                                else ri.reviews_required end,
        adjudication_before = coalesce(ri.adjudication_before, (select jsonb_object_agg(k, m) from (
            select s.key as k, round(avg((s.value->>'level')::numeric), 2) as m
              from reviews r, jsonb_each(r.scores) s
             where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.state = 'submitted'
             group by s.key) x))
       where ri.submission_id = $1 and ri.exercise_id = $2 and not ri.decided
         and (ri.adjudication = 'needed' or ri.adjudication is null and ri.disagreement)""";

  private final Pool pool;
  private final Catalog catalog;
  private final Adjudication adjudication;

  /** Bumped after every write to reviews, so caches of figures computed from them know they are out of date. */
  private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

  public ReviewService(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
    this.adjudication = new Adjudication(pool, catalog);
  }

  /** How many review writes this instance has made (see {@link CalibrationRoutes}' figure cache). */
  public long changes() {
    return changes.get();
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
      return new JsonObject().put("submissionId", submissionId.toString()).put("exerciseId", exerciseId)
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
    String mine = r.getString("my_state");
    Boolean disagreement = seesOthers(mine, me) ? r.getBoolean("disagreement") : null;
    return catalog.version(r.getLong("version_id")).map(v -> new Item(r.getUUID("submission_id"), r.getString("exercise_id"), v,
        r.getString("track_id"), r.getString("pseudonym"), r.getOffsetDateTime("submitted_at"), r.getInteger("reviews_required"),
        r.getInteger("reviews_active"), r.getInteger("reviews_submitted"), disagreement, r.getBoolean("decided"), mine,
        Boolean.TRUE.equals(r.getBoolean("no_answer"))));
  }

  private Future<List<Item>> items(io.vertx.sqlclient.RowSet<Row> rows, Account me) {
    List<Future<Item>> all = new ArrayList<>();
    rows.forEach(r -> all.add(item(r, me)));
    return Future.all(all).map(f -> f.list());
  }

  /** A page of the queue, newest first; one more row than the page is read to know whether another page exists. */
  public Future<List<Item>> queue(Account me, String track, String exercise, String status, int page) {
    String s = status == null || !STATUSES.contains(status) ? "all" : status;
    String t = blank(track);
    String e = blank(exercise);
    Tuple args = Tuple.of(me.id());
    if (t != null) {
      args.addString(t);
    }
    if (e != null) {
      args.addString(e);
    }
    args.addInteger(PAGE_SIZE + 1).addInteger(Math.max(0, page) * PAGE_SIZE);
    if ("disagreement".equals(s)) {
      args.addBoolean(me.admin());
    }
    return pool.preparedQuery(queueSql(t != null, e != null, s)).execute(args).compose(rows -> items(rows, me));
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
   * The one other query here that reads a candidate's name and email: only to mask them in the answer (see
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
   * rubric it was submitted against (null for a draft).
   */
  public record Review(long id, long reviewerId, String reviewerName, String state, String recommendation,
                       JsonObject scores, String rubricVersion, boolean adjudicator) {
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
          .put("scores", scores).put("rubricVersion", rubricVersion).put("adjudicator", adjudicator);
    }
  }

  public Future<List<Review>> reviews(UUID submissionId, String exerciseId) {
    return pool.preparedQuery(REVIEWS).execute(Tuple.of(submissionId, exerciseId)).map(rows -> {
      List<Review> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Review(r.getLong("id"), r.getLong("reviewer_id"), r.getString("reviewer_name"),
          r.getString("state"), r.getString("recommendation"), r.getJsonObject("scores"), r.getString("rubric_version"),
          Boolean.TRUE.equals(r.getBoolean("adjudicator")))));
      return out;
    });
  }

  /**
   * Whose reviews {@code me} may see on an item: always their own; others' submitted reviews only once their own is
   * submitted (independence), or as an admin who is not reviewing it; never another reviewer's draft.
   */
  public static List<Review> visible(List<Review> all, Item item, Account me) {
    boolean reviewing = all.stream().anyMatch(r -> r.reviewerId() == me.id());
    boolean seeOthers = item.iSubmitted() || me.admin() && !reviewing;
    return all.stream().filter(r -> r.reviewerId() == me.id() || seeOthers && "submitted".equals(r.state())).toList();
  }

  /** Validates scores against the rubric. {@code complete}: every criterion and a recommendation are required. */
  static JsonObject validScores(Exercise exercise, JsonObject scores, String recommendation, boolean complete) {
    if (recommendation != null && !RECOMMENDATIONS.contains(recommendation)) {
      throw new ClientError(400, "invalid_recommendation", "The recommendation must be one of " + RECOMMENDATIONS + ".");
    }
    JsonObject clean = new JsonObject();
    for (String key : scores.fieldNames()) {
      Criterion c = exercise.rubric().stream().filter(x -> x.id().equals(key)).findFirst().orElse(null);
      if (c == null) {
        throw new ClientError(400, "unknown_criterion", "The rubric has no criterion '" + key + "'.");
      }
      Object raw = scores.getValue(key);
      if (!(raw instanceof JsonObject s)) {
        throw new ClientError(400, "invalid_scores", "Each score must be an object with 'level' and 'note'.");
      }
      Object level = s.getValue("level");
      Object note = s.getValue("note");
      if (level != null && (!(level instanceof Number n) || n.intValue() < 1 || n.intValue() > 4 || n.doubleValue() != n.intValue())) {
        throw new ClientError(400, "invalid_level", "A level must be 1, 2, 3 or 4.");
      }
      if (note != null && !(note instanceof String)) {
        throw new ClientError(400, "invalid_scores", "A note must be text.");
      }
      String text = note == null ? "" : ((String) note).strip();
      if (text.length() > MAX_NOTE) {
        throw new ClientError(400, "note_too_long", "An evidence note may be at most " + MAX_NOTE + " characters.");
      }
      JsonObject out = new JsonObject().put("note", text);
      if (level != null) {
        out.put("level", ((Number) level).intValue());
      }
      clean.put(key, out);
    }
    if (complete) {
      for (Criterion c : exercise.rubric()) {
        JsonObject s = clean.getJsonObject(c.id());
        if (s == null || s.getInteger("level") == null) {
          throw new ClientError(400, "incomplete", "Pick a level for every criterion before submitting ('" + c.title() + "' has none).");
        }
      }
      if (recommendation == null) {
        throw new ClientError(400, "incomplete", "Choose an overall recommendation before submitting.");
      }
    }
    return clean;
  }

  /** Saves my draft; with {@code submit}, also submits it (all criteria and a recommendation required). */
  public Future<Void> save(Item item, Account me, JsonObject scores, String recommendation, boolean submit) {
    if (item.decided()) {
      return Future.failedFuture(new ClientError(409, "decided", "A decision has been made; the reviews are read-only."));
    }
    if (item.iSubmitted()) {
      return Future.failedFuture(new ClientError(409, "already_submitted", "You have already submitted your review of this answer."));
    }
    JsonObject clean;
    try {
      clean = validScores(item.version().exercise(), scores, recommendation, submit);
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    return pool.withTransaction(conn -> conn.preparedQuery(SAVE_DRAFT)
        .execute(Tuple.of(item.submissionId(), item.exerciseId(), me.id(), clean, recommendation))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ClientError(409, "already_submitted", "This review can no longer be changed."))
            : Future.succeededFuture())
        .compose(v -> submit ? conn.preparedQuery(SUBMIT)
            .execute(Tuple.of(item.submissionId(), item.exerciseId(), me.id(), RubricVersions.of(item.version())))
            .compose(rows -> rows.size() == 0
                ? Future.failedFuture(new ClientError(409, "decided", "This review can no longer be submitted."))
                : Future.succeededFuture()) : Future.succeededFuture())
        .compose(v -> conn.preparedQuery(RECOUNT).execute(Tuple.of(item.submissionId(), item.exerciseId())))
        .compose(v -> submit ? conn.preparedQuery(ADJUDICATION).execute(Tuple.of(item.submissionId(), item.exerciseId()))
            .<Void>mapEmpty() : Future.<Void>succeededFuture())
        // a draft is nobody else's business, not even an admin's: the log says who saved one on which answer, and
        // keeps the content only of what was submitted
        .compose(v -> Audit.record(conn, me.email(), submit ? "review.submitted" : "review.draft_saved",
            "submission:" + item.submissionId() + "/" + item.exerciseId(),
            submit ? new JsonObject().put("scores", clean).put("recommendation", recommendation) : new JsonObject())))
        .andThen(done -> changes.incrementAndGet());
  }

  /** Weighted aggregate of submitted reviews: per criterion mean, overall weighted mean (levels 1-4). */
  public record Aggregate(Map<String, Double> criterionMeans, Double overall, int reviews, boolean disagreement) {
    public JsonObject toJson() {
      JsonObject c = new JsonObject();
      criterionMeans.forEach(c::put);
      return new JsonObject().put("criteria", c).put("overall", overall).put("reviews", reviews).put("disagreement", disagreement);
    }
  }

  public static Aggregate aggregate(Exercise exercise, List<Review> reviews) {
    List<Review> done = reviews.stream().filter(r -> "submitted".equals(r.state())).toList();
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

  public record Decision(String decision, String rationale, String decidedBy, OffsetDateTime decidedAt, String overrideReason) {
    public JsonObject toJson() {
      return new JsonObject().put("decision", decision).put("rationale", rationale).put("decidedBy", decidedBy)
          .put("decidedAt", decidedAt.toString()).put("override_reason", overrideReason);
    }
  }

  public Future<Decision> decision(UUID submissionId) {
    return pool.preparedQuery("""
        select d.decision, d.rationale, a.name, d.decided_at, d.override_reason from decisions d join accounts a on a.id = d.decided_by
         where d.submission_id = $1""").execute(Tuple.of(submissionId)).map(rows -> rows.size() == 0 ? null
        : new Decision(rows.iterator().next().getString("decision"), rows.iterator().next().getString("rationale"),
            rows.iterator().next().getString("name"), rows.iterator().next().getOffsetDateTime("decided_at"),
            rows.iterator().next().getString("override_reason")));
  }

  /** An admin's decision; once made, the submission's reviews are read-only. */
  public Future<Void> decide(UUID submissionId, Account admin, String decision, String rationale) {
    return decide(submissionId, admin, decision, rationale, null);
  }

  /**
   * @param override null, or the override of the decision gate ({@code reason}, {@code for}: what it overrides; see
   *     {@link DecisionGate}), stored with the decision and in its audit entry
   */
  public Future<Void> decide(UUID submissionId, Account admin, String decision, String rationale, JsonObject override) {
    if (!admin.admin()) {
      return Future.failedFuture(new ClientError(403, "forbidden", "Only an admin can decide."));
    }
    if (decision == null || !DECISIONS.contains(decision)) {
      return Future.failedFuture(new ClientError(400, "invalid_decision", "The decision must be advance, hold or decline."));
    }
    String why = rationale == null ? "" : rationale.strip();
    if (why.isEmpty() || why.length() > 5000) {
      return Future.failedFuture(new ClientError(400, "invalid_rationale", "Write a rationale of 1 to 5,000 characters."));
    }
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into decisions (submission_id, decision, rationale, decided_by, override_reason, override_for)
            select $1, $2, $3, $4, $5, $6 where exists (select 1 from submissions where id = $1)
            on conflict (submission_id) do nothing returning submission_id""")
        .execute(Tuple.of(submissionId, decision, why, admin.id(), override == null ? null : override.getString("reason"),
            override == null ? null : override.getJsonArray("for")))
        .compose(rows -> rows.size() == 0
            ? pool.preparedQuery("select 1 from submissions where id = $1").execute(Tuple.of(submissionId))
                .compose(s -> Future.failedFuture(s.size() == 0 ? notFound()
                    : new ClientError(409, "decided", "This submission has already been decided.")))
            : Future.succeededFuture())
        .compose(v -> conn.preparedQuery("update review_items set decided = true where submission_id = $1").execute(Tuple.of(submissionId)))
        .compose(v -> Audit.record(conn, admin.email(), "decision.made", "submission:" + submissionId,
            override == null ? new JsonObject().put("decision", decision).put("rationale", why)
                : new JsonObject().put("decision", decision).put("rationale", why)
                    .put("override_reason", override.getString("reason")).put("override_for", override.getJsonArray("for")))));
  }

  /** Candidate identity, for an admin, after a decision; every reveal is written to the audit log. */
  public Future<JsonObject> reveal(UUID submissionId, Account admin) {
    if (!admin.admin()) {
      return Future.failedFuture(new ClientError(403, "forbidden", "Only an admin can reveal identity."));
    }
    // the row lock orders concurrent reveals, so only the first writes the audit entry
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select i.candidate_name, i.candidate_email, i.pseudonym, d.decision,
                   exists (select 1 from audit_log a where a.action = 'identity.revealed' and a.subject = $2) as revealed
              from submissions s join invitations i on i.id = s.invitation_id
              left join decisions d on d.submission_id = s.id where s.id = $1 for update of s""")
        .execute(Tuple.of(submissionId, "submission:" + submissionId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(notFound());
          }
          Row r = rows.iterator().next();
          if (r.getString("decision") == null) {
            return Future.failedFuture(new ClientError(409, "not_decided", "Identity can be revealed only after a decision."));
          }
          JsonObject id = new JsonObject().put("pseudonym", r.getString("pseudonym")).put("name", r.getString("candidate_name"))
              .put("email", r.getString("candidate_email"));
          if (r.getBoolean("revealed")) {
            return Future.succeededFuture(id);
          }
          return Audit.record(conn, admin.email(), "identity.revealed", "submission:" + submissionId,
              new JsonObject().put("pseudonym", r.getString("pseudonym"))).map(id);
        }));
  }

  /**
   * For an admin's page: the identity if it has been revealed (by anyone, once: see {@link #reveal}), with who
   * revealed it and when; else null. Reading it again writes nothing.
   */
  public Future<JsonObject> revealed(UUID submissionId, Account admin) {
    if (!admin.admin()) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("""
        select i.candidate_name, i.candidate_email, a.actor, a.at
          from submissions s join invitations i on i.id = s.invitation_id
          join lateral (select actor, at from audit_log
                         where action = 'identity.revealed' and subject = $2 order by id limit 1) a on true
         where s.id = $1""").execute(Tuple.of(submissionId, "submission:" + submissionId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new JsonObject().put("name", r.getString("candidate_name")).put("email", r.getString("candidate_email"))
          .put("revealedBy", r.getString("actor")).put("revealedAt", r.getOffsetDateTime("at").toString());
    });
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

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static JsonArray toJson(List<Item> items) {
    return new JsonArray(items.stream().map(Item::toJson).toList());
  }
}
