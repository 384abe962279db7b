package dev.gameday.review;

import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.web.Account;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Assignment of review items to reviewers with a due date (issue 21): an admin assigns one or more exercises of a
 * submission to one or more reviewers; assigning the same item to the same reviewer again changes its due date. An
 * assignment is open until the reviewer submits their review of the item or the submission is decided. It gives no
 * access and shows nothing of others' reviews: what a reviewer sees of an item is still decided by
 * {@link ReviewService#visible}. Every change is audited in its transaction.
 */
public final class Assignments {
  /** At most this many reviewers in one assignment (a form lists every active reviewer; a request is bounded). */
  public static final int MAX_REVIEWERS = 50;
  /** How far ahead a due date may be. */
  public static final int MAX_DAYS_AHEAD = 365;
  static final int LIST_LIMIT = 500;

  /** The columns every list reads: the assignment, its item as a reviewer sees it, the reviewer's own review. */
  private static final String COLUMNS = """
      select ra.id, ra.submission_id, ra.exercise_id, ra.due_at, ra.reviewer_id, a.name as reviewer_name, ri.version_id,
             ri.track_id, ri.pseudonym, ri.decided, r.state as review_state, r.submitted_at as reviewed_at
        from review_assignments ra
        join accounts a on a.id = ra.reviewer_id
        join review_items ri on ri.submission_id = ra.submission_id and ri.exercise_id = ra.exercise_id
        left join reviews r on r.submission_id = ra.submission_id and r.exercise_id = ra.exercise_id
                           and r.reviewer_id = ra.reviewer_id
      """;
  private static final String OPEN = "not ri.decided and r.state is distinct from 'submitted'";
  private static final String MINE = COLUMNS + " where ra.reviewer_id = $1 and ra.cancelled_at is null and " + OPEN
      + "\n order by ra.due_at, ra.id limit $2";
  private static final String OVERVIEW = COLUMNS + """
       where ra.cancelled_at is null
         and ($1 = 'all' or ($1 = 'open') = (%s))
       order by ra.due_at, ra.id limit $2""".formatted(OPEN);
  private static final String UPSERT = """
      insert into review_assignments (submission_id, exercise_id, reviewer_id, due_at, assigned_by)
      select $1, e, r, $4, $5 from unnest($2::text[]) e cross join unnest($3::bigint[]) r
      on conflict (submission_id, exercise_id, reviewer_id) where cancelled_at is null
      do update set due_at = excluded.due_at, assigned_by = excluded.assigned_by, updated_at = now()
       where review_assignments.due_at <> excluded.due_at
      returning id, exercise_id, reviewer_id, (xmax = 0) as created""";

  private final Pool pool;
  private final Catalog catalog;

  public Assignments(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  /**
   * One assignment as listed. {@code reviewState}: the assigned reviewer's own review ("draft", "submitted" or null);
   * {@code reviewedAt}: when they submitted it. Nothing here says what any review scored.
   */
  public record Assignment(long id, UUID submissionId, String exerciseId, String exerciseTitle, String trackId, String pseudonym,
                           long reviewerId, String reviewerName, OffsetDateTime dueAt, boolean decided, String reviewState,
                           OffsetDateTime reviewedAt) {
    public boolean reviewed() {
      return "submitted".equals(reviewState);
    }

    public boolean open() {
      return !decided && !reviewed();
    }

    /** "open", "reviewed" (the reviewer submitted theirs) or "decided" (the submission was decided first). */
    public String status() {
      return reviewed() ? "reviewed" : decided ? "decided" : "open";
    }

    public JsonObject toJson(Instant now) {
      return new JsonObject().put("id", id).put("submissionId", submissionId.toString()).put("exerciseId", exerciseId)
          .put("exerciseTitle", exerciseTitle).put("track", trackId).put("pseudonym", pseudonym).put("reviewerId", reviewerId)
          .put("reviewer", reviewerName).put("dueAt", utc(dueAt)).put("due", dueText(dueAt, now))
          .put("overdue", open() && dueAt.toInstant().isBefore(now)).put("status", status())
          .put("reviewedAt", reviewedAt == null ? null : utc(reviewedAt));
    }
  }

  /** What {@link #assign} did: new assignments, due dates changed, and pairs already assigned with that due date. */
  public record Outcome(int assigned, int changed, int unchanged) {
    public JsonObject toJson() {
      return new JsonObject().put("assigned", assigned).put("changed", changed).put("unchanged", unchanged);
    }
  }

  /** An exercise of a submission that can be assigned. */
  public record Target(String exerciseId, String exerciseTitle) {
  }

  /** A submission as the assignment form shows it: its pseudonym, track and exercises (under review). */
  public record Submission(UUID id, String pseudonym, String trackId, OffsetDateTime submittedAt, boolean decided,
                           List<Target> exercises) {
  }

  /** An account that can be assigned reviews: an active reviewer or admin. */
  public record Reviewer(long id, String name, String email) {
  }

  /**
   * "Due in 2 days", "Due in 5 hours", "Overdue by 1 day": how far {@code due} is from {@code now}, rounded to the
   * nearest day from a day on and to the nearest hour from two hours on, as app.js words a deadline's distance.
   */
  public static String dueText(OffsetDateTime due, Instant now) {
    long minutes = Duration.between(now, due.toInstant()).toMinutes();
    long abs = Math.abs(minutes);
    String span;
    if (abs >= 1440) {
      long days = Math.round(abs / 1440.0);
      span = days + (days == 1 ? " day" : " days");
    } else if (abs >= 120) {
      span = Math.round(abs / 60.0) + " hours";
    } else if (abs >= 1) {
      span = abs + (abs == 1 ? " minute" : " minutes");
    } else {
      span = "less than a minute";
    }
    return due.toInstant().isBefore(now) ? "Overdue by " + span : "Due in " + span;
  }

  static String utc(OffsetDateTime t) {
    return t.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }

  /** My open assignments, the earliest due first. */
  public Future<List<Assignment>> mine(Account me) {
    return pool.preparedQuery(MINE).execute(Tuple.of(me.id(), LIST_LIMIT)).compose(this::assignments);
  }

  /** Every live assignment for the admin's overview: {@code status} "open", "done" (reviewed or decided) or "all". */
  public Future<List<Assignment>> overview(String status) {
    String s = "done".equals(status) || "all".equals(status) ? status : "open";
    return pool.preparedQuery(OVERVIEW).execute(Tuple.of(s, LIST_LIMIT)).compose(this::assignments);
  }

  private Future<List<Assignment>> assignments(RowSet<Row> rows) {
    List<Future<Assignment>> all = new ArrayList<>();
    rows.forEach(r -> all.add(catalog.version(r.getLong("version_id")).map(v -> new Assignment(r.getLong("id"),
        r.getUUID("submission_id"), r.getString("exercise_id"), v.exercise().title(), r.getString("track_id"),
        r.getString("pseudonym"), r.getLong("reviewer_id"), r.getString("reviewer_name"), r.getOffsetDateTime("due_at"),
        r.getBoolean("decided"), r.getString("review_state"), r.getOffsetDateTime("reviewed_at")))));
    return Future.all(all).map(f -> f.list());
  }

  /** Active reviewers and admins, by name. */
  public Future<List<Reviewer>> reviewers() {
    return pool.query("""
        select id, name, email from accounts where role in ('reviewer', 'admin') and not disabled order by name, id""")
        .execute().map(rows -> {
          List<Reviewer> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Reviewer(r.getLong("id"), r.getString("name"), r.getString("email"))));
          return out;
        });
  }

  /** The submission with its exercises in the order the candidate had them; 404 when there is none. */
  public Future<Submission> submission(UUID id) {
    return pool.preparedQuery("""
            select exercise_id, version_id, track_id, pseudonym, submitted_at, decided from review_items
             where submission_id = $1 order by position, exercise_id""").execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ReviewService.notFound());
      }
      List<Future<Target>> targets = new ArrayList<>();
      rows.forEach(r -> targets.add(catalog.version(r.getLong("version_id"))
          .map(v -> new Target(r.getString("exercise_id"), v.exercise().title()))));
      Row first = rows.iterator().next();
      return Future.all(targets).map(f -> new Submission(id, first.getString("pseudonym"), first.getString("track_id"),
          first.getOffsetDateTime("submitted_at"), first.getBoolean("decided"), f.list()));
    });
  }

  /** Submissions still under review, newest first, for the form's choice. */
  public Future<List<Submission>> undecided() {
    return pool.preparedQuery("""
            select submission_id, min(pseudonym) as pseudonym, min(track_id) as track_id, max(submitted_at) as submitted_at
              from review_items where not decided group by submission_id order by max(submitted_at) desc limit $1""")
        .execute(Tuple.of(LIST_LIMIT)).map(rows -> {
          List<Submission> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Submission(r.getUUID("submission_id"), r.getString("pseudonym"), r.getString("track_id"),
              r.getOffsetDateTime("submitted_at"), false, List.of())));
          return out;
        });
  }

  /**
   * A due date as sent: after now and at most {@link #MAX_DAYS_AHEAD} days ahead, else 400 with a sentence that says
   * what to choose instead.
   */
  public static OffsetDateTime checkDue(OffsetDateTime due, Instant now) {
    if (due == null) {
      throw new ClientError(400, "due_required", "Choose a due date and time.");
    }
    if (!due.toInstant().isAfter(now)) {
      throw new ClientError(400, "due_in_past", "The due date is in the past: choose a date and time after now.");
    }
    if (due.toInstant().isAfter(now.plus(Duration.ofDays(MAX_DAYS_AHEAD)))) {
      throw new ClientError(400, "due_too_far", "The due date is more than " + MAX_DAYS_AHEAD
          + " days away: choose one within a year.");
    }
    return due;
  }

  /**
   * Assigns {@code exerciseIds} of the submission (all of them when empty) to each of {@code reviewerIds}, due at
   * {@code due} (checked with {@link #checkDue}). 404 for no such submission, 409 once it is decided, 400 for an
   * exercise it does not have or an account that is not an active reviewer or admin.
   */
  public Future<Outcome> assign(Account admin, UUID submissionId, List<String> exerciseIds, List<Long> reviewerIds,
                                OffsetDateTime due) {
    try {
      checkDue(due, Instant.now());
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    Set<Long> reviewers = new LinkedHashSet<>(reviewerIds);
    if (reviewers.isEmpty()) {
      return Future.failedFuture(new ClientError(400, "reviewer_required", "Choose at least one reviewer."));
    }
    if (reviewers.size() > MAX_REVIEWERS) {
      return Future.failedFuture(new ClientError(400, "too_many_reviewers", "Choose at most " + MAX_REVIEWERS + " reviewers."));
    }
    Set<String> asked = new LinkedHashSet<>(exerciseIds);
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select exercise_id, decided from review_items where submission_id = $1 order by position, exercise_id for share""")
        .execute(Tuple.of(submissionId)).compose(items -> {
          if (items.size() == 0) {
            return Future.failedFuture(ReviewService.notFound());
          }
          List<String> all = new ArrayList<>();
          boolean decided = false;
          for (Row r : items) {
            all.add(r.getString("exercise_id"));
            decided |= r.getBoolean("decided");
          }
          if (decided) {
            return Future.failedFuture(new ClientError(409, "decided",
                "This submission is already decided: there is nothing left to review."));
          }
          for (String e : asked) {
            if (!all.contains(e)) {
              return Future.failedFuture(new ClientError(400, "unknown_exercise", "This submission has no exercise " + e + "."));
            }
          }
          List<String> exercises = asked.isEmpty() ? all : List.copyOf(asked);
          return conn.preparedQuery("""
                  select id, email from accounts where id = any($1) and role in ('reviewer', 'admin') and not disabled""")
              .execute(Tuple.of(reviewers.toArray(Long[]::new))).compose(found -> {
                if (found.size() != reviewers.size()) {
                  return Future.failedFuture(new ClientError(400, "not_a_reviewer",
                      "Choose reviewers from the list: one of the accounts chosen is not an active reviewer or admin."));
                }
                java.util.Map<Long, String> emails = new java.util.HashMap<>();
                found.forEach(r -> emails.put(r.getLong("id"), r.getString("email")));
                return conn.preparedQuery(UPSERT).execute(Tuple.of(submissionId, exercises.toArray(String[]::new),
                    reviewers.toArray(Long[]::new), due, admin.id())).compose(done -> {
                  int created = 0;
                  List<String> subjects = new ArrayList<>();
                  List<JsonObject> details = new ArrayList<>();
                  List<Row> rows = new ArrayList<>();
                  done.forEach(rows::add);
                  for (Row r : rows) {
                    boolean isNew = r.getBoolean("created");
                    created += isNew ? 1 : 0;
                    subjects.add("submission:" + submissionId);
                    details.add(new JsonObject().put("assignment", r.getLong("id")).put("exercise", r.getString("exercise_id"))
                        .put("reviewer", emails.get(r.getLong("reviewer_id"))).put("dueAt", utc(due))
                        .put("change", isNew ? "assigned" : "due date changed"));
                  }
                  Outcome outcome = new Outcome(created, rows.size() - created, exercises.size() * reviewers.size() - rows.size());
                  return Audit.recordEach(conn, admin.email(), "review.assigned", subjects, details).map(outcome);
                });
              });
        }));
  }

  /** Cancels a live assignment (audited); cancelling one already cancelled changes nothing; 404 for no such one. */
  public Future<Boolean> cancel(Account admin, long id) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            update review_assignments ra set cancelled_at = now(), updated_at = now()
             where id = $1 and cancelled_at is null
            returning submission_id, exercise_id, due_at, (select email from accounts a where a.id = ra.reviewer_id) as reviewer""")
        .execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) {
            return conn.preparedQuery("select 1 from review_assignments where id = $1").execute(Tuple.of(id))
                .compose(any -> any.size() == 0 ? Future.failedFuture(new ClientError(404, "not_found",
                    "There is no such assignment.")) : Future.succeededFuture(false));
          }
          Row r = rows.iterator().next();
          return Audit.record(conn, admin.email(), "review.assignment_cancelled", "submission:" + r.getUUID("submission_id"),
              new JsonObject().put("assignment", id).put("exercise", r.getString("exercise_id"))
                  .put("reviewer", r.getString("reviewer")).put("dueAt", utc(r.getOffsetDateTime("due_at")))).map(true);
        }));
  }
}
