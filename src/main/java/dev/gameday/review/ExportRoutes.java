package dev.gameday.review;

import static dev.gameday.account.Accounts.signedIn;

import dev.gameday.account.Accounts.Account;
import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
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
 * gets one {@code identity.revealed} entry per submission whose name the export holds, written before the file is
 * sent, besides one {@code export.csv} entry per export. A reviewer's export lists decided submissions only.
 */
public final class ExportRoutes {
  private final Pool pool;
  private final Catalog catalog;

  public ExportRoutes(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  public void mount(Router router) {
    router.get("/api/v1/admin/export.csv").handler(this::export);
  }

  private void export(RoutingContext ctx) {
    Account me = signedIn(ctx, false);
    if (me == null) {
      return;
    }
    // a reviewer's export holds decided submissions only: before a decision, other reviewers' scores are visible to a
    // reviewer only through their own submitted review (independence)
    Future<io.vertx.sqlclient.RowSet<Row>> subs = pool.preparedQuery("""
        select s.id, i.pseudonym, i.track_id, s.submitted_at, d.decision, d.rationale,
               case when d.decision is not null then i.candidate_name end as name,
               case when d.decision is not null then i.candidate_email end as email
          from submissions s join invitations i on i.id = s.invitation_id
          left join decisions d on d.submission_id = s.id
         where $1 or d.decision is not null
         order by s.submitted_at desc""").execute(Tuple.of(me.admin()));
    Future<io.vertx.sqlclient.RowSet<Row>> reviews = pool.query("""
        select r.submission_id, r.exercise_id, ri.version_id, r.recommendation, r.scores
          from reviews r join review_items ri on ri.submission_id = r.submission_id and ri.exercise_id = r.exercise_id
         where r.state = 'submitted'""").execute();
    Future.all(subs, reviews)
        .compose(f -> build(me, subs.result(), reviews.result()))
        .compose(csv -> audit(me, subs.result()).map(csv))
        .onSuccess(csv -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"gameday-export.csv\"")
            .putHeader("Cache-Control", "no-store").end(csv))
        .onFailure(ctx::fail);
  }

  /** The export's audit entries, in one transaction: no file leaves without them. */
  private Future<Void> audit(Account me, io.vertx.sqlclient.RowSet<Row> subs) {
    List<String> subjects = new ArrayList<>();
    List<JsonObject> details = new ArrayList<>();
    if (me.admin()) {
      for (Row s : subs) {
        if (s.getString("name") != null || s.getString("email") != null) {
          subjects.add("submission:" + s.getUUID("id"));
          details.add(new JsonObject().put("pseudonym", s.getString("pseudonym")).put("via", "export.csv"));
        }
      }
    }
    return pool.withTransaction(conn -> Audit.recordEach(conn, me.email(), "identity.revealed", subjects, details)
        .compose(v -> Audit.record(conn, me.email(), "export.csv", null,
            new JsonObject().put("identity", me.admin()).put("revealed", subjects.size()))));
  }

  private Future<String> build(Account me, io.vertx.sqlclient.RowSet<Row> subs, io.vertx.sqlclient.RowSet<Row> reviews) {
    Map<String, List<Row>> bySubmission = new LinkedHashMap<>();
    Set<Long> versionIds = new LinkedHashSet<>();
    for (Row r : reviews) {
      bySubmission.computeIfAbsent(r.getUUID("submission_id").toString(), k -> new ArrayList<>()).add(r);
      versionIds.add(r.getLong("version_id"));
    }
    List<Future<Catalog.Version>> vs = versionIds.stream().map(catalog::version).toList();
    return Future.all(vs).map(f -> {
      Map<Long, Exercise> exercises = new LinkedHashMap<>();
      f.<Catalog.Version>list().forEach(v -> exercises.put(v.id(), v.exercise()));
      Set<String> columns = new LinkedHashSet<>();
      catalog.tracks().forEach(t -> t.versions().forEach(v -> v.exercise().rubric().forEach(c -> columns.add(v.exercise().id() + ":" + c.id()))));
      exercises.values().forEach(e -> e.rubric().forEach(c -> columns.add(e.id() + ":" + c.id())));
      StringBuilder out = new StringBuilder();
      List<String> header = new ArrayList<>(List.of("submission_id", "pseudonym", "track", "submitted_at"));
      columns.forEach(c -> header.add("mean " + c));
      header.addAll(List.of("overall", "reviews", "recommendations", "decision", "rationale"));
      if (me.admin()) {
        header.addAll(List.of("name", "email"));
      }
      line(out, header);
      for (Row s : subs) {
        List<Row> rs = bySubmission.getOrDefault(s.getUUID("id").toString(), List.of());
        Map<String, List<Integer>> levels = new LinkedHashMap<>();
        Map<String, Integer> weights = new LinkedHashMap<>();
        List<String> recs = new ArrayList<>();
        for (Row r : rs) {
          Exercise e = exercises.get(r.getLong("version_id"));
          JsonObject scores = r.getJsonObject("scores");
          for (Criterion c : e.rubric()) {
            JsonObject sc = scores.getJsonObject(c.id());
            if (sc != null && sc.getInteger("level") != null) {
              levels.computeIfAbsent(e.id() + ":" + c.id(), k -> new ArrayList<>()).add(sc.getInteger("level"));
              weights.put(e.id() + ":" + c.id(), c.weight());
            }
          }
          if (r.getString("recommendation") != null) {
            recs.add(r.getString("exercise_id") + "=" + r.getString("recommendation"));
          }
        }
        List<String> row = new ArrayList<>(List.of(s.getUUID("id").toString(), s.getString("pseudonym"), s.getString("track_id"),
            s.getOffsetDateTime("submitted_at").toString()));
        double weighted = 0;
        int total = 0;
        for (String c : columns) {
          List<Integer> ls = levels.get(c);
          if (ls == null) {
            row.add("");
          } else {
            double mean = ls.stream().mapToInt(Integer::intValue).average().orElse(0);
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
        if (me.admin()) {
          row.add(s.getString("name") == null ? "" : s.getString("name"));
          row.add(s.getString("email") == null ? "" : s.getString("email"));
        }
        line(out, row);
      }
      return out.toString();
    });
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
