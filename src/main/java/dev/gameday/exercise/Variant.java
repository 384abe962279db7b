package dev.gameday.exercise;

import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Variants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One seed's variant of an exercise: the same scenario, findings and difficulty, with other figures. It rewrites
 * every text the exercise consists of (brief, prompts, evidence, reviewer notes, anchors, exercise.yaml) the same
 * way, as the exercise's {@code variants:} declaration says (exercises/README.md, "variants"):
 * <ul>
 *   <li>a time shift: every ISO-8601 timestamp on one of the declared dates and every clock time (HH:MM) moves by
 *   the same number of minutes, so the story's intervals and order stay as they are;</li>
 *   <li>scrambled identifiers: what a declared pattern matches (its group {@code x}, or the whole match) is replaced by
 *   characters of the same kind (digit for digit, letter for letter), the same replacement everywhere;</li>
 *   <li>picks: a declared value (a version, which of several equal pods misbehaves) becomes one of its alternatives;</li>
 *   <li>scales: a quantity is multiplied by the seed's factor, in the CSV columns that measure it and in every prose
 *   figure a declared pattern finds (its group {@code x}), each number keeping its format.</li>
 * </ul>
 * Seed 0 is the library as written. Pure and deterministic: the same (exercise, seed) always gives the same text.
 * CPU work over megabytes of evidence: call it off the event loop ({@link Variants} caches for the server).
 */
public final class Variant {

  private final long seed;
  private final int shift;
  private final List<Pattern> scramble;
  private final Map<String, String> picks = new LinkedHashMap<>();
  private final Pattern pickPattern;
  private final List<Scaling> scales = new ArrayList<>();
  private final Set<String> scaledFigures = new LinkedHashSet<>();
  private final Set<String> scaleMatched = new LinkedHashSet<>();
  private final Set<String> scaleMissing = new LinkedHashSet<>();
  private final List<String> wrapped = new ArrayList<>();
  private final TimeShift timeShift;
  private final Set<String> leftovers = new LinkedHashSet<>();

  private Variant(Variants spec, String exerciseId, long seed) {
    this.seed = seed;
    boolean on = seed != 0 && spec != null;
    SplittableRandom random = new SplittableRandom(mix(seed, exerciseId));
    int s = 0;
    if (on && spec.shiftMinutes() != null && spec.shiftMinutes().size() == 2) {
      int lo = spec.shiftMinutes().get(0);
      int hi = spec.shiftMinutes().get(1);
      while (s == 0 && hi > lo) { // a variant never keeps the library's times
        s = lo + random.nextInt(hi - lo + 1);
      }
    }
    this.shift = s;
    Set<LocalDate> dates = new LinkedHashSet<>(); // only the time shift reads them
    if (spec != null && spec.shiftDates() != null) {
      spec.shiftDates().forEach(d -> dates.add(LocalDate.parse(d)));
    }
    this.timeShift = new TimeShift(shift, dates, wrapped);
    this.scramble = on && spec.scramble() != null ? spec.scramble().stream().map(Pattern::compile).toList() : List.of();
    if (on && spec.picks() != null) {
      for (Model.Pick p : spec.picks()) {
        if (p.to() != null && !p.to().isEmpty()) {
          String to = p.to().get(random.nextInt(p.to().size()));
          if (!to.equals(p.from())) {
            picks.put(p.from(), to);
          }
        }
      }
    }
    if (on && spec.scales() != null) { // drawn after the picks: a declaration gaining scales keeps its other choices
      for (Model.Scale sc : spec.scales()) {
        double lo = sc.factor().get(0);
        double hi = sc.factor().get(1);
        double f = lo + random.nextDouble() * (hi - lo);
        // like the shift, a variant shows other figures: a factor within a tenth of the range from 1 is drawn again
        for (int i = 0; i < 16 && lo < 1 && hi > 1 && Math.abs(f - 1) < (hi - lo) / 10; i++) {
          f = lo + random.nextDouble() * (hi - lo);
        }
        scales.add(new Scaling(f, sc.columns() == null ? Map.of() : sc.columns(),
            sc.match() == null ? List.of() : sc.match().stream().map(Pattern::compile).toList()));
      }
    }
    // a picked value stands alone or after a 'v' (v4.82.0 and rev=4.82.0 are the same release)
    this.pickPattern = picks.isEmpty() ? null : Pattern.compile("(?<![0-9A-Za-uw-z_.])(?:" + String.join("|",
        picks.keySet().stream().sorted((a, b) -> b.length() - a.length()).map(Pattern::quote).toList()) + ")(?![\\w]|\\.\\w)");
  }

  /** The variant of an exercise for a seed; seed 0, or an exercise without a {@code variants:} declaration, changes nothing. */
  public static Variant of(Variants spec, String exerciseId, long seed) {
    return new Variant(spec, exerciseId, seed);
  }

  public static Variant of(Exercise e, long seed) {
    return new Variant(e.variants(), e.id(), seed);
  }

  public long seed() {
    return seed;
  }

  /** Minutes by which this variant moves the scenario's times (0 for the library as written). */
  public int shiftMinutes() {
    return shift;
  }

  public boolean identity() {
    return shift == 0 && scramble.isEmpty() && picks.isEmpty() && scales.isEmpty();
  }

  /** The factor of each declared scale, in declaration order (empty for the library as written). */
  public List<Double> scaleFactors() {
    return scales.stream().map(Scaling::factor).toList();
  }

  /** Scale patterns that have found no figure in any text this variant rewrote (check reports them: stale patterns). */
  Set<String> unmatchedScalePatterns() {
    Set<String> out = new LinkedHashSet<>();
    scales.forEach(sc -> sc.match().forEach(p -> {
      if (!scaleMatched.contains(p.pattern())) {
        out.add(p.pattern());
      }
    }));
    return out;
  }

  /** Declared scale columns a CSV this variant rewrote does not have (check reports them). */
  Set<String> missingScaleColumns() {
    return scaleMissing;
  }

  /** Clock times the shift moved across midnight since this variant was made (check reports them: the day's story breaks). */
  List<String> wrapped() {
    return wrapped;
  }

  /** Picked values still written somewhere as the library has them since this variant was made (check reports them). */
  Set<String> leftovers() {
    return leftovers;
  }

  /** The variant of one text that is not a scaled CSV file (prose: scale patterns apply, no column is multiplied). */
  public String text(String text) {
    return text(text, null);
  }

  /**
   * The variant of one file's text; {@code file} is its path in the exercise (evidence/metrics.csv), or null for a
   * text of exercise.yaml. A CSV file a scale declares columns of has those columns multiplied; every other text has
   * its prose figures scaled.
   */
  public String text(String text, String file) {
    if (text == null || identity()) {
      return text;
    }
    String out = scaleText(text, file);
    out = shift == 0 ? out : timeShift.apply(out);
    for (Pattern p : scramble) {
      out = scrambleIds(out, p);
    }
    if (pickPattern != null) {
      out = pickPattern.matcher(out).replaceAll(m -> Matcher.quoteReplacement(picks.get(m.group())));
      for (String from : picks.keySet()) {
        if (out.contains(from)) {
          leftovers.add(from);
        }
      }
    }
    return out;
  }

  private String scaleText(String text, String file) {
    if (scales.isEmpty()) {
      return text;
    }
    String path = file == null ? null : file.replace('\\', '/');
    boolean csv = false;
    String out = text;
    for (Scaling sc : scales) {
      for (Map.Entry<String, List<String>> c : sc.columns().entrySet()) {
        if (path != null && (path.equals(c.getKey()) || path.endsWith("/" + c.getKey()))) {
          csv = true;
          out = scaleColumns(out, c.getKey(), c.getValue(), sc.factor());
        }
      }
    }
    if (csv) {
      return out;
    }
    for (Scaling sc : scales) {
      for (int i = 0; i < sc.match().size(); i++) {
        // a pattern whose required literal the text lacks cannot match: skip the search (scaling-plan declares 43
        // patterns, and searching every text with each made most of its variant's 7.4 ms of CPU)
        String literal = sc.literals().get(i);
        if (literal == null || out.contains(literal)) {
          out = scaleProse(out, sc.match().get(i), sc.factor());
        }
      }
    }
    return out;
  }

  private String scaleColumns(String text, String file, List<String> names, double factor) {
    String[] lines = text.split("\n", -1);
    if (lines.length == 0) {
      return text;
    }
    List<String> header = List.of(lines[0].strip().split(",", -1));
    List<Integer> cols = new ArrayList<>();
    for (String n : names) {
      int i = header.indexOf(n);
      if (i < 0) {
        scaleMissing.add(file + ": " + n);
      } else {
        cols.add(i);
      }
    }
    StringBuilder sb = new StringBuilder(text.length());
    sb.append(lines[0]);
    for (int l = 1; l < lines.length; l++) {
      sb.append('\n');
      String line = lines[l];
      String cr = line.endsWith("\r") ? "\r" : "";
      String[] fields = line.substring(0, line.length() - cr.length()).split(",", -1);
      if (fields.length != header.size()) {
        sb.append(line);
        continue;
      }
      for (int i : cols) {
        if (NUMBER.matcher(fields[i]).matches()) {
          fields[i] = scaled(fields[i], factor, false);
        }
      }
      sb.append(String.join(",", fields)).append(cr);
    }
    return sb.toString();
  }

  private String scaleProse(String text, Pattern p, double factor) {
    Matcher m = p.matcher(text);
    StringBuilder sb = null;
    int last = 0;
    while (m.find()) {
      int start = m.start("x");
      // the figure is the number the group starts with: '[\d,]+' before a comma ends at the number's last digit
      Matcher n = start < 0 ? null : NUMBER.matcher(m.group("x"));
      if (n == null || !n.lookingAt() || start < last) {
        continue;
      }
      scaleMatched.add(p.pattern());
      if (sb == null) {
        sb = new StringBuilder(text.length());
      }
      String figure = scaled(n.group(), factor, true);
      scaledFigures.add(figure);
      sb.append(text, last, start).append(figure);
      last = start + n.end();
    }
    if (sb == null) {
      return text;
    }
    sb.append(text, last, text.length());
    return sb.toString();
  }

  private static final Pattern NUMBER = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?");

  /**
   * A number times the factor, written as the original is: as many decimals, thousands separators if it had them. A
   * whole prose figure keeps its roundness down to four significant digits, so that arithmetic restated in prose
   * ({@code 17,500 × 1.6 = 28,000}) still adds up (120,000 × 1.0374 becomes 124,500; 17,500 × 1.036 becomes 18,130;
   * 305 stays exact: 311); a CSV value is rounded to its own precision.
   */
  static String scaled(String number, double factor, boolean prose) {
    boolean grouped = number.contains(",");
    String plain = number.replace(",", "");
    int dot = plain.indexOf('.');
    int decimals = dot < 0 ? 0 : plain.length() - dot - 1;
    double v = Double.parseDouble(plain) * factor;
    if (decimals > 0) {
      return String.format(Locale.ROOT, grouped ? "%,." + decimals + "f" : "%." + decimals + "f", v);
    }
    long step = 1;
    if (prose) {
      int digits = plain.replaceFirst("^0+(?=\\d)", "").length();
      int zeros = 0;
      for (int i = plain.length() - 1; i > 0 && plain.charAt(i) == '0'; i--) {
        zeros++;
      }
      for (int k = Math.max(0, Math.min(zeros, digits - 4)); k > 0; k--) {
        step *= 10;
      }
    }
    long r = Math.round(v / step) * step;
    return grouped ? String.format(Locale.ROOT, "%,d", r) : Long.toString(r);
  }

  /** @param literals per pattern of {@code match}, a text every match of it holds ({@link RequiredLiteral#of}), or null */
  private record Scaling(double factor, Map<String, List<String>> columns, List<Pattern> match, List<String> literals) {
    Scaling(double factor, Map<String, List<String>> columns, List<Pattern> match) {
      this(factor, columns, match, match.stream().map(p -> RequiredLiteral.of(p.pattern())).toList());
    }
  }

  private String scrambleIds(String text, Pattern p) {
    Matcher m = p.matcher(text);
    boolean group = p.pattern().contains("(?<x>");
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      int start = group ? m.start("x") : m.start();
      int end = group ? m.end("x") : m.end();
      if (start < 0) {
        continue;
      }
      sb.append(text, last, start).append(scrambled(text.substring(start, end)));
      last = end;
    }
    sb.append(text, last, text.length());
    return sb.toString();
  }

  private String scrambled(String id) {
    SplittableRandom r = new SplittableRandom(mix(seed, id));
    StringBuilder sb = new StringBuilder(id.length());
    for (char c : id.toCharArray()) {
      if (c >= '0' && c <= '9') {
        sb.append((char) ('0' + r.nextInt(10)));
      } else if (c >= 'a' && c <= 'z') {
        sb.append((char) ('a' + r.nextInt(26)));
      } else if (c >= 'A' && c <= 'Z') {
        sb.append((char) ('A' + r.nextInt(26)));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * The exercise as this variant's candidate and reviewers see it: brief, prompts, evidence titles, descriptions and
   * chart annotations, rubric (anchors included) and reviewer notes rewritten. Calibration answers are left as
   * written: they are scored against the library as written (seed 0).
   */
  public Exercise exercise(Exercise e) {
    if (identity()) {
      return e;
    }
    JsonObject json = JsonObject.mapFrom(e);
    for (String key : json.fieldNames()) {
      if (!key.equals("calibration") && !key.equals("variants") && !key.equals("id")) {
        json.put(key, rewrite(json.getValue(key)));
      }
    }
    Exercise rewritten = json.mapTo(Exercise.class);
    // calibration samples are scored against the library as written: the library's own objects, not a copy per variant
    return new Exercise(rewritten.id(), rewritten.title(), rewritten.minutes(), rewritten.summary(), rewritten.brief(),
        rewritten.sections(), rewritten.evidence(), rewritten.rubric(), rewritten.reviewerNotes(), e.calibration(), e.variants());
  }

  private Object rewrite(Object v) {
    if (v instanceof String s) {
      return text(s);
    }
    if (v instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(en -> out.put(en.getKey(), rewrite(en.getValue())));
      return out;
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(x -> out.add(rewrite(x)));
      return out;
    }
    return v;
  }

  /**
   * The figures that mark this seed's variant: strings a candidate of this variant reads in the brief, the chart
   * annotations and the reviewer notes (clock times of the key events, picked versions and instances, scrambled
   * instance names, scaled figures of four digits or more from the texts a candidate reads) that the library as
   * written does not contain. A figure from this set in an answer of another
   * variant points at a shared answer (issue 25, "questions from the trail"). Empty for seed 0. Deterministic;
   * renders the brief and notes, so call it off the event loop.
   */
  public static Set<String> distinctiveFigures(Exercise exercise, long seed) {
    return distinctiveFigures(exercise, seed, Map.of());
  }

  /**
   * As {@link #distinctiveFigures(Exercise, long)}, with the exercise's Markdown evidence as the library writes it
   * ({@code documents}: text by path, e.g. evidence/architecture-and-inventory.md): the scaled figures a candidate
   * reads there (an inventory's peak rates) mark the seed as well.
   */
  public static Set<String> distinctiveFigures(Exercise exercise, long seed, Map<String, String> documents) {
    Variant v = of(exercise, seed);
    Set<String> out = new LinkedHashSet<>();
    if (v.identity()) {
      return out;
    }
    StringBuilder canonical = new StringBuilder(exercise.brief()).append('\n').append(exercise.reviewerNotes());
    List<String> texts = new ArrayList<>(List.of(exercise.brief(), exercise.reviewerNotes()));
    exercise.evidence().forEach(ev -> ev.annotations().forEach(a -> {
      texts.add(a.time() + " " + a.label());
      canonical.append('\n').append(a.time()).append(' ').append(a.label());
    }));
    String before = canonical.toString();
    for (String t : texts) {
      String changed = v.text(t);
      Matcher m = Pattern.compile("(?<![\\w:.])(?:[01]\\d|2[0-3]):[0-5]\\d(?!\\d)").matcher(changed);
      while (m.find()) {
        out.add(m.group());
      }
      for (Pattern p : v.scramble) {
        Matcher s = p.matcher(changed);
        while (s.find()) {
          out.add(p.pattern().contains("(?<x>") ? s.group("x") : s.group());
        }
      }
    }
    out.addAll(v.picks.values());
    // Scaled figures only as a candidate reads them (brief, prompts, evidence descriptions, annotations), four digits
    // at least: the notes' forecasts are arithmetic on them, and the seeds' factors lie so close together that a
    // candidate rounding their own result (28,500) writes some other seed's figure; a short number (148) turns up
    // in any answer. The evidence files' figures are not in the model.
    Variant read = of(exercise, seed);
    List<String> readable = new ArrayList<>(List.of(exercise.brief()));
    StringBuilder shown = new StringBuilder(exercise.brief());
    exercise.sections().forEach(sec -> {
      readable.add(sec.prompt());
      shown.append('\n').append(sec.prompt());
    });
    exercise.evidence().forEach(ev -> {
      readable.add(ev.title() + "\n" + ev.description());
      shown.append('\n').append(ev.title()).append('\n').append(ev.description());
      ev.annotations().forEach(a -> readable.add(a.label()));
    });
    readable.forEach(read::text);
    documents.forEach((path, text) -> {
      read.text(text, path);
      shown.append('\n').append(text);
    });
    String asWritten = before + "\n" + shown;
    read.scaledFigures.stream().filter(f -> f.replaceAll("\\D", "").length() >= 4 && !asWritten.contains(f))
        .forEach(out::add);
    out.removeIf(before::contains);
    return out;
  }

  private static long mix(long seed, String salt) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < salt.length(); i++) {
      h = (h ^ salt.charAt(i)) * 0x100000001B3L;
    }
    return h ^ (h >>> 31);
  }
}
