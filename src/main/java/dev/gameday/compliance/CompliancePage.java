package dev.gameday.compliance;

import dev.gameday.exercise.Catalog;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The /compliance page's model: one category at a time, each stage's table beside its chart. */
final class CompliancePage {
  private CompliancePage() {
  }

  static Map<String, Object> model(JsonObject r, String category, Catalog catalog, MultiMap params) {
    Map<String, Object> m = new HashMap<>();
    m.put("title", "Compliance: adverse impact");
    m.put("hasCharts", true);
    List<Map<String, Object>> tracks = new ArrayList<>();
    for (Catalog.CurrentTrack t : catalog.tracks()) {
      tracks.add(Map.of("id", t.track().id(), "title", t.track().title(), "selected", t.track().id().equals(r.getString("track"))));
    }
    m.put("tracks", tracks);
    List<Map<String, Object>> cats = new ArrayList<>();
    for (ImpactReport.Category c : ImpactReport.CATEGORIES) {
      cats.add(Map.of("id", c.id(), "label", c.label(), "selected", c.id().equals(category)));
    }
    m.put("categories", cats);
    m.put("from", r.getString("from") == null ? "" : r.getString("from"));
    m.put("to", r.getString("to") == null ? "" : r.getString("to"));
    m.put("trackTitle", r.getString("trackTitle"));
    m.put("submitted", r.getLong("submitted"));
    JsonObject unknown = r.getJsonObject("unknown").getJsonObject(category);
    m.put("notAnswered", unknown.getLong("notAnswered"));
    m.put("preferNot", unknown.getLong("preferNotToSay"));
    m.put("method", r.getString("method"));
    String query = "track=" + enc(r.getString("track")) + "&from=" + enc(r.getString("from")) + "&to=" + enc(r.getString("to"));
    m.put("query", query);
    List<Map<String, Object>> stages = new ArrayList<>();
    for (Object so : r.getJsonArray("stages")) {
      JsonObject stage = (JsonObject) so;
      JsonObject cat = find(stage.getJsonArray("categories"), category);
      List<Map<String, Object>> rows = new ArrayList<>();
      JsonArray labels = new JsonArray();
      JsonArray rates = new JsonArray();
      double top = 0;
      for (Object ro : cat.getJsonArray("rows")) {
        JsonObject row = (JsonObject) ro;
        Map<String, Object> x = new HashMap<>();
        x.put("label", row.getString("label"));
        x.put("suppressed", row.getBoolean("suppressed"));
        if (!row.getBoolean("suppressed")) {
          x.put("assessed", row.getLong("assessed"));
          x.put("selected", row.getLong("selected"));
          x.put("rate", ComplianceRoutes.percent(row.getDouble("rate")));
          x.put("ratio", row.getDouble("impactRatio") == null ? "-" : String.format(Locale.ROOT, "%.2f", row.getDouble("impactRatio")));
          x.put("p", p(row.getDouble("p")));
          x.put("flagged", row.getBoolean("flagged"));
          x.put("reference", row.getBoolean("reference"));
          labels.add(row.getString("label"));
          rates.add(row.getDouble("rate"));
          top = Math.max(top, row.getDouble("rate"));
        }
        rows.add(x);
      }
      Map<String, Object> s = new HashMap<>();
      s.put("label", stage.getString("label"));
      s.put("assessed", stage.getLong("assessed"));
      s.put("selectedTotal", stage.getLong("selected"));
      s.put("rows", rows);
      s.put("empty", rows.isEmpty());
      s.put("chart", new JsonObject().put("labels", labels).put("rates", rates).put("fourFifths", top * AdverseImpact.FOUR_FIFTHS)
          .encode());
      s.put("hasChart", !labels.isEmpty());
      stages.add(s);
    }
    m.put("stages", stages);
    List<Map<String, Object>> scores = new ArrayList<>();
    for (Object so : r.getJsonArray("scoreDifferences")) {
      JsonObject sd = (JsonObject) so;
      JsonObject cat = find(sd.getJsonArray("categories"), category);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Object ro : cat.getJsonArray("rows")) {
        JsonObject row = (JsonObject) ro;
        Map<String, Object> x = new HashMap<>();
        x.put("label", row.getString("label"));
        x.put("suppressed", row.getBoolean("suppressed"));
        if (!row.getBoolean("suppressed")) {
          x.put("n", row.getLong("n"));
          x.put("mean", String.format(Locale.ROOT, "%.2f", row.getDouble("mean")));
          x.put("reference", row.getBoolean("reference"));
          x.put("g", row.getDouble("g") == null ? "-" : String.format(Locale.ROOT, "%.2f", row.getDouble("g")));
          x.put("ci", row.getDouble("ciLow") == null ? "-"
              : String.format(Locale.ROOT, "%.2f to %.2f", row.getDouble("ciLow"), row.getDouble("ciHigh")));
        }
        rows.add(x);
      }
      if (!rows.isEmpty()) {
        scores.add(Map.of("exercise", sd.getString("exerciseTitle"), "criterion", sd.getString("criterionTitle"), "rows", rows));
      }
    }
    m.put("scores", scores);
    return m;
  }

  static String p(Double p) {
    if (p == null) {
      return "-";
    }
    return p < 0.0001 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
  }

  private static JsonObject find(JsonArray cats, String id) {
    for (Object o : cats) {
      if (id.equals(((JsonObject) o).getString("category"))) {
        return (JsonObject) o;
      }
    }
    return new JsonObject().put("rows", new JsonArray());
  }

  private static String enc(String s) {
    return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
