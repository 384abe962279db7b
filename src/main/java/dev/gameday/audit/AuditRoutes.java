package dev.gameday.audit;

import dev.gameday.audit.Audit.Entry;
import dev.gameday.audit.Audit.Filter;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin audit log: the page ({@code /admin/audit}), its JSON ({@code /api/v1/admin/audit}) and a CSV export of the
 * filtered log ({@code /admin/audit.csv}), all filtered by action prefix, actor-or-subject text, actor and UTC day
 * range. The export is itself audited ({@code audit.exported}) and streamed in keyset pages, so memory stays bounded.
 */
public final class AuditRoutes {
  static final int EXPORT_PAGE = 500;
  static final String CSV_HEADER = "id,at,actor,action,subject,detail\r\n";

  private final Pages pages;
  private final AuditLog log;

  public AuditRoutes(Pages pages, AuditLog log) {
    this.pages = pages;
    this.log = log;
  }

  public void mount(Router router) {
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    admin.get("/admin/audit", this::page);
    admin.get("/api/v1/admin/audit", this::json);
    admin.get("/admin/audit.csv", this::export);
  }

  /** A filter the admin got wrong: the field and a sentence saying what is expected. */
  static final class BadFilter extends Exception {
    BadFilter(String message) {
      super(message, null, false, false);
    }
  }

  static Filter filter(RoutingContext ctx) throws BadFilter {
    LocalDate from = day(ctx.request().getParam("from"), "From");
    LocalDate to = day(ctx.request().getParam("to"), "To");
    if (from != null && to != null && from.isAfter(to)) {
      throw new BadFilter("The From date (" + from + ") is after the To date (" + to + ").");
    }
    return new Filter(ctx.request().getParam("action"), ctx.request().getParam("q"), ctx.request().getParam("actor"), from, to);
  }

  static LocalDate day(String s, String label) throws BadFilter {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(s.strip());
      if (d.getYear() < 1970 || d.getYear() > 9999) {
        throw new BadFilter(label + " must be a date between 1970 and 9999.");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new BadFilter(label + " must be a date written as YYYY-MM-DD, such as 2026-03-31.");
    }
  }

  private void page(RoutingContext ctx) {
    Map<String, Object> m = new HashMap<>();
    m.put("title", "Audit log");
    m.put("admin", true);
    for (String p : List.of("action", "q", "actor", "from", "to")) {
      String v = ctx.request().getParam(p);
      m.put(p, v == null ? "" : v);
    }
    Filter f;
    try {
      f = filter(ctx);
    } catch (BadFilter e) {
      m.put("error", e.getMessage());
      m.put("entries", List.of());
      pages.render(ctx, 400, "admin-audit", m);
      return;
    }
    m.put("query", query(f));
    log.list(f, before(ctx.request().getParam("before")), Audit.PAGE_SIZE).onSuccess(entries -> {
      m.put("entries", entries.stream().map(e -> Map.of("at", e.at(), "actor", e.actor(), "action", e.action(),
          "subject", e.subject() == null ? "" : e.subject(), "detail", Audit.readable(e.detail()))).toList());
      if (entries.size() == Audit.PAGE_SIZE) {
        m.put("older", entries.get(entries.size() - 1).id());
      }
      pages.render(ctx, 200, "admin-audit", m);
    }).onFailure(ctx::fail);
  }

  private void json(RoutingContext ctx) {
    Filter f;
    try {
      f = filter(ctx);
    } catch (BadFilter e) {
      ctx.fail(400, new ClientError(400, "bad_filter", e.getMessage()));
      return;
    }
    log.list(f, before(ctx.request().getParam("before")), Audit.PAGE_SIZE)
        .onSuccess(entries -> Http.json(ctx, 200, new JsonObject().put("entries", Audit.toJson(entries))))
        .onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Filter f;
    try {
      f = filter(ctx);
    } catch (BadFilter e) {
      ctx.fail(400, new ClientError(400, "bad_filter", e.getMessage()));
      return;
    }
    JsonObject detail = new JsonObject().put("action", nz(f.actionPrefix())).put("q", nz(f.text()))
        .put("actor", nz(f.actor())).put("from", f.from() == null ? "" : f.from().toString())
        .put("to", f.to() == null ? "" : f.to().toString());
    // audited before the first byte leaves, so an export that fails half-way is still on record
    log.record(me.email(), "audit.exported", null, detail).onSuccess(v -> {
      HttpServerResponse res = ctx.response().setChunked(true)
          .putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"gameday-audit.csv\"")
          .putHeader("Cache-Control", "no-store");
      res.write(CSV_HEADER).compose(w -> stream(ctx, res, f, null)).onComplete(done -> {
        if (done.succeeded()) {
          res.end();
        } else {
          res.reset(); // headers are gone: cut the download short rather than end it looking whole
        }
      });
    }).onFailure(ctx::fail);
  }

  private Future<Void> stream(RoutingContext ctx, HttpServerResponse res, Filter f, Long before) {
    return log.list(f, before, EXPORT_PAGE).compose(entries -> {
      if (entries.isEmpty()) {
        return Future.succeededFuture();
      }
      return ctx.vertx().executeBlocking(() -> csv(entries), false).compose(res::write).compose(w ->
          entries.size() < EXPORT_PAGE ? Future.succeededFuture() : stream(ctx, res, f, entries.get(entries.size() - 1).id()));
    });
  }

  static String csv(List<Entry> entries) {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      b.append(cell(String.valueOf(e.id()))).append(',').append(cell(e.at())).append(',').append(cell(e.actor())).append(',')
          .append(cell(e.action())).append(',').append(cell(e.subject())).append(',')
          .append(cell(e.detail() == null ? "" : e.detail().encode())).append("\r\n");
    }
    return b.toString();
  }

  /** RFC 4180 quoting; a cell a spreadsheet would run as a formula (= + - @, tab, carriage return) gets an apostrophe. */
  static String cell(String s) {
    if (s == null) {
      return "";
    }
    String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  /** The filter as a query string (without paging), for the "Older entries" and "Export CSV" links. */
  static String query(Filter f) {
    StringBuilder b = new StringBuilder();
    param(b, "action", f.actionPrefix());
    param(b, "q", f.text());
    param(b, "actor", f.actor());
    param(b, "from", f.from() == null ? null : f.from().toString());
    param(b, "to", f.to() == null ? null : f.to().toString());
    return b.toString();
  }

  private static void param(StringBuilder b, String name, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    b.append(b.isEmpty() ? "" : "&").append(name).append('=').append(URLEncoder.encode(value.strip(), StandardCharsets.UTF_8));
  }

  private static Long before(String s) {
    try {
      return s == null || s.isBlank() ? null : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s.strip();
  }
}
