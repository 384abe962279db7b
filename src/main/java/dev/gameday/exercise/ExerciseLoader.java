package dev.gameday.exercise;

import dev.gameday.exercise.Model.Annotation;
import dev.gameday.exercise.Model.Calibration;
import dev.gameday.exercise.Model.Chart;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Level;
import dev.gameday.exercise.Model.LoadedExercise;
import dev.gameday.exercise.Model.Problem;
import dev.gameday.exercise.Model.Section;
import dev.gameday.exercise.Model.Track;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and validates {@code exercises/} (format: exercises/README.md). Blocking file I/O: runs at start-up
 * and in the {@code check} command, never on an event loop.
 */
public final class ExerciseLoader {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern LOG_LINE =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z\\s+(DEBUG|INFO|WARN|ERROR|FATAL)\\b.*");
  private static final Pattern LOG_TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T.*");
  private static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  /** What a load produced: exercises and tracks that are valid, and every problem found. */
  public record Result(List<LoadedExercise> exercises, List<Track> tracks, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final Path root;
  private final List<Problem> problems = new ArrayList<>();
  private World world;

  /** True when this library is known to pass every check: parse only, do not check the evidence again. */
  private final boolean verified;

  private ExerciseLoader(Path root, boolean verified) {
    this.root = root;
    this.verified = verified;
  }

  /** Loads and checks everything (what {@code gameday check} and a first start do). */
  public static Result load(Path root) {
    return new ExerciseLoader(root, false).run();
  }

  /**
   * Loads a library whose {@link #fingerprint} passed every check before: the model is built the same way, but the
   * consistency checks of the evidence (world, rules, logs, CSV cross-checks, published-text leaks) are skipped.
   */
  public static Result loadVerified(Path root) {
    return new ExerciseLoader(root, true).run();
  }

  /** The checking code, part of the fingerprint: a new release re-checks a library its rules have not seen. */
  private static final List<Class<?>> CHECKERS = List.of(ExerciseLoader.class, EvidenceRules.class, World.class, Claims.class, Findings.class,
      ScenarioFacts.class, Csv.class, Yaml.class);

  /**
   * SHA-256 over every file of the library (path and bytes, in order) and the checking code's class files. Reads
   * the files: call it off the event loop. Null when the library cannot be read (then everything is checked).
   */
  public static String fingerprint(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        sha.update(root.relativize(p).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(p));
        sha.update((byte) 0);
      }
      for (Class<?> c : CHECKERS) {
        try (var in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
          if (in == null) {
            return null;
          }
          sha.update(in.readAllBytes());
        }
      }
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return null;
    }
  }

  private Result run() {
    List<LoadedExercise> exercises = new ArrayList<>();
    List<Track> tracks = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      problems.add(new Problem(root.toString(), 1, "exercise folder does not exist"));
      return new Result(exercises, tracks, problems);
    }
    Path worldFile = root.resolve("world.yaml");
    if (Files.isRegularFile(worldFile)) {
      world = World.parse(read(worldFile), rel0(worldFile), problems);
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        String name = dir.getFileName().toString();
        if (name.equals("tracks") || name.startsWith(".")) {
          continue;
        }
        LoadedExercise e = loadExercise(dir);
        if (e != null) {
          exercises.add(e);
        }
      }
      Path trackDir = root.resolve("tracks");
      boolean anyTrackFile = false;
      if (Files.isDirectory(trackDir)) {
        try (Stream<Path> files = Files.list(trackDir)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
            anyTrackFile = true;
            Track t = loadTrack(f, exercises);
            if (t != null) {
              tracks.add(t);
            }
          }
        }
      }
      if (!anyTrackFile) {
        problems.add(new Problem(rel0(trackDir), 1, "no track found: add tracks/<id>.yaml"));
      }
    } catch (IOException e) {
      problems.add(new Problem(root.toString(), 1, "cannot read: " + e.getMessage()));
    }
    return new Result(exercises, tracks, problems);
  }

  private String rel0(Path p) {
    Path base = root.toAbsolutePath().normalize().getParent();
    Path abs = p.toAbsolutePath().normalize();
    return base == null ? abs.toString() : base.relativize(abs).toString();
  }

  private String read(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        problems.add(new Problem(rel0(file), 1, "file is larger than 8 MiB"));
        return null;
      }
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      problems.add(new Problem(rel0(file), 1, "not valid UTF-8 text"));
      return null;
    } catch (IOException e) {
      problems.add(new Problem(rel0(file), 1, "cannot read: " + e.getMessage()));
      return null;
    }
  }

  private LoadedExercise loadExercise(Path dir) {
    String folder = dir.getFileName().toString();
    int before = problems.size();
    Path metaFile = dir.resolve("exercise.yaml");
    if (!Files.isRegularFile(metaFile)) {
      problems.add(new Problem(rel0(metaFile), 1, "missing exercise.yaml"));
      return null;
    }
    String metaText = read(metaFile);
    Yaml meta = metaText == null ? null : Yaml.parse(metaText, rel0(metaFile), problems);
    if (meta == null) {
      return null;
    }
    String id = meta.str("id", 64);
    if (id != null && !id.equals(folder)) {
      meta.get("id").problem("id '" + id + "' must equal the folder name '" + folder + "'");
    }
    if (!ID.matcher(folder).matches()) {
      problems.add(new Problem(rel0(metaFile), 1, "folder name must match [a-z0-9][a-z0-9-]* (at most 64 characters)"));
    }
    String title = meta.str("title", 200);
    int minutes = meta.integer("minutes", 1, 600, null);
    String summary = meta.str("summary", 500);

    List<Section> sections = new ArrayList<>();
    Set<String> sectionIds = new HashSet<>();
    List<Yaml> sectionNodes = meta.list("sections", true);
    if (sectionNodes.isEmpty() || sectionNodes.size() > 12) {
      meta.problem("an exercise needs between 1 and 12 answer sections");
    }
    for (Yaml s : sectionNodes) {
      String sid = s.str("id", 64);
      if (sid != null && !ID.matcher(sid).matches()) {
        s.problem("section id '" + sid + "' must match [a-z0-9][a-z0-9-]*");
      }
      if (sid != null && !sectionIds.add(sid)) {
        s.problem("duplicate section id '" + sid + "'");
      }
      sections.add(new Section(sid, s.str("title", 200), s.str("prompt", 2000), s.integer("words", 1, 5000, null)));
    }

    Path briefFile = dir.resolve("brief.md");
    String brief = requireText(briefFile, "brief.md");
    EvidenceRules.checkTimes(brief, rel0(briefFile), minutes,
        sections.stream().mapToInt(Section::words).sum(), problems);
    Path notesFile = dir.resolve("reviewer-notes.md");
    String notes = requireText(notesFile, "reviewer-notes.md");

    List<Evidence> evidence = new ArrayList<>();
    List<String> logTexts = new ArrayList<>();
    Map<String, Csv> csvs = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    Map<String, String> descriptions = new LinkedHashMap<>();
    int index = 0;
    for (Yaml ev : meta.list("evidence", false)) {
      String file = ev.str("file", 300);
      String kind = ev.str("kind", 20);
      String evTitle = ev.str("title", 200);
      String description = ev.optionalStr("description", 500);
      if (kind != null && !Model.EVIDENCE_KINDS.contains(kind)) {
        ev.get("kind").problem("kind must be one of " + Model.EVIDENCE_KINDS + ", got '" + kind + "'");
      }
      List<Chart> charts = new ArrayList<>();
      for (Yaml c : ev.list("charts", false)) {
        List<String> cols = new ArrayList<>();
        for (Yaml col : c.list("columns", true)) {
          cols.add(col.scalar());
        }
        charts.add(new Chart(c.str("title", 200), c.optionalStr("unit", 40), cols));
      }
      List<String> labels = new ArrayList<>();
      for (Yaml l : ev.list("labels", false)) {
        labels.add(l.scalar());
      }
      List<Annotation> annotations = new ArrayList<>();
      for (Yaml a : ev.list("annotations", false)) {
        String time = a.str("time", 40);
        if (time != null && parseInstant(time) == null) {
          a.get("time").problem("annotation time '" + time + "' is not an ISO-8601 UTC time like 2026-03-10T14:02:00Z");
        }
        annotations.add(new Annotation(time, a.str("label", 200)));
      }
      if (file == null) {
        continue;
      }
      Path path = dir.resolve(file).normalize();
      if (!path.startsWith(dir) || file.startsWith("source/")) {
        ev.get("file").problem("evidence file must be inside the exercise folder (and not under source/)");
        continue;
      }
      if (!Files.isRegularFile(path)) {
        ev.get("file").problem("evidence file '" + file + "' does not exist");
        continue;
      }
      String text = read(path);
      if (text != null) {
        texts.put(file, text);
        kinds.put(file, kind);
        descriptions.put(file, description);
      }
      if (text != null && kind != null) {
        if (kind.equals("csv")) {
          List<String> header = Csv.header(text);
          for (String l : labels) {
            if (l == null || l.equals("time") || !header.contains(l)) {
              ev.get("labels").problem("label '" + l + "' is not a column of " + file + " (other than time)");
            }
          }
          Csv csv = verified ? null : Csv.parse(text, rel0(path), problems, new java.util.LinkedHashSet<>(labels));
          if (csv != null) {
            csvs.put(file, csv);
            for (Chart c : charts) {
              for (String col : c.columns()) {
                if (!csv.columns().contains(col)) {
                  ev.problem("chart '" + c.title() + "' names column '" + col + "', which " + file + " does not have");
                } else if (labels.contains(col)) {
                  ev.problem("chart '" + c.title() + "' names column '" + col + "', which is a label, not a number");
                }
              }
            }
          }
        } else if (kind.equals("log")) {
          if (!verified) {
            checkLog(text, rel0(path));
          }
          logTexts.add(text);
        }
      }
      if ((!charts.isEmpty() || !annotations.isEmpty() || !labels.isEmpty()) && !"csv".equals(kind)) {
        ev.problem("charts, annotations and labels are only for csv evidence");
      }
      evidence.add(new Evidence(index++, file, path.getFileName().toString(), evTitle, kind, description, charts,
          annotations, List.copyOf(labels)));
    }

    for (Yaml c : verified ? List.<Yaml>of() : meta.list("consistency", false)) {
      checkConsistency(c, csvs);
    }
    if (!verified) {
      EvidenceRules.check(meta.get("rules"), rel0(metaFile), brief, rel0(briefFile), texts, kinds, descriptions, csvs,
          problems, f -> rel0(dir.resolve(f)));
    }
    if (world != null && !verified) {
      Map<String, String> scan = new LinkedHashMap<>();
      if (brief != null) {
        scan.put(rel0(briefFile), brief);
      }
      texts.forEach((f, t) -> {
        if ("markdown".equals(kinds.get(f)) || "text".equals(kinds.get(f))) {
          scan.put(rel0(dir.resolve(f)), t);
        }
      });
      Map<String, String> reviewer = new LinkedHashMap<>();
      if (notes != null) {
        reviewer.put(rel0(notesFile), notes);
      }
      List<Path> reviewerFiles = new ArrayList<>(List.of(dir.resolve("rubric.yaml")));
      try (Stream<Path> cal = Files.isDirectory(dir.resolve("calibration")) ? Files.list(dir.resolve("calibration"))
          : Stream.empty()) {
        cal.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(reviewerFiles::add);
      } catch (IOException e) {
        problems.add(new Problem(rel0(dir.resolve("calibration")), 1, "cannot read: " + e.getMessage()));
      }
      for (Path p : reviewerFiles) {
        if (Files.isRegularFile(p)) {
          String t = read(p);
          if (t != null) {
            reviewer.put(rel0(p), t);
          }
        }
      }
      world.checkExercise(folder, meta, rel0(metaFile), scan, reviewer, csvs, f -> rel0(dir.resolve(f)), problems);
    }

    if (!verified && Files.isRegularFile(dir.resolve("rubric.yaml"))) {
      String rubricText = read(dir.resolve("rubric.yaml"));
      if (rubricText != null) {
        List<Problem> found = new ArrayList<>(); // a rubric that does not parse is loadRubric's to report
        Yaml parsed = Yaml.parse(rubricText, rel0(dir.resolve("rubric.yaml")), found);
        if (parsed != null) {
          Findings.check(parsed, notes, rel0(notesFile), problems);
          problems.addAll(found);
        }
      }
    }
    List<Criterion> rubric = loadRubric(dir.resolve("rubric.yaml"), notes, logTexts);
    List<Calibration> calibration = loadCalibration(dir.resolve("calibration"), sections, rubric);

    if (problems.size() > before) {
      return null;
    }
    Exercise exercise = new Exercise(id, title, minutes, summary, brief, sections, evidence, rubric, notes, calibration);
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String relPath = dir.relativize(p).toString().replace('\\', '/');
        if (!relPath.startsWith("source/")) {
          files.put(relPath, Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      problems.add(new Problem(rel0(dir), 1, "cannot read: " + e.getMessage()));
      return null;
    }
    return new LoadedExercise(exercise, contentHash(files), files);
  }

  private String requireText(Path file, String name) {
    if (!Files.isRegularFile(file)) {
      problems.add(new Problem(rel0(file), 1, "missing " + name));
      return null;
    }
    String text = read(file);
    if (text != null && text.isBlank()) {
      problems.add(new Problem(rel0(file), 1, name + " is empty"));
    }
    return text;
  }

  private void checkLog(String text, String file) {
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

  private void checkConsistency(Yaml c, Map<String, Csv> csvs) {
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
    Instant start = parseInstant(from);
    Instant end = parseInstant(to);
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

  /** A published rubric text, where it is, and what it says; checked once the whole rubric (and its anchors) is read. */
  private record Published(Yaml node, String what, String text) {
  }

  private List<Criterion> loadRubric(Path file, String notes, List<String> logTexts) {
    List<Criterion> criteria = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      problems.add(new Problem(rel0(file), 1, "missing rubric.yaml"));
      return criteria;
    }
    String text = read(file);
    Yaml y = text == null ? null : Yaml.parse(text, rel0(file), problems);
    if (y == null) {
      return criteria;
    }
    List<Yaml> nodes = y.list("criteria", true);
    if (nodes.size() < 4 || nodes.size() > 6) {
      y.problem("a rubric needs 4 to 6 criteria, found " + nodes.size());
    }
    Set<String> ids = new HashSet<>();
    List<Published> published = new ArrayList<>();
    StringBuilder anchors = new StringBuilder();
    for (Yaml c : nodes) {
      String id = c.str("id", 64);
      if (id != null && (!ID.matcher(id).matches() || !ids.add(id))) {
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
        published.add(new Published(l.get("descriptor"), "level " + score + " descriptor of '" + id + "'", descriptor));
        anchors.append(anchor == null ? "" : anchor).append('\n');
      }
      levels.sort((a, b) -> Integer.compare(a.score(), b.score()));
      String title = c.str("title", 200);
      String description = c.str("description", 1000);
      published.add(new Published(c.get("title"), "title of '" + id + "'", title));
      published.add(new Published(c.get("description"), "description of '" + id + "'", description));
      criteria.add(new Criterion(id, title, value, weight, description, levels));
    }
    if (!verified) {
      checkPublished(published, (notes == null ? "" : notes) + "\n" + anchors, logTexts);
    }
    return criteria;
  }

  /**
   * The published layer is read by candidates before they start: it may say how answers are judged, never what
   * happened. A published text that shares a detectable scenario fact (version, time, id, token, hostname, name
   * from the logs, number) with the reviewer notes or anchors is a problem at its own line.
   */
  private void checkPublished(List<Published> published, String answerKey, List<String> logTexts) {
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

  private List<Calibration> loadCalibration(Path dir, List<Section> sections, List<Criterion> rubric) {
    List<Calibration> result = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(new Problem(rel0(dir), 1, "missing calibration/ folder (at least two sample answers)"));
      return result;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      problems.add(new Problem(rel0(dir), 1, "cannot read: " + e.getMessage()));
      return result;
    }
    Set<Integer> levels = new HashSet<>();
    if (files.size() < 2) {
      problems.add(new Problem(rel0(dir), 1, "at least two calibration answers are needed, found " + files.size()));
    }
    for (Path f : files) {
      String text = read(f);
      Yaml y = text == null ? null : Yaml.parse(text, rel0(f), problems);
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
      if (!files.isEmpty() && !levels.contains(level)) {
        problems.add(new Problem(rel0(dir), 1, "no sample answer at overall level " + level + ": calibration needs one at "
            + "every level 1-4 (kind weak, mixed, solid, strong, or 'level: N'); level 3 is where reviewers disagree most"));
      }
    }
    return result;
  }

  private Track loadTrack(Path file, List<LoadedExercise> exercises) {
    String text = read(file);
    Yaml y = text == null ? null : Yaml.parse(text, rel0(file), problems);
    if (y == null) {
      return null;
    }
    int before = problems.size();
    String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
    String id = y.str("id", 64);
    if (id != null && !id.equals(name)) {
      y.get("id").problem("track id '" + id + "' must equal the file name '" + name + "'");
    }
    List<String> ids = new ArrayList<>();
    Set<String> values = new HashSet<>();
    for (Yaml e : y.list("exercises", true)) {
      String exId = e.scalar();
      LoadedExercise found = exercises.stream().filter(x -> x.exercise().id().equals(exId)).findFirst().orElse(null);
      if (found == null) {
        e.problem("exercise '" + exId + "' does not exist or has problems");
      } else if (ids.contains(exId)) {
        e.problem("exercise '" + exId + "' is listed twice");
      } else {
        ids.add(exId);
        found.exercise().rubric().forEach(c -> values.add(c.value()));
      }
    }
    if (ids.isEmpty() && problems.size() == before) {
      y.problem("a track needs at least one exercise");
    }
    Track track = new Track(id, y.str("title", 200), y.str("description", 2000),
        y.integer("deadlineDays", 1, 90, 7), y.integer("reviewsRequired", 1, 5, 2),
        y.integer("timeLimitMinutes", 0, 100_000, 0), y.integer("reminderHoursBeforeDeadline", 0, 24 * 89, 0), ids);
    return problems.size() > before ? null : track;
  }

  static Instant parseInstant(String s) {
    try {
      return Instant.parse(s.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String contentHash(Map<String, byte[]> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
        md.update(f.getKey().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Long.toString(f.getValue().length).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(f.getValue());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
