package dev.gameday.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.db.Migrations;
import dev.gameday.support.PostgresExtension.Source;
import dev.gameday.support.PostgresExtension.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionTest {

  @Test
  @DisplayName("a URL in GAMEDAY_TEST_DATABASE_URL wins, even when Docker answers")
  void environmentFirst() {
    assertEquals(Source.ENVIRONMENT, PostgresExtension.choose(Map.of("GAMEDAY_TEST_DATABASE_URL", "postgresql://x/y"), () -> true));
  }

  @Test
  @DisplayName("without a URL, Testcontainers is used when a Docker engine answers")
  void dockerSecond() {
    assertEquals(Source.TESTCONTAINERS, PostgresExtension.choose(Map.of(), () -> true));
    assertEquals(Source.TESTCONTAINERS, PostgresExtension.choose(Map.of("GAMEDAY_TEST_DATABASE_URL", " "), () -> true));
  }

  @Test
  @DisplayName("without a URL and without Docker, the embedded Postgres is used")
  void embeddedLast() {
    assertEquals(Source.EMBEDDED, PostgresExtension.choose(Map.of(), () -> false));
  }

  @Test
  @DisplayName("the database handed to a test class is reachable, migrated and its own")
  void databaseIsMigratedAndOwn(TestDatabase db) throws Exception {
    assertEquals(PostgresExtension.choose(System.getenv(), () -> PostgresExtension.source() == Source.TESTCONTAINERS),
        PostgresExtension.source());
    Migrations.Jdbc jdbc = Migrations.Jdbc.from(db.url());
    try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
         ResultSet rs = c.createStatement().executeQuery(
             "select current_database(), (select count(*) from information_schema.tables where table_name = 'answers')")) {
      rs.next();
      assertTrue(rs.getString(1).startsWith("gd_postgresextensiontest_"), rs.getString(1));
      assertEquals(1, rs.getInt(2));
    }
  }
}
