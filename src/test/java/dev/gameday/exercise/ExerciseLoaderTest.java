package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Problem;
import dev.gameday.support.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExerciseLoaderTest {
  @TempDir
  Path tmp;
  Path lib;

  @BeforeEach
  void copyLibrary() throws IOException {
    lib = Library.copy(tmp);
  }

  private List<Problem> problems() {
    return ExerciseLoader.load(lib).problems();
  }

  private void replace(String file, String from, String to) throws IOException {
    Library.replace(lib, file, from, to);
  }

  private static int lineOf(Path file, String text) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  @Test
  @DisplayName("the shipped library loads with no problems: five exercises in the sre-senior track")
  void shippedLibrary() {
    ExerciseLoader.Result r = ExerciseLoader.load(Path.of("exercises"));
    assertEquals(List.of(), r.problems());
    assertEquals(1, r.tracks().size());
    assertEquals(5, r.tracks().get(0).exercises().size());
    assertEquals(5, r.exercises().size());
  }

  @Test
  @DisplayName("every value of the posting is measured by the track, and each exercise has 4-6 criteria and calibration")
  void libraryShape() {
    ExerciseLoader.Result r = ExerciseLoader.load(Path.of("exercises"));
    var values = r.exercises().stream().flatMap(e -> e.exercise().rubric().stream()).map(Model.Criterion::value)
        .collect(java.util.stream.Collectors.toSet());
    assertEquals(new java.util.HashSet<>(Model.VALUES), values);
    for (var e : r.exercises()) {
      int n = e.exercise().rubric().size();
      assertTrue(n >= 4 && n <= 6, e.exercise().id());
      assertTrue(e.exercise().calibration().size() >= 2, e.exercise().id());
      assertTrue(e.exercise().calibration().stream().anyMatch(c -> c.kind().equals("strong")), e.exercise().id());
    }
  }

  @Test
  @DisplayName("a wrong value in a rubric is reported with its file and line")
  void badValue() throws IOException {
    Path rubric = lib.resolve("oncall-triage/rubric.yaml");
    String firstValue = Files.readAllLines(rubric).stream().filter(l -> l.trim().startsWith("value:")).findFirst().orElseThrow();
    replace("oncall-triage/rubric.yaml", firstValue, firstValue.replaceAll("value:.*", "value: heroics"));
    int line = lineOf(rubric, "value: heroics");
    assertTrue(problems().stream().anyMatch(p -> p.toString().startsWith("exercises/oncall-triage/rubric.yaml:" + line + ": value must be one of")),
        problems().toString());
  }

  @Test
  @DisplayName("a YAML syntax error is reported at its line")
  void syntaxError() throws IOException {
    Path meta = lib.resolve("postmortem-review/exercise.yaml");
    Files.writeString(meta, Files.readString(meta) + "\nbroken: [unclosed\n");
    List<Problem> ps = problems();
    assertTrue(ps.stream().anyMatch(p -> p.file().equals("exercises/postmortem-review/exercise.yaml") && p.message().startsWith("YAML syntax")), ps.toString());
  }

  @Test
  @DisplayName("a missing evidence file, a bad CSV cell and a log line without a timestamp are each reported")
  void evidenceProblems() throws IOException {
    replace("toil-automation/exercise.yaml", "evidence/runbook.md", "evidence/nope.md");
    Path csv = lib.resolve("scaling-plan/evidence").toFile().listFiles((d, n) -> n.endsWith(".csv"))[0].toPath();
    List<String> rows = new java.util.ArrayList<>(Files.readAllLines(csv));
    rows.set(3, rows.get(3).replaceFirst(",[^,]*$", ",lots"));
    Files.write(csv, rows);
    Path log = lib.resolve("oncall-triage/evidence").toFile().listFiles((d, n) -> n.endsWith(".log"))[0].toPath();
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
    lines.set(0, "no timestamp here");
    Files.write(log, lines);
    List<String> ps = problems().stream().map(Problem::toString).toList();
    assertTrue(ps.stream().anyMatch(p -> p.contains("evidence file 'evidence/nope.md' does not exist")), ps.toString());
    assertTrue(ps.stream().anyMatch(p -> p.startsWith("exercises/scaling-plan/evidence/" + csv.getFileName() + ":4: column")), ps.toString());
    assertTrue(ps.stream().anyMatch(p -> p.startsWith("exercises/oncall-triage/evidence/" + log.getFileName() + ":1: log line")), ps.toString());
  }

  @Test
  @DisplayName("a consistency window that does not match the metrics is reported")
  void consistency() throws IOException {
    Path meta = lib.resolve("incident-postmortem/exercise.yaml");
    String from = Files.readAllLines(meta).stream().filter(l -> l.trim().startsWith("from:")).findFirst().orElseThrow();
    replace("incident-postmortem/exercise.yaml", from, from.replaceAll("T\\d\\d:", "T03:"));
    assertTrue(problems().stream().anyMatch(p -> p.file().endsWith("incident-postmortem/exercise.yaml") && p.message().contains("is first above")),
        problems().toString());
  }

  @Test
  @DisplayName("a calibration answer must score every criterion and answer every section")
  void calibrationComplete() throws IOException {
    Path cal = lib.resolve("postmortem-review/calibration/weak.yaml");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(cal));
    int scores = lines.indexOf("scores:");
    assertTrue(scores > 0);
    lines.remove(scores + 1);
    Files.write(cal, lines);
    assertTrue(problems().stream().anyMatch(p -> p.file().endsWith("calibration/weak.yaml") && p.message().startsWith("no reference score")),
        problems().toString());
  }

  @Test
  @DisplayName("a track naming an unknown exercise is reported, and the content hash changes with any file")
  void trackAndHash() throws IOException {
    String before = ExerciseLoader.load(lib).exercises().get(0).contentHash();
    Path brief = lib.resolve(ExerciseLoader.load(lib).exercises().get(0).exercise().id() + "/brief.md");
    Files.writeString(brief, Files.readString(brief) + "\nOne more line.\n");
    assertNotEquals(before, ExerciseLoader.load(lib).exercises().get(0).contentHash());
    replace("tracks/sre-senior.yaml", "  - oncall-triage", "  - oncall-triage\n  - ghost-exercise");
    assertTrue(problems().stream().anyMatch(p -> p.toString().startsWith("exercises/tracks/sre-senior.yaml:") && p.message().contains("ghost-exercise")),
        problems().toString());
  }

  @Test
  @DisplayName("reviewerQualification: the shipped track requires 80% within one level over 10 criteria; a bad value is reported with its line")
  void reviewerQualification() throws IOException {
    var shipped = ExerciseLoader.load(Path.of("exercises")).tracks().get(0).reviewerQualification();
    assertEquals(new Model.ReviewerQualification(1, 0.8, 10), shipped);
    Path track = lib.resolve("tracks/sre-senior.yaml");
    replace("tracks/sre-senior.yaml", "  share: 0.8", "  share: 1.5\n  typo: 3");
    List<Problem> p = problems();
    int shareLine = lineOf(track, "share: 1.5");
    int typoLine = lineOf(track, "typo: 3");
    assertTrue(p.stream().anyMatch(x -> x.line() == shareLine && x.message().contains("'share' must be above 0")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.line() == typoLine && x.message().contains("unknown key 'typo'")), p.toString());
    assertEquals(List.of(), ExerciseLoader.load(Library.withoutQualification(lib)).problems().stream()
        .filter(x -> x.file().contains("tracks")).toList(), "without the block: nothing to report");
    assertEquals(null, ExerciseLoader.load(lib).tracks().stream().findFirst().map(t -> t.reviewerQualification()).orElse(null));
  }
}
