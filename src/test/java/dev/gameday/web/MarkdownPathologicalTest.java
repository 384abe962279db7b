package dev.gameday.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every published pathological input renders (or falls back to its text) without an exception, within a
 * generous bound (a liveness bound, not a speed target), keeps every letter of the text, and nests no deeper
 * than the caps.
 */
class MarkdownPathologicalTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  /** Inputs whose syntax rightly takes letters out of the text: list numbers, link targets, link definitions. */
  private static final Map<String, Long> CONSUMED = Map.of("issue: \"1. \" x 66,000", (long) Markdown.MAX_BLOCK_DEPTH,
      "cmark: hard link/emph case", 1L, "cmark: reference collisions", Long.MAX_VALUE / 2);
  private static final Pattern TAG = Pattern.compile("<(/?)([a-z0-9]+)[^>]*?(/?)>");

  @TestFactory
  @DisplayName("pathological Markdown renders safely, keeps its text and stays within the nesting caps")
  Stream<DynamicTest> pathological() {
    return Pathological.all().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      String html = assertTimeoutPreemptively(BOUND, () -> Markdown.toSafeHtml(e.getValue()));
      assertFalse(html.isEmpty(), "something is shown");
      long shown = letters(visibleText(html));
      long written = letters(e.getValue());
      if (CONSUMED.containsKey(e.getKey())) {
        assertTrue(shown >= written - CONSUMED.get(e.getKey()), shown + " of " + written + " letters and digits shown");
      } else {
        assertEquals(written, shown, "every letter and digit of the text is shown");
      }
      int depth = depth(html);
      assertTrue(depth <= 2 * Markdown.MAX_BLOCK_DEPTH + Markdown.MAX_INLINE_NESTING + 4,
          "elements nest " + depth + " deep");
    }));
  }

  @Test
  @DisplayName("block quotes deeper than the cap show their remaining markers as text")
  void deepQuotes() {
    String html = assertTimeoutPreemptively(BOUND, () -> Markdown.toSafeHtml("> ".repeat(50_000) + "end"));
    int quotes = html.split("<blockquote>", -1).length - 1;
    assertTrue(quotes > 0 && quotes <= Markdown.MAX_BLOCK_DEPTH, quotes + " block quotes");
    assertTrue(html.contains("&gt; &gt;") && html.contains("end"), "the excess markers are text");
  }

  @Test
  @DisplayName("a run of emphasis beyond the marker cap is literal text, and ordinary emphasis still works")
  void emphasisCap() {
    String html = assertTimeoutPreemptively(BOUND, () -> Markdown.toSafeHtml("*".repeat(50_000) + "a" + "*".repeat(50_000)));
    assertTrue(html.contains("a"), html.substring(0, 200));
    assertTrue(Markdown.toSafeHtml("some *emphasis* and **strong** text").contains("<em>emphasis</em>"));
    String many = "*x* ".repeat(2_000);
    String rendered = Markdown.toSafeHtml(many);
    assertTrue(rendered.startsWith("<p><em>x</em>"), "markers within the cap are Markdown");
    assertTrue(rendered.contains("*x*"), "markers beyond the cap are literal");
  }

  @Test
  @DisplayName("an escaped marker stays escaped when the rest of a paragraph is capped")
  void escapedStaysEscaped() {
    String text = "\\*not emphasis\\* " + "[".repeat(Markdown.MAX_INLINE_MARKERS + 10);
    String html = Markdown.toSafeHtml(text);
    assertTrue(html.startsWith("<p>*not emphasis*"), html.substring(0, 60));
  }

  @Test
  @DisplayName("a text the parser refuses (a table beyond the cell cap) is shown escaped in <pre>")
  void fallback() {
    String text = Pathological.all().get("table padded to a wide header") + "<script>x</script>";
    String html = assertTimeoutPreemptively(BOUND, () -> Markdown.toSafeHtml(text));
    assertTrue(html.startsWith("<pre>") && html.contains("&lt;script&gt;"), html.substring(0, 60));
  }

  static long letters(String s) {
    return s.chars().filter(c -> c < 128 && Character.isLetterOrDigit(c)).count();
  }

  /** The text a reader sees: tags removed, character references decoded. */
  static String visibleText(String html) {
    String text = TAG.matcher(html).replaceAll("");
    Matcher m = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String ref = m.group(1);
      String decoded = switch (ref) {
        case "amp" -> "&";
        case "lt" -> "<";
        case "gt" -> ">";
        case "quot" -> "\"";
        default -> ref.startsWith("#x") ? Character.toString(Integer.parseInt(ref.substring(2), 16))
            : ref.startsWith("#") ? Character.toString(Integer.parseInt(ref.substring(1))) : "?";
      };
      m.appendReplacement(out, Matcher.quoteReplacement(decoded));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** How deeply the elements of a (well-formed) fragment nest. */
  static int depth(String html) {
    Deque<String> open = new ArrayDeque<>();
    int max = 0;
    Matcher m = TAG.matcher(html);
    while (m.find()) {
      String name = m.group(2);
      if (m.group(3).equals("/") || name.equals("br") || name.equals("hr")) {
        continue;
      }
      if (m.group(1).isEmpty()) {
        open.push(name);
        max = Math.max(max, open.size());
      } else if (!open.isEmpty()) {
        open.pop();
      }
    }
    return max;
  }
}
