package dev.gameday.review;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gameday.candidate.AiAssistance;
import dev.gameday.candidate.Answers;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Section;
import dev.gameday.review.Observations.Material;
import dev.gameday.review.Observations.Question;
import dev.gameday.review.Observations.Revision;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The thresholds of the trail's observations, on made-up histories (no database). */
class TrailObservationsTest {
  private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.UTC);
  private static final Exercise EX = new Exercise("ex", "Ex", 30, "", "", List.of(new Section("a", "Alpha", "", 300),
      new Section("b", "Beta", "", 300)), List.of(), List.of(), "", List.of(), null);

  private static Revision row(String section, String text, int minute, int seconds) {
    return new Revision(section, minute, text, T0.plusMinutes(minute), T0.plusMinutes(minute).plusSeconds(seconds));
  }

  private static List<String> kinds(List<Revision> history, Map<String, String> answer) {
    return TrailQuestions.observe(new Material(EX, answer, List.of(), history, T0.plusHours(2)))
        .stream().map(Question::kind).toList();
  }

  @Test
  @DisplayName("799 characters more in one window is no paste; 800 is")
  void pasteThreshold() {
    String base = "start ";
    String under = base + "y".repeat(TrailObservations.PASTE_MIN_CHARS - 1);
    String at = base + "y".repeat(TrailObservations.PASTE_MIN_CHARS);
    assertEquals(List.of(), kinds(List.of(row("a", base, 0, 0), row("a", under, 10, 0)), Map.of("a", under)));
    assertEquals(List.of("paste"), kinds(List.of(row("a", base, 0, 0), row("a", at, 10, 0)), Map.of("a", at)));
  }

  @Test
  @DisplayName("text moved from another section, or pasted into the AI assistance section, is not a paste")
  void movedAndAiSection() {
    String para = "A paragraph the candidate wrote earlier in another section. ".repeat(15);
    // written into Beta in two minutes of ordinary size, then cut from it and pasted into Alpha
    List<Revision> moved = List.of(row("b", para.substring(0, 450), 0, 0), row("b", para, 1, 0), row("b", "", 5, 0),
        row("a", para, 5, 10));
    assertEquals(List.of(), kinds(moved, Map.of("a", para, "b", "")));
    String output = "What the assistant answered. ".repeat(40);
    assertEquals(List.of(), kinds(List.of(row(AiAssistance.SECTION_ID, output, 3, 0)), Map.of(AiAssistance.SECTION_ID, output)));
  }

  @Test
  @DisplayName("the gap after a section's first row is not read as a paste when older rows may have been pruned")
  void prunedGap() {
    List<Revision> rows = new ArrayList<>();
    rows.add(row("a", "", 0, 0));
    StringBuilder text = new StringBuilder("x".repeat(2000)); // the pruned rows wrote these
    for (int i = 0; i < Answers.HISTORY_ROWS_PER_SECTION - 1; i++) {
      text.append("z".repeat(10));
      rows.add(row("a", text.toString(), 200 + i, 0));
    }
    assertEquals(List.of(), kinds(rows, Map.of("a", text.toString())));
  }

  @Test
  @DisplayName("pace: 3,000 characters over 25 minutes of saves is ordinary; the same in two minutes is asked about")
  void pace() {
    List<Revision> slow = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      text.append("w".repeat(120));
      slow.add(row("a", text.toString(), i, 50));
    }
    assertEquals(List.of(), kinds(slow, Map.of("a", text.toString())));
    // 2,800 characters in two sections within about two minutes, no window growing by 800: the pace is asked about
    String half = "q".repeat(700);
    List<Revision> fast = List.of(new Revision("a", 1, half, T0, T0), new Revision("b", 2, half, T0.plusSeconds(10), T0.plusSeconds(10)),
        new Revision("a", 3, half + half, T0.plusSeconds(60), T0.plusSeconds(60)),
        new Revision("b", 4, half + half, T0.plusSeconds(70), T0.plusSeconds(70)));
    assertEquals(List.of("pace"), kinds(fast, Map.of("a", half + half, "b", half + half)));
  }
}
