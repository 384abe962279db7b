package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The consistency checks {@link ExerciseLoader} runs on a library it has not verified before: log lines are
 * timestamped, stated intervals match the metrics, the exercise agrees with world.yaml, the rubric's findings with
 * the notes, and no published rubric text gives a scenario fact away. Parsing is ExerciseLoader's and
 * {@link RubricLoader}'s; the evidence rules are {@link EvidenceRules}'.
 */
final class LibraryChecks {
  private static final Pattern LOG_LINE =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z\\s+(DEBUG|INFO|WARN|ERROR|FATAL)\\b.*");
  private static final Pattern LOG_TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T.*");

  private final LibraryFiles files;
  private final List<Problem> problems;

  LibraryChecks(LibraryFiles files) {
    this.files = files;
    this.problems = files.problems();
  }

  /** A published rubric text, where it is, and what it says; checked once the whole rubric (and its anchors) is read. */
  record Published(Yaml node, String what, String text) {
  }

  void checkLog(String text, String file) {
    String[] lines = text.split("\n", -1);
    int reported = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      boolean continuation = i > 0 && !LOG_TIMESTAMP.matcher(line).matches();
      if (!continuation && !LOG_LINE.matcher(line).matches()) {
        problems.add(new Problem(file, i + 1, "log line must start with an ISO-8601 UTC timestamp and a level (DEBUG, INFO, WARN, ERROR, FATAL)"));
        if (++reported >= 5) {
          return;
        }
      }
    }
  }

  void checkConsistency(Yaml c, Map<String, Csv> csvs) {
    String metrics = c.str("metrics", 300);
    String column = c.str("column", 100);
    Double above = c.number("above");
    String from = c.str("from", 40);
    String to = c.str("to", 40);
    if (metrics == null || column == null || above == null || from == null || to == null) {
      return;
    }
    Csv csv = csvs.get(metrics);
    if (csv == null) {
      c.get("metrics").problem("'" + metrics + "' is not a csv evidence file of this exercise");
      return;
    }
    int col = csv.columns().indexOf(column);
    if (col < 0) {
      c.get("column").problem(metrics + " has no column '" + column + "'");
      return;
    }
    Instant start = ExerciseLoader.parseInstant(from);
    Instant end = ExerciseLoader.parseInstant(to);
    if (start == null || end == null) {
      c.problem("'from' and 'to' must be ISO-8601 UTC times like 2026-03-10T14:06:00Z");
      return;
    }
    Instant first = null;
    Instant last = null;
    for (Csv.Row row : csv.rows()) {
      if (row.values()[col] > above) {
        if (first == null) {
          first = row.time();
        }
        last = row.time();
      }
    }
    if (first == null) {
      c.problem(metrics + ": '" + column + "' is never above " + above);
      return;
    }
    Duration slack = Duration.ofMinutes(2);
    if (Duration.between(first, start).abs().compareTo(slack) > 0) {
      c.get("from").problem(metrics + ": '" + column + "' is first above " + above + " at " + first + ", not at " + from);
    }
    if (Duration.between(last, end).abs().compareTo(slack) > 0) {
      c.get("to").problem(metrics + ": '" + column + "' is last above " + above + " at " + last + ", not at " + to);
    }
  }

  /**
   * The exercise against world.yaml: what candidates read (the brief, Markdown and text evidence) and what only
   * reviewers read (notes, rubric, calibration) each say only what the world allows them to.
   */
  void checkWorld(World world, Path dir, String folder, Yaml meta, Path metaFile, String brief, Path briefFile,
      String notes, Path notesFile, Map<String, String> texts, Map<String, String> kinds, Map<String, Csv> csvs) {
    Map<String, String> scan = new LinkedHashMap<>();
    if (brief != null) {
      scan.put(files.rel(briefFile), brief);
    }
    texts.forEach((f, t) -> {
      if ("markdown".equals(kinds.get(f)) || "text".equals(kinds.get(f))) {
        scan.put(files.rel(dir.resolve(f)), t);
      }
    });
    Map<String, String> reviewer = new LinkedHashMap<>();
    if (notes != null) {
      reviewer.put(files.rel(notesFile), notes);
    }
    List<Path> reviewerFiles = new ArrayList<>(List.of(dir.resolve("rubric.yaml")));
    try (Stream<Path> cal = Files.isDirectory(dir.resolve("calibration")) ? Files.list(dir.resolve("calibration"))
        : Stream.empty()) {
      cal.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(reviewerFiles::add);
    } catch (IOException e) {
      problems.add(new Problem(files.rel(dir.resolve("calibration")), 1, "cannot read: " + e.getMessage()));
    }
    for (Path p : reviewerFiles) {
      if (Files.isRegularFile(p)) {
        String t = files.read(p);
        if (t != null) {
          reviewer.put(files.rel(p), t);
        }
      }
    }
    world.checkExercise(folder, meta, files.rel(metaFile), scan, reviewer, csvs, f -> files.rel(dir.resolve(f)), problems);
  }

  /** The findings the rubric names are the ones the reviewer notes describe (Findings). */
  void checkFindings(Path rubricFile, String notes, Path notesFile) {
    String rubricText = files.read(rubricFile);
    if (rubricText != null) {
      List<Problem> found = new ArrayList<>(); // a rubric that does not parse is loadRubric's to report
      Yaml parsed = Yaml.parse(rubricText, files.rel(rubricFile), found);
      if (parsed != null) {
        Findings.check(parsed, notes, files.rel(notesFile), problems);
        problems.addAll(found);
      }
    }
  }

  /**
   * The published layer is read by candidates before they start: it may say how answers are judged, never what
   * happened. A published text that shares a detectable scenario fact (version, time, id, token, hostname, name
   * from the logs, number) with the reviewer notes or anchors is a problem at its own line.
   */
  void checkPublished(List<Published> published, String answerKey, List<String> logTexts) {
    Set<String> names = ScenarioFacts.names(logTexts);
    Set<String> secret = ScenarioFacts.extract(answerKey, names);
    for (Published p : published) {
      if (p.text() == null || p.node() == null) {
        continue;
      }
      List<String> leaked = ScenarioFacts.extract(p.text(), names).stream().filter(secret::contains).toList();
      if (!leaked.isEmpty()) {
        p.node().problem("the published " + p.what() + " reveals scenario facts from the reviewer notes or anchors ("
            + String.join(", ", leaked) + "); say what quality looks like and move the facts to 'anchor'");
      }
    }
  }
}
