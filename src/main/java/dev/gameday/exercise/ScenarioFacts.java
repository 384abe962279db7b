package dev.gameday.exercise;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine-detectable facts of a scenario: version strings, timestamps and clock times, dates, incident and
 * ticket ids, tokens, hostnames, package and code identifiers, and numbers. Extracted from the reviewer notes and
 * anchors (the answer key), they are what published text must never contain: {@code check} rejects a published
 * rubric text that shares one, and the leak tests look for them in every public and candidate page.
 *
 * <p>Facts are normalised (clock times zero-padded, versions without a leading {@code v}, numbers without thousands
 * separators or trailing zeros, identifiers lower-cased) so that "v4.82.0" matches "4.82.0" and "1,912" matches
 * "1912".
 */
public final class ScenarioFacts {
  private ScenarioFacts() {
  }

  private static final Pattern ISO = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?Z?)?\\b");
  private static final Pattern CLOCK = Pattern.compile("(?<![\\d:])(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?![\\d:])");
  private static final Pattern VERSION = Pattern.compile("(?<![\\w.])v?(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.]+)?)(?![\\w])");
  private static final Pattern TICKET = Pattern.compile("\\b[A-Z][A-Z0-9]{1,9}-\\d+\\b");
  private static final Pattern TOKEN = Pattern.compile("\\b(?=[A-Za-z0-9_]*\\d)(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]{10,}\\b");
  private static final Pattern HOST = Pattern.compile("\\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9-]+)*\\.(?:com|net|org|io|dev|internal|local|example|cloud|svc|test)\\b");
  private static final Pattern PACKAGE = Pattern.compile("@[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*");
  private static final Pattern SNAKE = Pattern.compile("\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b");
  private static final Pattern HYPHEN_DIGIT = Pattern.compile("\\b(?=[a-z0-9-]*\\d)[a-z][a-z0-9]*(?:-[a-z0-9]+)+\\b");
  private static final Pattern HYPHENATED = Pattern.compile("\\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\\b");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]{3,80})`");
  private static final Pattern NUMBER = Pattern.compile("(?<![\\w.,:])(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?(?![\\w:])");

  /**
   * Every fact in {@code text}. {@code names} are the scenario's names (services, hosts) known from machine-written
   * evidence such as logs; a hyphenated word of the text counts as a fact only if it is one of them, so that
   * ordinary words like "follow-up" never do.
   */
  public static Set<String> extract(String text, Set<String> names) {
    Set<String> facts = new LinkedHashSet<>();
    if (text == null) {
      return facts;
    }
    add(facts, ISO, text, m -> m.group().replace(' ', 'T'));
    Matcher c = CLOCK.matcher(text);
    while (c.find()) {
      int h = Integer.parseInt(c.group(1));
      int min = Integer.parseInt(c.group(2));
      if (h < 24 && min < 60) {
        facts.add(String.format(Locale.ROOT, "%02d:%02d", h, min));
      }
    }
    add(facts, VERSION, text, m -> m.group(1));
    add(facts, TICKET, text, m -> m.group().toLowerCase(Locale.ROOT));
    add(facts, TOKEN, text, m -> m.group().toLowerCase(Locale.ROOT));
    add(facts, HOST, text, m -> m.group());
    add(facts, PACKAGE, text, m -> m.group());
    add(facts, SNAKE, text, m -> m.group());
    add(facts, HYPHEN_DIGIT, text, m -> m.group());
    Matcher h = HYPHENATED.matcher(text);
    while (h.find()) {
      if (names.contains(h.group())) {
        facts.add(h.group());
      }
    }
    add(facts, CODE_SPAN, text, m -> m.group(1).strip().toLowerCase(Locale.ROOT));
    add(facts, NUMBER, text, m -> number(m.group(1), m.group(2)));
    return facts;
  }

  /** The hyphenated names (services, hosts, packages) written in machine text such as log files. */
  public static Set<String> names(List<String> machineTexts) {
    Set<String> names = new LinkedHashSet<>();
    for (String t : machineTexts) {
      Matcher m = HYPHENATED.matcher(t);
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** A number normalised: no thousands separators, no trailing zeros after the decimal point. */
  static String number(String whole, String fraction) {
    String w = whole.replace(",", "").replaceFirst("^0+(?=\\d)", "");
    if (fraction == null) {
      return w;
    }
    String f = fraction.substring(1).replaceFirst("0+$", "");
    return f.isEmpty() ? w : w + "." + f;
  }

  /** Whether a fact is a bare number (as opposed to a time, version, id or name). */
  public static boolean isNumber(String fact) {
    return fact.matches("\\d+(\\.\\d+)?");
  }

  private interface Norm {
    String apply(Matcher m);
  }

  private static void add(Set<String> facts, Pattern p, String text, Norm norm) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      facts.add(norm.apply(m));
    }
  }
}
