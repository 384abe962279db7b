package dev.gameday;

import dev.gameday.audit.DecisionLog;
import dev.gameday.db.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code gameday audit verify}: recomputes the decision log's hash chain. */
final class AuditCommands {
  private AuditCommands() {
  }

  @Command(name = "audit", description = "The tamper-evident decision log.", subcommands = {AuditCommands.Verify.class})
  static final class Audit extends Main.Group {
  }

  @Command(name = "verify", description = "Recompute the decision log's hash chain from the audit entries; exits 0 when"
      + " every entry matches, 1 naming the first broken entry.")
  static final class Verify implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      DecisionLog.Verdict v = OpsCommands.withDatabase(Main.config(), url -> {
        Migrations.Jdbc j = Migrations.Jdbc.from(url);
        try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password())) {
          return DecisionLog.verify(c);
        }
      });
      if (v.ok()) {
        System.out.println("Decision log intact: " + v.entries() + " entries, head " + v.head().sha256() + ".");
        return 0;
      }
      System.out.println("Decision log BROKEN at " + v.broken());
      return 1;
    }
  }
}
