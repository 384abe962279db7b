package dev.gameday.candidate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Section;
import dev.gameday.web.Access;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate's answers: the version pinned to each exercise, reading an answer, and saving one.
 *
 * <p>A save stores a revision only if it is newer than the stored one, in one statement that writes the sections it
 * changed to the history, which holds each section's text (at most one row per section per minute, see
 * {@link #SAVE}); it holds a share
 * lock on the invitation, so a save and a submit ({@link Submissions}) are ordered: either the save lands before the
 * snapshot is taken, or it is refused as {@code submitted}.
 */
public final class Answers {
  public static final int MAX_SECTION_CHARS = 100_000;
  /** At most one history row per section per window: any minute's state stays recoverable. */
  public static final int HISTORY_WINDOW_SECONDS = 60;
  /** Two hours of one-a-minute rows per section. */
  public static final int HISTORY_ROWS_PER_SECTION = 120;
  /** Per answer (invitation, exercise): room for about twenty full-size sections of 4-byte characters. */
  public static final long HISTORY_BYTES_PER_ANSWER = 8L * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

  private static final String ANSWER = """
      select ie.version_id, a.rev, a.saved_at, a.sections
        from invitation_exercises ie
        left join answers a on a.invitation_id = ie.invitation_id and a.exercise_id = ie.exercise_id
       where ie.invitation_id = $1 and ie.exercise_id = $2""";
  private static final String PINNED_VERSION =
      "select ie.version_id, i.variant_seed from invitation_exercises ie join invitations i on i.id = ie.invitation_id"
          + " where ie.invitation_id = $1 and ie.exercise_id = $2";
  /**
   * The session lookup folded into the save (issue 28): the save's statement checks that the candidate's session is
   * still live ($7 its id hash, $8 the idle timeout in seconds), as {@link dev.gameday.web.Sessions} does when it reads
   * a session, and moves the session's last-seen time once a minute. The autosave reads its session from the
   * database only the first time; after that the save's own round trip is the check.
   */
  private static final String SESSION_LIVE = Sessions.candidateSessionLive("$7", "$8", "$1");
  /**
   * The save, one statement. The answer's head row (answer_heads: revision, time, word counts) takes the given rev if
   * it is newer; then each given section whose text differs from its stored text is written once, to the history
   * (V96, V99: a section's text is the highest revision of its two newest history rows): the section's latest row takes the new
   * text while it is younger than the window ($5 seconds), else a new row starts. So there is one row per section per
   * minute at most, each holding the newest text of its minute (restoring "a minute ago" gives what the candidate had
   * at the end of that minute), and unchanged sections, and those a partial save leaves out, are not written.
   * One index descent per section reads its two newest rows: the newest (its id and start, for the window) and,
   * of the two, the higher revision's text (ties to the newer row), which is the section's stored text; two
   * descents, one for each, ran 13% fewer saves a second in pgbench (4,900-5,100 against 5,600-5,700).
   * Saves run in rounds ({@link GroupCommit}); each statement of a round sees the ones before it. The stored text is
   * the highest revision's among the section's two newest rows: two servers saving one answer at once may start rows in either
   * order, but only a newer revision passes the head row's check.
   */
  private static final String SAVE = """
      with inv as (
        select id from invitations where id = $1 and state = 'draft' and now() < closes_at and SESSION_LIVE for share
      ), touched as (
        update sessions set last_seen_at = now()
         where id_hash = $7 and last_seen_at < now() - interval '1 minute' and exists (select 1 from inv)
      ), up as (
        insert into answer_heads (invitation_id, exercise_id, rev, saved_at, word_counts)
        select inv.id, $2, $3, now(), $6::jsonb from inv
        on conflict (invitation_id, exercise_id) do update
           set rev = excluded.rev, saved_at = excluded.saved_at,
               word_counts = answer_heads.word_counts || excluded.word_counts
         where answer_heads.rev < excluded.rev
        returning invitation_id, exercise_id, rev, saved_at
      ), given as (
        select e.key as section_id, e.value as text from up, jsonb_each_text($4::jsonb) e
      ), state as (
        select g.section_id, g.text, l.id, l.started_at, l.stored
          from given g
          left join lateral (
            select n.id, n.started_at, case when n.older_rev > n.rev then n.older_text else n.text end as stored
              from (select t.id, t.started_at, t.rev, t.text,
                           lead(t.rev) over (order by t.id desc) as older_rev,
                           lead(t.text) over (order by t.id desc) as older_text
                      from (select h.id, h.started_at, h.rev, h.text from answer_section_history h
                             where h.invitation_id = $1 and h.exercise_id = $2 and h.section_id = g.section_id
                             order by h.id desc limit 2) t) n
             order by n.id desc limit 1) l on true
      ), changed as (
        select * from state where coalesce(stored, '') is distinct from text
      ), refreshed as (
        update answer_section_history h set text = c.text, rev = up.rev, saved_at = up.saved_at
          from changed c, up
         where h.id = c.id and c.started_at > up.saved_at - make_interval(secs => $5::float8)
        returning h.id
      ), added as (
        insert into answer_section_history (invitation_id, exercise_id, section_id, rev, text, started_at, saved_at)
        select up.invitation_id, up.exercise_id, c.section_id, up.rev, c.text, up.saved_at, up.saved_at
          from changed c, up
         where c.id is null or c.started_at <= up.saved_at - make_interval(secs => $5::float8)
        returning id
      )
      select rev, saved_at, (select count(*) from added) as added from up"""
      .replace("SESSION_LIVE", SESSION_LIVE);
  /**
   * Bounds one answer's history: beyond $3 rows in a section (the first and the newest $3 - 1), or once the newer rows of the answer already hold $4
   * bytes, the oldest rows go; each section's first and newest row always stay, and so does its row with the highest
   * revision, which holds the section's text.
   */
  private static final String PRUNE_HISTORY = """
      with ranked as (
        select id,
               row_number() over (partition by section_id order by id) as from_first,
               row_number() over (partition by section_id order by id desc) as from_newest,
               row_number() over (partition by section_id order by rev desc, id desc) as from_top,
               sum(octet_length(text)) over (order by id desc rows unbounded preceding) as bytes_so_far
          from answer_section_history where invitation_id = $1 and exercise_id = $2
      )
      delete from answer_section_history h using ranked r
       where h.id = r.id and r.from_first > 1 and r.from_newest > 1 and r.from_top > 1
         and (r.from_newest >= $3 or r.bytes_so_far > $4)""";
  private static final String AFTER_REFUSED_SAVE = """
      select i.state, now() < i.closes_at as open, a.rev, a.sections, a.saved_at, SESSION_LIVE as signed_in
        from invitations i
        left join answers a on a.invitation_id = i.id and a.exercise_id = $2
       where i.id = $1""".replace("SESSION_LIVE", Sessions.candidateSessionLive("$3", "$4", "$1"));
  private final Pool pool;
  private final Catalog catalog;
  private final GroupCommit saves;

  Answers(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
    this.saves = new GroupCommit(pool, SAVE);
  }

  /** An answer: the revision and every section of the exercise (empty when unwritten). */
  public record Answer(Exercise exercise, long rev, OffsetDateTime savedAt, Map<String, String> sections) {
    /** Every section of the exercise, in its order, with the stored text (empty when unwritten). */
    static Answer of(Exercise exercise, long rev, OffsetDateTime savedAt, JsonObject stored) {
      Map<String, String> sections = new LinkedHashMap<>();
      for (Section s : exercise.sections()) {
        sections.put(s.id(), stored.getString(s.id(), ""));
      }
      if (stored.containsKey(AiAssistance.SECTION_ID)) { // saved only on a track that declares AI use (CandidateApi)
        sections.put(AiAssistance.SECTION_ID, stored.getString(AiAssistance.SECTION_ID));
      }
      return new Answer(exercise, rev, savedAt, sections);
    }

    public JsonObject toJson() {
      JsonObject s = new JsonObject();
      sections.forEach(s::put);
      return new JsonObject().put("rev", rev).put("savedAt", savedAt == null ? null : savedAt.toString())
          .put("sections", s);
    }
  }

  private record Pin(long invitationId, String exerciseId) {
  }

  /**
   * The version pinned to an (invitation, exercise): written once when the invitation is created and never changed,
   * so it is cached, and a save costs one round trip after the session's instead of two.
   */
  private final Cache<Pin, long[]> pins = Caffeine.newBuilder().maximumSize(200_000).build();

  /**
   * The exercise version pinned to this invitation, as the invitation's variant renders it (cached after the first
   * read), or 404 for another exercise.
   */
  public Future<Version> version(long invitationId, String exerciseId) {
    return pin(invitationId, exerciseId).compose(p -> catalog.version(p[0], p[1]));
  }

  /** The pinned version's id and the invitation's variant seed (cached), or 404 for another exercise. */
  private Future<long[]> pin(long invitationId, String exerciseId) {
    Pin pin = new Pin(invitationId, exerciseId);
    long[] cached = pins.getIfPresent(pin);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return pool.preparedQuery(PINNED_VERSION).execute(Tuple.of(invitationId, exerciseId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(unknownExercise(exerciseId));
      }
      long[] found = {rows.iterator().next().getLong("version_id"), rows.iterator().next().getLong("variant_seed")};
      pins.put(pin, found);
      return Future.succeededFuture(found);
    });
  }

  /**
   * The exercise version pinned to this invitation as the library writes it, for what a variant never changes (its
   * sections, word limits and evidence list): a save and a trail event check against it without rendering the
   * invitation's variant. Saves come every few seconds from every candidate; a variant is built once per seed.
   */
  public Future<Version> libraryVersion(long invitationId, String exerciseId) {
    return pin(invitationId, exerciseId).compose(p -> catalog.version(p[0]));
  }

  public Future<Answer> answer(long invitationId, String exerciseId) {
    return pool.preparedQuery(ANSWER).execute(Tuple.of(invitationId, exerciseId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(unknownExercise(exerciseId));
      }
      Row r = rows.iterator().next();
      JsonObject stored = r.getJsonObject("sections") == null ? new JsonObject() : r.getJsonObject("sections");
      long rev = r.getLong("rev") == null ? 0 : r.getLong("rev");
      OffsetDateTime savedAt = r.getOffsetDateTime("saved_at");
      return catalog.version(r.getLong("version_id")).map(v -> Answer.of(v.exercise(), rev, savedAt, stored));
    });
  }

  public record Saved(long rev, OffsetDateTime savedAt) {
    public JsonObject toJson() {
      return new JsonObject().put("rev", rev).put("savedAt", savedAt.toString());
    }
  }

  /**
   * Stores sections (merged into the stored answer) if {@code rev} is newer than the stored revision. A repeat of
   * the stored revision with the same text is answered as the first time; an older one is refused with the
   * stored revision.
   */
  public Future<Saved> save(long invitationId, byte[] session, String exerciseId, JsonObject body) {
    Object rawRev = body.getValue("rev");
    Object rawSections = body.getValue("sections");
    if (!(rawRev instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() < 1
        || n.longValue() > 9_007_199_254_740_991L) {
      return Future.failedFuture(new ClientError(400, "invalid_rev", "'rev' must be a whole number of at least 1."));
    }
    if (!(rawSections instanceof JsonObject sections)) {
      return Future.failedFuture(new ClientError(400, "invalid_sections",
          "'sections' must be an object mapping section ids to Markdown text."));
    }
    long rev = n.longValue();
    return libraryVersion(invitationId, exerciseId).compose(current -> {
      for (String key : sections.fieldNames()) {
        if (current.exercise().section(key) == null && !AiAssistance.SECTION_ID.equals(key)) {
          return Future.failedFuture(new ClientError(400, "unknown_section",
              "This exercise has no section '" + truncate(key) + "'."));
        }
        if (!(sections.getValue(key) instanceof String text)) {
          return Future.failedFuture(new ClientError(400, "invalid_sections", "Section '" + key + "' must be a text."));
        }
        if (text.codePointCount(0, text.length()) > MAX_SECTION_CHARS) {
          return Future.failedFuture(new ClientError(413, "too_large", "Section '" + key + "' is longer than "
              + MAX_SECTION_CHARS + " characters. Shorten it or move part of it to another section."));
        }
      }
      JsonObject counts = new JsonObject();
      for (String key : sections.fieldNames()) {
        counts.put(key, wordCount(sections.getString(key)));
      }
      return saves.submit(invitationId, Tuple.of(invitationId, exerciseId, rev, sections, HISTORY_WINDOW_SECONDS, counts)
              .addValue(session).addValue(Sessions.CANDIDATE_IDLE.getSeconds()))
          .compose(rows -> {
            if (rows.size() != 1) {
              return explainRefusedSave(invitationId, session, exerciseId, rev, sections);
            }
            Saved saved = saved(rows);
            return rows.iterator().next().getLong("added") == 0 ? Future.succeededFuture(saved)
                : pruneHistory(invitationId, exerciseId).map(saved);
          });
    });
  }

  /** After a save that added history rows; the save is already stored, so a failure here only gets logged. */
  private Future<Void> pruneHistory(long invitationId, String exerciseId) {
    return pool.preparedQuery(PRUNE_HISTORY)
        .execute(Tuple.of(invitationId, exerciseId, HISTORY_ROWS_PER_SECTION, HISTORY_BYTES_PER_ANSWER))
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("pruning the history of invitation {} exercise {} failed: {}", invitationId, exerciseId, err.toString());
          return Future.succeededFuture();
        });
  }

  private static Saved saved(RowSet<Row> rows) {
    Row r = rows.iterator().next();
    return new Saved(r.getLong("rev"), r.getOffsetDateTime("saved_at"));
  }

  private Future<Saved> explainRefusedSave(long invitationId, byte[] session, String exerciseId, long rev,
                                           JsonObject sections) {
    return pool.preparedQuery(AFTER_REFUSED_SAVE)
        .execute(Tuple.of(invitationId, exerciseId, session, Sessions.CANDIDATE_IDLE.getSeconds())).compose(rows -> {
      Row r = rows.iterator().next();
      if (!r.getBoolean("signed_in")) { // ended (signed out, here or on another instance) or timed out since it was read
        return Future.failedFuture(Access.NO_CANDIDATE_SESSION);
      }
      if ("submitted".equals(r.getString("state"))) {
        return Future.failedFuture(new ClientError(409, "submitted",
            "These answers were submitted and can no longer be changed."));
      }
      if (!r.getBoolean("open")) {
        return Future.failedFuture(new ClientError(410, "expired",
            "The time for this assessment has ended, so changes are no longer saved."));
      }
      long stored = r.getLong("rev") == null ? 0 : r.getLong("rev");
      JsonObject storedSections = r.getJsonObject("sections") == null ? new JsonObject() : r.getJsonObject("sections");
      if (stored == rev && r.getValue("rev") != null && sections.fieldNames().stream()
          .allMatch(k -> sections.getString(k).equals(storedSections.getString(k, "")))) {
        return Future.succeededFuture(new Saved(stored, r.getOffsetDateTime("saved_at")));
      }
      return Future.failedFuture(new ClientError(409, "stale_rev",
          "A newer revision (" + stored + ") is already saved, for example from another device.",
          new JsonObject().put("rev", stored)));
    });
  }

  /** Words in a text: runs of non-whitespace, as {@code gameday_word_count} (V42, fixed in V59) counts them. */
  static int wordCount(String text) {
    int n = 0;
    boolean in = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
      if (!space && !in) {
        n++;
      }
      in = !space;
    }
    return n;
  }

  static ClientError unknownExercise(String id) {
    return new ClientError(404, "unknown_exercise", "There is no exercise '" + truncate(id) + "' in this assessment.");
  }

  private static String truncate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
