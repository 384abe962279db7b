package dev.gameday.candidate;

import dev.gameday.candidate.Answers.Answer;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The candidate's side: redeeming the invitation and the overview of its exercises here; reading and saving answers
 * in {@link Answers}; submitting once in {@link Submissions}.
 *
 * <p>Two rules carry the "nothing is ever lost" promise. A save stores a revision only if it is newer than the
 * stored one, in one statement that also records the sections it changed in the history (at most one row per
 * section per minute, see {@link Answers#save}). A submit is one conditional update in the
 * transaction that seals the snapshot; a save holds a share lock on the invitation, so a save and a submit are
 * ordered: either the save lands before the snapshot is taken, or it is refused as {@code submitted}.
 */
public final class CandidateService {
  private static final String REDEEM = """
      update invitations
         set first_opened_at = coalesce(first_opened_at, now()),
             closes_at = case when first_opened_at is null and time_limit_minutes > 0
                              then least(deadline, now() + make_interval(mins => time_limit_minutes))
                              else closes_at end
       where token_hash = $1 and state = 'draft' and closes_at > now()
      returning id""";
  private static final String PEEK =
      "select id from invitations where token_hash = $1 and state = 'draft' and closes_at > now()";

  private final Pool pool;
  private final Catalog catalog;
  private final Answers answers;
  private final Submissions submissions;

  /** The pool, for the candidate's small forms (e.g. {@link MoreTime}). */
  Pool pool() {
    return pool;
  }

  public CandidateService(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
    this.answers = new Answers(pool, catalog);
    this.submissions = new Submissions(pool, catalog);
  }

  /** Reading and saving answers. */
  public Answers answers() {
    return answers;
  }

  /** Submitting and the receipt. */
  public Submissions submissions() {
    return submissions;
  }

  /** The invitation a token opens, if it exists, is not submitted and has not closed. Starts any time limit. */
  public Future<Optional<Long>> redeem(String token) {
    return invitationOf(REDEEM, token);
  }

  /**
   * The invitation of a token whose candidate has submitted (and that was not revoked): its link then leads to the
   * receipt instead of the page for unknown links.
   */
  public Future<Optional<Long>> submittedBy(String token) {
    return invitationOf("select id from invitations where token_hash = $1 and state = 'submitted' and revoked_at is null", token);
  }

  /** The invitation a token would open, without opening it (no time limit starts). */
  public Future<Optional<Long>> peek(String token) {
    return invitationOf(PEEK, token);
  }

  private Future<Optional<Long>> invitationOf(String sql, String token) {
    if (token == null || token.length() < 20 || token.length() > 100) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery(sql).execute(Tuple.of(Tokens.hash(token)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
  }

  /** One exercise as the candidate sees it in lists. */
  public record ExerciseStatus(Version version, long rev, OffsetDateTime savedAt, int wordsWritten) {
    public String status() {
      return rev == 0 || wordsWritten == 0 ? "not_started" : "in_progress";
    }
  }

  public record Overview(long invitationId, String pseudonym, JsonObject track, String state, OffsetDateTime deadline,
                         OffsetDateTime closesAt, boolean open, OffsetDateTime submittedAt, int timeLimitMinutes,
                         List<ExerciseStatus> exercises, MoreTime.State moreTime) {
    public boolean submitted() {
      return "submitted".equals(state);
    }

    public Optional<ExerciseStatus> exercise(String id) {
      return exercises.stream().filter(e -> e.version().exercise().id().equals(id)).findFirst();
    }
  }

  /**
   * The invitation (with its "more time" state) and, per exercise, its revision and words written, in one statement;
   * with {@code $2} an exercise id, that exercise's text too (the exercise page needs the overview, one answer and the
   * "more time" state: one round trip, not three). The text comes from the {@code answers} view, which assembles it
   * from the section history, for that one exercise only: joined for every exercise, Postgres assembled all five
   * answers' text for each page and the overview's statement took 0.76 ms instead of 0.51 ms (bench data, 2026-12-06).
   */
  static final String OVERVIEW = """
      select i.id, i.pseudonym, i.track_id, i.state, i.variant_seed, i.deadline, i.closes_at, i.submitted_at, i.time_limit_minutes,
             i.first_opened_at, i.closes_at > now() as open, i.time_requested_at is not null as time_requested, i.untimed,
             t.definition ->> 'title' as track_title, t.definition ->> 'description' as track_description,
             ie.exercise_id, ie.version_id, a.rev, a.saved_at, a.word_counts,
             case when ie.exercise_id = $2
                  then (select s.sections from answers s where s.invitation_id = i.id and s.exercise_id = $2) end as sections
        from invitations i join tracks t on t.id = i.track_id
        left join invitation_exercises ie on ie.invitation_id = i.id
        left join answer_heads a on a.invitation_id = i.id and a.exercise_id = ie.exercise_id
       where i.id = $1 order by ie.position""";

  /** The overview with one exercise's answer (null when the invitation has no such exercise). */
  public record OverviewAndAnswer(Overview overview, Answer answer) {
  }

  public Future<Overview> overview(long invitationId) {
    return overviewAnd(invitationId, null).map(OverviewAndAnswer::overview);
  }

  public Future<OverviewAndAnswer> overviewAnd(long invitationId, String exerciseId) {
    return pool.preparedQuery(OVERVIEW).execute(Tuple.of(invitationId, exerciseId)).compose(rows -> {
      Row i = rows.iterator().next();
      List<Future<ExerciseStatus>> items = new ArrayList<>();
      JsonObject[] stored = new JsonObject[1];
      for (Row r : rows) {
        if (r.getString("exercise_id") == null) {
          continue;
        }
        long rev = r.getLong("rev") == null ? 0 : r.getLong("rev");
        OffsetDateTime saved = r.getOffsetDateTime("saved_at");
        int words = words(r.getJsonObject("word_counts"));
        if (r.getString("exercise_id").equals(exerciseId)) {
          stored[0] = r.getJsonObject("sections") == null ? new JsonObject() : r.getJsonObject("sections");
        }
        // the exercise page shows one exercise's content; lists (the overview, the menu, the review page's headings)
        // show only titles, summaries and minutes, which check keeps the same in every variant (ExerciseLoader.listed):
        // read as the library writes them, not each built as this candidate's variant (a cold variant costs 1.4-7.8 ms
        // of CPU, and the overview built all five: 66 overviews/s on 2 cores with 10,000 candidates, bench 2026-12-06)
        long seed = r.getString("exercise_id").equals(exerciseId) ? r.getLong("variant_seed") : 0;
        items.add(catalog.version(r.getLong("version_id"), seed).map(v -> new ExerciseStatus(v, rev, saved, words)));
      }
      return Future.all(items).map(all -> {
        Overview o = new Overview(invitationId, i.getString("pseudonym"),
            new JsonObject().put("id", i.getString("track_id")).put("title", i.getString("track_title"))
                .put("description", i.getString("track_description")), i.getString("state"), i.getOffsetDateTime("deadline"),
            i.getOffsetDateTime("closes_at"), i.getBoolean("open"), i.getOffsetDateTime("submitted_at"),
            i.getInteger("time_limit_minutes"), all.list(),
            new MoreTime.State(i.getBoolean("time_requested"), i.getBoolean("untimed")));
        Answer answer = null;
        ExerciseStatus e = exerciseId == null ? null : o.exercise(exerciseId).orElse(null);
        if (e != null) {
          answer = Answer.of(e.version().exercise(), e.rev(), e.savedAt(), stored[0] == null ? new JsonObject() : stored[0]);
        }
        return new OverviewAndAnswer(o, answer);
      });
    });
  }

  /** The total of an answer's stored per-section word counts (null: nothing written). */
  private static int words(JsonObject counts) {
    if (counts == null) {
      return 0;
    }
    int n = 0;
    for (String k : counts.fieldNames()) {
      Object v = counts.getValue(k);
      n += v instanceof Number num ? num.intValue() : 0;
    }
    return n;
  }
}
