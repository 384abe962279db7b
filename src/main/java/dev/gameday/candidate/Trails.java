package dev.gameday.candidate;

import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The investigation trail: what the candidate did with an exercise's evidence (opened a file, filtered a log, zoomed a
 * chart, opened a data table, cited a line or a point), as the exercise page reports it in small batches. The page
 * tells the candidate so. The candidate sees their trail on the review page; at submit it is sealed into the snapshot
 * (see {@link Submissions#submit}) and reviewers read it from there, beside the answer.
 *
 * <p>Bounded: at most {@link #MAX_PER_REQUEST} events per request, {@link #MAX_DETAIL} characters of detail, and
 * {@link #MAX_PER_EXERCISE} events per exercise (later ones are dropped; the page stops sending). A retried batch adds
 * nothing (the same event twice is one row). Like saves, recording holds a share lock on the invitation, so an event
 * is either in the snapshot or refused as {@code submitted}.
 */
public final class Trails {
  public static final int MAX_PER_EXERCISE = 2_000;
  public static final int MAX_PER_REQUEST = 100;
  public static final int MAX_DETAIL = 200;
  /** kind to how the timeline names it */
  public static final Map<String, String> KINDS = Map.of("opened", "Opened", "filter", "Filtered", "zoom", "Zoomed",
      "table", "Opened the data table of", "group", "Grouped", "cite", "Cited from");

  /**
   * Locks the answer's row (and shares the invitation's, which submit updates) only while answers are accepted; the
   * insert then runs as a statement of its own, so its count sees every batch committed before the lock was granted.
   */
  private static final String LOCK = """
      select ie.invitation_id from invitations i
        join invitation_exercises ie on ie.invitation_id = i.id and ie.exercise_id = $2
       where i.id = $1 and i.state = 'draft' and now() < i.closes_at
         for share of i for no key update of ie""";
  private static final String INSERT = """
      with room as (
        select greatest(0, $7 - (select count(*) from trail_events where invitation_id = $1 and exercise_id = $2)) as n
      ), ins as (
        insert into trail_events (invitation_id, exercise_id, at, kind, evidence, detail)
        select $1, $2, e.at, e.kind, e.evidence, e.detail
          from room, unnest($3::timestamptz[], $4::text[], $5::int[], $6::text[]) with ordinality as e(at, kind, evidence, detail, pos)
         where e.pos <= room.n
        on conflict do nothing
        returning 1
      )
      select (select n from room) as room, (select count(*) from ins) as stored""";
  private static final String STATE = "select state from invitations where id = $1";
  private static final String LIVE = """
      select exercise_id, at, kind, evidence, detail from trail_events
       where invitation_id = $1 and ($2::text is null or exercise_id = $2) order by exercise_id, at, id""";

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);
  private static final OffsetDateTime EARLIEST = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime LATEST = OffsetDateTime.of(2999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

  private final Pool pool;

  public Trails(Pool pool) {
    this.pool = pool;
  }

  /** One thing the candidate did. {@code evidence}: the index of the file in the exercise's evidence list. */
  public record Event(OffsetDateTime at, String kind, int evidence, String detail) {
    public JsonObject toJson() {
      return new JsonObject().put("at", at.toInstant().toString()).put("kind", kind)
          .put("evidence", evidence).put("detail", detail);
    }

    public static Event fromJson(JsonObject o) {
      return new Event(OffsetDateTime.parse(o.getString("at")), o.getString("kind"), o.getInteger("evidence"),
          o.getString("detail", ""));
    }
  }

  public record Recorded(long stored, boolean full) {
    public JsonObject toJson() {
      return new JsonObject().put("stored", stored).put("full", full);
    }
  }

  /** Validates a batch {@code {"events": [{"at", "kind", "evidence", "detail"}]}} and stores what fits under the cap. */
  public Future<Recorded> record(long invitationId, Version version, JsonObject body) {
    List<Event> events;
    try {
      events = parse(body, version.exercise());
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    String exerciseId = version.exercise().id();
    if (events.isEmpty()) {
      return Future.succeededFuture(new Recorded(0, false));
    }
    Tuple params = Tuple.of(invitationId, exerciseId,
        events.stream().map(Event::at).toArray(OffsetDateTime[]::new),
        events.stream().map(Event::kind).toArray(String[]::new),
        events.stream().map(Event::evidence).toArray(Integer[]::new),
        events.stream().map(Event::detail).toArray(String[]::new), MAX_PER_EXERCISE);
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(invitationId, exerciseId))
            .compose(lock -> lock.size() == 0 ? Future.succeededFuture((Row) null)
                : conn.preparedQuery(INSERT).execute(params).map(rows -> rows.iterator().next())))
        .compose(row -> {
          if (row == null) {
            return refused(invitationId);
          }
          long room = row.getLong("room");
          if (room == 0) {
            return Future.failedFuture(new ClientError(409, "trail_full", "This exercise's trail already holds "
                + MAX_PER_EXERCISE + " events; further ones are not recorded. Your answer is not affected."));
          }
          return Future.succeededFuture(new Recorded(row.getLong("stored"), room <= events.size()));
        });
  }

  private Future<Recorded> refused(long invitationId) {
    return pool.preparedQuery(STATE).execute(Tuple.of(invitationId)).compose(rows -> {
      Row r = rows.iterator().next();
      return Future.failedFuture("submitted".equals(r.getString("state"))
          ? new ClientError(409, "submitted", "These answers were submitted; nothing more is recorded.")
          : new ClientError(410, "expired", "The time for this assessment has ended; nothing more is recorded."));
    });
  }

  static List<Event> parse(JsonObject body, Exercise exercise) {
    if (!(body.getValue("events") instanceof JsonArray list)) {
      throw invalid("'events' must be a list of {\"at\", \"kind\", \"evidence\", \"detail\"}.");
    }
    if (list.size() > MAX_PER_REQUEST) {
      throw new ClientError(413, "too_large", "Send at most " + MAX_PER_REQUEST + " events at a time.");
    }
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject e)) {
        throw invalid("Event " + i + " must be an object.");
      }
      OffsetDateTime at;
      try {
        at = e.getValue("at") instanceof String s ? OffsetDateTime.parse(s) : null;
      } catch (DateTimeParseException x) {
        at = null;
      }
      if (at == null || at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
        throw invalid("Event " + i + ": 'at' must be a time such as 2026-12-01T09:17:03.120Z.");
      }
      if (!(e.getValue("kind") instanceof String kind) || !KINDS.containsKey(kind)) {
        throw invalid("Event " + i + ": 'kind' must be one of " + String.join(", ", KINDS.keySet().stream().sorted().toList()) + ".");
      }
      int evidence = e.getValue("evidence") instanceof Number n && n.doubleValue() == Math.floor(n.doubleValue())
          && n.doubleValue() >= 0 && n.doubleValue() < exercise.evidence().size() ? n.intValue() : -1;
      if (evidence < 0) {
        throw invalid("Event " + i + ": 'evidence' must be the number of one of this exercise's " + exercise.evidence().size()
            + " evidence files (0 to " + (exercise.evidence().size() - 1) + ").");
      }
      Object d = e.getValue("detail");
      if (d != null && !(d instanceof String)) {
        throw invalid("Event " + i + ": 'detail' must be a text.");
      }
      String detail = d == null ? "" : (String) d;
      if (detail.codePointCount(0, detail.length()) > MAX_DETAIL) {
        throw invalid("Event " + i + ": 'detail' may hold at most " + MAX_DETAIL + " characters.");
      }
      out.add(new Event(at, kind, evidence, detail));
    }
    return out;
  }

  private static ClientError invalid(String message) {
    return new ClientError(400, "invalid_events", message);
  }

  /** The candidate's trail so far, per exercise id, oldest first. */
  public Future<Map<String, List<Event>>> live(long invitationId) {
    return events(pool, invitationId, null);
  }

  public Future<List<Event>> live(long invitationId, String exerciseId) {
    return events(pool, invitationId, exerciseId).map(m -> m.getOrDefault(exerciseId, List.of()));
  }

  /** For the snapshot, on the submit's connection: every exercise's events. */
  static Future<Map<String, List<Event>>> events(SqlClient client, long invitationId, String exerciseId) {
    return client.preparedQuery(LIVE).execute(Tuple.of(invitationId, exerciseId)).map(rows -> {
      Map<String, List<Event>> out = new LinkedHashMap<>();
      for (Row r : rows) {
        out.computeIfAbsent(r.getString("exercise_id"), k -> new ArrayList<>()).add(new Event(r.getOffsetDateTime("at"),
            r.getString("kind"), r.getInteger("evidence"), r.getString("detail")));
      }
      return out;
    });
  }

  static JsonArray toJson(List<Event> events) {
    return new JsonArray(events.stream().map(Event::toJson).toList());
  }



  /**
   * The model of the timeline partial ({@code templates/trail.hbs}): a line per file with what was done to it, then
   * every event in order (repeats of the same event in a row folded into one line with a count). Null events: not
   * recorded for this submission.
   */
  public static Map<String, Object> view(List<Event> events, Exercise exercise) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("recorded", events != null);
    if (events == null) {
      return m;
    }
    m.put("count", events.size());
    m.put("empty", events.isEmpty());
    m.put("full", events.size() >= MAX_PER_EXERCISE);
    m.put("limit", MAX_PER_EXERCISE);
    List<Evidence> files = exercise.evidence();
    if (!events.isEmpty()) {
      OffsetDateTime first = events.get(0).at().withOffsetSameInstant(ZoneOffset.UTC);
      OffsetDateTime last = events.get(events.size() - 1).at().withOffsetSameInstant(ZoneOffset.UTC);
      m.put("from", first.format(DAY) + " " + first.format(CLOCK));
      m.put("to", last.format(CLOCK) + " UTC");
      m.put("minutes", Math.max(0, Duration.between(first, last).toMinutes()));
    }
    Map<Integer, int[]> perFile = new LinkedHashMap<>();
    Map<Integer, String> firstOpened = new LinkedHashMap<>();
    List<Map<String, Object>> lines = new ArrayList<>();
    Event prev = null;
    Map<String, Object> prevLine = null;
    OffsetDateTime start = events.isEmpty() ? null : events.get(0).at();
    for (Event e : events) {
      int[] c = perFile.computeIfAbsent(e.evidence(), k -> new int[6]);
      int slot = switch (e.kind()) {
        case "opened" -> 0;
        case "filter" -> 1;
        case "zoom" -> 2;
        case "table" -> 3;
        case "group" -> 5;
        default -> 4;
      };
      c[slot]++;
      OffsetDateTime utc = e.at().withOffsetSameInstant(ZoneOffset.UTC);
      if (slot == 0) {
        firstOpened.putIfAbsent(e.evidence(), utc.format(CLOCK));
      }
      if (prev != null && prev.kind().equals(e.kind()) && prev.evidence() == e.evidence() && prev.detail().equals(e.detail())) {
        prevLine.put("times", (int) prevLine.get("times") + 1);
        continue;
      }
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("time", utc.format(CLOCK));
      line.put("iso", utc.toInstant().toString());
      line.put("offset", "+" + Duration.between(start, e.at()).toMinutes() + " min");
      line.put("kind", e.kind());
      line.put("action", KINDS.get(e.kind()));
      line.put("file", e.evidence() < files.size() ? files.get(e.evidence()).name() : "evidence " + e.evidence());
      line.put("detail", e.detail());
      line.put("times", 1);
      lines.add(line);
      prev = e;
      prevLine = line;
    }
    lines.forEach(l -> l.put("repeated", (int) l.get("times") > 1));
    List<Map<String, Object>> summary = new ArrayList<>();
    for (Evidence f : files) {
      int[] c = perFile.get(f.index());
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("file", f.name());
      s.put("touched", c != null);
      s.put("firstOpened", firstOpened.getOrDefault(f.index(), c == null ? "never" : "-"));
      s.put("opened", c == null ? 0 : c[0]);
      s.put("filters", c == null ? 0 : c[1]);
      s.put("zooms", c == null ? 0 : c[2]);
      s.put("tables", c == null ? 0 : c[3]);
      s.put("cites", c == null ? 0 : c[4]);
      s.put("groups", c == null ? 0 : c[5]);
      summary.add(s);
    }
    m.put("files", summary);
    m.put("events", lines);
    return m;
  }
}
