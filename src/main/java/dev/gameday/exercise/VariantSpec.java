package dev.gameday.exercise;

import dev.gameday.exercise.Model.Pick;
import dev.gameday.exercise.Model.Variants;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
    return new Variants(shift, List.copyOf(dates), List.copyOf(scramble), List.copyOf(picks));
  }
}
