package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * People in prose (issue 19): every person named anywhere is one of the world's people, and a role the prose gives
 * a person ("Nadia (support desk)", "Secondary on-call SRE (Farid)", "Ana, the team lead") is the one the world
 * gives them, so that no exercise makes a support agent an SRE or an SRE a contractor.
 */
final class People {
  private People() {
  }

  /** Speakers of a chat and people named with a date or a role: forms that only ever name a person. */
  private static final List<Pattern> PERSON = List.of(
      // **14:31 Marta:** and **2026-08-09 08:45 Lucía:** and **14:31 Marta (SRE):**
      Pattern.compile("^\\s*\\*\\*(?:\\d{4}-\\d{2}-\\d{2} )?\\d{1,2}:\\d{2} (?<n>\\p{L}[\\p{L}-]*)(?: \\([^)]*\\))?:\\*\\*"),
      // (Lucía, 22 Sep) in reviewer notes: who said it, and when
      Pattern.compile("\\((?<n>\\p{Lu}\\p{Ll}+), \\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\w*\\)"),
      // Marta (SRE), Nadia (support desk)
      Pattern.compile("(?<![\\p{L}-])(?<n>\\p{Lu}\\p{Ll}+) \\((?:SRE|support|overnight support|registry-api engineer)"));

  /** Table column headed Who: the speaker of each row. */
  private static final Pattern WHO_HEADER = Pattern.compile("(?i)^\\s*\\|.*\\|\\s*who\\s*\\|");

  private static final Set<String> NOT_PEOPLE = Set.of("Option", "Level", "Step", "Note", "Q");

  /**
   * The words that tell the world's roles apart. A role the prose gives a person may use only the words of that
   * person's own role in world.yaml ("support" for "overnight support contractor", "team lead" for "SRE team lead").
   */
  private static final Map<String, Pattern> ROLE_WORDS = new java.util.LinkedHashMap<>();

  static {
    for (String w : List.of("team lead", "registry-api engineer", "SRE", "support", "contractor")) {
      ROLE_WORDS.put(w, Pattern.compile("(?i)(?<![\\p{L}-])" + Pattern.quote(w) + "s?(?![\\p{L}-])"));
    }
  }

  /** Every person named anywhere (chat speakers, "(Name, 22 Sep)", "Name (role)") is one of the world's people. */
  static void check(Map<String, String> people, String worldFile, Map<String, String> texts, List<Problem> problems) {
    Set<String> lower = new TreeSet<>();
    people.keySet().forEach(p -> lower.add(p.toLowerCase(Locale.ROOT)));
    for (Map.Entry<String, String> t : texts.entrySet()) {
      String[] lines = t.getValue().split("\n", -1);
      int who = -1;
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        List<String> named = new ArrayList<>();
        for (Pattern p : PERSON) {
          Matcher m = p.matcher(line);
          while (m.find()) {
            named.add(m.group("n"));
          }
        }
        if (WHO_HEADER.matcher(line).find()) {
          String[] cells = line.strip().split("\\|", -1);
          for (int c = 0; c < cells.length; c++) {
            if (cells[c].strip().equalsIgnoreCase("who")) {
              who = c;
            }
          }
        } else if (who >= 0 && line.strip().startsWith("|")) {
          String[] cells = line.strip().split("\\|", -1);
          if (who < cells.length && !cells[who].strip().matches("-*")) {
            named.add(cells[who].strip());
          }
        } else if (!line.strip().startsWith("|")) {
          who = -1;
        }
        for (String n : named) {
          String key = n.toLowerCase(Locale.ROOT);
          if (!lower.contains(key) && !key.endsWith("bot") && !NOT_PEOPLE.contains(n)) {
            problems.add(new Problem(t.getKey(), i + 1, n + " is not one of the people of " + worldFile
                + ": name one of them (" + String.join(", ", people.keySet()) + ") or add the person there"));
          }
        }
        checkRoles(people, worldFile, t.getKey(), i + 1, line, problems);
      }
    }
  }

  /**
   * A role given next to a name, in the four forms prose uses: "Name (role)", "role (Name)", "Name, the role" and
   * "the role, Name". The role is the text inside the brackets, or the clause before or after the comma (cut at a
   * table cell or a sentence's punctuation).
   */
  private static void checkRoles(Map<String, String> people, String worldFile, String file, int line, String text,
      List<Problem> problems) {
    for (Map.Entry<String, String> p : people.entrySet()) {
      if (!text.contains(p.getKey())) {
        continue;
      }
      List<String> stated = new ArrayList<>();
      Matcher after = rolePatterns(p.getKey())[0].matcher(text);
      while (after.find()) {
        stated.add(after.group(1) != null ? after.group(1) : after.group(2));
      }
      Matcher before = rolePatterns(p.getKey())[1].matcher(text);
      while (before.find()) {
        stated.add(before.group(1));
      }
      Set<String> own = roleWords(p.getValue());
      for (String s : stated) {
        Set<String> words = roleWords(s);
        if (!words.isEmpty() && !own.containsAll(words)) {
          problems.add(new Problem(file, line, "gives " + p.getKey() + " the role '" + s.strip() + "' but " + worldFile
              + " says " + p.getValue() + ": each person has one role across the track"));
        }
      }
    }
  }

  private static final Map<String, Pattern[]> ROLE_PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

  /** "Name (role)" or "Name, the role"; and "role (Name" or "role, Name". */
  private static Pattern[] rolePatterns(String person) {
    return ROLE_PATTERNS.computeIfAbsent(person, n -> {
      String name = Pattern.quote(n);
      return new Pattern[] {
          Pattern.compile("(?<![\\p{L}-])" + name + "(?: \\(([^)]{1,60})\\)|, (?:the|our) ([^.,;:|()]{1,60}))"),
          Pattern.compile("(?:^|[|.,;(*]|: )((?:[^|.,;:(*]|:(?! )){1,60}?)(?: \\(" + name + "|, " + name + ")(?![\\p{L}-])")};
    });
  }

  /** The role words a phrase uses (case-insensitive, whole words; "SREs" counts as SRE). */
  private static Set<String> roleWords(String phrase) {
    Set<String> out = new LinkedHashSet<>();
    ROLE_WORDS.forEach((w, p) -> {
      if (p.matcher(phrase).find()) {
        out.add(w);
      }
    });
    return out;
  }
}
