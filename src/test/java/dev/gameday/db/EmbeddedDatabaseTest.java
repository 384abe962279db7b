package dev.gameday.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
  @TempDir
  Path dataDir;

  private static Connection connect(String url) throws Exception {
    Migrations.Jdbc j = Migrations.Jdbc.from(url);
    return DriverManager.getConnection(j.url(), j.user(), j.password());
  }

  @Test
  @DisplayName("data written to the embedded Postgres is still there after a restart on the same data directory")
  void restartKeepsData() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.startOrAttach(dataDir)) {
      assertTrue(db.owned());
      Migrations.migrate(db.url());
      try (Connection c = connect(db.url())) {
        c.createStatement().execute("insert into audit_log (actor, action) values ('test', 'kept')");
      }
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.startOrAttach(dataDir);
         Connection c = connect(db.url());
         ResultSet rs = c.createStatement().executeQuery("select count(*) from audit_log where action = 'kept'")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  @DisplayName("a second start on a running data directory attaches to the running Postgres instead of starting another")
  void attachToRunning() throws Exception {
    try (EmbeddedDatabase server = EmbeddedDatabase.startOrAttach(dataDir)) {
      try (EmbeddedDatabase cli = EmbeddedDatabase.startOrAttach(dataDir)) {
        assertFalse(cli.owned());
        assertEquals(server.url(), cli.url());
      }
      try (Connection c = connect(server.url())) {
        assertTrue(c.isValid(2), "closing the attached handle leaves the server's Postgres running");
      }
    }
  }
}
