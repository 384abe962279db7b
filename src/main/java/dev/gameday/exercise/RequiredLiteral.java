package dev.gameday.exercise;

import java.util.regex.Pattern;

/**
 * A text every match of a variant's scale pattern holds, found before the pattern is searched for: a text without it
 * is skipped ({@link Variant}). scaling-plan declares 43 patterns, and searching every text of the exercise with each
 * made most of its variant's 7.4 ms of CPU.
 */
final class RequiredLiteral {
  private RequiredLiteral() {
  }

  /**
   * A text that every match of {@code regex} contains, or null when none is found: the longest run of literal
   * characters outside groups and classes. Conservative: a pattern with a top-level alternation, a case-insensitive
   * or comments flag, quoting or a brace that is not a quantifier gives null; a character a quantifier follows
   * ({@code s?}, {@code s+}, {@code s{2}}) ends the run before it; escapes of letters and digits ({@code \d},
   * {@code \b}, back references) end a run, an escaped punctuation mark is that mark.
   */
  static String of(String regex) {
    if (INLINE_FLAGS.matcher(regex).find()) {
      return null; // case-insensitive, comments or Unicode-case anywhere: a literal of the source may match otherwise
    }
    int i = 0; // flags such as (?m) are skipped below like any group
    int n = regex.length();
    String best = null;
    StringBuilder run = new StringBuilder();
    while (i < n) {
      char c = regex.charAt(i);
      int literal = -1; // the character this token stands for, or -1 for a token that is no literal
      int next = i + 1;
      if (c == '\\') {
        if (i + 1 >= n) {
          return null;
        }
        char e = regex.charAt(i + 1);
        if (Character.isLetterOrDigit(e)) {
          if ("QExuck".indexOf(e) >= 0 && !(e == 'x' && i + 2 < n && regex.charAt(i + 2) == '{') || Character.isDigit(e)) {
            return null; // quoting, hex and Unicode escapes, \cX, \k<name>, octal and back references: no plain literal follows
          }
          // \p{...} and \x{...} carry a brace part: skip it
          next = i + 2;
          if ((e == 'p' || e == 'P' || e == 'x' || e == 'N') && next < n && regex.charAt(next) == '{') {
            int close = regex.indexOf('}', next);
            if (close < 0) {
              return null;
            }
            next = close + 1;
          }
        } else {
          literal = e;
          next = i + 2;
        }
      } else if (c == '[') {
        next = skipClass(regex, i);
      } else if (c == '(') {
        next = skipGroup(regex, i);
      } else if (c == '|' || c == ')' || c == ']') {
        return null;
      } else if (c == '?' || c == '*' || c == '+' || c == '{') {
        if (c == '{') { // a counted quantifier
          int close = regex.indexOf('}', i);
          if (close < 0 || !regex.substring(i + 1, close).matches("\\d+(,\\d*)?")) {
            return null;
          }
          next = close + 1;
        }
        if (run.length() > 0) { // the quantifier is the run's last character's: it may be absent
          run.setLength(run.length() - 1);
        }
        best = longer(best, run);
        run.setLength(0);
        i = next;
        continue;
      } else if (c != '.' && c != '^' && c != '$') {
        literal = c;
      }
      if (next < 0) {
        return null;
      }
      if (literal >= 0) {
        run.append((char) literal);
      } else {
        best = longer(best, run);
        run.setLength(0);
      }
      i = next;
    }
    best = longer(best, run);
    return best == null || best.length() < 2 ? null : best;
  }

  /** An inline flag group, (?i) or (?i:...), that turns on case-insensitive, comments or Unicode-case matching. */
  private static final Pattern INLINE_FLAGS = Pattern.compile("\\(\\?[a-zA-Z]*[ixuU]");

  private static String longer(String best, StringBuilder run) {
    return run.length() > (best == null ? 0 : best.length()) ? run.toString() : best;
  }

  /** The index after the class that starts at {@code at} ('['), or -1 when it does not end. */
  private static int skipClass(String regex, int at) {
    int depth = 0;
    for (int i = at; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        depth++;
        // a ']' first in a class (or after '^') is a literal
        if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
          i++;
        }
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          i++;
        }
      } else if (c == ']' && --depth == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The index after the group that starts at {@code at} ('('), or -1 when it does not end. */
  private static int skipGroup(String regex, int at) {
    int depth = 0;
    for (int i = at; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        i = skipClass(regex, i);
        if (i < 0) {
          return -1;
        }
        i--;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    return -1;
  }
}
