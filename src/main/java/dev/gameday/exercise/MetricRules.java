package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric family of {@link EvidenceRules} (exercises/README.md, "rules"): an alert fires when its rule over a CSV
 * column says and its notices say so at those minutes, and a row that crosses one column's threshold has the value
 * another column implies (a paging threshold and its page).
 */
final class MetricRules {
  private static final Pattern CLOCK = Pattern.compile("(?<![0-9:])([01]?[0-9]|2[0-3]):([0-5][0-9])(?![0-9])");

  private final List<Problem> problems;
  private final Map<String, String> texts;
  private final Map<String, Csv> csvs;
  private final Function<String, String> display;

  MetricRules(List<Problem> problems, Map<String, String> texts, Map<String, Csv> csvs,
      Function<String, String> display) {
    this.problems = problems;
    this.texts = texts;
    this.csvs = csvs;
    this.display = display;
  }

  private void problem(String file, int line, String message) {
    problems.add(new Problem(display.apply(file), line, message));
  }

  /** An alert fires when its column has been above the threshold for its window, and repeats as it says. */
  void alert(Yaml rule) {
    String name = rule.str("name", 100);
    String metrics = rule.str("metrics", 300);
    String column = rule.str("column", 100);
    Double above = rule.number("above");
    int forMinutes = rule.integer("forMinutes", 0, 1440, 0);
    int repeatMinutes = rule.integer("repeatMinutes", 0, 1440, 0);
    String notices = rule.str("notices", 300);
    if (name == null || metrics == null || column == null || above == null || notices == null) {
      return;
    }
    Csv csv = csvs.get(metrics);
    if (csv == null) {
      rule.get("metrics").problem("'" + metrics + "' is not a csv evidence file of this exercise");
      return;
    }
    int col = csv.columns().indexOf(column);
    if (col < 0) {
      rule.get("column").problem(metrics + " has no column '" + column + "'");
      return;
    }
    if (!texts.containsKey(notices)) {
      rule.get("notices").problem("'" + notices + "' is not an evidence file of this exercise");
      return;
    }
    // minute -> above?, from the rows (one row per minute)
    List<Csv.Row> rows = csv.rows();
    Map<Instant, Boolean> state = new HashMap<>();
    for (Csv.Row row : rows) {
      state.put(row.time(), row.values()[col] > above);
    }
    List<Instant> expected = new ArrayList<>();
    Instant fired = null;
    for (Csv.Row row : rows) {
      Instant t = row.time();
      boolean active;
      if (forMinutes == 0) {
        active = state.get(t);
      } else {
        active = true;
        for (int k = 1; k <= forMinutes; k++) {
          if (!Boolean.TRUE.equals(state.get(t.minusSeconds(60L * k)))) {
            active = false;
            break;
          }
        }
      }
      if (!active) {
        fired = null;
      } else if (fired == null) {
        fired = t;
        expected.add(t);
      } else if (repeatMinutes > 0 && (t.getEpochSecond() - fired.getEpochSecond()) % (60L * repeatMinutes) == 0) {
        expected.add(t);
      }
    }
    Set<Integer> expectedMinutes = new TreeSet<>();
    for (Instant t : expected) {
      expectedMinutes.add(minuteOfDay(t));
    }
    Set<Integer> noticed = new TreeSet<>();
    String[] lines = texts.get(notices).split("\n", -1);
    int reported = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (!line.contains(name) || line.toLowerCase(Locale.ROOT).contains("resolved")) {
        continue;
      }
      Matcher m = CLOCK.matcher(line);
      if (!m.find()) {
        continue;
      }
      int minute = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
      noticed.add(minute);
      if (!expectedMinutes.contains(minute) && reported++ < EvidenceRules.MAX_PER_RULE) {
        problem(notices, i + 1, name + " notified at " + m.group() + ", but its rule (" + column + " above " + above
            + (forMinutes > 0 ? " for " + forMinutes + " min" : "") + ") fires at " + clocks(expectedMinutes));
      }
    }
    for (int minute : expectedMinutes) {
      if (!noticed.contains(minute) && reported++ < EvidenceRules.MAX_PER_RULE) {
        rule.problem(name + " fires" + (repeatMinutes > 0 ? " or repeats" : "") + " at " + clock(minute) + " by its rule, but "
            + notices + " has no notice of it at that time");
      }
    }
  }

  private static int minuteOfDay(Instant t) {
    LocalTime lt = LocalTime.ofInstant(t, ZoneOffset.UTC);
    return lt.getHour() * 60 + lt.getMinute();
  }

  private static String clock(int minute) {
    return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
  }

  private static String clocks(Set<Integer> minutes) {
    if (minutes.isEmpty()) {
      return "no time in the metrics";
    }
    List<String> out = new ArrayList<>();
    for (int m : minutes) {
      out.add(clock(m));
    }
    return String.join(", ", out);
  }

  /** Row-wise: a row whose column reaches a value must have another column at a value (e.g. a paging threshold and its page). */
  void implies(Yaml rule) {
    String metrics = rule.str("metrics", 300);
    Yaml when = rule.get("when");
    Yaml then = rule.get("then");
    if (metrics == null || when == null || then == null) {
      if (when == null || then == null) {
        rule.problem("'implies' needs 'when' and 'then', each with column and atLeast");
      }
      return;
    }
    String wc = when.str("column", 100);
    Double wv = when.number("atLeast");
    String tc = then.str("column", 100);
    Double tv = then.number("atLeast");
    String why = rule.optionalStr("because", 300);
    if (wc == null || wv == null || tc == null || tv == null) {
      return;
    }
    Csv csv = csvs.get(metrics);
    if (csv == null) {
      rule.get("metrics").problem("'" + metrics + "' is not a csv evidence file of this exercise");
      return;
    }
    int a = csv.columns().indexOf(wc);
    int b = csv.columns().indexOf(tc);
    if (a < 0 || b < 0) {
      rule.problem(metrics + " has no column '" + (a < 0 ? wc : tc) + "'");
      return;
    }
    int reported = 0;
    for (Csv.Row row : csv.rows()) {
      if (row.values()[a] >= wv && row.values()[b] < tv && reported++ < EvidenceRules.MAX_PER_RULE) {
        problem(metrics, row.line(), wc + " is " + fmt(row.values()[a]) + " (at least " + fmt(wv) + ") but " + tc + " is "
            + fmt(row.values()[b]) + ", below " + fmt(tv) + (why == null ? "" : ": " + why));
      }
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
