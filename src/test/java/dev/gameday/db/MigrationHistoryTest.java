package dev.gameday.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The start's shortcut past Flyway takes a database at this release's schema, and nothing else. */
@ExtendWith(PostgresExtension.class)
class MigrationHistoryTest {

  @Test
  @DisplayName("every migration's version, description and checksum as computed here equal what Flyway recorded")
  void sameAsFlyway(TestDatabase db) throws Exception {
    Map<String, MigrationHistory.Script> recorded = new TreeMap<>();
    try (Connection c = connect(db); ResultSet rs = c.createStatement().executeQuery(
        "select version, description, checksum from flyway_schema_history where success")) {
      while (rs.next()) {
        recorded.put(rs.getString(1), new MigrationHistory.Script(rs.getString(1), rs.getString(2), rs.getInt(3)));
      }
    }
    Map<String, MigrationHistory.Script> known = MigrationHistory.onClassPath();
    assertNotNull(known);
    assertTrue(known.size() > 30, "migrations found: " + known.size());
    assertEquals(recorded, known);
  }

  @Test
  @DisplayName("a database at this release's schema is recognised with its version; Migrations.migrate and verify answer it")
  void upToDate(TestDatabase db) throws Exception {
    String newest;
    try (Connection c = connect(db); ResultSet rs = c.createStatement().executeQuery(
        "select version from flyway_schema_history order by installed_rank desc limit 1")) {
      rs.next();
      newest = rs.getString(1);
    }
    assertEquals(Optional.of(newest), MigrationHistory.upToDate(db.url()));
    assertEquals(newest, Migrations.migrate(db.url(), null));
    assertEquals(newest, Migrations.verify(db.url()));
  }

  @Test
  @DisplayName("an edited, missing, failed or unknown newer migration in the history leaves the decision to Flyway")
  void anythingElseGoesToFlyway(TestDatabase db) throws Exception {
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      s.execute("create table history_copy as select * from flyway_schema_history");
      // each change is tried alone (committed, so that another connection sees it), then the history restored
      String[] changes = {
          "update flyway_schema_history set checksum = checksum + 1 where version = '1'",
          "delete from flyway_schema_history where installed_rank = (select max(installed_rank) from flyway_schema_history)",
          "update flyway_schema_history set success = false where version = '2'",
          "update flyway_schema_history set description = 'renamed' where version = '2'",
          "insert into flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by,"
              + " execution_time, success) values (9999, '999', 'from the future', 'SQL', 'V999__from_the_future.sql', 1,"
              + " 'test', 1, true)"};
      for (String change : changes) {
        s.execute(change);
        try {
          assertEquals(Optional.empty(), MigrationHistory.upToDate(db.url()), change);
        } finally {
          s.execute("delete from flyway_schema_history");
          s.execute("insert into flyway_schema_history select * from history_copy");
        }
      }
      s.execute("drop table history_copy");
    }
    assertTrue(MigrationHistory.upToDate(db.url()).isPresent(), "restored");
  }

  private static Connection connect(TestDatabase db) throws Exception {
    Migrations.Jdbc jdbc = Migrations.Jdbc.from(db.url());
    return DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
  }
}
