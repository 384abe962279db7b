package dev.gameday.compliance;

import dev.gameday.compliance.AdverseImpact.Count;
import dev.gameday.compliance.ScoreDifference.Scores;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The adverse impact report of one track over a date range (by submission time): aggregates only. Counts are
 * collected per cell (sex, race, disability, veteran) in Postgres; every category's groups are sums of cells.
 */
public final class ImpactReport {
  /** An exercise is passed when the average level, over every criterion of every submitted review, is at least this. */
  public static final double PASS_LEVEL = 3.0;
  public static final String METHOD = """
      Population: submissions of the track in the date range (by submission time, UTC), demonstration invitations \
      excluded. Categories come from the candidates' voluntary self-identification, offered only after they submit; \
      candidates who did not answer or chose "prefer not to say" are counted as unknown for that category and left out \
      of its table. Stages: (1) decision: decided submissions, selected = advanced (hold and decline are not \
      advanced); (2) each exercise: submissions with at least one submitted review, selected = passed (average level \
      >= 3 of 4 over every criterion of every submitted review). Selection rate = selected / assessed. Impact ratio = a \
      group's selection rate / the highest selection rate among the groups shown (29 CFR 1607.4D, the four-fifths \
      rule). Significance: Fisher's exact test, two-sided (the sum of the probabilities of every 2x2 table with the \
      observed margins that is no more probable than the observed one, as R's fisher.test), of the group against the \
      highest-rate group. A group is flagged when its impact ratio is under 0.8 and p < 0.05. Groups of fewer than 5 \
      people are shown as "fewer than 5" and excluded from ratios and tests. Intersectional categories: sex x \
      race/ethnicity (NYC Local Law 144). Score differences: per criterion, each candidate's average level over the \
      submitted reviews; Hedges' g (Cohen's d with the small-sample correction) of each group against the largest \
      group, with a 95% confidence interval from the normal approximation of its variance (Hedges & Olkin 1985).""";

  /**
   * The report reads per-day sums (V87: {@code impact_daily_decisions}, {@code impact_daily_levels}); the days that
   * changed since they were summed are listed in {@code impact_stale} by triggers and recomputed here first, from the
   * source rows, so the figures are exactly those of a full recomputation.
   */
  private static final String LOCK = "select pg_advisory_xact_lock(26, hashtext($1))";
  static final int CHUNK = 7;
  private static final String STALE = """
      delete from impact_stale where (track_id, day) in (
        select track_id, day from impact_stale where track_id = $1 and day >= $2 and day < $3 order by day limit %d)
      returning day""".formatted(CHUNK);
  private static final String BASE = """
      with base as (
        select s.id as sid, (s.submitted_at at time zone 'UTC')::date as day, coalesce(x.sex, 'unknown') as sex,
               coalesce(x.race, 'unknown') as race, coalesce(x.disability, 'unknown') as disability,
               coalesce(x.veteran, 'unknown') as veteran
          from submissions s join invitations i on i.id = s.invitation_id
          left join self_identification x on x.invitation_id = i.id
         where i.track_id = $1 and not i.demo and (s.submitted_at at time zone 'UTC')::date = any($2::date[]))
      """;
  private static final String CLEAR_DECISIONS = "delete from impact_daily_decisions where track_id = $1 and day = any($2::date[])";
  private static final String CLEAR_LEVELS = "delete from impact_daily_levels where track_id = $1 and day = any($2::date[])";
  private static final String SUM_DECISIONS = BASE + """
      insert into impact_daily_decisions (track_id, day, grp, sex, race, disability, veteran, submitted, n, selected)
      select $1, b.day, grouping(b.sex, b.race, b.disability, b.veteran), b.sex, b.race, b.disability, b.veteran,
             count(*), count(d.submission_id), count(*) filter (where d.decision = 'advance')
        from base b left join decisions d on d.submission_id = b.sid
       group by b.day, grouping sets ((b.sex), (b.race), (b.sex, b.race), (b.disability), (b.veteran))""";
  /** From the sums V83's trigger keeps per candidate: no review JSON is read here. */
  private static final String SUM_LEVELS = BASE + """
      insert into impact_daily_levels (track_id, day, kind, exercise_id, criterion, grp, sex, race, disability, veteran,
                                       n, total, squares, selected)
      select $1, b.day, 'c', l.exercise_id, l.criterion, grouping(b.sex, b.race, b.disability, b.veteran), b.sex, b.race,
             b.disability, b.veteran, count(*), sum(l.total / l.ratings), sum((l.total / l.ratings) * (l.total / l.ratings)), 0
        from review_level_sums l join base b on b.sid = l.submission_id
       group by b.day, l.exercise_id, l.criterion, grouping sets ((b.sex), (b.race), (b.sex, b.race), (b.disability), (b.veteran))
      union all
      select $1, b.day, 'e', x.exercise_id, null, grouping(b.sex, b.race, b.disability, b.veteran), b.sex, b.race,
             b.disability, b.veteran, count(*), 0, 0, count(*) filter (where x.total / x.ratings >= $3)
        from review_exercise_sums x join base b on b.sid = x.submission_id
       group by b.day, x.exercise_id, grouping sets ((b.sex), (b.race), (b.sex, b.race), (b.disability), (b.veteran))""";
  private static final String DECISIONS = """
      select grp, sex, race, disability, veteran, sum(submitted)::bigint as submitted, sum(n)::bigint as n,
             sum(selected)::bigint as selected
        from impact_daily_decisions where track_id = $1 and day >= $2 and day < $3 group by 1, 2, 3, 4, 5""";
  private static final String LEVELS = """
      select kind, exercise_id, criterion, grp, sex, race, disability, veteran, sum(n)::bigint as n, sum(total) as total,
             sum(squares) as squares, sum(selected)::bigint as selected
        from impact_daily_levels where track_id = $1 and day >= $2 and day < $3 group by 1, 2, 3, 4, 5, 6, 7, 8""";

  /**
   * A category of the report, the grouping set its cells come from ({@link #GROUPING}), and how a cell maps to its group
   * (null: unknown for this category).
   */
  record Category(String id, String label, int grp, Function<Cell, String> group, List<String> order,
                  Function<String, String> name) {
  }

  /**
   * Counts of one group of one grouping set: grp is Postgres' grouping() bitmask of (sex, race, disability, veteran),
   * a bit set for each answer not grouped (null here). Every submission is in exactly one cell of each set.
   */
  record Cell(int grp, String sex, String race, String disability, String veteran, long n, long selected, double total,
              double squares) {
  }

  /** The grouping sets: sex, race, sex x race, disability, veteran. */
  static final int SEX = 7;
  static final int RACE = 11;
  static final int SEX_RACE = 3;
  static final int DISABILITY = 13;
  static final int VETERAN = 14;

  static final List<Category> CATEGORIES = List.of(
      single("sex", SEX, SelfId.SEX, Cell::sex),
      single("race", RACE, SelfId.RACE, Cell::race),
      new Category("sex_race", "Sex x race / ethnicity (intersectional)", SEX_RACE,
          c -> known(c.sex()) && known(c.race()) ? c.sex() + "|" + c.race() : null, intersections(),
          g -> SelfId.SEX.label(g.substring(0, g.indexOf('|'))) + " / " + SelfId.RACE.label(g.substring(g.indexOf('|') + 1))),
      single("disability", DISABILITY, SelfId.DISABILITY, Cell::disability),
      single("veteran", VETERAN, SelfId.VETERAN, Cell::veteran));

  private final Vertx vertx;
  private final Pool pool;
  private final Catalog catalog;

  public ImpactReport(Vertx vertx, Pool pool, Catalog catalog) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
  }

  /** The request's range: dates (inclusive, UTC); either may be absent. */
  public record Range(LocalDate from, LocalDate to) {
    public static Range parse(String from, String to) {
      Range r = new Range(date(from, "from"), date(to, "to"));
      if (r.from != null && r.to != null && r.to.isBefore(r.from)) {
        throw new ClientError(400, "invalid_range", "The end of the date range is before its start.");
      }
      return r;
    }

    private static LocalDate date(String s, String name) {
      if (s == null || s.isBlank()) {
        return null;
      }
      try {
        return LocalDate.parse(s.strip());
      } catch (DateTimeParseException e) {
        throw new ClientError(400, "invalid_date", "The date '" + name + "' must be written as YYYY-MM-DD.");
      }
    }

    /** The first day in the range. */
    LocalDate firstDay() {
      return start().toLocalDate();
    }

    /** The day after the range. */
    LocalDate endDay() {
      return end().toLocalDate();
    }

    OffsetDateTime start() {
      return from == null ? OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC) : from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    OffsetDateTime end() {
      return to == null ? OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC) : to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
  }

  public Catalog.CurrentTrack track(String id) {
    if (id == null || id.isBlank()) {
      return catalog.tracks().get(0);
    }
    return catalog.track(id.strip()).orElseThrow(() -> new ClientError(404, "unknown_track", "There is no track '" + id + "'."));
  }

  /** The report as JSON (the API's answer and the bias-audit JSON export). */
  public Future<JsonObject> report(String trackId, Range range) {
    Catalog.CurrentTrack track;
    try {
      track = track(trackId);
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    String id = track.track().id();
    Tuple days = Tuple.of(id, range.firstDay(), range.endDay());
    return refresh(id, days)
        .compose(v -> pool.preparedQuery(DECISIONS).execute(days))
        .compose(decisions -> pool.preparedQuery(LEVELS).execute(days).map(levels -> List.of(decisions, levels)))
        .compose(rows -> vertx.executeBlocking(() -> assemble(track, range, rows.get(0), rows.get(1)), false));
  }

  /**
   * Recomputes the range's stale days, {@value #CHUNK} per transaction (so that a writer marking one of them waits for
   * one chunk at most, not for a whole backlog), until a chunk comes back short.
   */
  private Future<Void> refresh(String id, Tuple days) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(id))
        .compose(v -> conn.preparedQuery(STALE).execute(days))
        .compose(stale -> {
          List<LocalDate> changed = new ArrayList<>();
          stale.forEach(r -> changed.add(r.getLocalDate("day")));
          if (changed.isEmpty()) {
            return Future.succeededFuture(false);
          }
          Tuple which = Tuple.of(id, (Object) changed.toArray(new LocalDate[0]));
          return conn.preparedQuery(CLEAR_DECISIONS).execute(which)
              .compose(v -> conn.preparedQuery(CLEAR_LEVELS).execute(which))
              .compose(v -> conn.preparedQuery(SUM_DECISIONS).execute(which))
              .compose(v -> conn.preparedQuery(SUM_LEVELS).execute(Tuple.of(id, which.getValue(1), PASS_LEVEL)))
              .map(v -> changed.size() == CHUNK);
        }))
        .compose(more -> more ? refresh(id, days) : Future.succeededFuture());
  }

  static JsonObject assemble(Catalog.CurrentTrack track, Range range, RowSet<Row> decisionRows, RowSet<Row> levelRows) {
    List<Cell> submitted = new ArrayList<>();
    List<Cell> decided = new ArrayList<>();
    for (Row r : decisionRows) {
      submitted.add(cell(r, r.getLong("submitted"), 0, 0, 0));
      decided.add(cell(r, r.getLong("n"), r.getLong("selected"), 0, 0));
    }
    Map<String, List<Cell>> passes = new LinkedHashMap<>();
    Map<String, List<Cell>> criteria = new LinkedHashMap<>();
    for (Row r : levelRows) {
      if ("e".equals(r.getString("kind"))) {
        passes.computeIfAbsent(r.getString("exercise_id"), k -> new ArrayList<>())
            .add(cell(r, r.getLong("n"), r.getLong("selected"), 0, 0));
      } else {
        criteria.computeIfAbsent(r.getString("exercise_id") + "\n" + r.getString("criterion"), k -> new ArrayList<>())
            .add(cell(r, r.getLong("n"), 0, r.getDouble("total"), r.getDouble("squares")));
      }
    }
    JsonArray stages = new JsonArray();
    stages.add(stage("decision", "Decision: advanced vs not (decided submissions)", decided));
    JsonArray scores = new JsonArray();
    for (Catalog.Version v : track.versions()) {
      Model.Exercise ex = v.exercise();
      stages.add(stage("exercise:" + ex.id(), "Passed " + ex.title() + " (average level >= 3 of 4)",
          passes.getOrDefault(ex.id(), List.of())));
      for (Model.Criterion c : ex.rubric()) {
        List<Cell> cells = criteria.getOrDefault(ex.id() + "\n" + c.id(), List.of());
        JsonArray cats = new JsonArray();
        for (Category cat : CATEGORIES) {
          Map<String, Cell> groups = groups(cat, cells);
          List<Scores> in = new ArrayList<>();
          groups.forEach((g, s) -> in.add(new Scores(g, s.n(), s.total(), s.squares())));
          JsonArray rows = new JsonArray();
          for (ScoreDifference.Row row : ScoreDifference.analyse(in)) {
            JsonObject o = new JsonObject().put("group", row.group()).put("label", cat.name().apply(row.group()));
            if (row.suppressed()) {
              o.put("suppressed", true).put("note", "fewer than 5");
            } else {
              o.put("suppressed", false).put("n", row.n()).put("mean", row.mean()).put("reference", row.reference())
                  .put("g", row.g()).put("ciLow", row.low()).put("ciHigh", row.high());
            }
            rows.add(o);
          }
          cats.add(new JsonObject().put("category", cat.id()).put("label", cat.label()).put("rows", rows));
        }
        scores.add(new JsonObject().put("exercise", ex.id()).put("exerciseTitle", ex.title()).put("criterion", c.id())
            .put("criterionTitle", c.title()).put("categories", cats));
      }
    }
    long total = everyone(submitted).mapToLong(Cell::n).sum();
    JsonObject unknown = new JsonObject();
    for (Category cat : CATEGORIES) {
      unknown.put(cat.id(), unknown(cat, submitted));
    }
    return new JsonObject().put("track", track.track().id()).put("trackTitle", track.track().title())
        .put("from", range.from() == null ? null : range.from().toString())
        .put("to", range.to() == null ? null : range.to().toString())
        .put("generatedAt", OffsetDateTime.now(ZoneOffset.UTC).toString())
        .put("submitted", total).put("unknown", unknown)
        .put("minimumGroup", AdverseImpact.MIN_GROUP).put("fourFifths", AdverseImpact.FOUR_FIFTHS)
        .put("alpha", AdverseImpact.ALPHA).put("passLevel", PASS_LEVEL)
        .put("stages", stages).put("scoreDifferences", scores).put("method", METHOD);
  }

  static JsonObject stage(String id, String label, List<Cell> cells) {
    JsonArray cats = new JsonArray();
    for (Category cat : CATEGORIES) {
      Map<String, Cell> groups = groups(cat, cells);
      List<Count> counts = new ArrayList<>();
      groups.forEach((g, c) -> counts.add(new Count(g, c.n(), c.selected())));
      JsonArray rows = new JsonArray();
      for (AdverseImpact.Row r : AdverseImpact.analyse(counts)) {
        JsonObject o = new JsonObject().put("group", r.group()).put("label", cat.name().apply(r.group()));
        if (r.suppressed()) {
          o.put("suppressed", true).put("note", "fewer than 5");
        } else {
          o.put("suppressed", false).put("assessed", r.assessed()).put("selected", r.selected()).put("rate", r.rate())
              .put("impactRatio", r.impactRatio()).put("p", r.p()).put("reference", r.reference()).put("flagged", r.flagged());
        }
        rows.add(o);
      }
      cats.add(new JsonObject().put("category", cat.id()).put("label", cat.label()).put("unknown", unknown(cat, cells))
          .put("rows", rows));
    }
    return new JsonObject().put("stage", id).put("label", label).put("assessed", everyone(cells).mapToLong(Cell::n).sum())
        .put("selected", everyone(cells).mapToLong(Cell::selected).sum()).put("categories", cats);
  }

  /** The cells of one grouping set: each submission once. */
  static java.util.stream.Stream<Cell> everyone(List<Cell> cells) {
    return cells.stream().filter(c -> c.grp() == SEX);
  }

  /** The category's groups in the questions' order, only those with anyone in them. */
  static Map<String, Cell> groups(Category cat, List<Cell> cells) {
    Map<String, Cell> sums = new LinkedHashMap<>();
    for (String g : cat.order()) {
      sums.put(g, null);
    }
    for (Cell c : cells) {
      if (c.grp() != cat.grp()) {
        continue;
      }
      String g = cat.group().apply(c);
      if (g == null || c.n() == 0) {
        continue;
      }
      Cell s = sums.get(g);
      sums.put(g, s == null ? c : new Cell(c.grp(), null, null, null, null, s.n() + c.n(), s.selected() + c.selected(),
          s.total() + c.total(), s.squares() + c.squares()));
    }
    sums.values().removeIf(java.util.Objects::isNull);
    return sums;
  }

  static JsonObject unknown(Category cat, List<Cell> cells) {
    long none = 0;
    long preferNot = 0;
    for (Cell c : cells) {
      if (c.grp() != cat.grp() || cat.group().apply(c) != null) {
        continue;
      }
      if (cat.id().equals("sex_race") ? "unknown".equals(c.sex()) || "unknown".equals(c.race()) : "unknown".equals(field(cat.id(), c))) {
        none += c.n();
      } else {
        preferNot += c.n();
      }
    }
    return new JsonObject().put("notAnswered", none).put("preferNotToSay", preferNot);
  }

  private static String field(String id, Cell c) {
    return switch (id) {
      case "sex" -> c.sex();
      case "race" -> c.race();
      case "disability" -> c.disability();
      default -> c.veteran();
    };
  }

  static boolean known(String v) {
    return v != null && !"unknown".equals(v) && !SelfId.PREFER_NOT.equals(v);
  }

  private static Category single(String id, int grp, SelfId.Question q, Function<Cell, String> f) {
    return new Category(id, q.legend(), grp, c -> known(f.apply(c)) ? f.apply(c) : null,
        q.answers().keySet().stream().filter(ImpactReport::known).toList(), q::label);
  }

  private static List<String> intersections() {
    List<String> out = new ArrayList<>();
    for (String s : SelfId.SEX.answers().keySet()) {
      for (String r : SelfId.RACE.answers().keySet()) {
        if (known(s) && known(r)) {
          out.add(s + "|" + r);
        }
      }
    }
    return out;
  }

  private static Cell cell(Row r, long n, long selected, double total, double squares) {
    return new Cell(r.getInteger("grp"), r.getString("sex"), r.getString("race"), r.getString("disability"), r.getString("veteran"), n,
        selected, total, squares);
  }
}
