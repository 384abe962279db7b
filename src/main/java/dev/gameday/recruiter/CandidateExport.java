package dev.gameday.recruiter;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The recruiter's CSV files (issue 21): the import template, and the candidates list as filtered, exported. Cells are
 * quoted as RFC 4180 asks, and a cell a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) is prefixed with an apostrophe, so a candidate's name can never become a formula on a recruiter's machine.
 */
final class CandidateExport {
  static final String EXPORT_HEADER = "name,email,track,status,deadline,last_activity,decision";

  private CandidateExport() {
  }

  /** The import file's header with one example row, to fill in. */
  static String template() {
    return CandidateImport.CSV_HEADER + "\n" + "Ada Example,ada@example.com,sre-senior,7,1\n";
  }

  /** The list's items (as {@code CandidateListing.list} answers them) as CSV. */
  static String csv(JsonObject list) {
    StringBuilder out = new StringBuilder(EXPORT_HEADER).append('\n');
    for (Object o : list.getJsonArray("items")) {
      JsonObject c = (JsonObject) o;
      out.append(cell(c.getString("name"))).append(',').append(cell(c.getString("email"))).append(',')
          .append(cell(c.getString("track"))).append(',').append(cell(c.getString("status"))).append(',')
          .append(cell(c.getString("deadline"))).append(',').append(cell(c.getString("lastActivity"))).append(',')
          .append(cell(c.getString("decision"))).append('\n');
    }
    return out.toString();
  }

  static String cell(String v) {
    if (v == null) {
      return "";
    }
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
        ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  static void send(RoutingContext ctx, String filename, String body) {
    ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"")
        .putHeader("Cache-Control", "no-store").end(body);
  }
}
