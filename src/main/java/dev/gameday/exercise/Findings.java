package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One finding, one criterion (issue 19). The reviewer notes give each planted finding an id ({@code [F3]}); the
 * rubric's anchors credit findings by id ({@code [F3]}), and an action criterion may ask for a fix of one
 * ({@code [fix F3]}), which is not a second credit. A finding credited by two criteria or by none, an anchor
 * citing an id the notes do not define, or a fix cited outside an action criterion is a problem. A public level-4 descriptor that
 * lists as many items as its anchor credits findings reads as a checklist, not a description of quality. Every
 * exercise must take part: notes that define no ids, or a rubric whose anchors credit none, are problems too.
 */
final class Findings {
  private Findings() {
  }

  private static final Pattern DEFINED = Pattern.compile("\\[(F\\d+)]");
  private static final Pattern CREDIT = Pattern.compile("\\[(F\\d+)]");
  private static final Pattern FIX = Pattern.compile("\\[fix (F\\d+)]");

  static void check(Yaml rubric, String notes, String notesFile, List<Problem> problems) {
    if (rubric == null || notes == null) {
      return;
    }
    Map<String, Integer> defined = new LinkedHashMap<>();
    String[] lines = notes.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = DEFINED.matcher(lines[i]);
      while (m.find()) {
        defined.putIfAbsent(m.group(1), i + 1);
      }
    }
    if (defined.isEmpty()) {
      problems.add(new Problem(notesFile, 1, "the reviewer notes define no finding ids ([F1], [F2], ...): every "
          + "exercise gives its planted findings ids and its anchors credit them, so that `check` can refuse a "
          + "finding credited by two criteria"));
      return;
    }
    boolean anyCredit = false;
    Map<String, String> creditedBy = new LinkedHashMap<>();
    for (Yaml c : rubric.list("criteria", false)) {
      String id = c.str("id", 64);
      String value = c.get("value") == null ? null : c.get("value").scalar();
      for (Yaml level : c.list("levels", false)) {
        Yaml anchor = level.get("anchor");
        if (anchor == null || anchor.scalar() == null) {
          continue;
        }
        String text = anchor.scalar();
        TreeSet<String> credits = new TreeSet<>();
        Matcher m = CREDIT.matcher(text);
        while (m.find()) {
          credits.add(m.group(1));
        }
        Matcher fx = FIX.matcher(text);
        while (fx.find()) {
          if (!defined.containsKey(fx.group(1))) {
            anchor.problem("anchor cites fix " + fx.group(1) + ", which " + notesFile + " does not define");
          } else if (!"action".equals(value)) {
            anchor.problem("anchor of " + id + " (" + value + ") credits a fix of " + fx.group(1)
                + ": fixes belong to an action criterion");
          }
        }
        anyCredit |= !credits.isEmpty() || text.contains("[fix ");
        for (String f : credits) {
          if (!defined.containsKey(f)) {
            anchor.problem("anchor cites finding " + f + ", which " + notesFile + " does not define");
            continue;
          }
          String other = creditedBy.putIfAbsent(f, id);
          if (other != null && !other.equals(id)) {
            anchor.problem("finding " + f + " (" + notesFile + ":" + defined.get(f) + ") is credited by " + other
                + " and " + id + ": one finding, one criterion (a fix under an action criterion is [fix " + f
                + "])");
          }
        }
        Integer score = level.get("score") == null ? null : Integer.valueOf(level.get("score").scalar().strip());
        Yaml descriptor = level.get("descriptor");
        if (score != null && score == 4 && credits.size() >= 3 && descriptor != null && descriptor.scalar() != null) {
          // a list: three or more items separated by semicolons, about as many as the anchor's findings
          int items = descriptor.scalar().split(";", -1).length;
          if (items >= 3 && items >= credits.size() - 1) {
            descriptor.problem("the level-4 descriptor of " + id + " lists " + items + " items for the "
                + credits.size() + " findings its anchor credits: describe the quality of the answer, not a "
                + "checklist of the findings");
          }
        }
      }
    }
    if (!anyCredit) {
      rubric.problem("no anchor credits a finding of " + notesFile + " by its id ([F1]): one finding, one "
          + "criterion cannot be checked");
      return;
    }
    for (Map.Entry<String, Integer> f : defined.entrySet()) {
      if (!creditedBy.containsKey(f.getKey())) {
        problems.add(new Problem(notesFile, f.getValue(), "finding " + f.getKey() + " is planted but no anchor of the "
            + "rubric credits it: credit it under one criterion (a [fix " + f.getKey() + "] is not a credit) or "
            + "drop it from the notes"));
      }
    }
  }
}
