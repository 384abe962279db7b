package dev.gameday;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RoleCommandTest {
  @Test
  @DisplayName("reviewer add refuses an unknown --role and --admin with another --role, before asking for a password")
  void roles() {
    assertEquals(2, new CommandLine(new Main()).execute("reviewer", "add", "--email", "a@example.com", "--name", "A", "--role", "boss"));
    assertEquals(2, new CommandLine(new Main()).execute("reviewer", "add", "--email", "a@example.com", "--name", "A",
        "--admin", "--role", "recruiter"));
  }
}
