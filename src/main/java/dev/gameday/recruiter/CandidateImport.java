package dev.gameday.recruiter;

import dev.gameday.web.Account;
import dev.gameday.audit.Audit;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CSV import of invitations ({@value #CSV_HEADER}), all or nothing: the file is decoded, parsed and checked on a
 * worker, every problem listed with its line, and the rows created as {@link NewInvitations} creates them, in one
 * transaction. The export and the template are {@link CandidateExport}.
 */
public final class CandidateImport {
  public static final int MAX_IMPORT_ROWS = 5000;
  public static final String CSV_HEADER = "name,email,track,deadline_days,time_multiplier";
  private static final List<String> COLUMNS = List.of("name", "email", "track", "deadline_days", "time_multiplier");

  private final io.vertx.core.Vertx vertx;
  private final Pool pool;
  private final NewInvitations invitations;
  private final boolean email;

  public CandidateImport(io.vertx.core.Vertx vertx, Pool pool, NewInvitations invitations, boolean email) {
    this.vertx = vertx;
    this.pool = pool;
    this.invitations = invitations;
    this.email = email;
  }

  /**
   * A CSV file, all or nothing: every row is validated first, errors listed as {@code line N: message} (the header
   * is line 1); nothing is created unless every row is valid, and then everything in one transaction.
   */
  public Future<JsonObject> importCsv(Account me, String body) {
    return importCsv(me, body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The same from the file's bytes, which must be UTF-8 (decoded strictly: another encoding is refused). */
  public Future<JsonObject> importCsv(Account me, byte[] body) {
    // decoding, parsing and checking thousands of rows is work: not on the event loop
    return vertx.executeBlocking(() -> checkCsv(body)).compose(rows -> invitations.retrying(0, () -> pool.withTransaction(conn ->
        invitations.openDuplicates(conn, rows).compose(dups -> {
          if (!dups.isEmpty()) {
            List<JsonObject> dupProblems = new ArrayList<>();
            rows.stream().filter(r -> dups.containsKey(r.line())).forEach(r -> dupProblems.add(problem(r.line(), r.email()
                + " already has an open invitation to " + r.track().track().id() + " (invite them one by one to confirm a second)")));
            return Future.failedFuture(invalidCsv(dupProblems));
          }
          return invitations.create(conn, me, rows, Set.of(), "csv import")
              .compose(created -> Audit.record(conn, me.email(), "candidate.imported", null,
                  new JsonObject().put("rows", rows.size())).map(created))
              .map(created -> {
                // the import's results page lists each created row by name and email (in the file's order)
                for (int i = 0; i < created.size(); i++) {
                  created.getJsonObject(i).put("name", rows.get(i).name()).put("emailAddress", rows.get(i).email());
                }
                return created;
              });
        }))))
        .map(created -> new JsonObject().put("created", created.size())
            .put("ids", new JsonArray(created.stream().map(o -> ((JsonObject) o).getLong("id")).toList()))
            .put("invitations", created).put("email", email));
  }

  /** Every row checked; the rows to create, or a ClientError listing every problem with its line. */
  private List<NewInvitations.NewInvitation> checkCsv(byte[] body) {
    List<JsonObject> problems = new ArrayList<>();
    List<NewInvitations.NewInvitation> rows = new ArrayList<>();
    List<CandidateCsv.Record> records;
    try {
      records = CandidateCsv.parse(body);
    } catch (CandidateCsv.Malformed e) {
      throw invalidCsv(List.of(problem(e.line, e.getMessage())));
    }
    if (records.isEmpty()) {
      throw invalidCsv(List.of(problem(1, "the file is empty; the first line must be the header " + CSV_HEADER)));
    }
    List<String> header = records.get(0).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    if (header.size() < 3 || header.size() > 5 || !COLUMNS.subList(0, header.size()).equals(header)) {
      throw invalidCsv(List.of(problem(1, "the header must be " + CSV_HEADER
          + " (the last two columns may be left out), found " + String.join(",", header))));
    }
    if (records.size() == 1) {
      throw invalidCsv(List.of(problem(1, "the file has a header but no candidates")));
    }
    if (records.size() - 1 > MAX_IMPORT_ROWS) {
      throw invalidCsv(List.of(problem(MAX_IMPORT_ROWS + 2, "a file may hold at most " + MAX_IMPORT_ROWS
          + " candidates; split it")));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (CandidateCsv.Record rec : records.subList(1, records.size())) {
      List<String> f = rec.fields();
      if (f.size() != header.size()) {
        problems.add(problem(rec.line(), "expected " + header.size() + " fields (" + String.join(",", header) + "), found " + f.size()));
        continue;
      }
      try {
        NewInvitations.NewInvitation n = invitations.validate(rec.line(), f.get(0), f.get(1), f.get(2), f.size() > 3 ? f.get(3) : "", f.size() > 4 ? f.get(4) : "");
        String key = n.email().toLowerCase(Locale.ROOT) + "\n" + n.track().track().id();
        Integer earlier = seen.putIfAbsent(key, rec.line());
        if (earlier != null) {
          problems.add(problem(rec.line(), n.email() + " is invited to " + n.track().track().id() + " on line " + earlier + " already"));
        } else {
          rows.add(n);
        }
      } catch (ClientError e) {
        problems.add(problem(rec.line(), e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw invalidCsv(problems);
    }
    return rows;
  }

  private static JsonObject problem(int line, String message) {
    return new JsonObject().put("line", line).put("message", message);
  }

  private static ClientError invalidCsv(List<JsonObject> problems) {
    List<JsonObject> shown = problems.size() > 200 ? problems.subList(0, 200) : problems;
    String first = shown.stream().limit(3).map(p -> "line " + p.getInteger("line") + ": " + p.getString("message"))
        .reduce((a, b) -> a + "; " + b).orElse("");
    return new ClientError(400, "invalid_csv", (problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        + "; nothing was imported. " + first + (problems.size() > 3 ? "; ..." : ""),
        new JsonObject().put("rows", new JsonArray(shown)));
  }
}
