package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Figures in prose are restatements of data, checked here (issue 19): world figures an exercise restates
 * ({@code restated:} in world.yaml, each a value, a tolerance and the phrasings that restate it), every person named
 * anywhere against the world's people, and prose figures against the exercise's own CSV evidence ({@code claims:}
 * in exercise.yaml: a maximum, a mean, a value at a time, the hour of the daily maximum, or the days a column spikes).
 */
final class Claims {
  private Claims() {
  }

  /** A world figure that exercises restate: the value, an absolute tolerance, and the patterns (group v) with scale. */
  record Restated(String id, String what, double value, double tolerance, String toleranceText, List<Pattern> patterns,
      List<Double> scales, LocalDate day) {
  }

  private static final Map<String, Integer> WORDS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
      Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
      Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
      Map.entry("twelve", 12));

  /** A number as prose writes it: "7,000", "0.92", "twelve"; null when it is none. */
  static Double number(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (WORDS.containsKey(t)) {
      return (double) WORDS.get(t);
    }
    try {
      return Double.parseDouble(t.replace(",", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Parses world.yaml's restated list. */
  static List<Restated> parseRestated(Yaml root) {
    List<Restated> out = new ArrayList<>();
    for (Yaml r : root.list("restated", false)) {
      String id = r.str("id", 64);
      String what = r.str("what", 300);
      String valueText = r.get("value") == null ? null : r.get("value").scalar();
      // a day of the calendar (an incident, a launch) is restated as a date: "15 August", "1 February 2027"
      LocalDate day = valueText != null && valueText.matches("\\d{4}-\\d{2}-\\d{2}") ? date(valueText, valueText) : null;
      Double value = day != null ? Double.valueOf(day.toEpochDay()) : number(valueText);
      String tol = r.get("tolerance") == null ? "0" : r.get("tolerance").scalar();
      if (id == null || what == null) {
        continue;
      }
      if (value == null) {
        r.problem("restated " + id + ": 'value' must be a number or a date (2026-08-15)");
        continue;
      }
      double tolerance = tolerance(tol, value);
      if (Double.isNaN(tolerance)) {
        r.problem("restated " + id + ": 'tolerance' must be a number or a percentage (5%)");
        continue;
      }
      List<Pattern> patterns = new ArrayList<>();
      List<Double> scales = new ArrayList<>();
      for (Yaml p : r.list("patterns", true)) {
        String re = p.isScalar() ? p.scalar() : p.str("match", 500);
        Double scale = p.isScalar() ? Double.valueOf(1) : p.number("scale");
        try {
          Pattern compiled = Pattern.compile(re == null ? "" : re);
          if (!re.contains("(?<v>")) {
            p.problem("restated " + id + ": a pattern needs a group (?<v>...) around the figure");
            continue;
          }
          patterns.add(compiled);
          scales.add(scale == null ? 1 : scale);
        } catch (PatternSyntaxException e) {
          p.problem("not a regular expression: " + e.getDescription());
        }
      }
      out.add(new Restated(id, what, value, tolerance, tol, patterns, scales, day));
    }
    return out;
  }

  private static double tolerance(String text, double value) {
    String t = text.strip();
    try {
      if (t.endsWith("%")) {
        return Math.abs(value) * Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100;
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Every restatement of a world figure in any text lies within its tolerance. */
  static void checkRestated(List<Restated> restated, String worldFile, Map<String, String> texts,
      List<Problem> problems) {
    for (Map.Entry<String, String> t : texts.entrySet()) {
      String[] lines = t.getValue().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (Restated r : restated) {
          for (int p = 0; p < r.patterns().size(); p++) {
            Matcher m = r.patterns().get(p).matcher(lines[i]);
            while (m.find()) {
              if (r.day() != null) {
                LocalDate d = date(m.group("v"), r.day().toString());
                if (d == null || Math.abs(d.toEpochDay() - r.value()) > r.tolerance() + 1e-9) {
                  problems.add(new Problem(t.getKey(), i + 1, "states " + r.id() + " as " + m.group("v") + " but "
                      + worldFile + " says " + r.day() + ": " + r.what()));
                }
                continue;
              }
              Double v = number(m.group("v"));
              if (v == null) {
                continue;
              }
              double stated = v * r.scales().get(p);
              if (Math.abs(stated - r.value()) > r.tolerance() + 1e-9) {
                problems.add(new Problem(t.getKey(), i + 1, "states " + r.id() + " as " + m.group("v") + " but "
                    + worldFile + " says " + fmt(r.value()) + " (tolerance " + r.toleranceText() + "): " + r.what()));
              }
            }
          }
        }
      }
    }
  }

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM", Locale.ENGLISH);

  /**
   * The exercise's claims: each matches sentences in its files and compares the figure they state with a statistic
   * of a CSV column. {@code texts} maps display names to text; {@code display} turns an exercise path into one.
   */
  static void checkClaims(Yaml meta, String exerciseDate, Map<String, String> texts, Map<String, Csv> csvs,
      Function<String, String> display, List<Problem> problems) {
    for (Yaml c : meta.list("claims", false)) {
      String match = c.str("match", 500);
      String metrics = c.str("metrics", 300);
      String column = c.str("column", 100);
      String stat = c.str("stat", 20);
      if (match == null || metrics == null || column == null || stat == null) {
        continue;
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(match);
      } catch (PatternSyntaxException e) {
        c.get("match").problem("not a regular expression: " + e.getDescription());
        continue;
      }
      Csv csv = csvs.get(metrics);
      int col = csv == null ? -1 : csv.columns().indexOf(column);
      if (csv == null || col < 1) {
        c.problem(csv == null ? metrics + " is not a csv evidence file of this exercise"
            : metrics + " has no column '" + column + "'");
        continue;
      }
      Instant from = c.get("from") == null ? Instant.MIN : ExerciseLoader.parseInstant(c.get("from").scalar());
      Instant to = c.get("to") == null ? Instant.MAX : ExerciseLoader.parseInstant(c.get("to").scalar());
      TreeMap<Instant, Double> series = new TreeMap<>();
      Map<Instant, Integer> lineOf = new HashMap<>();
      for (Csv.Row row : csv.rows()) {
        if (from != null && to != null && !row.time().isBefore(from) && !row.time().isAfter(to)) {
          series.merge(row.time(), row.values()[col], Math::max);
          lineOf.putIfAbsent(row.time(), row.line());
        }
      }
      if (series.isEmpty()) {
        c.problem(metrics + " has no rows between 'from' and 'to'");
        continue;
      }
      String csvName = display.apply(metrics);
      Double tolValue = c.get("tolerance") == null ? null : number(c.get("tolerance").scalar().replace("%", ""));
      boolean relative = c.get("tolerance") != null && c.get("tolerance").scalar().strip().endsWith("%");
      List<String> files = new ArrayList<>();
      c.list("in", true).forEach(y -> files.add(y.scalar()));
      Double above = c.get("above") == null ? null : c.number("above");
      Set<LocalDate> named = new TreeSet<>();
      int matches = 0;
      for (String f : files) {
        String name = display.apply(f);
        String text = texts.get(name);
        if (text == null) {
          c.problem(f + " is not the brief or a Markdown or text evidence file of this exercise");
          continue;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          Matcher m = pattern.matcher(lines[i]);
          while (m.find()) {
            matches++;
            String msg = compare(stat, m, series, csvName, column, tolValue, relative, above, exerciseDate, named);
            if (msg != null) {
              problems.add(new Problem(name, i + 1, msg));
            }
          }
        }
      }
      if (matches == 0) {
        c.get("match").problem("the claim matches no line of " + String.join(", ", files)
            + ": a claim that checks nothing is stale");
      } else if ("above".equals(stat) && above != null) {
        // every spike the column shows is a day some sentence names: no outage in the window goes unmentioned
        Map<LocalDate, Instant> days = new LinkedHashMap<>();
        series.forEach((time, v) -> {
          if (v > above) {
            days.putIfAbsent(LocalDate.ofInstant(time, ZoneOffset.UTC), time);
          }
        });
        days.forEach((day, time) -> {
          if (!named.contains(day)) {
            problems.add(new Problem(csvName, lineOf.get(time), column + " is above " + fmt(above) + " on " + day
                + " but no sentence matched by the claim names that day (" + String.join(", ", files) + ")"));
          }
        });
      }
    }
  }

  private static String compare(String stat, Matcher m, TreeMap<Instant, Double> series, String csv, String column,
      Double tol, boolean relative, Double above, String exerciseDate, Set<LocalDate> named) {
    switch (stat) {
      case "max", "min", "mean", "at" -> {
        Double stated = number(m.group("v"));
        if (stated == null) {
          return "the claim's group v is not a number: " + m.group("v");
        }
        // an optional group x multiplies v: "7,000 requests/s on average and about 2.5 times that at the peak"
        String x = group(m, "x");
        String says = m.group("v");
        if (x != null) {
          Double factor = number(x);
          if (factor == null) {
            return "the claim's group x is not a number: " + x;
          }
          stated = stated * factor;
          says = m.group("v") + " x " + x + " = " + fmt(stated);
        }
        double actual;
        String what;
        if ("at".equals(stat)) {
          Instant t = ExerciseLoader.parseInstant(exerciseDate + "T" + m.group("t") + ":00Z");
          Double v = t == null ? null : series.get(t);
          if (v == null) {
            return "states " + m.group("v") + " at " + m.group("t") + " but " + csv + " has no row then";
          }
          actual = v;
          what = "the value of " + column + " in " + csv + " at " + m.group("t");
        } else {
          actual = switch (stat) {
            case "max" -> series.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            case "min" -> series.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
            default -> series.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
          };
          what = "the " + stat + " of " + column + " in " + csv;
        }
        double allowed = tol == null ? 0 : relative ? Math.abs(actual) * tol / 100 : tol;
        if (Math.abs(stated - actual) > allowed + 1e-9) {
          return "states " + says + " but " + what + " is " + fmt(actual) + " (tolerance "
              + (tol == null ? "0" : fmt(tol) + (relative ? "%" : "")) + ")";
        }
        return null;
      }
      case "hourOfMax" -> {
        Double stated = number(m.group("v"));
        Map<Integer, Integer> hours = new TreeMap<>();
        Map<LocalDate, Map.Entry<Instant, Double>> best = new TreeMap<>();
        for (Map.Entry<Instant, Double> e : series.entrySet()) {
          LocalDate d = LocalDate.ofInstant(e.getKey(), ZoneOffset.UTC);
          if (!best.containsKey(d) || e.getValue() > best.get(d).getValue()) {
            best.put(d, e);
          }
        }
        best.values().forEach(e -> hours.merge(e.getKey().atZone(ZoneOffset.UTC).getHour(), 1, Integer::sum));
        int mode = hours.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        if (stated == null || stated.intValue() != mode) {
          return "states " + m.group("v") + " but the hour of the daily maximum of " + column + " in " + csv + " is "
              + mode + " on " + hours.get(mode) + " of " + best.size() + " days";
        }
        return null;
      }
      case "above" -> {
        if (above == null) {
          return "a claim with stat 'above' needs 'above: <number>'";
        }
        LocalDate day = date(m.group("date"), exerciseDate);
        if (day == null) {
          return "the claim's group date is not a date: " + m.group("date");
        }
        named.add(day);
        boolean spike = series.entrySet().stream()
            .anyMatch(e -> LocalDate.ofInstant(e.getKey(), ZoneOffset.UTC).equals(day) && e.getValue() > above);
        if (!spike) {
          return "says " + m.group("date") + " but " + column + " in " + csv + " is not above " + fmt(above)
              + " that day";
        }
        return null;
      }
      default -> {
        return "unknown stat '" + stat + "' (max, min, mean, at, hourOfMax, above)";
      }
    }
  }

  /** A named group's text, or null when the claim's pattern has no such group or it did not take part. */
  private static String group(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static final DateTimeFormatter DAY_YEAR = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

  /** "15 August" (in the exercise's year), "1 February 2027" or "2026-08-15". */
  private static LocalDate date(String s, String exerciseDate) {
    try {
      String t = s.strip();
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(t);
      }
      if (t.matches(".*\\d{4}")) {
        return LocalDate.parse(t, DAY_YEAR);
      }
      int year = LocalDate.parse(exerciseDate).getYear();
      return java.time.MonthDay.parse(t, DAY).atYear(year);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static final Pattern ARROW = Pattern.compile("──|->|<-|-->|│|└|┤|┴|\\+--");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z][A-Za-z0-9-]{2,}");

  /**
   * Every diagram (an image, or a code block drawn with arrows or box lines) is followed by a paragraph starting
   * "Text description" that names every label of the diagram: each word of three letters or more.
   */
  static void checkDiagrams(Map<String, String> texts, List<Problem> problems) {
    for (Map.Entry<String, String> t : texts.entrySet()) {
      if (!t.getKey().endsWith(".md")) {
        continue;
      }
      String[] lines = t.getValue().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        int start = i;
        StringBuilder drawing = new StringBuilder();
        if (lines[i].strip().startsWith("```")) {
          int j = i + 1;
          while (j < lines.length && !lines[j].strip().startsWith("```")) {
            drawing.append(lines[j]).append('\n');
            j++;
          }
          i = j;
          if (!ARROW.matcher(drawing).find()) {
            continue;
          }
        } else if (lines[i].contains("![")) {
          drawing.append(lines[i].replaceAll(".*!\\[([^]]*)].*", "$1"));
        } else {
          continue;
        }
        int k = i + 1;
        while (k < lines.length && lines[k].isBlank()) {
          k++;
        }
        StringBuilder description = new StringBuilder();
        if (k < lines.length && lines[k].strip().startsWith("Text description")) {
          while (k < lines.length && !lines[k].isBlank()) {
            description.append(lines[k]).append(' ');
            k++;
          }
        }
        if (description.isEmpty()) {
          problems.add(new Problem(t.getKey(), start + 1, "a diagram needs a paragraph right after it that starts "
              + "\"Text description\" and names every component and connection it shows"));
          continue;
        }
        String said = description.toString().toLowerCase(Locale.ROOT);
        Set<String> missing = new TreeSet<>();
        Matcher m = LABEL.matcher(drawing);
        while (m.find()) {
          if (!said.contains(m.group().toLowerCase(Locale.ROOT))) {
            missing.add(m.group());
          }
        }
        if (!missing.isEmpty()) {
          problems.add(new Problem(t.getKey(), start + 1, "the text description after this diagram does not name "
              + String.join(", ", missing)));
        }
      }
    }
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
  }
}
