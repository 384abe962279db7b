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
 * The literal a variant's scale pattern must find before it is searched for (RequiredLiteral.of): a text without
 * it is skipped, so the literal must be in every match, or a figure would silently stay unscaled.
 */
class RequiredLiteralTest {
  @Test
  @DisplayName("the longest literal run outside groups and classes, without a character a quantifier makes optional")
  void runs() {
    assertEquals("7-day mean ", RequiredLiteral.of("7-day mean (?<x>[\\d,]+)"));
    assertEquals(" req/s at origin", RequiredLiteral.of("(?<x>[\\d,]+) req/s at origin"));
    assertEquals("about ", RequiredLiteral.of("about (?<x>\\d+) pods\\s+at 450")); // the first of two as long
    assertEquals(" × 1.6 = ", RequiredLiteral.of("(?<x>[\\d,]+) × 1\\.6 = [\\d,]+ req/s"));
    assertEquals("colo", RequiredLiteral.of("colou?r"));
    assertEquals("colo", RequiredLiteral.of("colou*r"));
    assertEquals("colo", RequiredLiteral.of("colou+r"));
    assertEquals("abc", RequiredLiteral.of("ab{2}abc"));
    assertEquals("gone) | ", RequiredLiteral.of("gone\\) \\| (?<x>\\d+)–\\d+; higher"));
    assertEquals("about ", RequiredLiteral.of("(?m)^about [\\]x]+(?:a|b)"));
  }

  @Test
  @DisplayName("no literal where one could be wrong: alternation, case or comment flags, quoting, hex and back references")
  void conservative() {
    assertNull(RequiredLiteral.of("abc|def"));
    assertNull(RequiredLiteral.of("(?i)abcdef"));
    assertNull(RequiredLiteral.of("(?x)abc def"));
    assertNull(RequiredLiteral.of("ab(?i)cdef"));
    assertNull(RequiredLiteral.of("ab(?mi:cd)efgh"));
    assertNull(RequiredLiteral.of("\\Qabc\\E"));
    assertNull(RequiredLiteral.of("\\x41bcdef"));
    assertNull(RequiredLiteral.of("(?<x>ab)\\k<x>cdef"));
    assertNull(RequiredLiteral.of("(ab)\\1cdef"));
    assertNull(RequiredLiteral.of("a{x}bcdef"));
    assertNull(RequiredLiteral.of("(abc"));
    assertNull(RequiredLiteral.of("\\d+"));
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
          String literal = RequiredLiteral.of(regex);
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
