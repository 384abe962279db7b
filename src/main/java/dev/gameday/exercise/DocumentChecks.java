package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documents' family of checks (exercises/README.md, "rules"): every file the brief or the evidence mentions is in
 * the evidence list, and the minutes and word range the brief states agree with exercise.yaml.
 */
final class DocumentChecks {
  private static final Pattern FILE_NAME =
      Pattern.compile("(?<![A-Za-z0-9_./-])(?:evidence/)?([A-Za-z0-9_][A-Za-z0-9_.-]*\\.(?:md|csv|log|txt|json|ya?ml|diff|patch))\\b");

  private final List<Problem> problems;
  private final Map<String, String> texts;
  private final Function<String, String> display;

  /**
   * @param texts evidence file (as written in exercise.yaml) to its text
   * @param display evidence file to the name problems are reported under
   */
  DocumentChecks(List<Problem> problems, Map<String, String> texts, Function<String, String> display) {
    this.problems = problems;
    this.texts = texts;
    this.display = display;
  }

  private void problem(String file, int line, String message) {
    problems.add(new Problem(display.apply(file), line, message));
  }

  /** Every file name the brief, an evidence document or an evidence description mentions is in the evidence list. */
  void referencedFiles(String brief, String briefName, Map<String, String> kinds,
      Map<String, String> descriptions, String metaFile, Set<String> notEvidence) {
    Set<String> present = new HashSet<>();
    for (String f : texts.keySet()) {
      present.add(f.substring(f.lastIndexOf('/') + 1));
    }
    present.addAll(notEvidence);
    if (brief != null) {
      scanNames(brief, present, briefName, false);
    }
    for (Map.Entry<String, String> e : texts.entrySet()) {
      String kind = kinds.get(e.getKey());
      if ("markdown".equals(kind) || "text".equals(kind)) {
        scanNames(e.getValue(), present, e.getKey(), true);
      }
    }
    for (Map.Entry<String, String> e : descriptions.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      Matcher m = FILE_NAME.matcher(e.getValue());
      while (m.find()) {
        if (!present.contains(m.group(1))) {
          problems.add(new Problem(metaFile, 1, "the description of " + e.getKey() + " mentions '" + m.group(1)
              + "', which is not in the evidence list"));
        }
      }
    }
  }

  private void scanNames(String text, Set<String> present, String file, boolean evidence) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = FILE_NAME.matcher(lines[i]);
      while (m.find()) {
        String name = m.group(1);
        if (!present.contains(name)) {
          String msg = "mentions '" + name + "', which is not in the evidence list (add it, or list it under rules.notEvidence if it is not meant to be)";
          if (evidence) {
            problem(file, i + 1, msg);
          } else {
            problems.add(new Problem(file, i + 1, msg));
          }
        }
      }
    }
  }

  private static final Pattern BRIEF_MINUTES = Pattern.compile("(?i)about \\*\\*(\\d+) minutes\\*\\*");
  private static final Pattern BRIEF_WORDS =
      Pattern.compile("(\\d[\\d,]*)\\s*(?:to|–|-)\\s*(\\d[\\d,]*)\\s+words");

  /**
   * Times that hold: the minutes the brief states equal the exercise's minutes, and a word range the brief
   * states agrees with the sections' word limits (their sum is at least the low end and at most 10 % over the
   * high end).
   */
  static void checkTimes(String brief, String briefName, int minutes, int wordsSum, List<Problem> problems) {
    if (brief == null) {
      return;
    }
    String[] lines = brief.split("\n", -1);
    boolean minutesSeen = false;
    for (int i = 0; i < lines.length; i++) {
      Matcher m = BRIEF_MINUTES.matcher(lines[i]);
      if (!minutesSeen && m.find()) {
        minutesSeen = true;
        int stated = Integer.parseInt(m.group(1));
        if (stated != minutes) {
          problems.add(new Problem(briefName, i + 1, "the brief says about " + stated + " minutes but exercise.yaml says "
              + minutes));
        }
      }
      Matcher w = BRIEF_WORDS.matcher(lines[i]);
      while (w.find()) {
        int low = Integer.parseInt(w.group(1).replace(",", ""));
        int high = Integer.parseInt(w.group(2).replace(",", ""));
        if (wordsSum < low || wordsSum > high * 1.1) {
          problems.add(new Problem(briefName, i + 1, "the brief asks for " + w.group(1) + "-" + w.group(2)
              + " words but the sections' word limits add up to " + wordsSum));
        }
      }
    }
  }
}
