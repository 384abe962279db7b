package dev.gameday.exercise;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A variant's time shift ({@link Variant}): every ISO-8601 minute on one of the declared dates (all dates when none
 * are declared) and every clock time (HH:MM) moves by the same number of minutes.
 */
final class TimeShift {
  /** An ISO minute (group iso) or a clock time (group hm) not after a letter, digit, colon or dot. */
  static final Pattern TIME = Pattern.compile(
      "(?<iso>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2})|(?<![\\w:.])(?<hm>(?:[01]\\d|2[0-3]):[0-5]\\d)(?!\\d)");
  private static final DateTimeFormatter ISO_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  private final int minutesBy;
  private final Set<LocalDate> dates;
  /** Where the times that cross midnight are written down (the variant's list, which check reports). */
  private final List<String> wrapped;

  TimeShift(int minutesBy, Set<LocalDate> dates, List<String> wrapped) {
    this.minutesBy = minutesBy;
    this.dates = dates;
    this.wrapped = wrapped;
  }

  /**
   * Every clock time and ISO minute moved by the shift. Every match of {@link #TIME} holds a colon (an ISO minute's
   * 14th character, a clock time's 3rd), so the pattern is tried only in the 16 characters around each colon, with
   * transparent bounds (its lookbehind and lookahead still see the text outside): the same matches as a find over the
   * whole text, which tried both branches at every character and made building a variant of incident-postmortem cost
   * 4.6 ms of CPU, 70% of a first exercise page's (JFR, 2026-12-06).
   */
  String apply(String text) {
    Matcher m = TIME.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    StringBuilder sb = null;
    int copied = 0;
    int from = 0;
    for (int colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', from)) {
      m.region(Math.max(from, colon - 13), Math.min(text.length(), colon + 3));
      if (!m.find()) {
        from = colon + 1;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length() + 16);
      }
      sb.append(text, copied, m.start()).append(shifted(m));
      copied = m.end();
      from = m.end();
    }
    return sb == null ? text : sb.append(text, copied, text.length()).toString();
  }

  /** The replacement of one match of {@link #TIME}. */
  private String shifted(Matcher m) {
    if (m.group("iso") != null) {
      LocalDateTime t = LocalDateTime.parse(m.group("iso"));
      if (!dates.isEmpty() && !dates.contains(t.toLocalDate())) {
        return m.group();
      }
      LocalDateTime moved = t.plusMinutes(minutesBy);
      if (!moved.toLocalDate().equals(t.toLocalDate())) {
        wrapped.add(m.group());
      }
      return moved.format(ISO_MINUTE);
    }
    String hm = m.group("hm");
    int minutes = Integer.parseInt(hm.substring(0, 2)) * 60 + Integer.parseInt(hm.substring(3)) + minutesBy;
    if (minutes < 0 || minutes >= 24 * 60) {
      wrapped.add(hm);
    }
    minutes = Math.floorMod(minutes, 24 * 60);
    char[] out = {(char) ('0' + minutes / 600), (char) ('0' + minutes / 60 % 10), ':', (char) ('0' + minutes % 60 / 10),
        (char) ('0' + minutes % 10)};
    return new String(out);
  }
}
