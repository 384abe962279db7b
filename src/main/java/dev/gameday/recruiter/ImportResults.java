package dev.gameday.recruiter;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the candidates page shows once after a CSV import (issue 21, defect 2), kept in the session's flash: for an
 * import, every created row with its name, email and link status, and the address of the list filtered to it; for a
 * refused file, each problem row once (its line, name and email as the file gave them, and all its problems), with
 * a one-line summary that does not repeat them.
 */
final class ImportResults {
  private ImportResults() {
  }

  static JsonObject flash(JsonObject result, boolean emailOn) {
    int n = result.getInteger("created");
    JsonArray rows = new JsonArray();
    for (Object o : result.getJsonArray("invitations", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      JsonObject row = new JsonObject().put("id", c.getLong("id")).put("name", c.getString("name"))
          .put("email", c.getString("emailAddress")).put("pseudonym", c.getString("pseudonym"))
          .put("linkStatus", emailOn ? "invitation email queued" : "link below, shown only now (email is off)");
      if (c.getString("link") != null) {
        row.put("link", c.getString("link"));
      }
      rows.add(row);
    }
    JsonObject flash = new JsonObject()
        .put("importNotice", "Imported " + n + (n == 1 ? " candidate." : " candidates.")
            + (emailOn ? " Their invitation emails are on their way." : " Email is off: copy each link below now; it is shown only once."))
        .put("imported", rows);
    JsonArray ids = result.getJsonArray("ids", new JsonArray());
    if (!ids.isEmpty()) {
      flash.put("importedList", "/candidates?imported=" + ids.getLong(0));
    }
    return flash;
  }

  static JsonObject refused(ClientError ce, String csv) {
    JsonArray problems = ce.body().getJsonArray("rows", new JsonArray());
    Map<Integer, List<String>> fields = new LinkedHashMap<>();
    try {
      for (CandidateCsv.Record r : CandidateCsv.parse(csv == null ? "" : csv)) {
        fields.put(r.line(), r.fields());
      }
    } catch (Exception e) {
      // not CSV at all: the problem names the line; no names to show
    }
    Map<Integer, JsonObject> byLine = new LinkedHashMap<>();
    for (Object o : problems) {
      JsonObject p = (JsonObject) o;
      int line = p.getInteger("line", 0);
      JsonObject row = byLine.computeIfAbsent(line, l -> {
        List<String> f = fields.getOrDefault(l, List.of());
        return new JsonObject().put("line", l).put("name", l > 1 && f.size() > 0 ? f.get(0) : "")
            .put("email", l > 1 && f.size() > 1 ? f.get(1) : "").put("problems", new JsonArray());
      });
      row.getJsonArray("problems").add(p.getString("message"));
    }
    int count = problems.size();
    return new JsonObject()
        .put("importError", (count == 1 ? "1 problem" : count + " problems") + (byLine.size() > 1 ? " in " + byLine.size() + " rows" : "")
            + ": nothing was imported. Correct the rows below and import the file again.")
        .put("importRows", new JsonArray(List.copyOf(byLine.values())))
        .put("csv", csv == null ? "" : csv);
  }
}
