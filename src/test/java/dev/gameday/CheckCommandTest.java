package dev.gameday;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
  @TempDir
  Path tmp;

  private record Run(int code, String out) {
  }

  private static Run check(Path dir) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Main()).execute("check", "--exercises", dir.toString());
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }

  @Test
  @DisplayName("check passes on the shipped library")
  void shipped() {
    Run r = check(Path.of("exercises"));
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("5 exercises and 1 track(s)"), r.out());
    assertTrue(r.out().contains("20 variants of each checked"), r.out());
  }

  @Test
  @DisplayName("check --seeds refuses a negative count with a sentence and exit code 2 (it printed '-3 variants of each checked')")
  void negativeSeeds() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Main()).execute("check", "--exercises", "exercises", "--seeds", "-3");
      assertEquals(2, code);
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("--seeds must be a number of variants from 0"), err.toString());
    } finally {
      System.setErr(old);
    }
  }

  @Test
  @DisplayName("check exits non-zero and names the file and line of a broken exercise")
  void broken() throws Exception {
    Path ex = tmp.resolve("exercises/broken-one");
    Files.createDirectories(ex);
    Files.createDirectories(tmp.resolve("exercises/tracks"));
    Files.writeString(ex.resolve("exercise.yaml"), "id: broken-one\ntitle: Broken\nminutes: ninety\nsummary: s\nsections: []\n");
    Files.writeString(tmp.resolve("exercises/tracks/t.yaml"), "id: t\ntitle: T\ndescription: d\nexercises:\n  - broken-one\n");
    Run r = check(tmp.resolve("exercises"));
    assertEquals(1, r.code());
    assertTrue(r.out().contains("exercises/broken-one/exercise.yaml:3: 'minutes' must be a whole number"), r.out());
    assertTrue(r.out().contains("exercises/broken-one/rubric.yaml:1: missing rubric.yaml"), r.out());
    assertTrue(r.out().contains("exercises/tracks/t.yaml:5: exercise 'broken-one' does not exist or has problems"), r.out());
  }

  @Test
  @DisplayName("check rejects a published descriptor that states a scenario fact, naming its file and line")
  void leakyDescriptor() throws Exception {
    Path lib = dev.gameday.support.Library.copy(tmp);
    Path rubric = lib.resolve("incident-postmortem/rubric.yaml");
    List<String> lines = new ArrayList<>(Files.readAllLines(rubric));
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().startsWith("descriptor:")) {
        at = i;
        break;
      }
    }
    String indent = lines.get(at).substring(0, lines.get(at).indexOf("descriptor:"));
    // a descriptor that gives the answer away: the release and the minute of the trigger, from the reviewer notes
    lines.set(at, indent + "descriptor: Names v4.82.0 as the cause and the publish at 14:04 as the trigger.");
    while (lines.get(at + 1).startsWith(indent + "  ")) {
      lines.remove(at + 1);
    }
    Files.write(rubric, lines);
    Run r = check(lib);
    assertEquals(1, r.code(), r.out());
    String expected = "exercises/incident-postmortem/rubric.yaml:" + (at + 1) + ": the published level";
    assertTrue(r.out().contains(expected), r.out());
    assertTrue(r.out().contains("4.82.0") && r.out().contains("14:04"), r.out());
  }

  @Test
  @DisplayName("check reports a sentence that contradicts a fact of world.yaml, naming its file and line")
  void worldFactContradicted() throws Exception {
    Path lib = dev.gameday.support.Library.copy(tmp);
    Path inventory = lib.resolve("scaling-plan/evidence/architecture-and-inventory.md");
    List<String> lines = new ArrayList<>(Files.readAllLines(inventory));
    // the first edition's diagram: registry-api reading from the replicas
    lines.add("registry-api (24 pods) ──> cache (Redis) ──(miss)──> PgBouncer ──> metadata-db replicas");
    Files.write(inventory, lines);
    Run r = check(lib);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("exercises/scaling-plan/evidence/architecture-and-inventory.md:" + lines.size()
        + ": contradicts fact read-path of exercises/world.yaml"), r.out());
  }

  @Test
  @DisplayName("check reports more waiting PgBouncer clients than registry-api's pods can open, at the CSV row")
  void worldFactPgBouncerClients() throws Exception {
    Path lib = dev.gameday.support.Library.copy(tmp);
    Path csv = lib.resolve("postmortem-review/evidence/registry-metrics.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(csv));
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("2026-09-22T14:30:00Z,")) {
        at = i;
      }
    }
    // the first edition's 1,960 waiting clients: 24 pods open at most 480
    String row = lines.get(at);
    lines.set(at, row.substring(0, row.lastIndexOf(',') + 1) + "1960");
    Files.write(csv, lines);
    Run r = check(lib);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("exercises/postmortem-review/evidence/registry-metrics.csv:" + (at + 1)
        + ": pgbouncer.registryApiClients / registry-api.pods is 81.667 at 2026-09-22T14:30:00Z"), r.out());
  }
}
