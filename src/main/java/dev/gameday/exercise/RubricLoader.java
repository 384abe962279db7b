package dev.gameday.exercise;

import dev.gameday.exercise.Model.Calibration;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Level;
import dev.gameday.exercise.Model.Problem;
import dev.gameday.exercise.Model.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads an exercise's reviewer layer for {@link ExerciseLoader}: the rubric (criteria and their four levels) and the
 * calibration answers, with the problems of their shape. Whether a published rubric text leaks is
 * {@link LibraryChecks}' question, skipped for a verified library.
 */
final class RubricLoader {
  private final LibraryFiles files;
  private final List<Problem> problems;
  private final LibraryChecks checks;
  private final boolean verified;

  RubricLoader(LibraryFiles files, LibraryChecks checks, boolean verified) {
    this.files = files;
    this.problems = files.problems();
    this.checks = checks;
    this.verified = verified;
  }

  List<Criterion> loadRubric(Path file, String notes, List<String> logTexts) {
    List<Criterion> criteria = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      problems.add(new Problem(files.rel(file), 1, "missing rubric.yaml"));
      return criteria;
    }
    String text = files.read(file);
    Yaml y = text == null ? null : Yaml.parse(text, files.rel(file), problems);
    if (y == null) {
      return criteria;
    }
    List<Yaml> nodes = y.list("criteria", true);
    if (nodes.size() < 4 || nodes.size() > 6) {
      y.problem("a rubric needs 4 to 6 criteria, found " + nodes.size());
    }
    Set<String> ids = new HashSet<>();
    List<LibraryChecks.Published> published = new ArrayList<>();
    StringBuilder anchors = new StringBuilder();
    for (Yaml c : nodes) {
      String id = c.str("id", 64);
      if (id != null && (!ExerciseLoader.ID.matcher(id).matches() || !ids.add(id))) {
        c.get("id").problem("criterion id '" + id + "' must be unique and match [a-z0-9][a-z0-9-]*");
      }
      String value = c.str("value", 40);
      if (value != null && !Model.VALUES.contains(value)) {
        c.get("value").problem("value must be one of " + Model.VALUES + ", got '" + value + "'");
      }
      int weight = c.integer("weight", 1, 5, null);
      List<Level> levels = new ArrayList<>();
      List<Yaml> levelNodes = c.list("levels", true);
      if (levelNodes.size() != 4) {
        c.problem("criterion '" + id + "' needs exactly four levels, found " + levelNodes.size());
      }
      Set<Integer> scores = new HashSet<>();
      for (Yaml l : levelNodes) {
        int score = l.integer("score", 1, 4, null);
        if (!scores.add(score)) {
          l.problem("duplicate level score " + score);
        }
        String descriptor = l.str("descriptor", 1000);
        String anchor = l.str("anchor", 2000);
        levels.add(new Level(score, l.str("label", 60), descriptor, anchor));
        published.add(new LibraryChecks.Published(l.get("descriptor"), "level " + score + " descriptor of '" + id + "'", descriptor));
        anchors.append(anchor == null ? "" : anchor).append('\n');
      }
      levels.sort((a, b) -> Integer.compare(a.score(), b.score()));
      String title = c.str("title", 200);
      String description = c.str("description", 1000);
      published.add(new LibraryChecks.Published(c.get("title"), "title of '" + id + "'", title));
      published.add(new LibraryChecks.Published(c.get("description"), "description of '" + id + "'", description));
      criteria.add(new Criterion(id, title, value, weight, description, levels));
    }
    if (!verified) {
      checks.checkPublished(published, (notes == null ? "" : notes) + "\n" + anchors, logTexts);
    }
    return criteria;
  }

  List<Calibration> loadCalibration(Path dir, List<Section> sections, List<Criterion> rubric) {
    List<Calibration> result = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(new Problem(files.rel(dir), 1, "missing calibration/ folder (at least two sample answers)"));
      return result;
    }
    List<Path> samples;
    try (Stream<Path> list = Files.list(dir)) {
      samples = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      problems.add(new Problem(files.rel(dir), 1, "cannot read: " + e.getMessage()));
      return result;
    }
    Set<Integer> levels = new HashSet<>();
    if (samples.size() < 2) {
      problems.add(new Problem(files.rel(dir), 1, "at least two calibration answers are needed, found " + samples.size()));
    }
    for (Path f : samples) {
      String text = files.read(f);
      Yaml y = text == null ? null : Yaml.parse(text, files.rel(f), problems);
      if (y == null) {
        continue;
      }
      String kind = y.str("kind", 20);
      if (kind != null && !List.of("strong", "solid", "mixed", "weak").contains(kind)) {
        y.get("kind").problem("kind must be strong, solid, mixed or weak");
      }
      // the overall level the sample stands for: given, or by kind (weak 1, mixed 2, solid 3, strong 4)
      Integer level = y.get("level") != null ? y.integer("level", 1, 4, null)
          : kind == null ? null : List.of("weak", "mixed", "solid", "strong").indexOf(kind) + 1;
      if (level != null && level > 0) {
        levels.add(level);
      }
      Map<String, String> answer = new LinkedHashMap<>();
      Yaml sec = y.get("sections");
      if (sec == null) {
        y.problem("missing 'sections'");
      } else {
        for (String k : sec.keys()) {
          if (sections.stream().noneMatch(s -> k.equals(s.id()))) {
            sec.problem("unknown section '" + k + "'");
          }
          answer.put(k, sec.get(k).scalar());
        }
        for (Section s : sections) {
          if (s.id() != null && !answer.containsKey(s.id())) {
            sec.problem("no answer for section '" + s.id() + "'");
          }
        }
      }
      Map<String, Integer> scores = new LinkedHashMap<>();
      Yaml sc = y.get("scores");
      if (sc == null) {
        y.problem("missing 'scores'");
      } else {
        for (String k : sc.keys()) {
          if (rubric.stream().noneMatch(c -> k.equals(c.id()))) {
            sc.problem("unknown criterion '" + k + "'");
          }
          scores.put(k, sc.integer(k, 1, 4, null));
        }
        for (Criterion c : rubric) {
          if (c.id() != null && !scores.containsKey(c.id())) {
            sc.problem("no reference score for criterion '" + c.id() + "'");
          }
        }
      }
      Map<String, String> rationale = new LinkedHashMap<>();
      Yaml ra = y.get("rationale");
      if (ra != null) {
        for (String k : ra.keys()) {
          rationale.put(k, ra.get(k).scalar());
        }
      }
      for (Criterion c : rubric) {
        if (c.id() != null && (rationale.get(c.id()) == null || rationale.get(c.id()).isBlank())) {
          (ra == null ? y : ra).problem("no rationale for criterion '" + c.id() + "': justify each reference level in "
              + "a line against the rubric");
        }
      }
      String name = f.getFileName().toString().replaceFirst("\\.yaml$", "");
      result.add(new Calibration(name, y.str("label", 200), kind, answer, scores, rationale));
    }
    for (int level = 1; level <= 4; level++) {
      if (!samples.isEmpty() && !levels.contains(level)) {
        problems.add(new Problem(files.rel(dir), 1, "no sample answer at overall level " + level + ": calibration needs one at "
            + "every level 1-4 (kind weak, mixed, solid, strong, or 'level: N'); level 3 is where reviewers disagree most"));
      }
    }
    return result;
  }
}
