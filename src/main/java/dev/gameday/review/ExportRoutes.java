package dev.gameday.review;

import static dev.gameday.account.Accounts.signedIn;

import dev.gameday.web.Account;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/admin/export.csv}: one row per submission with the per-criterion means, the weighted overall,
 * the recommendations and the decision. Name and email columns exist only in an admin's export, and are filled
 * only for decided submissions (identity is revealed after a decision). Every filled name is a reveal: the audit log
 * gets one {@code identity.revealed} entry per submission whose name the export holds, committed before the first
 * byte is sent, besides one {@code export.csv} entry per export. The file streams from a cursor. A reviewer's export lists decided submissions only.
 */
public final class ExportRoutes {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportRoutes.class);
  private final Pool pool;
  private final Catalog catalog;

  public ExportRoutes(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  public void mount(Router router) {
    router.get("/api/v1/admin/export.csv").handler(this::export);
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
               where r.submission_id = s.id and r.state = 'submitted') as reviews
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
   * Streams the file: the audit entries are committed first (no file leaves without them), then the rows come from a
   * cursor, {@value #FETCH} at a time, written as they arrive with the response's back-pressure pausing the cursor.
   * An error after the first byte resets the connection, so a download never looks complete when it is not.
   */
  private void export(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    if (me == null) {
      return;
    }
    // a reviewer's export holds decided submissions only: before a decision, other reviewers' scores are visible to a
    // reviewer only through their own submitted review (independence)
    pool.withTransaction(conn -> conn.preparedQuery(
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
            }))
        .compose(auditId -> versions().onSuccess(exercises -> stream(ctx, me, auditId, exercises)))
        .onFailure(ctx::fail);
  }

  /** Every version a review can name: the catalog keeps each version it has served. */
  private Future<Map<Long, Exercise>> versions() {
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

  private void stream(RoutingContext ctx, Account me, long auditId, Map<Long, Exercise> exercises) {
    Set<String> columns = new LinkedHashSet<>();
    catalog.tracks().forEach(t -> t.versions().forEach(v -> v.exercise().rubric().forEach(c -> columns.add(v.exercise().id() + ":" + c.id()))));
    exercises.values().forEach(e -> e.rubric().forEach(c -> columns.add(e.id() + ":" + c.id())));
    List<String> header = new ArrayList<>(List.of("submission_id", "pseudonym", "track", "submitted_at"));
    columns.forEach(c -> header.add("mean " + c));
    header.addAll(List.of("overall", "reviews", "recommendations", "decision", "rationale", "override_reason"));
    if (me.admin()) {
      header.addAll(List.of("name", "email"));
    }
    HttpServerResponse res = ctx.response();
    pool.getConnection().onFailure(ctx::fail).onSuccess(conn -> conn.begin().compose(tx -> conn.prepare(ROWS).map(ps -> {
      res.setChunked(true).putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"gameday-export.csv\"")
          .putHeader("Cache-Control", "no-store");
      StringBuilder head = new StringBuilder();
      line(head, header);
      res.write(head.toString());
      RowStream<Row> rows = ps.createStream(FETCH, Tuple.of(me.admin(), auditId));
      StringBuilder out = new StringBuilder(64 * 1024);
      java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
      Runnable release = () -> {
        if (released.compareAndSet(false, true)) {
          conn.close();
        }
      };
      rows.exceptionHandler(err -> {
        // the headers are sent: no error page can follow, so the download is cut short and cannot look complete
        LOG.warn("the CSV export failed while streaming: {}", err.toString());
        release.run();
        res.reset();
      });
      rows.endHandler(v -> {
        if (out.length() > 0) {
          res.write(out.toString());
        }
        res.end();
        tx.commit().onComplete(done -> release.run());
      });
      // the client went away mid-download: give the connection (and its cursor) back
      res.closeHandler(v -> release.run());
      rows.handler(s -> {
        line(out, row(me, s, columns, exercises));
        if (out.length() >= 32 * 1024) {
          res.write(out.toString());
          out.setLength(0);
          if (res.writeQueueFull()) {
            rows.pause();
            res.drainHandler(d -> rows.resume());
          }
        }
      });
      return null;
    })).onFailure(err -> {
      conn.close();
      ctx.fail(err);
    }));
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

  private static void line(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells.get(i)));
    }
    out.append("\r\n");
  }

  /** RFC 4180 quoting, and a leading apostrophe so that a spreadsheet never runs a cell as a formula. */
  static String cell(String v) {
    String s = v == null ? "" : v;
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+")) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      s = "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
