package dev.gameday.review;

import dev.gameday.audit.Audit;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.review.ReviewService.Item;
import dev.gameday.web.Account;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Scoring and deciding: a reviewer's draft and submitted review (validated against the rubric, recounted, audited),
 * the admin's decision, and the identity reveal. The reads of the queue, the items and the reviews are
 * {@link ReviewService}'s. The only statements here that read a candidate's name and email are {@link #reveal} and
 * {@link #revealed}, which only an admin reaches, only after a decision, and which are audited.
 */
public final class ReviewDecisions {
  public static final int MAX_NOTE = 2000;
  public static final List<String> RECOMMENDATIONS = List.of("strong_no", "no", "yes", "strong_yes");
  public static final List<String> DECISIONS = List.of("advance", "hold", "decline");

  private static final String SAVE_DRAFT = """
      insert into reviews (submission_id, exercise_id, reviewer_id, scores, recommendation, for_candidate)
      select $1, $2, $3, $4, $5, coalesce($6, '') from review_items ri
       where ri.submission_id = $1 and ri.exercise_id = $2 and not ri.decided
      on conflict (submission_id, exercise_id, reviewer_id) do update
         set scores = excluded.scores, recommendation = excluded.recommendation,
             for_candidate = coalesce($6, reviews.for_candidate), updated_at = now()
       where reviews.state = 'draft'
      returning id""";
  private static final String SUBMIT = """
      update reviews set state = 'submitted', submitted_at = now(), updated_at = now(), rubric_version = $4, practice = $5,
             adjudicator = not $5 and exists (select 1 from review_items ri where ri.submission_id = $1 and ri.exercise_id = $2
                                                and ri.adjudication = 'needed')
       where submission_id = $1 and exercise_id = $2 and reviewer_id = $3 and state = 'draft'
         and not exists (select 1 from review_items ri where ri.submission_id = $1 and ri.exercise_id = $2 and ri.decided)
      returning id""";
  private static final String RECOUNT = """
      update review_items ri set
        reviews_active = (select count(*) from reviews r
                           where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and not r.practice),
        reviews_submitted = (select count(*) from reviews r
                              where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.state = 'submitted'
                                and not r.practice),
        disagreement = coalesce((select bool_or(spread >= 2) from (
            select max((s.value->>'level')::int) - min((s.value->>'level')::int) as spread
              from reviews r, jsonb_each(r.scores) as s
             where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.state = 'submitted'
               and not r.practice
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
               and not r.practice
             group by s.key) x))
       where ri.submission_id = $1 and ri.exercise_id = $2 and not ri.decided
         and (ri.adjudication = 'needed' or ri.adjudication is null and ri.disagreement)""";

  private final Pool pool;
  private final Qualifications qualifications;

  /** Bumped after every write to reviews, so caches of figures computed from them know they are out of date. */
  private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

  /** @param qualifications whether a reviewer's review of a track counts or is practice (see {@link Qualifications}) */
  public ReviewDecisions(Pool pool, Qualifications qualifications) {
    this.pool = pool;
    this.qualifications = qualifications;
  }

  /**
   * Whether a review I submit now of this item would be practice: the item's track requires qualification and I do not
   * have it. Null when the track requires nothing; otherwise my standing, for the page to say so before I submit.
   */
  public Future<Qualifications.Status> qualification(Item item, Account me) {
    return qualifications.of(me, item.trackId());
  }

  /** How many review writes this instance has made (see {@link CalibrationStore}'s figure cache). */
  public long changes() {
    return changes.get();
  }

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
    return save(item, me, scores, recommendation, null, submit);
  }

  /**
   * As {@link #save(Item, Account, JsonObject, String, boolean)}, with the comment for the candidate (null: keep the
   * draft's; at most {@link #MAX_NOTE} characters).
   */
  public Future<Void> save(Item item, Account me, JsonObject scores, String recommendation, String forCandidate, boolean submit) {
    String comment = forCandidate == null ? null : forCandidate.strip();
    if (comment != null && comment.length() > MAX_NOTE) {
      return Future.failedFuture(new ClientError(400, "comment_too_long",
          "The comment for the candidate may be at most " + MAX_NOTE + " characters."));
    }
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
    // practice is decided when the review is submitted, from the calibration scores then, and never changes: a review
    // scored before its reviewer qualified stays practice (see Qualifications)
    Future<Boolean> practice = submit ? qualification(item, me).map(q -> q != null && !q.qualified()) : Future.succeededFuture(false);
    return practice.compose(isPractice -> pool.withTransaction(conn -> conn.preparedQuery(SAVE_DRAFT)
        .execute(Tuple.of(item.submissionId(), item.exerciseId(), me.id(), clean, recommendation, comment))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ClientError(409, "already_submitted", "This review can no longer be changed."))
            : Future.succeededFuture())
        .compose(v -> submit ? conn.preparedQuery(SUBMIT)
            .execute(Tuple.of(item.submissionId(), item.exerciseId(), me.id(), RubricVersions.of(item.version()), isPractice))
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
            submit ? new JsonObject().put("scores", clean).put("recommendation", recommendation).put("practice", isPractice)
                : new JsonObject()))))
        .andThen(done -> changes.incrementAndGet());
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
                .compose(s -> Future.failedFuture(s.size() == 0 ? ReviewService.notFound()
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
            return Future.failedFuture(ReviewService.notFound());
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
}
