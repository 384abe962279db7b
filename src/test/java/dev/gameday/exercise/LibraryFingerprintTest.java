package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Gameday;
import dev.gameday.support.Library;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Start-up skips the checks only for a library that passed them before, byte for byte, under the same checking code. */
@ExtendWith(PostgresExtension.class)
class LibraryFingerprintTest {
  @TempDir
  Path tmp;

  @Test
  @DisplayName("a verified load builds the same exercises and tracks as a checked one")
  void sameModel() {
    ExerciseLoader.Result checked = ExerciseLoader.load(Path.of("exercises"));
    ExerciseLoader.Result fast = ExerciseLoader.loadVerified(Path.of("exercises"));
    assertTrue(checked.ok() && fast.ok());
    assertEquals(checked.tracks(), fast.tracks());
    assertEquals(checked.exercises().size(), fast.exercises().size());
    for (int i = 0; i < checked.exercises().size(); i++) {
      assertEquals(checked.exercises().get(i).exercise(), fast.exercises().get(i).exercise());
      assertEquals(checked.exercises().get(i).contentHash(), fast.exercises().get(i).contentHash());
    }
  }

  @Test
  @DisplayName("any changed byte, added file or world.yaml edit changes the fingerprint")
  void fingerprintCoversEveryFile() throws Exception {
    Path lib = Library.copy(tmp);
    String before = ExerciseLoader.fingerprint(lib);
    assertNotNull(before);
    assertEquals(before, ExerciseLoader.fingerprint(lib), "stable");
    Files.writeString(lib.resolve("world.yaml"), Files.readString(lib.resolve("world.yaml")) + "\n");
    String afterWorld = ExerciseLoader.fingerprint(lib);
    assertNotEquals(before, afterWorld);
    Files.writeString(lib.resolve("incident-postmortem/evidence/extra.txt"), "x");
    assertNotEquals(afterWorld, ExerciseLoader.fingerprint(lib));
  }

  @Test
  @DisplayName("the first start checks and records the library; a leak planted afterwards is caught at the next start")
  void changedLibraryIsCheckedAgain(TestDatabase db) throws Exception {
    Path lib = Library.copy(tmp);
    try (TestApp app = TestApp.start(db, lib)) {
      assertEquals(1L, app.one("select count(*) as n from library_checks where fingerprint = $1", ExerciseLoader.fingerprint(lib))
          .orElseThrow().getLong("n"));
    }
    // a published descriptor that gives the answer away (CheckCommandTest.leakyDescriptor): only the full check sees it
    Path rubric = lib.resolve("incident-postmortem/rubric.yaml");
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(rubric));
    int at = 0;
    while (!lines.get(at).trim().startsWith("descriptor:")) {
      at++;
    }
    String indent = lines.get(at).substring(0, lines.get(at).indexOf("descriptor:"));
    lines.set(at, indent + "descriptor: Names v4.82.0 as the cause and the publish at 14:04 as the trigger.");
    while (lines.get(at + 1).startsWith(indent + "  ")) {
      lines.remove(at + 1);
    }
    Files.write(rubric, lines);
    assertFalse(ExerciseLoader.load(lib).ok(), "the full check refuses it");
    assertTrue(ExerciseLoader.loadVerified(lib).ok(), "a verified load alone would not have");
    Gameday.LibraryException refused = assertThrows(Gameday.LibraryException.class, () -> TestApp.start(db, lib).close());
    assertTrue(refused.result.problems().stream().anyMatch(p -> p.toString().contains("rubric.yaml")), refused.result.problems().toString());
  }
}
