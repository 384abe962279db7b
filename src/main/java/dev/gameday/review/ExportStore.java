package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Account;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The CSV export's statements (see {@link ExportRoutes}): the audit entries an export writes before its first byte,
 * the versions its reviews name, and a cursor over its rows, each row already folded into its cells.
 */
public final class ExportStore {
  private final Pool pool;
  private final Catalog catalog;

  public ExportStore(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  /** Rows fetched from the cursor at a time: the export's memory does not grow with the number of submissions. */
  static final int FETCH = 256;
  /**
   * One row per submission with its submitted reviews folded in by Postgres. A name and email are filled only for a
   * decided submission whose reveal this export has audited ($2: the id of this export's audit entry), so a decision
   * committed while the file streams shows up without a name rather than unaudited.
   */
  private static final String ROWS = """
      select s.id, i.pseudonym, i.track_id, s.submitted_at, d.decision, d.rationale, d.override_reason,
             case when $1 and d.decision is not null and exists (select 1 from audit_log a
                    where a.subject = 'submission:' || s.id and a.id > $2 and a.action = 'identity.revealed')
                  then i.candidate_name end as name,
             case when $1 and d.decision is not null and exists (select 1 from audit_log a
                    where a.subject = 'submission:' || s.id and a.id > $2 and a.action = 'identity.revealed')
                  then i.candidate_email end as email,
             (select coalesce(jsonb_agg(jsonb_build_array(r.exercise_id, ri.version_id, r.recommendation, r.scores, r.adjudicator) order by r.id), '[]')
                from reviews r join review_items ri on ri.submission_id = r.submission_id and ri.exercise_id = r.exercise_id
               where r.submission_id = s.id and r.state = 'submitted' and not r.practice) as reviews
        from submissions s join invitations i on i.id = s.invitation_id
        left join decisions d on d.submission_id = s.id
       where $1 or d.decision is not null
       order by s.submitted_at desc, s.id""";
  /** The reveals, set-based, in the transaction that commits before the first byte leaves. */
  private static final String REVEALS = """
      insert into audit_log (actor, action, subject, detail)
      select $1, 'identity.revealed', 'submission:' || s.id,
             jsonb_build_object('pseudonym', i.pseudonym, 'via', 'export.csv', 'export', $2::bigint)
        from submissions s join invitations i on i.id = s.invitation_id join decisions d on d.submission_id = s.id
       order by s.submitted_at desc, s.id""";

  /**
   * Writes the export's audit entries in one transaction and answers the id of its {@code export.csv} entry: for an
   * admin, also one {@code identity.revealed} entry per decided submission whose name the file will hold.
   */
  Future<Long> audit(Account me) {
    // a reviewer's export holds decided submissions only: before a decision, other reviewers' scores are visible to a
    // reviewer only through their own submitted review (independence)
    return pool.withTransaction(conn -> conn.preparedQuery(
                "insert into audit_log (actor, action, subject, detail) values ($1, 'export.csv', null, $2) returning id")
            .execute(Tuple.of(me.email(), new JsonObject().put("identity", me.admin())))
            .compose(rows -> {
              long auditId = rows.iterator().next().getLong("id");
              if (!me.admin()) {
                return Future.succeededFuture(auditId);
              }
              return conn.preparedQuery(REVEALS).execute(Tuple.of(me.email(), auditId))
                  .compose(r -> conn.preparedQuery("update audit_log set detail = detail || jsonb_build_object('revealed', $2::int) where id = $1")
                      .execute(Tuple.of(auditId, r.rowCount())))
                  .map(auditId);
            }));
  }

  /** Every version a review can name: the catalog keeps each version it has served. */
  Future<Map<Long, Exercise>> versions() {
    return pool.query("select distinct version_id from review_items").execute().compose(rows -> {
      List<Future<Catalog.Version>> vs = new ArrayList<>();
      rows.forEach(r -> vs.add(catalog.version(r.getLong("version_id"))));
      return Future.all(vs).map(f -> {
        Map<Long, Exercise> exercises = new LinkedHashMap<>();
        f.<Catalog.Version>list().forEach(v -> exercises.put(v.id(), v.exercise()));
        return exercises;
      });
    });
  }

  /**
   * Opens the rows' cursor in a transaction of its own (on failure the connection goes back). The rows start once
   * {@link Cursor#handler} is set.
   */
  Future<Cursor> open(Account me, long auditId, Set<String> columns, Map<Long, Exercise> exercises) {
    return pool.getConnection().compose(conn -> conn.begin().compose(tx -> conn.prepare(ROWS)
        .map(ps -> new Cursor(conn, tx, ps, me, auditId, columns, exercises))).onFailure(err -> conn.close()));
  }

  /** The export's rows from a cursor, {@value #FETCH} at a time, as CSV cells. */
  static final class Cursor {
    private final SqlConnection conn;
    private final Transaction tx;
    private final RowStream<Row> rows;
    private final Account me;
    private final Set<String> columns;
    private final Map<Long, Exercise> exercises;

    private Cursor(SqlConnection conn, Transaction tx, PreparedStatement ps, Account me, long auditId, Set<String> columns,
                   Map<Long, Exercise> exercises) {
      this.conn = conn;
      this.tx = tx;
      this.me = me;
      this.columns = columns;
      this.exercises = exercises;
      this.rows = ps.createStream(FETCH, Tuple.of(me.admin(), auditId));
    }

    void handler(Consumer<List<String>> handler) {
      rows.handler(s -> handler.accept(row(me, s, columns, exercises)));
    }

    void exceptionHandler(Handler<Throwable> handler) {
      rows.exceptionHandler(handler);
    }

    void endHandler(Handler<Void> handler) {
      rows.endHandler(handler);
    }

    void pause() {
      rows.pause();
    }

    void resume() {
      rows.resume();
    }

    Future<Void> commit() {
      return tx.commit();
    }

    /** Gives the connection (and its cursor) back. */
    void close() {
      conn.close();
    }
  }

  private static List<String> row(Account me, Row s, Set<String> columns, Map<Long, Exercise> exercises) {
    JsonArray rs = s.getJsonArray("reviews");
    Map<String, List<Integer>> levels = new LinkedHashMap<>(); // criterion -> levels
    java.util.Set<String> adjudicated = new java.util.HashSet<>(); // exercises whose level is the median of three
    Map<String, Integer> weights = new LinkedHashMap<>();
    List<String> recs = new ArrayList<>();
    for (int k = 0; k < rs.size(); k++) {
      JsonArray r = rs.getJsonArray(k);
      Exercise e = exercises.get(r.getLong(1));
      JsonObject scores = r.getJsonObject(3);
      if (r.size() > 4 && Boolean.TRUE.equals(r.getBoolean(4))) {
        adjudicated.add(r.getString(0));
      }
      if (e != null) {
        for (Criterion c : e.rubric()) {
          JsonObject sc = scores.getJsonObject(c.id());
          if (sc != null && sc.getInteger("level") != null) {
            levels.computeIfAbsent(e.id() + ":" + c.id(), x -> new ArrayList<>()).add(sc.getInteger("level"));
            weights.put(e.id() + ":" + c.id(), c.weight());
          }
        }
      }
      if (r.getString(2) != null) {
        recs.add(r.getString(0) + "=" + r.getString(2));
      }
    }
    List<String> row = new ArrayList<>(List.of(s.getUUID("id").toString(), s.getString("pseudonym"), s.getString("track_id"),
        s.getOffsetDateTime("submitted_at").toString()));
    double weighted = 0;
    int total = 0;
    for (String c : columns) {
      List<Integer> acc = levels.get(c);
      if (acc == null) {
        row.add("");
      } else {
        // an adjudicated exercise's level is the median of its three reviews (issue 24)
        double mean = adjudicated.contains(c.substring(0, c.indexOf(':'))) ? ReviewService.median(acc)
            : acc.stream().mapToInt(Integer::intValue).average().orElse(0);
        row.add(String.format(java.util.Locale.ROOT, "%.2f", mean));
        weighted += mean * weights.get(c);
        total += weights.get(c);
      }
    }
    row.add(total == 0 ? "" : String.format(java.util.Locale.ROOT, "%.2f", weighted / total));
    row.add(String.valueOf(rs.size()));
    row.add(String.join("; ", recs));
    row.add(s.getString("decision") == null ? "" : s.getString("decision"));
    row.add(s.getString("rationale") == null ? "" : s.getString("rationale"));
    row.add(s.getString("override_reason") == null ? "" : s.getString("override_reason"));
    if (me.admin()) {
      row.add(s.getString("name") == null ? "" : s.getString("name"));
      row.add(s.getString("email") == null ? "" : s.getString("email"));
    }
    return row;
  }
}
