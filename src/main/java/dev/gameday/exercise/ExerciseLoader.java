package dev.gameday.exercise;

import dev.gameday.exercise.Model.Annotation;
import dev.gameday.exercise.Model.Calibration;
import dev.gameday.exercise.Model.Chart;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.LoadedExercise;
import dev.gameday.exercise.Model.Problem;
import dev.gameday.exercise.Model.Section;
import dev.gameday.exercise.Model.Track;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and validates {@code exercises/} (format: exercises/README.md). Blocking file I/O: runs at start-up
 * and in the {@code check} command, never on an event loop. This class parses exercise.yaml, evidence and tracks;
 * {@link RubricLoader} reads rubrics and calibration, {@link LibraryChecks} and {@link EvidenceRules} check what was
 * read, {@link LibraryFingerprint} hashes it.
 */
public final class ExerciseLoader {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /** What a load produced: exercises and tracks that are valid, and every problem found. */
  public record Result(List<LoadedExercise> exercises, List<Track> tracks, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final Path root;
  private final List<Problem> problems = new ArrayList<>();
  private final LibraryFiles library;
  private final LibraryChecks checks;
  private final RubricLoader rubrics;
  private World world;

  /** True when this library is known to pass every check: parse only, do not check the evidence again. */
  private final boolean verified;

  /** The variant seed every exercise is read in (0: the library as written). */
  private final long seed;

  private ExerciseLoader(Path root, boolean verified, long seed) {
    this.root = root;
    this.verified = verified;
    this.seed = seed;
    this.library = new LibraryFiles(root, problems);
    this.checks = new LibraryChecks(library);
    this.rubrics = new RubricLoader(library, checks, verified);
  }

  /** Loads and checks everything (what {@code gameday check} and a first start do). */
  public static Result load(Path root) {
    return new ExerciseLoader(root, false, 0).run();
  }

  /**
   * Loads and checks every exercise as the variant of this seed renders it (what {@code check} does for each seed it
   * tries): every check runs on the variant's text, and a clock time the shift moves into another day is a problem.
   */
  public static Result load(Path root, long seed) {
    return new ExerciseLoader(root, false, seed).run();
  }

  /**
   * Checks {@code seeds} variants (seeds 1 to {@code seeds}) of every exercise with {@link #load(Path, long)}, two at
   * a time; each problem is named with its seed. What {@code check} runs after the library as written passes.
   */
  public static List<Problem> checkVariants(Path root, int seeds) {
    return java.util.stream.LongStream.rangeClosed(1, seeds).parallel().boxed()
        .flatMap(seed -> load(root, seed).problems().stream()
            .map(p -> new Problem(p.file(), p.line(), "variant seed " + seed + ": " + p.message())))
        .toList();
  }

  /**
   * Loads a library whose {@link #fingerprint} passed every check before: the model is built the same way, but the
   * consistency checks of the evidence (world, rules, logs, CSV cross-checks, published-text leaks) are skipped.
   */
  public static Result loadVerified(Path root) {
    return new ExerciseLoader(root, true, 0).run();
  }

  /**
   * SHA-256 over every file of the library (path and bytes, in order) and the checking code's class files. Reads
   * the files: call it off the event loop. Null when the library cannot be read (then everything is checked).
   */
  public static String fingerprint(Path root) {
    return LibraryFingerprint.of(root);
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
      world = World.parse(library.read(worldFile), library.rel(worldFile), problems);
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
      boolean anyTrackFile = seed != 0; // a variant changes no track: the library as written checked them
      if (seed == 0 && Files.isDirectory(trackDir)) {
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
        problems.add(new Problem(library.rel(trackDir), 1, "no track found: add tracks/<id>.yaml"));
      }
    } catch (IOException e) {
      problems.add(new Problem(root.toString(), 1, "cannot read: " + e.getMessage()));
    }
    return new Result(exercises, tracks, problems);
  }

  private LoadedExercise loadExercise(Path dir) {
    String folder = dir.getFileName().toString();
    int before = problems.size();
    Path metaFile = dir.resolve("exercise.yaml");
    if (!Files.isRegularFile(metaFile)) {
      problems.add(new Problem(library.rel(metaFile), 1, "missing exercise.yaml"));
      return null;
    }
    String rawMeta = library.read(metaFile);
    Yaml raw = rawMeta == null ? null : Yaml.parse(rawMeta, library.rel(metaFile), problems);
    if (raw == null) {
      return null;
    }
    Model.Variants variants = VariantSpec.parse(raw.get("variants"));
    Variant variant = Variant.of(variants, folder, seed);
    if (seed != 0 && variant.identity()) {
      return null; // no variants declared: every seed shows the library as written, which load(root) checked
    }
    // a file's path in the exercise (evidence/metrics.csv) tells a scale which CSV columns it multiplies
    library.transform((file, text) -> variant.text(text, file.startsWith(dir) ? dir.relativize(file).toString() : null));
    try {
      LoadedExercise loaded = loadExercise(dir, folder, before, metaFile, variant.text(rawMeta), variants);
      explainScaled(before, variants, variant);
      if (!variant.wrapped().isEmpty()) {
        problems.add(new Problem(library.rel(metaFile), raw.get("variants") == null ? 1 : raw.get("variants").line(),
            "the variant's time shift of " + variant.shiftMinutes() + " minutes moves times into another day ("
                + String.join(", ", variant.wrapped().stream().distinct().limit(5).toList()) + "): narrow 'shift' or list the dates it applies to"));
        return null;
      }
      if (!variant.leftovers().isEmpty()) {
        problems.add(new Problem(library.rel(metaFile), raw.get("variants").line(), "the variant replaces "
            + String.join(", ", variant.leftovers()) + " but the text still has it in a form 'pick' does not match"
            + " (it must stand alone or after a 'v'): the variant would show both"));
        return null;
      }
      if (!variant.unmatchedScalePatterns().isEmpty() || !variant.missingScaleColumns().isEmpty()) {
        Yaml scale = raw.get("variants").get("scale");
        problems.add(new Problem(library.rel(metaFile), scale == null ? raw.get("variants").line() : scale.line(),
            "a scale finds nothing to multiply: " + String.join("; ", java.util.stream.Stream.concat(
                variant.unmatchedScalePatterns().stream().map(p -> "pattern '" + p + "' matches no figure"),
                variant.missingScaleColumns().stream().map(c -> "no column " + c)).toList())
                + " (a stale pattern or column leaves the figure it was written for unscaled)"));
        return null;
      }
      if (loaded != null && seed != 0) {
        String changed = listed(raw, loaded.exercise());
        if (changed != null) {
          Yaml at = raw.get(changed);
          problems.add(new Problem(library.rel(metaFile), at == null ? 1 : at.line(), "the variant changes the exercise's "
              + changed + ": lists (the candidate's overview, the exercise menu) show it as written, without building"
              + " each candidate's variant, so it must hold no figure the variant rewrites"));
          return null;
        }
      }
      return loaded;
    } finally {
      library.transform(null);
    }
  }

  /**
   * The first of the fields a list shows (title, summary, minutes) that differs between the library as written
   * ({@code raw}, the unrewritten exercise.yaml) and the variant, or null when the variant keeps all three.
   */
  private static String listed(Yaml raw, Exercise variant) {
    if (!java.util.Objects.equals(scalar(raw, "title"), variant.title())) {
      return "title";
    }
    if (!java.util.Objects.equals(scalar(raw, "summary"), variant.summary())) {
      return "summary";
    }
    String minutes = scalar(raw, "minutes");
    try {
      return minutes == null || Integer.parseInt(minutes) == variant.minutes() ? null : "minutes";
    } catch (NumberFormatException e) {
      return null; // not a number as written: the library's own check says so
    }
  }

  private static String scalar(Yaml raw, String key) {
    Yaml v = raw.get(key);
    return v == null || v.scalar() == null ? null : v.scalar().strip(); // as Yaml.str reads it
  }

  /**
   * A problem of a variant that names a column the variant scales (a prose figure that no longer matches its CSV)
   * says so, and what to add: the pattern that would scale the figure with the column.
   */
  private void explainScaled(int before, Model.Variants variants, Variant variant) {
    if (variants == null || variants.scales() == null || variant.scaleFactors().isEmpty()) {
      return;
    }
    // each scaled column with its factor, in declaration order: a problem names at most one, the first it mentions
    java.util.Map<String, Double> scaled = new java.util.LinkedHashMap<>();
    for (int s = 0; s < variants.scales().size(); s++) {
      double factor = variant.scaleFactors().get(s);
      variants.scales().get(s).columns().values().forEach(cols -> cols.forEach(c -> scaled.putIfAbsent(c, factor)));
    }
    // each column's word pattern compiled once, not once per problem
    java.util.Map<String, java.util.regex.Pattern> named = new java.util.HashMap<>();
    scaled.keySet().forEach(c -> named.put(c, java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(c) + "\\b")));
    for (int i = before; i < problems.size(); i++) {
      int at = i;
      Problem p = problems.get(i);
      scaled.entrySet().stream().filter(c -> named.get(c.getKey()).matcher(p.message()).find())
          .findFirst().ifPresent(c -> problems.set(at, new Problem(p.file(), p.line(), p.message()
              + " (this variant multiplies " + c.getKey() + " by " + String.format(java.util.Locale.ROOT, "%.3f", c.getValue())
              + ": a 'scale' pattern must find the figure that restates it)")));
    }
  }

  private LoadedExercise loadExercise(Path dir, String folder, int before, Path metaFile, String metaText,
      Model.Variants variants) {
    Yaml meta = Yaml.parse(metaText, library.rel(metaFile), problems);
    if (meta == null) {
      return null;
    }
    String id = meta.str("id", 64);
    if (id != null && !id.equals(folder)) {
      meta.get("id").problem("id '" + id + "' must equal the folder name '" + folder + "'");
    }
    if (!ID.matcher(folder).matches()) {
      problems.add(new Problem(library.rel(metaFile), 1, "folder name must match [a-z0-9][a-z0-9-]* (at most 64 characters)"));
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
    String brief = library.requireText(briefFile, "brief.md");
    DocumentChecks.checkTimes(brief, library.rel(briefFile), minutes,
        sections.stream().mapToInt(Section::words).sum(), problems);
    Path notesFile = dir.resolve("reviewer-notes.md");
    String notes = library.requireText(notesFile, "reviewer-notes.md");

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
      String text = library.read(path);
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
          Csv csv = verified ? null : Csv.parse(text, library.rel(path), problems, new java.util.LinkedHashSet<>(labels));
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
            checks.checkLog(text, library.rel(path));
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
      checks.checkConsistency(c, csvs);
    }
    if (!verified) {
      EvidenceRules.check(meta.get("rules"), library.rel(metaFile), brief, library.rel(briefFile), texts, kinds, descriptions, csvs,
          problems, f -> library.rel(dir.resolve(f)));
    }
    if (world != null && !verified) {
      checks.checkWorld(world, dir, folder, meta, metaFile, brief, briefFile, notes, notesFile, texts, kinds, csvs);
    }
    if (!verified && Files.isRegularFile(dir.resolve("rubric.yaml"))) {
      checks.checkFindings(dir.resolve("rubric.yaml"), notes, notesFile);
    }
    List<Criterion> rubric = rubrics.loadRubric(dir.resolve("rubric.yaml"), notes, logTexts);
    List<Calibration> calibration = rubrics.loadCalibration(dir.resolve("calibration"), sections, rubric);

    if (problems.size() > before) {
      return null;
    }
    Exercise exercise = new Exercise(id, title, minutes, summary, brief, sections, evidence, rubric, notes, calibration, variants);
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String relPath = dir.relativize(p).toString().replace('\\', '/');
        if (!relPath.startsWith("source/")) {
          files.put(relPath, Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      problems.add(new Problem(library.rel(dir), 1, "cannot read: " + e.getMessage()));
      return null;
    }
    return new LoadedExercise(exercise, LibraryFingerprint.contentHash(files), files);
  }

  private Track loadTrack(Path file, List<LoadedExercise> exercises) {
    String text = library.read(file);
    Yaml y = text == null ? null : Yaml.parse(text, library.rel(file), problems);
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
    String ai = y.get("ai") == null ? "forbidden" : y.str("ai", 20);
    if (ai != null && !Track.AI_RULES.contains(ai)) {
      y.get("ai").problem("'ai' must be one of " + String.join(", ", Track.AI_RULES) + ", got '" + ai + "'");
    }
    Track track = new Track(id, y.str("title", 200), y.str("description", 2000),
        y.integer("deadlineDays", 1, 90, 7), y.integer("reviewsRequired", 1, 5, 2),
        y.integer("timeLimitMinutes", 0, 100_000, 0), y.integer("reminderHoursBeforeDeadline", 0, 24 * 89, 0), ids,
        reviewerQualification(y.get("reviewerQualification")), ai);
    return problems.size() > before ? null : track;
  }

  /** {@code reviewerQualification: {within: 1, share: 0.8, minCriteria: 10}}; absent: null (every review counts). */
  private static Model.ReviewerQualification reviewerQualification(Yaml q) {
    if (q == null) {
      return null;
    }
    if (q.isScalar() || q.keys().isEmpty()) {
      q.problem("'reviewerQualification' must be a mapping with within, share and minCriteria");
      return null;
    }
    for (String key : q.keys()) {
      if (!List.of("within", "share", "minCriteria").contains(key)) {
        q.get(key).problem("unknown key '" + key + "' in reviewerQualification (within, share, minCriteria)");
      }
    }
    Double share = q.get("share") == null ? Double.valueOf(0.8) : q.number("share");
    if (share != null && (share <= 0 || share > 1)) {
      q.get("share").problem("'share' must be above 0 and at most 1, got " + share);
    }
    return new Model.ReviewerQualification(q.integer("within", 0, 3, 1), share == null ? 0.8 : share,
        q.integer("minCriteria", 1, 1000, 10));
  }

  static Instant parseInstant(String s) {
    try {
      return Instant.parse(s.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
