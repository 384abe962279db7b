package dev.gameday.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The tamper-evident decision log (migration V81): audit entries about decisions, overrides, feedback releases,
 * reveals and erasures are chained by a trigger in the transaction that writes them. This class recomputes the chain
 * independently of the database's own hashing, from the audit rows as they are now.
 *
 * <p>Canonical bytes of entry n (UTF-8): each field as {@code <octet length>:<text>\n} (a null as {@code ~\n}):
 * {@code gameday-decision-log-v1}, seq, audit id, at (UTC, microseconds), actor, action, subject, detail (Postgres's
 * jsonb text), the previous entry's SHA-256 (hex; 64 zeros before the first). The entry stores SHA-256 of these bytes.
 */
public final class DecisionLog {
  public static final String GENESIS = "0".repeat(64);
  private static final String VERSION = "gameday-decision-log-v1";
  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

  private DecisionLog() {
  }

  /** The newest entry: how many there are and the hash that commits to all of them. */
  public record Head(long seq, String sha256) {
  }

  /**
   * The result of a verification: {@code broken} is null when every entry checks out, else a sentence naming the
   * first broken entry ({@code brokenSeq} its position, {@code brokenAuditId} its audit entry, when known).
   */
  public record Verdict(long entries, Head head, Long brokenSeq, Long brokenAuditId, String broken) {
    public boolean ok() {
      return broken == null;
    }
  }

  public static Head head(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select seq, sha256 from decision_log_head")) {
      return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : new Head(0, GENESIS);
    }
  }

  /** Recomputes every entry in order and names the first that does not match. Reads in one snapshot. */
  public static Verdict verify(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      Head head = head(c);
      String prev = GENESIS;
      long expected = 1;
      long n = 0;
      try (PreparedStatement ps = c.prepareStatement("""
          select l.seq, l.audit_id, l.prev_sha256, l.sha256, a.id, a.at, a.actor, a.action, a.subject, a.detail::text
            from decision_log l left join audit_log a on a.id = l.audit_id order by l.seq""")) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            n++;
            long seq = rs.getLong(1);
            long auditId = rs.getLong(2);
            String name = "entry " + seq + " (audit entry " + auditId + ")";
            if (seq != expected) {
              return new Verdict(n, head, expected, null, "entry " + expected + " is missing (the next is " + seq + ")");
            }
            if (!prev.equals(rs.getString(3))) {
              return new Verdict(n, head, seq, auditId, name + ": its previous hash does not match entry " + (seq - 1));
            }
            if (rs.getObject(5) == null) {
              return new Verdict(n, head, seq, auditId, name + ": the audit entry it chains is gone");
            }
            OffsetDateTime at = rs.getObject(6, OffsetDateTime.class);
            String computed = sha256(canonical(seq, auditId, at, rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), prev));
            if (!computed.equals(rs.getString(4))) {
              return new Verdict(n, head, seq, auditId, name + " (" + rs.getString(8) + " at " + AT.format(at.withOffsetSameInstant(ZoneOffset.UTC))
                  + "): its content does not match its hash: the audit entry or the chain was changed");
            }
            prev = computed;
            expected++;
          }
        }
      }
      if (head.seq() != n || !head.sha256().equals(prev)) {
        return new Verdict(n, head, n + 1, null, "the head says " + head.seq() + " entries ending in " + head.sha256()
            + " but the chain has " + n + " ending in " + prev + ": entries after " + n + " were removed or the head was changed");
      }
      // every audit entry of a chained kind must be in the chain (one written with the trigger disabled is not)
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
          select a.id, a.action from audit_log a where decision_log_chained(a.action)
             and not exists (select 1 from decision_log l where l.audit_id = a.id) order by a.id limit 1""")) {
        if (rs.next()) {
          return new Verdict(n, head, null, rs.getLong(1), "audit entry " + rs.getLong(1) + " (" + rs.getString(2)
              + ") is of a chained kind but is not in the chain");
        }
      }
      return new Verdict(n, head, null, null, null);
    } finally {
      c.rollback();
      c.setAutoCommit(auto);
    }
  }

  static byte[] canonical(long seq, long auditId, OffsetDateTime at, String actor, String action, String subject,
                          String detail, String prev) {
    StringBuilder b = new StringBuilder(256);
    for (String f : new String[] {VERSION, Long.toString(seq), Long.toString(auditId),
        AT.format(at.withOffsetSameInstant(ZoneOffset.UTC)), actor, action, subject, detail, prev}) {
      if (f == null) {
        b.append("~\n");
      } else {
        b.append(f.getBytes(StandardCharsets.UTF_8).length).append(':').append(f).append('\n');
      }
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
