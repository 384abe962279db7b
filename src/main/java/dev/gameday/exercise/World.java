package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The shared world of a track ({@code exercises/world.yaml}): people and their roles, service figures, the
 * calendar and the ids each exercise owns. Each exercise declares what it uses in a {@code world:} section of
 * its exercise.yaml; {@link #checkExercise} compares the declaration with the world and scans the exercise's
 * brief and Markdown evidence for people and ids it does not declare. The world's {@code facts} are decisions the
 * exercises must agree with: a ratio of two measured quantities (an exercise maps its CSV columns to quantities
 * under {@code world: measures}) and phrasings that contradict the fact in any exercise's text.
 */
final class World {
  private final String file;
  private final Map<String, String> people = new LinkedHashMap<>();
  private final Map<String, String> ids = new LinkedHashMap<>();
  private final Map<String, String> figures = new LinkedHashMap<>();
  private final Map<String, String> calendar = new HashMap<>(); // exercise -> date
  private final List<Fact> facts = new ArrayList<>();
  private List<Claims.Restated> restated = List.of();

  /**
   * A checked fact. With {@code of}/{@code to}: the ratio of two quantities, at every time both are measured,
   * lies in [lo, hi] ({@code between}), or its highest value does ({@code peakBetween}). With contradicts: no
   * sentence of an exercise's text matches any of the patterns.
   */
  private record Fact(String id, String fact, String of, String to, double lo, double hi, boolean peak,
      List<Pattern> contradicts) {
  }

  private World(String file) {
    this.file = file;
  }

  /** Parses world.yaml; returns null (no world checks) when text is null. */
  static World parse(String text, String file, List<Problem> problems) {
    if (text == null) {
      return null;
    }
    Yaml root = Yaml.parse(text, file, problems);
    if (root == null) {
      return null;
    }
    World w = new World(file);
    Yaml people = root.get("people");
    if (people == null) {
      root.problem("missing 'people' (name: role)");
    } else {
      for (String name : people.keys()) {
        w.people.put(name, people.get(name).scalar());
      }
    }
    Yaml ids = root.get("ids");
    if (ids != null) {
      for (String id : ids.keys()) {
        w.ids.put(id, ids.get(id).scalar());
      }
    }
    Yaml services = root.get("services");
    if (services != null) {
      for (String service : services.keys()) {
        Yaml s = services.get(service);
        for (String key : s.keys()) {
          if (!key.equals("what")) {
            w.figures.put(service + "." + key, s.get(key).scalar());
          }
        }
      }
    }
    for (Yaml f : root.list("facts", false)) {
      w.parseFact(f);
    }
    w.restated = Claims.parseRestated(root);
    Map<String, Yaml> byDate = new HashMap<>();
    for (Yaml entry : root.list("calendar", true)) {
      String date = entry.str("date", 20);
      String exercise = entry.str("exercise", 64);
      if (date == null || exercise == null) {
        continue;
      }
      Yaml other = byDate.putIfAbsent(date, entry);
      if (other != null) {
        entry.problem("two exercises on " + date + " (" + other.get("exercise").scalar() + " and " + exercise
            + "): a track keeps one world, so each day belongs to one exercise");
      }
      w.calendar.put(exercise, date);
    }
    return w;
  }

  private void parseFact(Yaml f) {
    String id = f.str("id", 64);
    String text = f.str("fact", 1000);
    if (id == null || text == null) {
      return;
    }
    String of = null;
    String to = null;
    double lo = 0;
    double hi = 0;
    boolean peak = false;
    Yaml ratio = f.get("ratio");
    if (ratio != null) {
      of = ratio.str("of", 100);
      to = ratio.str("to", 100);
      peak = ratio.get("peakBetween") != null;
      List<Yaml> range = ratio.list(peak ? "peakBetween" : "between", true);
      if (range.size() != 2) {
        ratio.problem("a ratio needs 'between' or 'peakBetween' as [low, high]");
        return;
      }
      try {
        lo = Double.parseDouble(range.get(0).scalar());
        hi = Double.parseDouble(range.get(1).scalar());
      } catch (NumberFormatException | NullPointerException e) {
        ratio.problem("the range of a ratio must be two numbers");
        return;
      }
    }
    List<Pattern> contradicts = new ArrayList<>();
    for (Yaml c : f.list("contradicts", false)) {
      try {
        contradicts.add(Pattern.compile(c.scalar() == null ? "" : c.scalar()));
      } catch (PatternSyntaxException e) {
        c.problem("not a regular expression: " + e.getDescription());
      }
    }
    if (ratio == null && contradicts.isEmpty()) {
      f.problem("fact " + id + " checks nothing: give a 'ratio' or 'contradicts'");
    }
    facts.add(new Fact(id, text, of, to, lo, hi, peak, contradicts));
  }

  private static String norm(String v) {
    return v == null ? "" : v.replace(",", "").replace(" ", "").toLowerCase(Locale.ROOT);
  }

  /**
   * Checks one exercise against the world.
   *
   * @param texts display name of the brief and each Markdown/text evidence file to its text
   * @param reviewerTexts display name of the reviewer notes, rubric and calibration answers to their text (scanned
   *     for contradictions of the world's facts only)
   * @param csvs evidence file (as written in exercise.yaml) to its parsed CSV
   * @param display evidence file to the name problems are reported under
   */
  void checkExercise(String exerciseId, Yaml meta, String metaFile, Map<String, String> texts,
      Map<String, String> reviewerTexts, Map<String, Csv> csvs, Function<String, String> display,
      List<Problem> problems) {
    Yaml decl = meta.get("world");
    if (decl == null) {
      problems.add(new Problem(metaFile, 1, "missing 'world' (date, people, ids, figures): every exercise declares what it uses of "
          + file));
      return;
    }
    String date = decl.str("date", 20);
    String expected = calendar.get(exerciseId);
    if (date != null && !date.equals(expected)) {
      decl.get("date").problem("date " + date + " is not this exercise's day in " + file
          + (expected == null ? " (it has no calendar entry)" : " (" + expected + ")"));
    }
    Map<String, String> declaredPeople = new HashMap<>();
    Yaml people = decl.get("people");
    if (people != null) {
      for (String name : people.keys()) {
        String role = people.get(name).scalar();
        declaredPeople.put(name, role);
        String worldRole = this.people.get(name);
        if (worldRole == null) {
          people.get(name).problem(name + " is not one of the people in " + file);
        } else if (!worldRole.equals(role)) {
          people.get(name).problem(name + " is '" + role + "' here but '" + worldRole + "' in " + file);
        }
      }
    }
    Yaml ids = decl.get("ids");
    if (ids != null) {
      for (Yaml id : decl.list("ids", false)) {
        String owner = this.ids.get(id.scalar());
        if (owner == null) {
          id.problem("id " + id.scalar() + " is not listed under ids in " + file);
        } else if (!owner.equals(exerciseId)) {
          id.problem("id " + id.scalar() + " belongs to " + owner + " in " + file);
        }
      }
    }
    Yaml figs = decl.get("figures");
    if (figs != null) {
      for (String key : figs.keys()) {
        String value = figs.get(key).scalar();
        String worldValue = figures.get(key);
        if (worldValue == null) {
          figs.get(key).problem(key + " is not a figure of " + file + " (services.<service>.<figure>)");
        } else if (!norm(worldValue).equals(norm(value))) {
          figs.get(key).problem(key + " is " + value + " here but " + worldValue + " in " + file);
        } else if (texts.values().stream().noneMatch(t -> states(t, value))) {
          figs.get(key).problem(key + " = " + value + " is declared but the brief and evidence never state it");
        }
      }
    }
    checkFacts(decl, figs, texts, reviewerTexts, csvs, display, problems);
    // figures in prose are restatements: of the world (restated) and of the exercise's own evidence (claims)
    Map<String, String> all = new LinkedHashMap<>(texts);
    all.putAll(reviewerTexts);
    Map<String, String> authored = new LinkedHashMap<>(all);   // calibration answers are candidates' writing:
    authored.keySet().removeIf(k -> k.contains("/calibration/")); // a sample may misstate a figure and be graded for it
    Claims.checkRestated(restated, file, authored, problems);
    People.check(this.people, file, all, problems);
    Claims.checkDiagrams(texts, problems);
    Claims.checkClaims(meta, date == null ? "" : date, all, csvs, display, problems);
    // one pattern per person and id for all the lines (start-up reads about 1,650 evidence lines)
    Map<String, Pattern> namePatterns = new java.util.HashMap<>();
    this.people.keySet().forEach(name -> namePatterns.put(name, mentionPattern(name)));
    Map<String, Pattern> idPatterns = new java.util.HashMap<>();
    this.ids.keySet().forEach(id -> idPatterns.put(id, idPattern(id)));
    for (Map.Entry<String, String> t : texts.entrySet()) {
      String[] lines = t.getValue().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (Map.Entry<String, String> p : this.people.entrySet()) {
          String name = p.getKey();
          if (!declaredPeople.containsKey(name) && namePatterns.get(name).matcher(lines[i]).find()) {
            problems.add(new Problem(t.getKey(), i + 1, "names " + name + " (" + p.getValue() + " in " + file
                + "), who is not declared under world: people in exercise.yaml"));
          }
        }
        for (Map.Entry<String, String> id : this.ids.entrySet()) {
          if (!id.getValue().equals(exerciseId) && usesId(lines[i], idPatterns.get(id.getKey()))) {
            problems.add(new Problem(t.getKey(), i + 1, "uses id " + id.getKey() + ", which belongs to " + id.getValue()
                + " in " + file));
          }
        }
      }
    }
  }

  /** One measured quantity: its value at each time (rows sharing a time are summed) and the line of that time. */
  private record Series(String file, TreeMap<Instant, Double> values, Map<Instant, Integer> lines) {
  }

  private void checkFacts(Yaml decl, Yaml figs, Map<String, String> texts, Map<String, String> reviewerTexts,
      Map<String, Csv> csvs, Function<String, String> display, List<Problem> problems) {
    Map<String, Series> measures = new HashMap<>();
    Yaml ms = decl.get("measures");
    if (ms != null) {
      for (String q : ms.keys()) {
        Yaml m = ms.get(q);
        String f = m.str("file", 300);
        // one column, or several whose sum is the quantity (clients waiting + clients holding a connection)
        List<String> columns = new ArrayList<>();
        if (m.get("columns") != null) {
          m.list("columns", true).forEach(y -> columns.add(y.scalar()));
        } else if (m.str("column", 100) != null) {
          columns.add(m.str("column", 100));
        }
        if (f == null || columns.isEmpty()) {
          continue;
        }
        Csv csv = csvs.get(f);
        if (csv == null) {
          m.problem(q + " is measured in " + f + ", which is not a csv evidence file of this exercise");
          continue;
        }
        String missing = columns.stream().filter(col -> csv.columns().indexOf(col) < 1).findFirst().orElse(null);
        if (missing != null) {
          m.problem(q + " is measured in column '" + missing + "', which " + f + " does not have");
        } else if (facts.stream().noneMatch(x -> q.equals(x.of()) || q.equals(x.to()))) {
          m.problem(q + " is measured here but no fact of " + file + " uses it");
        } else {
          TreeMap<Instant, Double> values = new TreeMap<>();
          Map<Instant, Integer> lines = new HashMap<>();
          rows:
          for (Csv.Row row : csv.rows()) {
            double sum = 0;
            for (String col : columns) {
              double v = row.values()[csv.columns().indexOf(col)];
              if (Double.isNaN(v)) {
                m.problem(q + " is measured in column '" + col + "', which is a label, not a number");
                break rows;
              }
              sum += v;
            }
            values.merge(row.time(), sum, Double::sum);
            lines.putIfAbsent(row.time(), row.line());
          }
          measures.put(q, new Series(display.apply(f), values, lines));
        }
      }
    }
    Map<String, String> constants = new HashMap<>();
    if (figs != null) {
      for (String key : figs.keys()) {
        constants.put(key, figs.get(key).scalar());
      }
    }
    for (Fact fact : facts) {
      if (fact.of() != null) {
        checkRatio(fact, measures, constants, problems);
      }
      for (Pattern p : fact.contradicts()) {
        for (Map<String, String> group : List.of(texts, reviewerTexts)) {
          for (Map.Entry<String, String> t : group.entrySet()) {
            for (int[] sentence : sentences(t.getValue())) {
              if (p.matcher(t.getValue().substring(sentence[0], sentence[1]).replaceAll("\\s+", " ")).find()) {
                problems.add(new Problem(t.getKey(), sentence[2], "contradicts fact " + fact.id() + " of " + file
                    + ": " + fact.fact()));
              }
            }
          }
        }
      }
    }
  }

  private void checkRatio(Fact fact, Map<String, Series> measures, Map<String, String> constants,
      List<Problem> problems) {
    Series of = measures.get(fact.of());
    Series to = measures.get(fact.to());
    Double ofConst = of == null ? constant(constants, fact.of()) : null;
    Double toConst = to == null ? constant(constants, fact.to()) : null;
    if ((of == null && ofConst == null) || (to == null && toConst == null) || (of == null && to == null)) {
      return; // the exercise does not measure this fact's quantities
    }
    Series at = of != null ? of : to;
    String range = fmt(fact.lo()) + "-" + fmt(fact.hi());
    double best = Double.NEGATIVE_INFINITY;
    Instant bestTime = null;
    int reported = 0;
    for (Map.Entry<Instant, Double> e : at.values().entrySet()) {
      Double a = of != null ? e.getValue() : ofConst;
      Double b = to != null ? to.values().get(e.getKey()) : toConst;
      if (a == null || b == null || b == 0) {
        continue;
      }
      double r = a / b;
      if (fact.peak()) {
        if (r > best) {
          best = r;
          bestTime = e.getKey();
        }
      } else if ((r < fact.lo() || r > fact.hi()) && reported++ < 3) {
        problems.add(new Problem(at.file(), at.lines().get(e.getKey()), fact.of() + " / " + fact.to() + " is "
            + fmt(r) + " at " + e.getKey() + ", outside " + range + " (fact " + fact.id() + " of " + file + ": "
            + fact.fact() + ")"));
      }
    }
    if (fact.peak() && bestTime != null && (best < fact.lo() || best > fact.hi())) {
      problems.add(new Problem(at.file(), at.lines().get(bestTime), "the highest " + fact.of() + " / " + fact.to()
          + " is " + fmt(best) + " at " + bestTime + ", outside " + range + " (fact " + fact.id() + " of " + file
          + ": " + fact.fact() + ")"));
    }
  }

  private Double constant(Map<String, String> declared, String quantity) {
    String v = declared.containsKey(quantity) ? declared.get(quantity) : figures.get(quantity);
    if (v == null) {
      return null;
    }
    try {
      return Double.parseDouble(v.replace(",", "").strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String fmt(double v) {
    return Math.abs(v) >= 100 ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.3f", v);
  }

  /**
   * The sentences of a text as [start, end, line]: a paragraph's lines are joined and split after '.', '!' or '?';
   * a table row, a list item's first line, a heading and each line inside a code fence stand alone.
   */
  static List<int[]> sentences(String text) {
    List<int[]> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int offset = 0;
    int start = -1;
    int startLine = 0;
    boolean fence = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      boolean own = fence || trimmed.startsWith("|") || trimmed.startsWith("#") || trimmed.startsWith("```");
      boolean breaks = trimmed.isEmpty() || own || trimmed.startsWith("- ") || trimmed.startsWith("* ")
          || trimmed.matches("\\d+\\.\\s.*");
      if (trimmed.startsWith("```")) {
        fence = !fence;
      }
      if (breaks && start >= 0) {
        out.add(new int[] {start, offset - 1, startLine});
        start = -1;
      }
      if (own) {
        out.add(new int[] {offset, offset + line.length(), i + 1});
      } else if (!trimmed.isEmpty()) {
        int from = 0;
        if (start < 0) {
          start = offset;
          startLine = i + 1;
        }
        Matcher end = SENTENCE_END.matcher(line);
        while (end.find()) {
          out.add(new int[] {start, offset + end.end(), startLine});
          from = end.end();
          start = offset + from;
          startLine = i + 1;
        }
        if (from > 0 && line.substring(from).isBlank()) {
          start = -1;
        }
      }
      offset += line.length() + 1;
    }
    if (start >= 0) {
      out.add(new int[] {start, Math.min(offset, text.length()), startLine});
    }
    return out;
  }

  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s|$)");

  /** Whether a text states a figure as a whole number or phrase ("7,000" matches "7000" and "7,000", not "17,000"). */
  private static boolean states(String text, String value) {
    String t = text.replaceAll("(?<=\\d),(?=\\d{3})", "");
    String v = value.replaceAll("(?<=\\d),(?=\\d{3})", "").strip();
    return Pattern.compile("(?<![0-9.])" + Pattern.quote(v) + "(?![0-9])").matcher(t).find();
  }

  private static Pattern mentionPattern(String name) {
    return Pattern.compile("(?<!\\p{L})(" + Pattern.quote(name) + "|" + Pattern.quote(name.toLowerCase(Locale.ROOT))
        + ")(?!\\p{L})");
  }

  private static Pattern idPattern(String id) {
    return Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(id) + "(?![0-9])");
  }

  private static boolean usesId(String line, Pattern id) {
    Matcher m = id.matcher(line);
    while (m.find()) {
      // a bare number like 2291 counts as the id, but not inside a larger number or a decimal
      int s = m.start();
      if (s > 0 && (line.charAt(s - 1) == '.' || line.charAt(s - 1) == ',')) {
        continue;
      }
      return true;
    }
    return false;
  }
}
