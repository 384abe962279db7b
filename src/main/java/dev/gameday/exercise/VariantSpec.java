package dev.gameday.exercise;

import dev.gameday.exercise.Model.Pick;
import dev.gameday.exercise.Model.Scale;
import dev.gameday.exercise.Model.Variants;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads an exercise's {@code variants:} declaration (exercises/README.md, "variants"), reporting what is malformed. */
final class VariantSpec {
  private VariantSpec() {
  }

  /** The declaration, or null when the exercise has none (then every seed shows the library as written). */
  static Variants parse(Yaml v) {
    if (v == null) {
      return null;
    }
    List<Integer> shift = null;
    List<String> dates = new ArrayList<>();
    Yaml s = v.get("shift");
    if (s != null) {
      List<Yaml> range = s.list("minutes", true);
      if (range.size() != 2) {
        s.problem("'minutes' must be a range [low, high]");
      } else {
        try {
          shift = List.of(Integer.parseInt(range.get(0).scalar().trim()), Integer.parseInt(range.get(1).scalar().trim()));
          if (shift.get(0) >= shift.get(1) || Math.abs(shift.get(0)) > 720 || Math.abs(shift.get(1)) > 720) {
            s.problem("'minutes' must be [low, high] with low < high, each within 720 minutes");
            shift = null;
          }
        } catch (RuntimeException e) {
          s.problem("'minutes' must be two whole numbers");
        }
      }
      for (Yaml d : s.list("dates", false)) {
        try {
          dates.add(LocalDate.parse(d.scalar() == null ? "" : d.scalar().trim()).toString());
        } catch (DateTimeParseException e) {
          d.problem("'" + d.scalar() + "' is not a date like 2026-10-14");
        }
      }
    }
    List<String> scramble = new ArrayList<>();
    for (Yaml p : v.list("scramble", false)) {
      String re = p.scalar();
      try {
        Pattern.compile(re == null ? "" : re);
        if (re == null || re.isBlank()) {
          p.problem("a scramble pattern must be a regular expression");
        } else {
          scramble.add(re);
        }
      } catch (PatternSyntaxException e) {
        p.problem("not a regular expression: " + e.getDescription());
      }
    }
    List<Pick> picks = new ArrayList<>();
    for (Yaml p : v.list("pick", false)) {
      String from = p.str("from", 200);
      List<String> to = new ArrayList<>();
      for (Yaml t : p.list("to", true)) {
        if (t.scalar() == null || t.scalar().isBlank()) {
          t.problem("an alternative must be a non-empty text");
        } else {
          to.add(t.scalar().strip());
        }
      }
      if (from != null && !to.isEmpty()) {
        picks.add(new Pick(from, List.copyOf(to)));
      }
    }
    List<Scale> scales = new ArrayList<>();
    for (Yaml sc : v.list("scale", false)) {
      Scale parsed = scale(sc);
      if (parsed != null) {
        scales.add(parsed);
      }
    }
    return new Variants(shift, List.copyOf(dates), List.copyOf(scramble), List.copyOf(picks), List.copyOf(scales));
  }

  /** One {@code scale} entry: factor [low, high] within 0.5 to 2, columns by CSV file, patterns with a group x. */
  private static Scale scale(Yaml sc) {
    List<Yaml> range = sc.list("factor", true);
    List<Double> factor = null;
    if (range.size() != 2) {
      sc.problem("'factor' must be a range [low, high]");
    } else {
      try {
        factor = List.of(Double.parseDouble(range.get(0).scalar().trim()), Double.parseDouble(range.get(1).scalar().trim()));
        if (factor.get(0) >= factor.get(1) || factor.get(0) < 0.5 || factor.get(1) > 2) {
          sc.problem("'factor' must be [low, high] with low < high, both within 0.5 to 2");
          factor = null;
        }
      } catch (RuntimeException e) {
        sc.problem("'factor' must be two numbers");
      }
    }
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Yaml cols = sc.get("columns");
    if (cols != null) {
      for (String file : cols.keys()) {
        List<String> names = new ArrayList<>();
        for (Yaml c : cols.list(file, true)) {
          if (c.scalar() == null || c.scalar().isBlank()) {
            c.problem("a column must be a name");
          } else {
            names.add(c.scalar().strip());
          }
        }
        if (!file.endsWith(".csv")) {
          cols.get(file).problem("'" + file + "' is not a csv file: 'columns' lists the CSV columns a scale multiplies");
        }
        columns.put(file, List.copyOf(names));
      }
    }
    List<String> match = new ArrayList<>();
    for (Yaml p : sc.list("match", false)) {
      String re = p.scalar();
      try {
        if (re == null || !Pattern.compile(re).pattern().contains("(?<x>")) {
          p.problem("a scale pattern must be a regular expression with a group x (the figure)");
        } else {
          match.add(re);
        }
      } catch (PatternSyntaxException e) {
        p.problem("not a regular expression: " + e.getDescription());
      }
    }
    if (columns.isEmpty() && match.isEmpty()) {
      sc.problem("a scale needs 'columns' or 'match': what it multiplies");
    }
    return factor == null ? null : new Scale(factor, columns, List.copyOf(match));
  }
}
