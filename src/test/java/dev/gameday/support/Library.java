package dev.gameday.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.exercise.Model.LoadedExercise;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A test's own copy of the shipped exercise library, to plant problems in. */
public final class Library {
  private Library() {
  }

  /** Copies {@code exercises/} to {@code dir/exercises} and returns that folder. */
  public static Path copy(Path dir) throws IOException {
    Path lib = dir.resolve("exercises");
    Path src = Path.of("exercises");
    try (Stream<Path> walk = Files.walk(src)) {
      for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
        Path target = lib.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return lib;
  }

  /**
   * The problems {@code check} finds in seeds 1 to {@code seeds} of a library a test planted a problem in, after
   * asserting that the library as written still passes (the problem must be one only a variant shows).
   */
  public static java.util.List<dev.gameday.exercise.Model.Problem> variantProblems(Path lib, int seeds) {
    assertTrue(ExerciseLoader.load(lib).ok(), "the library as written still passes");
    return ExerciseLoader.checkVariants(lib, seeds);
  }

  private static Map<String, LoadedExercise> shipped;

  /** The shipped library, loaded once per test run (it must pass its checks), by exercise id. */
  public static synchronized Map<String, LoadedExercise> shipped() {
    if (shipped == null) {
      ExerciseLoader.Result r = ExerciseLoader.load(Path.of("exercises"));
      assertTrue(r.ok(), r.problems().toString());
      shipped = r.exercises().stream().collect(Collectors.toMap(e -> e.exercise().id(), e -> e));
    }
    return shipped;
  }

  /** A file of a shipped exercise as text, e.g. {@code file("scaling-plan", "evidence/edge-traffic-hourly.csv")}. */
  public static String file(String exercise, String path) {
    return new String(shipped().get(exercise).files().get(path), StandardCharsets.UTF_8);
  }

  /** The planted findings' ids ([F3]) a text names, sorted. */
  public static java.util.Set<String> findings(String notes) {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    Matcher m = Pattern.compile("\\[(F\\d+)]").matcher(notes);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static Path everyReviewCounts;

  /**
   * The shipped library with reviewer qualification switched off in every track (one copy per test run): what
   * {@link TestApp#start(PostgresExtension.TestDatabase)} serves, so that a test's reviewers need not score calibration
   * answers before their reviews count. Tests of qualification itself serve {@code Path.of("exercises")}.
   */
  public static synchronized Path everyReviewCounts() throws IOException {
    if (everyReviewCounts == null) {
      Path dir = Files.createTempDirectory("gameday-library-");
      dir.toFile().deleteOnExit();
      everyReviewCounts = withoutQualification(copy(dir));
    }
    return everyReviewCounts;
  }

  /** Removes every track's {@code reviewerQualification} block from a copy of the library; returns the copy. */
  public static Path withoutQualification(Path lib) throws IOException {
    try (Stream<Path> tracks = Files.list(lib.resolve("tracks"))) {
      for (Path t : tracks.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.writeString(t, Files.readString(t).replaceAll("(?m)^reviewerQualification:.*\\n(?:[ \\t]+.*\\n)*", ""));
      }
    }
    return lib;
  }

  /** Replaces the first {@code from} in a file of the copy; the file must contain it. */
  public static void replace(Path lib, String file, String from, String to) throws IOException {
    Path p = lib.resolve(file);
    String text = Files.readString(p);
    assertTrue(text.contains(from), file + " contains " + from);
    Files.writeString(p, text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)));
  }
}
