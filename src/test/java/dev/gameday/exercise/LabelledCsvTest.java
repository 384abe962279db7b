package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Problem;
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

/** A metrics CSV may carry label columns (pod, version, ...): several rows per time, one per combination. */
public class LabelledCsvTest {
  /** One labelled file, as an exercise author would add it (used by the browser's dashboard test too). */
  public static final String PODS_CSV = """
      time,pod,version,requests_per_s,p99_ms
      2026-10-14T12:00:00Z,api-1,v411,100,180
      2026-10-14T12:00:00Z,api-2,v411,110,190
      2026-10-14T12:00:00Z,api-3,v412,90,420
      2026-10-14T12:01:00Z,api-1,v411,105,185
      2026-10-14T12:01:00Z,api-2,v411,108,195
      2026-10-14T12:01:00Z,api-3,v412,95,450
      2026-10-14T12:02:00Z,api-1,v411,102,182
      2026-10-14T12:02:00Z,api-2,v411,111,188
      2026-10-14T12:02:00Z,api-3,v412,93,470
      """;
  public static final String PODS_EVIDENCE = """
        - file: evidence/pods.csv
          title: Requests and latency per pod
          kind: csv
          description: One row per pod per minute.
          labels: [pod, version]
          charts:
            - title: p99 latency
              unit: ms
              columns: [p99_ms]
      """;
  static final String EXERCISE = "toil-automation";

  @TempDir
  Path tmp;
  Path lib;

  /** A copy of the shipped library with pods.csv added to toil-automation's evidence (evidence text as given). */
  public static Path libraryWithPods(Path tmp, String csv, String evidenceYaml) throws IOException {
    Path lib = dev.gameday.support.Library.copy(Files.createTempDirectory(tmp, "lib"));
    Files.writeString(lib.resolve(EXERCISE + "/evidence/pods.csv"), csv);
    Path meta = lib.resolve(EXERCISE + "/exercise.yaml");
    String text = Files.readString(meta);
    assertTrue(text.contains("\nevidence:\n"), "the exercise has an evidence list");
    Files.writeString(meta, text.replace("\nevidence:\n", "\nevidence:\n" + evidenceYaml));
    return lib;
  }

  private List<Problem> load(String csv, String evidence) throws IOException {
    lib = libraryWithPods(tmp, csv, evidence);
    return ExerciseLoader.load(lib).problems();
  }

  @Test
  @DisplayName("a CSV with label columns loads: several rows per time, the labels kept with the evidence")
  void loads() throws IOException {
    assertEquals(List.of(), load(PODS_CSV, PODS_EVIDENCE));
    Evidence pods = ExerciseLoader.load(lib).exercises().stream().filter(e -> e.exercise().id().equals(EXERCISE))
        .findFirst().orElseThrow().exercise().evidence().stream().filter(e -> e.name().equals("pods.csv")).findFirst()
        .orElseThrow();
    assertEquals(List.of("pod", "version"), pods.labels());
  }

  @Test
  @DisplayName("without labels the same file is refused: its times repeat, its pod column is not a number")
  void needsLabels() throws IOException {
    List<Problem> p = load(PODS_CSV, PODS_EVIDENCE.replace("    labels: [pod, version]\n", ""));
    assertTrue(p.stream().anyMatch(x -> x.file().endsWith("pods.csv") && x.line() == 2 && x.message().contains("not a number")), p.toString());
  }

  @Test
  @DisplayName("a time repeated for the same combination of labels is refused with its line")
  void repeatedCombination() throws IOException {
    // line 4 says api-2, v411 at 12:00 again (line 3 did)
    List<Problem> p = load(PODS_CSV.replace("2026-10-14T12:00:00Z,api-3,v412", "2026-10-14T12:00:00Z,api-2,v411"), PODS_EVIDENCE);
    assertTrue(p.stream().anyMatch(x -> x.file().endsWith("pods.csv") && x.line() == 4
        && x.message().contains("within each combination of pod, version")), p.toString());
    // a time going back is refused as before
    p = load(PODS_CSV.replace("2026-10-14T12:01:00Z,api-2", "2026-10-14T11:59:00Z,api-2"), PODS_EVIDENCE);
    assertTrue(p.stream().anyMatch(x -> x.file().endsWith("pods.csv") && x.line() == 6 && x.message().contains("decrease")),
        p.toString());
  }

  @Test
  @DisplayName("a label that is not a column, or a chart drawing a label, is a problem in exercise.yaml")
  void badLabels() throws IOException {
    List<Problem> p = load(PODS_CSV, PODS_EVIDENCE.replace("[pod, version]", "[pod, region]"));
    assertTrue(p.stream().anyMatch(x -> x.file().endsWith("exercise.yaml") && x.message().contains("label 'region'")), p.toString());
    p = load(PODS_CSV, PODS_EVIDENCE.replace("columns: [p99_ms]", "columns: [p99_ms, pod]"));
    assertTrue(p.stream().anyMatch(x -> x.message().contains("'pod', which is a label")), p.toString());
  }
}
