package dev.gameday.review;

import dev.gameday.candidate.AiAssistance;
import dev.gameday.candidate.Answers;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Section;
import dev.gameday.review.Observations.Material;
import dev.gameday.review.Observations.Question;
import dev.gameday.review.Observations.Revision;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The observations drawn from the trail and the answer history (issue 25, item 3 a to c). Thresholds, chosen so that
 * an answer typed on the page never reaches them:
 * <ul>
 *   <li>a fast typist writes about {@value #FAST_TYPIST_CHARS_PER_MINUTE} characters a minute (80 words of five
 *       characters with their space);</li>
 *   <li>paste: a section grows by {@value #PASTE_MIN_CHARS} characters or more from one history row to the next. The
 *       history keeps one row per section per minute (the newest text of that minute), so the growth arrived within at
 *       most a minute of saves: twice what a fast typist writes in that time. Text that the candidate had already
 *       written (moved from another section, or restored) is not counted;</li>
 *   <li>pace: the whole answer holds more than {@value #PACE_FACTOR} times a fast typist's characters per minute of
 *       writing, for answers of {@value #PACE_MIN_CHARS} characters or more. Minutes of writing are counted
 *       generously: every history window plus the minute before its first save, overlaps counted once.</li>
 * </ul>
 * The "AI assistance" section is left out: pasting an assistant's output there is what it is for. Where the history
 * may have been pruned (a section with {@link Answers#HISTORY_ROWS_PER_SECTION} rows, or an answer near
 * {@link Answers#HISTORY_BYTES_PER_ANSWER}), the gap after a section's first row is not read as a paste and the pace
 * is not computed, since pruned minutes would look like no writing.
 */
final class TrailObservations {
  static final int FAST_TYPIST_CHARS_PER_MINUTE = 400;
  static final int PASTE_MIN_CHARS = 800;
  static final int PACE_FACTOR = 3;
  static final int PACE_MIN_CHARS = 1_500;
  /** Typing that led to a window's first save happened at most this long before it (autosave runs every few seconds). */
  static final Duration TYPING_BEFORE_FIRST_SAVE = Duration.ofSeconds(60);
  /** Moved or restored text shorter than this is not looked for (a short block is never a paste by itself anyway). */
  private static final int OWN_TEXT_MIN = 40;

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  private TrailObservations() {
  }

  /** (a) A file cited in the answer (the citation form the Cite buttons write) that the trail never shows opened. */
  static List<Question> citedUnopened(Material m) {
    if (m.trail() == null) {
      return List.of();
    }
    Set<Integer> touched = new HashSet<>();
    m.trail().forEach(e -> touched.add(e.evidence()));
    String text = answerText(m);
    List<Question> out = new ArrayList<>();
    for (Evidence e : m.exercise().evidence()) {
      if (touched.contains(e.index())) {
        continue;
      }
      Matcher cite = Pattern.compile("`" + Pattern.quote(e.name()) + "(?::\\d+)?`").matcher(text);
      int count = 0;
      String first = null;
      while (cite.find()) {
        count++;
        first = first == null ? cite.group() : first;
      }
      if (count == 0) {
        continue;
      }
      out.add(new Question("cited_unopened",
          "Ask how they found what they cite from " + e.name() + ": the evidence they opened on the exercise page does not include it.",
          List.of("Answer: " + count + (count == 1 ? " citation" : " citations") + " of " + e.name() + ", the first " + first + ".",
              "Trail: " + m.trail().size() + (m.trail().size() == 1 ? " event" : " events") + " recorded for this exercise, none on "
                  + e.name() + ". Downloading a file is not recorded, so they may have read it outside the page.")));
    }
    return out;
  }

  /** (b) A large block that arrived within one history window of a section. */
  static List<Question> pastes(Material m) {
    List<Question> out = new ArrayList<>();
    boolean mayBePruned = mayBePruned(m.history());
    List<Revision> all = m.history();
    for (Map.Entry<String, List<Revision>> section : bySection(all).entrySet()) {
      if (AiAssistance.SECTION_ID.equals(section.getKey())) {
        continue;
      }
      List<Revision> rows = section.getValue();
      String prev = "";
      OffsetDateTime prevAt = null;
      for (int i = 0; i < rows.size(); i++) {
        Revision cur = rows.get(i);
        boolean gapMayHidePrunedRows = i == 1 && (mayBePruned || rows.size() >= Answers.HISTORY_ROWS_PER_SECTION);
        int growth = chars(cur.text()) - chars(prev);
        if (!gapMayHidePrunedRows && growth >= PASTE_MIN_CHARS && !ownEarlierText(changed(prev, cur.text()), cur, all)) {
          String title = title(m, section.getKey());
          boolean single = cur.startedAt().isEqual(cur.savedAt());
          String when = single ? "in a single save at " + clock(cur.savedAt())
              : "in saves between " + clock(cur.startedAt()) + " and " + clock(cur.savedAt());
          out.add(new Question("paste",
              "Ask them to walk through how they wrote the " + number(growth) + " characters of \u2018" + title
                  + "\u2019 that arrived " + when + ".",
              List.of("Answer history: \u2018" + title + "\u2019 held " + number(chars(prev)) + " characters"
                      + (prevAt == null ? " before its first save" : " at " + clock(prevAt)) + " and " + number(chars(cur.text()))
                      + " " + when + ".",
                  "Shown when a section grows by " + number(PASTE_MIN_CHARS) + " characters or more within one minute of saves; "
                      + "a fast typist writes about " + FAST_TYPIST_CHARS_PER_MINUTE + " a minute. Text moved from elsewhere in "
                      + "the answer is not counted.")));
        }
        prev = cur.text();
        prevAt = cur.savedAt();
      }
    }
    return out;
  }

  /** (c) An answer longer than its minutes of writing would usually allow. */
  static List<Question> pace(Material m) {
    List<Revision> rows = m.history().stream().filter(r -> !AiAssistance.SECTION_ID.equals(r.sectionId())).toList();
    if (rows.isEmpty() || mayBePruned(m.history())) {
      return List.of();
    }
    int chars = m.answer().entrySet().stream().filter(en -> !AiAssistance.SECTION_ID.equals(en.getKey()))
        .mapToInt(en -> chars(en.getValue())).sum();
    if (chars < PACE_MIN_CHARS) {
      return List.of();
    }
    List<OffsetDateTime[]> spans = rows.stream()
        .map(r -> new OffsetDateTime[] {r.startedAt().minus(TYPING_BEFORE_FIRST_SAVE), r.savedAt()})
        .sorted(Comparator.comparing(s -> s[0])).toList();
    long seconds = 0;
    OffsetDateTime from = null;
    OffsetDateTime to = null;
    for (OffsetDateTime[] s : spans) {
      if (to == null || s[0].isAfter(to)) {
        seconds += to == null ? 0 : Duration.between(from, to).getSeconds();
        from = s[0];
        to = s[1];
      } else if (s[1].isAfter(to)) {
        to = s[1];
      }
    }
    seconds += Duration.between(from, to).getSeconds();
    double minutes = Math.max(1, seconds / 60.0);
    double perMinute = chars / minutes;
    if (perMinute <= FAST_TYPIST_CHARS_PER_MINUTE * PACE_FACTOR) {
      return List.of();
    }
    OffsetDateTime first = rows.stream().map(Revision::startedAt).min(Comparator.naturalOrder()).orElseThrow();
    OffsetDateTime last = rows.stream().map(Revision::savedAt).max(Comparator.naturalOrder()).orElseThrow();
    long roundMinutes = Math.max(1, Math.round(minutes));
    return List.of(new Question("pace",
        "Ask how they drafted this answer: it holds " + number(chars) + " characters, written in about " + roundMinutes
            + (roundMinutes == 1 ? " minute" : " minutes") + " of saves on the page.",
        List.of("Answer history: " + rows.size() + (rows.size() == 1 ? " minute" : " minutes") + " with saves between "
                + clock(first) + " and " + clock(last) + "; with the minute before each, about " + roundMinutes
                + (roundMinutes == 1 ? " minute" : " minutes") + " of writing, " + number((int) Math.round(perMinute))
                + " characters a minute.",
            "Shown above " + number(FAST_TYPIST_CHARS_PER_MINUTE * PACE_FACTOR) + " characters a minute of writing ("
                + PACE_FACTOR + " times a fast typist's " + FAST_TYPIST_CHARS_PER_MINUTE + "), for answers of "
                + number(PACE_MIN_CHARS) + " characters or more. Writing elsewhere and pasting it in is one way to get there.")));
  }

  private static boolean mayBePruned(List<Revision> history) {
    long bytes = history.stream().mapToLong(r -> r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
    boolean manyRows = bySection(history).values().stream().anyMatch(l -> l.size() >= Answers.HISTORY_ROWS_PER_SECTION);
    return manyRows || bytes >= Answers.HISTORY_BYTES_PER_ANSWER - 4L * Answers.MAX_SECTION_CHARS;
  }

  private static Map<String, List<Revision>> bySection(List<Revision> history) {
    Map<String, List<Revision>> out = new LinkedHashMap<>();
    history.forEach(r -> out.computeIfAbsent(r.sectionId(), k -> new ArrayList<>()).add(r));
    return out;
  }

  /** The region of {@code after} that differs from {@code before} (common start and end taken off). */
  static String changed(String before, String after) {
    int p = 0;
    int max = Math.min(before.length(), after.length());
    while (p < max && before.charAt(p) == after.charAt(p)) {
      p++;
    }
    int s = 0;
    while (s < max - p && before.charAt(before.length() - 1 - s) == after.charAt(after.length() - 1 - s)) {
      s++;
    }
    return after.substring(p, after.length() - s);
  }

  /** Whether the block was already in the candidate's own text before this window (moved or restored). */
  private static boolean ownEarlierText(String block, Revision cur, List<Revision> all) {
    String core = block.strip();
    if (core.length() < OWN_TEXT_MIN) {
      return false;
    }
    return all.stream().filter(r -> r != cur && r.savedAt().isBefore(cur.startedAt())).anyMatch(r -> r.text().contains(core));
  }

  private static String answerText(Material m) {
    StringBuilder b = new StringBuilder();
    m.answer().forEach((id, text) -> {
      if (!AiAssistance.SECTION_ID.equals(id)) {
        b.append(text).append('\n');
      }
    });
    return b.toString();
  }

  private static String title(Material m, String sectionId) {
    Section s = m.exercise().section(sectionId);
    return s != null ? s.title() : AiAssistance.SECTION_ID.equals(sectionId) ? AiAssistance.TITLE : sectionId;
  }

  static int chars(String s) {
    return s == null ? 0 : s.codePointCount(0, s.length());
  }

  private static String clock(OffsetDateTime t) {
    return t.withOffsetSameInstant(ZoneOffset.UTC).format(CLOCK) + " UTC";
  }

  private static String number(int n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
