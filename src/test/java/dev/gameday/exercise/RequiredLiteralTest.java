package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The literal a variant's scale pattern must find before it is searched for (Variant.requiredLiteral): a text without
 * it is skipped, so the literal must be in every match, or a figure would silently stay unscaled.
 */
class RequiredLiteralTest {
  @Test
  @DisplayName("the longest literal run outside groups and classes, without a character a quantifier makes optional")
  void runs() {
    assertEquals("7-day mean ", Variant.requiredLiteral("7-day mean (?<x>[\\d,]+)"));
    assertEquals(" req/s at origin", Variant.requiredLiteral("(?<x>[\\d,]+) req/s at origin"));
    assertEquals("about ", Variant.requiredLiteral("about (?<x>\\d+) pods\\s+at 450")); // the first of two as long
    assertEquals(" × 1.6 = ", Variant.requiredLiteral("(?<x>[\\d,]+) × 1\\.6 = [\\d,]+ req/s"));
    assertEquals("colo", Variant.requiredLiteral("colou?r"));
    assertEquals("colo", Variant.requiredLiteral("colou*r"));
    assertEquals("colo", Variant.requiredLiteral("colou+r"));
    assertEquals("abc", Variant.requiredLiteral("ab{2}abc"));
    assertEquals("gone) | ", Variant.requiredLiteral("gone\\) \\| (?<x>\\d+)–\\d+; higher"));
    assertEquals("about ", Variant.requiredLiteral("(?m)^about [\\]x]+(?:a|b)"));
  }

  @Test
  @DisplayName("no literal where one could be wrong: alternation, case or comment flags, quoting, hex and back references")
  void conservative() {
    assertNull(Variant.requiredLiteral("abc|def"));
    assertNull(Variant.requiredLiteral("(?i)abcdef"));
    assertNull(Variant.requiredLiteral("(?x)abc def"));
    assertNull(Variant.requiredLiteral("ab(?i)cdef"));
    assertNull(Variant.requiredLiteral("ab(?mi:cd)efgh"));
    assertNull(Variant.requiredLiteral("\\Qabc\\E"));
    assertNull(Variant.requiredLiteral("\\x41bcdef"));
    assertNull(Variant.requiredLiteral("(?<x>ab)\\k<x>cdef"));
    assertNull(Variant.requiredLiteral("(ab)\\1cdef"));
    assertNull(Variant.requiredLiteral("a{x}bcdef"));
    assertNull(Variant.requiredLiteral("(abc"));
    assertNull(Variant.requiredLiteral("\\d+"));
  }

  @Test
  @DisplayName("every match of every scale pattern in the library, in every text of its exercise, holds the pattern's literal")
  void libraryMatchesHoldTheirLiteral() throws IOException {
    int checked = 0;
    for (Model.LoadedExercise le : ScaleVariantTest.library.values()) {
      Model.Variants v = le.exercise().variants();
      if (v == null || v.scales() == null) {
        continue;
      }
      List<String> texts = new ArrayList<>();
      try (Stream<Path> files = Files.walk(Path.of("exercises", le.exercise().id()))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          texts.add(Files.readString(f));
        }
      }
      for (Model.Scale sc : v.scales()) {
        for (String regex : sc.match() == null ? List.<String>of() : sc.match()) {
          String literal = Variant.requiredLiteral(regex);
          for (String text : texts) {
            Matcher m = Pattern.compile(regex).matcher(text);
            while (m.find()) {
              checked++;
              assertTrue(literal == null || m.group().contains(literal), regex + " matched '" + m.group() + "' without '" + literal + "'");
            }
          }
        }
      }
    }
    assertTrue(checked > 40, "the library's scale patterns found " + checked + " matches");
  }
}
