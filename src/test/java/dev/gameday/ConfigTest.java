package dev.gameday;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  @DisplayName("defaults: embedded Postgres under .gameday, port 8080, exercises/, localhost URL")
  void defaults() {
    Config c = Config.fromEnvironment(Map.of());
    assertEquals(Optional.empty(), c.databaseUrl());
    assertTrue(c.embedded());
    assertEquals(Path.of(".gameday"), c.dataDir());
    assertEquals(8080, c.port());
    assertEquals(Path.of("exercises"), c.exercisesDir());
    assertEquals("http://localhost:8080", c.publicUrl());
  }

  @Test
  @DisplayName("environment variables override the defaults; https public URLs switch on secure cookies")
  void fromEnvironment() {
    Config c = Config.fromEnvironment(Map.of("GAMEDAY_DATABASE_URL", "postgresql://u:p@db:5432/gameday",
        "GAMEDAY_PORT", "9000", "GAMEDAY_PUBLIC_URL", "https://gameday.example/", "GAMEDAY_EXERCISES", "/srv/ex",
        "GAMEDAY_DATA_DIR", "/var/lib/gameday"));
    assertEquals("postgresql://u:p@db:5432/gameday", c.databaseUrl().orElseThrow());
    assertEquals(9000, c.port());
    assertEquals("https://gameday.example", c.publicUrl());
    assertTrue(c.https());
    assertEquals(Path.of("/srv/ex"), c.exercisesDir());
  }

  @Test
  @DisplayName("a bad port, a non-postgres URL or a public URL without scheme fail with a clear message")
  void invalid() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_PORT", "eighty")))
        .getMessage().contains("GAMEDAY_PORT"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_DATABASE_URL", "mysql://x/y")))
        .getMessage().contains("postgresql://"));
    assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_PUBLIC_URL", "gameday.example")));
  }

  @Test
  @DisplayName("GAMEDAY_EGRESS_ALLOW and GAMEDAY_GREENHOUSE_HOSTS: defaults, parsing, and a clear message for a bad value")
  void integrations() throws Exception {
    Config d = Config.fromEnvironment(Map.of());
    assertTrue(d.integrations().egress().isDefault());
    assertEquals(java.util.List.of("app.greenhouse.io"), d.integrations().greenhouseHosts());
    Config c = Config.fromEnvironment(Map.of("GAMEDAY_EGRESS_ALLOW", "10.20.0.0/16, fd00::/8",
        "GAMEDAY_GREENHOUSE_HOSTS", "App.Greenhouse.io, http://127.0.0.1"));
    assertTrue(c.integrations().egress().permits(java.net.InetAddress.getByName("10.20.1.1")));
    assertEquals(java.util.List.of("app.greenhouse.io", "http://127.0.0.1"), c.integrations().greenhouseHosts());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_EGRESS_ALLOW", "intranet")))
        .getMessage().contains("GAMEDAY_EGRESS_ALLOW"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_GREENHOUSE_HOSTS", "https://x/y")))
        .getMessage().contains("GAMEDAY_GREENHOUSE_HOSTS"));
  }
}
