package dev.gameday.ops;

import dev.gameday.db.Migrations;
import dev.gameday.web.Passwords;
import dev.gameday.web.Tokens;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gameday export} and {@code gameday import}: the data as JSON Lines, one {@code {"table", "row"}} object a
 * line after a header line, tables in foreign-key order. A logical copy for moving between installations and for
 * a second, independent backup; the primary backup is Postgres's own (pg_dump, point-in-time recovery; README).
 *
 * <p>Without {@code --with-identity} the export carries no identity: candidates' names and emails become
 * placeholders ({@code Candidate <pseudonym>}, {@code candidate-<id>@redacted.invalid}), accounts' names and
 * emails likewise, their password hashes are replaced (nobody can sign in with a restored account until an admin
 * resets it) and the audit log's actors and details name the placeholders. Answers, reviews and decisions are kept
 * as they are; candidates' voluntary self-identification is left out.
 */
public final class Backup {
  public static final String FORMAT = "gameday-export";
  /** What an export holds, in an order that satisfies every foreign key. */
  public static final List<String> TABLES = List.of("exercise_versions", "exercise_files", "tracks", "track_exercises",
      "track_email_templates", "invitations", "self_identification", "invitation_exercises", "answer_heads", "answer_history", "answer_section_history", "trail_events", "submissions", "accounts", "review_items",
      "reviews", "review_assignments", "review_assignment_reminders", "decisions", "feedback_releases", "calibration_reviews",
      "audit_log");
  /**
   * What it deliberately leaves out: short-lived state, secrets in flight (the email outbox holds links until
   * delivered), credentials of other systems (API token hashes, webhook signing secrets: a restored installation issues new
   * ones) and what was sent to them (webhook events and their delivery log), the answers kept for Idempotency-Key
   * retries, what triggers rebuild (invitation_activity, the decision log's chain; the header carries its head), the server's own settings (mail_settings, set at every
   * start), which libraries passed their checks (library_checks: a restored server checks its library again), and
   * Flyway's own bookkeeping.
   */
  public static final Set<String> SKIPPED = Set.of("flyway_schema_history", "sessions", "setup_tokens",
      "login_throttle", "login_address_throttle", "email_outbox", "invitation_activity", "mail_settings",
      "library_checks", "api_tokens", "idempotency_keys", "webhook_endpoints", "webhook_events", "webhook_deliveries",
      "webhook_attempts", "greenhouse_interviews", "password_resets", "password_reset_throttle",
      // the decision log's chain is rebuilt by its trigger as audit_log is imported (the same hashes, from the same rows)
      "decision_log", "decision_log_head",
      // the adverse impact report's sums of submitted reviews' levels: rebuilt by their trigger as reviews are imported
      "review_level_sums", "review_exercise_sums",
      // the adverse impact report's per-day summaries: marked stale by their triggers as rows are imported, recomputed
      "impact_daily_decisions", "impact_daily_levels", "impact_stale",
      // second factors are credentials like API tokens: a restored installation's staff enrol again (required roles
      // are sent to enrolment at their next sign-in); pending sign-ins and wrong-code counts are short-lived
      "account_totp", "totp_recovery_codes", "totp_pending", "totp_failures",
      // single sign-ons under way: state, nonce and PKCE verifier for at most 10 minutes
      "sso_logins");

  private Backup() {
  }

  public record Counts(Map<String, Long> rows) {
    public long total() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static Connection connect(String postgresUrl) throws SQLException {
    Migrations.Jdbc jdbc = Migrations.Jdbc.from(postgresUrl);
    return DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
  }

  /** Writes the export; one repeatable-read transaction, so the file is one consistent moment. */
  public static Counts export(String postgresUrl, Writer out, boolean withIdentity) throws SQLException, IOException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = connect(postgresUrl)) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      Redactor redactor = withIdentity ? null : Redactor.load(c);
      dev.gameday.audit.DecisionLog.Head head = dev.gameday.audit.DecisionLog.head(c);
      out.write(new JsonObject().put("format", FORMAT).put("version", 1).put("schema", schemaVersion(c))
          .put("identity", withIdentity).put("exportedAt", Instant.now().toString())
          .put("decisionLogHead", new JsonObject().put("entries", head.seq()).put("sha256", head.sha256())).encode());
      out.write('\n');
      for (String table : TABLES) {
        long n = 0;
        if (redactor != null && "self_identification".equals(table)) {
          counts.put(table, 0L); // voluntary self-identification travels only in an export with identity
          continue;
        }
        try (Statement s = c.createStatement()) {
          s.setFetchSize(500);
          try (ResultSet rs = s.executeQuery("select row_to_json(t)::text from " + table + " t order by "
              + orderBy(c, table))) {
            while (rs.next()) {
              JsonObject row = new JsonObject(rs.getString(1));
              if (redactor != null) {
                row = redactor.apply(table, row);
              }
              out.write(new JsonObject().put("table", table).put("row", row).encode());
              out.write('\n');
              n++;
            }
          }
        }
        counts.put(table, n);
      }
      c.rollback();
    }
    out.flush();
    return new Counts(counts);
  }

  /** Restores an export into a database that has this release's schema and no data; all or nothing. */
  public static Counts importInto(String postgresUrl, BufferedReader in) throws SQLException, IOException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = connect(postgresUrl)) {
      c.setAutoCommit(false);
      String header = in.readLine();
      JsonObject h;
      try {
        h = header == null ? null : new JsonObject(header);
      } catch (RuntimeException e) {
        h = null;
      }
      if (h == null || !FORMAT.equals(h.getString("format"))) {
        throw new IllegalArgumentException("this is not a gameday export (its first line is not the export header)");
      }
      String schema = schemaVersion(c);
      if (!schema.equals(h.getString("schema"))) {
        throw new IllegalArgumentException("the export has schema version " + h.getString("schema")
            + " but this database has " + schema + ": import it with the release that wrote it");
      }
      for (String table : TABLES) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select exists (select 1 from " + table + ")")) {
          rs.next();
          if (rs.getBoolean(1)) {
            throw new IllegalArgumentException("import needs an empty database, but " + table + " has rows"
                + " (a server that started on it stores the exercise library: import before the first start)");
          }
        }
      }
      Map<String, PreparedStatement> inserts = new HashMap<>();
      Map<String, Integer> pending = new HashMap<>();
      int position = 0;
      String line;
      long lineNo = 1;
      try {
        while ((line = in.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          JsonObject o = new JsonObject(line);
          String table = o.getString("table");
          int at = TABLES.indexOf(table);
          if (at < 0) {
            throw new IllegalArgumentException("line " + lineNo + ": unknown table " + table);
          }
          if (at < position) {
            throw new IllegalArgumentException("line " + lineNo + ": " + table + " out of order");
          }
          if (at > position) {
            for (int i = position; i < at; i++) {
              flush(inserts, pending, TABLES.get(i));
            }
            position = at;
          }
          PreparedStatement ps = inserts.computeIfAbsent(table, t -> prepare(c, t));
          ps.setString(1, o.getJsonObject("row").encode());
          ps.addBatch();
          pending.merge(table, 1, Integer::sum);
          counts.merge(table, 1L, Long::sum);
          if (pending.get(table) >= 500) {
            flush(inserts, pending, table);
          }
        }
        for (String t : TABLES) {
          flush(inserts, pending, t);
        }
        resetSequences(c);
        c.commit();
      } catch (SQLException | RuntimeException | IOException e) {
        c.rollback();
        throw e;
      } finally {
        for (PreparedStatement ps : inserts.values()) {
          ps.close();
        }
      }
    }
    TABLES.forEach(t -> counts.putIfAbsent(t, 0L));
    return new Counts(counts);
  }

  private static PreparedStatement prepare(Connection c, String table) {
    try {
      return c.prepareStatement("insert into " + table + " select * from json_populate_record(null::" + table
          + ", ?::json)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void flush(Map<String, PreparedStatement> inserts, Map<String, Integer> pending, String table)
      throws SQLException {
    if (pending.getOrDefault(table, 0) > 0) {
      inserts.get(table).executeBatch();
      pending.put(table, 0);
    }
  }

  /** Serial columns continue after the imported ids. */
  private static void resetSequences(Connection c) throws SQLException {
    List<String[]> serials = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "select table_name, column_name from information_schema.columns where table_schema = current_schema()"
            + " and column_default like 'nextval(%'")) {
      while (rs.next()) {
        serials.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    for (String[] tc : serials) {
      if (!TABLES.contains(tc[0])) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        s.execute("select setval(pg_get_serial_sequence('" + tc[0] + "', '" + tc[1] + "'), coalesce(max(" + tc[1]
            + "), 1), max(" + tc[1] + ") is not null) from " + tc[0]);
      }
    }
  }

  /** The primary key's columns, so that an export of the same data is the same file. */
  static String orderBy(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select a.attname from pg_index i join pg_attribute a"
        + " on a.attrelid = i.indrelid and a.attnum = any(i.indkey) where i.indrelid = ?::regclass and i.indisprimary"
        + " order by array_position(i.indkey, a.attnum)")) {
      ps.setString(1, table);
      List<String> cols = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(rs.getString(1));
        }
      }
      return cols.isEmpty() ? "row_to_json(t)::text" : String.join(", ", cols);
    }
  }

  static String schemaVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "select version from flyway_schema_history where success and version is not null"
            + " order by installed_rank desc limit 1")) {
      return rs.next() ? rs.getString(1) : "none";
    }
  }

  /** Replaces identity with placeholders (see the class comment). */
  private static final class Redactor {
    private final Map<String, String> replacements = new LinkedHashMap<>();
    private final String lockedHash = Passwords.hash(Tokens.newToken());

    static Redactor load(Connection c) throws SQLException {
      Redactor r = new Redactor();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "select id, pseudonym, candidate_name, candidate_email from invitations")) {
        while (rs.next()) {
          r.add(rs.getString(4), candidateEmail(rs.getLong(1)));
          r.add(rs.getString(3), candidateName(rs.getString(2)));
        }
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, name, email from accounts")) {
        while (rs.next()) {
          r.add(rs.getString(3), accountEmail(rs.getLong(1)));
          r.add(rs.getString(2), accountName(rs.getLong(1)));
        }
      }
      return r;
    }

    private void add(String from, String to) {
      if (from != null && from.length() >= 4) {
        replacements.putIfAbsent(from, to);
      }
    }

    JsonObject apply(String table, JsonObject row) {
      switch (table) {
        case "invitations" -> {
          row.put("candidate_name", candidateName(row.getString("pseudonym")));
          row.put("candidate_email", candidateEmail(row.getLong("id")));
          // who invited from the candidates page: an account's email (or token:NAME), named by its placeholder
          String by = row.getString("invited_by");
          if (by != null) {
            row.put("invited_by", replacements.getOrDefault(by, by));
          }
        }
        case "accounts" -> {
          row.put("name", accountName(row.getLong("id")));
          row.put("email", accountEmail(row.getLong("id")));
          row.put("password_hash", lockedHash);
          // who disabled the account: an admin's email, named by its placeholder
          String disabledBy = row.getString("disabled_by");
          if (disabledBy != null) {
            row.put("disabled_by", replacements.getOrDefault(disabledBy, disabledBy));
          }
        }
        case "audit_log" -> {
          String text = row.encode();
          for (Map.Entry<String, String> e : replacements.entrySet()) {
            text = text.replace(escaped(e.getKey()), escaped(e.getValue()));
          }
          return new JsonObject(text);
        }
        default -> {
        }
      }
      return row;
    }

    private static String escaped(String s) {
      String quoted = new io.vertx.core.json.JsonArray().add(s).encode();
      return quoted.substring(2, quoted.length() - 2);
    }

    static String candidateName(String pseudonym) {
      return "Candidate " + pseudonym;
    }

    static String candidateEmail(long id) {
      return "candidate-" + id + "@redacted.invalid";
    }

    static String accountName(long id) {
      return "Account " + id;
    }

    static String accountEmail(long id) {
      return "account-" + id + "@redacted.invalid";
    }
  }
}
