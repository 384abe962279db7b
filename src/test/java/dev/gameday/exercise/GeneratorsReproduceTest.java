package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Library;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evidence is generated: each exercise's source/generate.py, run on a copy, writes exactly the committed files. */
class GeneratorsReproduceTest {
  @TempDir
  Path tmp;

  @Test
  @DisplayName("every generator reproduces its exercise's committed evidence byte for byte")
  void reproduce() throws Exception {
    Assumptions.assumeTrue(python(), "python3 is not installed");
    Path lib = Library.copy(tmp);
    List<Path> generators;
    try (Stream<Path> s = Files.list(lib)) {
      generators = s.map(d -> d.resolve("source/generate.py")).filter(Files::isRegularFile).sorted().toList();
    }
    assertEquals(5, generators.size(), "one generator per exercise: " + generators);
    for (Path gen : generators) {
      Path exercise = gen.getParent().getParent();
      java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(0);
      try (Stream<Path> files = Files.list(exercise.resolve("evidence"))) {
        for (Path f : files.toList()) {
          Files.setLastModifiedTime(f, old); // what the generator writes is newer afterwards
        }
      }
      Process p = new ProcessBuilder("python3", "source/generate.py").directory(exercise.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), gen + " finished");
      assertEquals(0, p.exitValue(), gen + " exit code");
      Path original = Path.of("exercises").resolve(exercise.getFileName()).resolve("evidence");
      int written = 0;
      try (Stream<Path> files = Files.list(original)) {
        for (Path f : files.toList()) {
          Path made = exercise.resolve("evidence").resolve(f.getFileName());
          if (Files.getLastModifiedTime(made).toMillis() > 0) {
            written++;
          }
          assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(made), gen + " reproduces " + f.getFileName());
        }
      }
      assertTrue(written > 0, gen + " wrote none of the evidence");
    }
  }

  private static boolean python() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }
}
