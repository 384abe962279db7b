package dev.gameday.review;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
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
  private final ExportStore store;
  private final Catalog catalog;

  public ExportRoutes(ExportStore store, Catalog catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  public void mount(Router router) {
    // reviewers too: a reviewer's export lists decided submissions only, without names
    Access.on(router, Rule.REVIEWER).get("/api/v1/admin/export.csv", this::export);
  }

  /**
   * Streams the file: the audit entries are committed first (no file leaves without them), then the rows come from a
   * cursor, {@value ExportStore#FETCH} at a time, written as they arrive with the response's back-pressure pausing the cursor.
   * An error after the first byte resets the connection, so a download never looks complete when it is not.
   */
  private void export(RoutingContext ctx) {
    Account me = Access.account(ctx);
    store.audit(me)
        .compose(auditId -> store.versions().onSuccess(exercises -> stream(ctx, me, auditId, exercises)))
        .onFailure(ctx::fail);
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
    store.open(me, auditId, columns, exercises).onFailure(ctx::fail).onSuccess(rows -> {
      res.setChunked(true).putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"gameday-export.csv\"")
          .putHeader("Cache-Control", "no-store");
      StringBuilder head = new StringBuilder();
      line(head, header);
      res.write(head.toString());
      StringBuilder out = new StringBuilder(64 * 1024);
      java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
      Runnable release = () -> {
        if (released.compareAndSet(false, true)) {
          rows.close();
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
        rows.commit().onComplete(done -> release.run());
      });
      // the client went away mid-download: give the connection (and its cursor) back
      res.closeHandler(v -> release.run());
      rows.handler(cells -> {
        line(out, cells);
        if (out.length() >= 32 * 1024) {
          res.write(out.toString());
          out.setLength(0);
          if (res.writeQueueFull()) {
            rows.pause();
            res.drainHandler(d -> rows.resume());
          }
        }
      });
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
