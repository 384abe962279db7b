package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Causality checks on generated evidence (exercises/README.md, "rules"): nothing is served before it is
 * published, an event class said to be "all kept" is complete, alerts fire when their rule says, a stated
 * sampling rate matches the counts, a row that crosses a paging threshold has its page, and every file the
 * brief or the evidence mentions is in the evidence list. Each problem names the file and line where the
 * contradiction shows. This class runs them all and holds the log rules (published, complete, sampling); the
 * metric rules are {@link MetricRules}, the documents' checks {@link DocumentChecks}.
 */
final class EvidenceRules {
  private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
  /** At most this many problems a rule reports, so one wrong rule does not bury the others. */
  static final int MAX_PER_RULE = 5;

  private final List<Problem> problems;
  private final Map<String, String> texts;
  private final Map<String, Csv> csvs;
  private final Function<String, String> display;

  private EvidenceRules(List<Problem> problems, Map<String, String> texts, Map<String, Csv> csvs,
      Function<String, String> display) {
    this.problems = problems;
    this.texts = texts;
    this.csvs = csvs;
    this.display = display;
  }

  /**
   * Runs every rule of the exercise's {@code rules:} section and the referenced-files check.
   *
   * @param texts evidence file (as written in exercise.yaml) to its text
   * @param display evidence file to the name problems are reported under
   */
  static void check(Yaml rules, String metaFile, String brief, String briefName, Map<String, String> texts,
      Map<String, String> kinds, Map<String, String> descriptions, Map<String, Csv> csvs, List<Problem> problems,
      Function<String, String> display) {
    EvidenceRules r = new EvidenceRules(problems, texts, csvs, display);
    MetricRules metrics = new MetricRules(problems, texts, csvs, display);
    Set<String> notEvidence = new HashSet<>();
    if (rules != null) {
      for (Yaml n : rules.list("notEvidence", false)) {
        if (n.scalar() != null) {
          notEvidence.add(n.scalar().strip());
        }
      }
      for (Yaml p : rules.list("published", false)) {
        r.published(p);
      }
      for (Yaml c : rules.list("complete", false)) {
        r.complete(c);
      }
      for (Yaml a : rules.list("alerts", false)) {
        metrics.alert(a);
      }
      for (Yaml s : rules.list("sampling", false)) {
        r.sampling(s);
      }
      for (Yaml i : rules.list("implies", false)) {
        metrics.implies(i);
      }
    }
    new DocumentChecks(problems, texts, display).referencedFiles(brief, briefName, kinds, descriptions, metaFile, notEvidence);
  }

  // ------------------------------------------------------------------------------------------------------
  // log access

  /** A matched log line: where, when, and its named groups. */
  private record Hit(int line, Instant time, Map<String, String> groups) {
  }

  private record Source(String file, Pattern pattern, Set<String> groups) {
  }

  /** A regular expression as written: unlike Yaml.str, leading and trailing spaces are part of it. */
  private static String raw(Yaml node, String key) {
    Yaml v = node.get(key);
    if (v == null || v.scalar() == null || v.scalar().isEmpty()) {
      node.problem("missing '" + key + "' (a regular expression)");
      return null;
    }
    return v.scalar();
  }

  private Source source(Yaml node, String key) {
    Yaml s = node.get(key);
    if (s == null) {
      node.problem("missing '" + key + "' (file and match)");
      return null;
    }
    String file = s.str("file", 300);
    String match = raw(s, "match");
    if (file == null || match == null) {
      return null;
    }
    if (!texts.containsKey(file)) {
      s.get("file").problem("'" + file + "' is not an evidence file of this exercise");
      return null;
    }
    try {
      Pattern p = Pattern.compile(match);
      Set<String> groups = new TreeSet<>();
      Matcher g = GROUP_NAME.matcher(match);
      while (g.find()) {
        groups.add(g.group(1));
      }
      return new Source(file, p, groups);
    } catch (PatternSyntaxException e) {
      s.get("match").problem("'match' is not a valid regular expression: " + e.getDescription());
      return null;
    }
  }

  private List<Hit> hits(Source s) {
    List<Hit> out = new ArrayList<>();
    String[] lines = texts.get(s.file()).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = s.pattern().matcher(lines[i]);
      if (!m.find()) {
        continue;
      }
      Instant t = logTime(lines[i]);
      if (t == null) {
        continue;
      }
      Map<String, String> groups = new LinkedHashMap<>();
      for (String g : s.groups()) {
        groups.put(g, m.group(g));
      }
      out.add(new Hit(i + 1, t, groups));
    }
    return out;
  }

  private static Instant logTime(String line) {
    int sp = line.indexOf(' ');
    if (sp < 0) {
      return null;
    }
    try {
      return Instant.parse(line.substring(0, sp));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private void problem(String file, int line, String message) {
    problems.add(new Problem(display.apply(file), line, message));
  }

  private static String describe(Map<String, String> groups) {
    return String.join(" ", groups.values());
  }

  // ------------------------------------------------------------------------------------------------------
  // rules

  /** Nothing is served before the line that publishes it; nothing is published twice. */
  private void published(Yaml rule) {
    Source pub = source(rule, "publish");
    Source serve = source(rule, "serve");
    if (pub == null || serve == null) {
      return;
    }
    if (!pub.groups().equals(serve.groups()) || pub.groups().isEmpty()) {
      rule.problem("'publish' and 'serve' must capture the same named groups, for example (?<pkg>...) and (?<version>...)");
      return;
    }
    Map<Map<String, String>, Hit> first = new HashMap<>();
    int reported = 0;
    for (Hit h : hits(pub)) {
      Hit earlier = first.putIfAbsent(h.groups(), h);
      if (earlier != null && reported++ < MAX_PER_RULE) {
        problem(pub.file(), h.line(), describe(h.groups()) + " is published again; it was already published at "
            + earlier.time() + " (line " + earlier.line() + ")");
      }
    }
    for (Hit h : hits(serve)) {
      Hit p = first.get(h.groups());
      if (p != null && h.time().isBefore(p.time()) && reported++ < MAX_PER_RULE) {
        problem(serve.file(), h.line(), describe(h.groups()) + " is served at " + h.time()
            + ", before it is published at " + p.time() + " (" + display.apply(pub.file()) + ":" + p.line() + ")");
      }
    }
  }

  /** Every line of a trigger class is followed, within a window, by its "all kept" event line. */
  private void complete(Yaml rule) {
    Source when = source(rule, "when");
    Source expect = source(rule, "expect");
    if (when == null || expect == null) {
      return;
    }
    int within = rule.integer("within", 0, 86400, 60);
    Set<String> shared = new TreeSet<>(when.groups());
    shared.retainAll(expect.groups());
    List<Hit> events = hits(expect);
    int reported = 0;
    for (Hit h : hits(when)) {
      boolean found = false;
      for (Hit e : events) {
        long d = e.time().getEpochSecond() - h.time().getEpochSecond();
        if (d >= -1 && d <= within && shared.stream().allMatch(g -> h.groups().get(g).equals(e.groups().get(g)))) {
          found = true;
          break;
        }
      }
      if (!found && reported++ < MAX_PER_RULE) {
        problem(when.file(), h.line(), "no line in " + display.apply(expect.file()) + " matching '" + expect.pattern()
            + "' within " + within + " s of this one (" + describe(h.groups()) + "), although that class is all kept");
      }
    }
  }

  /** A stated "1 in N" sampling matches the number of lines kept. */
  private void sampling(Yaml rule) {
    String file = rule.str("file", 300);
    String match = raw(rule, "match");
    Integer oneIn = rule.integer("oneIn", 1, Integer.MAX_VALUE, null);
    if (file == null || match == null) {
      return;
    }
    if (!texts.containsKey(file)) {
      rule.get("file").problem("'" + file + "' is not an evidence file of this exercise");
      return;
    }
    Pattern p;
    try {
      p = Pattern.compile(match);
    } catch (PatternSyntaxException e) {
      rule.get("match").problem("'match' is not a valid regular expression: " + e.getDescription());
      return;
    }
    double total;
    String basis;
    if (rule.get("perSecond") != null) {
      Double perSecond = rule.number("perSecond");
      if (perSecond == null) {
        return;
      }
      Instant[] span = span(texts.get(file));
      if (span == null) {
        rule.problem(file + " has no timestamped lines");
        return;
      }
      total = perSecond * (span[1].getEpochSecond() - span[0].getEpochSecond() + 60);
      basis = perSecond + "/s over the log's span";
    } else {
      String metrics = rule.str("metrics", 300);
      String column = rule.str("column", 100);
      if (metrics == null || column == null) {
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
      total = 0;
      List<Csv.Row> rows = csv.rows();
      for (int i = 0; i < rows.size(); i++) {
        long step = i + 1 < rows.size() ? rows.get(i + 1).time().getEpochSecond() - rows.get(i).time().getEpochSecond()
            : i > 0 ? rows.get(i).time().getEpochSecond() - rows.get(i - 1).time().getEpochSecond() : 60;
        total += rows.get(i).values()[col] * step;
      }
      basis = "the sum of " + column + " in " + metrics;
    }
    double expected = total / oneIn;
    int count = 0;
    int firstLine = 0;
    String[] lines = texts.get(file).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (p.matcher(lines[i]).find()) {
        count++;
        if (firstLine == 0) {
          firstLine = i + 1;
        }
      }
    }
    // Poisson noise (3 sigma) plus 10 % for the model, plus a couple of lines for forced examples
    double slack = 3 * Math.sqrt(expected) + 0.1 * expected + 2;
    if (Math.abs(count - expected) > slack) {
      rule.problem(String.format(Locale.ROOT,
          "%s has %d lines matching '%s', but 1 in %d of %s is about %.0f (allowed %.0f to %.0f)%s", file, count,
          match, oneIn, basis, expected, Math.max(0, expected - slack), expected + slack,
          firstLine > 0 ? "; first at line " + firstLine : ""));
    }
  }

  private static Instant[] span(String text) {
    Instant first = null;
    Instant last = null;
    for (String line : text.split("\n")) {
      Instant t = logTime(line);
      if (t != null) {
        if (first == null) {
          first = t;
        }
        last = t;
      }
    }
    return first == null ? null : new Instant[] {first, last};
  }
}
