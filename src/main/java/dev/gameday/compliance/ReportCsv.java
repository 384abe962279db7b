package dev.gameday.compliance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The bias-audit report as one CSV: first the report's facts as {@code meta} rows (track, range, counts of unknown
 * category, method), then one row per group of every stage and category ({@code impact}), then the score
 * differences ({@code score}). Suppressed groups say "fewer than 5" and carry no numbers.
 */
final class ReportCsv {
  static final String HEADER = "section,stage,category,group,assessed,selected,selection_rate,impact_ratio,fisher_p,"
      + "flagged,reference,criterion,n,mean,hedges_g,ci_low,ci_high,note";

  private ReportCsv() {
  }

  static String of(JsonObject r) {
    StringBuilder b = new StringBuilder(8192).append(HEADER).append("\r\n");
    meta(b, "track", r.getString("track"));
    meta(b, "track_title", r.getString("trackTitle"));
    meta(b, "from", r.getString("from") == null ? "" : r.getString("from"));
    meta(b, "to", r.getString("to") == null ? "" : r.getString("to"));
    meta(b, "generated_at", r.getString("generatedAt"));
    meta(b, "submitted", String.valueOf(r.getLong("submitted")));
    JsonObject unknown = r.getJsonObject("unknown");
    for (String cat : unknown.fieldNames()) {
      meta(b, "unknown_" + cat + "_not_answered", String.valueOf(unknown.getJsonObject(cat).getLong("notAnswered")));
      meta(b, "unknown_" + cat + "_prefer_not_to_say", String.valueOf(unknown.getJsonObject(cat).getLong("preferNotToSay")));
    }
    meta(b, "method", r.getString("method"));
    for (Object so : r.getJsonArray("stages")) {
      JsonObject stage = (JsonObject) so;
      for (Object co : stage.getJsonArray("categories")) {
        JsonObject cat = (JsonObject) co;
        for (Object ro : cat.getJsonArray("rows")) {
          JsonObject row = (JsonObject) ro;
          boolean sup = row.getBoolean("suppressed");
          line(b, "impact", stage.getString("stage"), cat.getString("category"), row.getString("label"),
              sup ? "" : num(row.getValue("assessed")), sup ? "" : num(row.getValue("selected")), sup ? "" : num(row.getValue("rate")),
              sup ? "" : num(row.getValue("impactRatio")), sup ? "" : num(row.getValue("p")), sup ? "" : num(row.getValue("flagged")),
              sup ? "" : num(row.getValue("reference")), "", "", "", "", "", "", sup ? "fewer than 5" : "");
        }
      }
    }
    for (Object so : r.getJsonArray("scoreDifferences")) {
      JsonObject sd = (JsonObject) so;
      for (Object co : sd.getJsonArray("categories")) {
        JsonObject cat = (JsonObject) co;
        for (Object ro : cat.getJsonArray("rows")) {
          JsonObject row = (JsonObject) ro;
          boolean sup = row.getBoolean("suppressed");
          line(b, "score", "exercise:" + sd.getString("exercise"), cat.getString("category"), row.getString("label"),
              "", "", "", "", "", "", sup ? "" : num(row.getValue("reference")), sd.getString("criterion"),
              sup ? "" : num(row.getValue("n")), sup ? "" : num(row.getValue("mean")), sup ? "" : num(row.getValue("g")),
              sup ? "" : num(row.getValue("ciLow")), sup ? "" : num(row.getValue("ciHigh")), sup ? "fewer than 5" : "");
        }
      }
    }
    return b.toString();
  }

  private static void meta(StringBuilder b, String key, String value) {
    line(b, "meta", "", "", key, "", "", "", "", "", "", "", "", "", "", "", "", "", value);
  }

  private static void line(StringBuilder b, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(cell(cells[i]));
    }
    b.append("\r\n");
  }

  /** RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading apostrophe. */
  static String cell(String s) {
    if (s == null) {
      return "";
    }
    String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.eE+-]+") ? "'" + s : s;
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  private static String num(Object v) {
    return v == null ? "" : String.valueOf(v);
  }

  static JsonArray rows(JsonObject o) {
    return o.getJsonArray("rows");
  }
}
