package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A variant's time shift, which tries its pattern only around colons, moves exactly what the pattern found anywhere
 * in the text would move: the reference below is the find over the whole text that the shift did before.
 */
class TimeShiftProperties {
  private static final DateTimeFormatter ISO_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  @Property(tries = 3000)
  void sameAsTheWholeTextFind(@ForAll("timeLike") String text, @ForAll @IntRange(min = 1, max = 5000) int seed) {
    Variant v = Variant.of(new Model.Variants(List.of(-90, 90), List.of(), null, null, null), "shift", seed);
    assertSame(text, v);
  }

  @Property(tries = 300)
  void sameOnLongTexts(@ForAll("longTimeLike") String text, @ForAll @IntRange(min = 1, max = 5000) int seed) {
    Variant v = Variant.of(new Model.Variants(List.of(-600, 600), List.of(), null, null, null), "shift", seed);
    assertSame(text, v);
  }

  /** The same text, or the same failure: an ISO-looking minute that is no time (T24:00) fails both alike. */
  private static void assertSame(String text, Variant v) {
    String expected;
    try {
      expected = reference(text, v.shiftMinutes());
    } catch (java.time.DateTimeException e) {
      assertThrows(java.time.DateTimeException.class, () -> v.text(text));
      return;
    }
    assertEquals(expected, v.text(text));
  }

  /** Texts built of pieces that make and break matches: digits, colons, dashes, 'T', dots, letters, whole times. */
  @Provide
  Arbitrary<String> timeLike() {
    return pieces().list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> longTimeLike() {
    return pieces().list().ofMinSize(200).ofMaxSize(2000).map(l -> String.join("", l));
  }

  private static Arbitrary<String> pieces() {
    return Arbitraries.oneOf(
        Arbitraries.of("0", "1", "2", "3", "5", "9", ":", "-", "T", ".", "a", "_", " ", "\n", "::", "2026-10-12",
            "2026-10-13T", "12:", ":30", "T14:0", "v4."),
        Arbitraries.integers().between(0, 23).flatMap(h -> Arbitraries.integers().between(0, 59)
            .map(mi -> String.format("%02d:%02d", h, mi))),
        Arbitraries.integers().between(0, 1439).map(x -> String.format("2026-10-1%dT%02d:%02d", x % 3 + 2, x / 60, x % 60)),
        Arbitraries.strings().withChars("0123456789:-T. x").ofMaxLength(8));
  }

  /** The shift as a find over the whole text (no dates declared: every ISO minute moves). */
  private static String reference(String text, int shift) {
    Matcher m = TimeShift.TIME.matcher(text); // the same pattern, found over the whole text
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group("iso") != null) {
        replacement = LocalDateTime.parse(m.group("iso")).plusMinutes(shift).format(ISO_MINUTE);
      } else {
        String hm = m.group("hm");
        int minutes = Math.floorMod(Integer.parseInt(hm.substring(0, 2)) * 60 + Integer.parseInt(hm.substring(3)) + shift, 24 * 60);
        replacement = String.format("%02d:%02d", minutes / 60, minutes % 60);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(sb).toString();
  }
}
