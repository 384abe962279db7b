package dev.gameday.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MarkdownTest {
  @Test
  @DisplayName("raw HTML in an answer is shown as text, never run")
  void rawHtmlEscaped() {
    String html = Markdown.toSafeHtml("<img src=x onerror=alert(1)> <b>hi</b>");
    assertFalse(html.contains("<img"), html);
    assertFalse(html.contains("<b>"), html);
    assertTrue(html.contains("&lt;b&gt;"), html);
  }

  @Test
  @DisplayName("links keep http, https and mailto; javascript: and data: are removed")
  void linkSchemes() {
    String html = Markdown.toSafeHtml("[a](https://a.example) [m](mailto:x@example.com) [j](javascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=)");
    assertTrue(html.contains("href=\"https://a.example\""), html);
    assertTrue(html.contains("href=\"mailto:x&#64;example.com\""), html);
    assertFalse(html.contains("javascript"), html);
    assertFalse(html.contains("data:"), html);
    assertTrue(html.matches("(?s).*rel=\"[^\"]*nofollow[^\"]*\".*") && html.matches("(?s).*rel=\"[^\"]*noopener[^\"]*\".*"), html);
  }

  @Test
  @DisplayName("headings are shifted below the page's own h1 and h2: the text's top heading is an h3, the rest keep their steps")
  void headingsShifted() {
    String html = Markdown.toSafeHtml("# Title\n\n## Part\n\n#### Deep\n\n###### Deepest\n");
    assertTrue(html.contains("<h3>Title</h3>") && html.contains("<h4>Part</h4>") && html.contains("<h6>Deep</h6>")
        && html.contains("<h6>Deepest</h6>"), html);
    assertFalse(html.contains("<h1>") || html.contains("<h2>"), html);
    String brief = Markdown.toSafeHtml("## The situation\n\ntext\n\n### Detail\n");
    assertTrue(brief.contains("<h3>The situation</h3>") && brief.contains("<h4>Detail</h4>"), brief);
    assertTrue(Markdown.toSafeHtml("#### Already low\n").contains("<h4>Already low</h4>"), "never shifted up");
  }

  @Test
  @DisplayName("tables, lists and code blocks render")
  void structure() {
    String html = Markdown.toSafeHtml("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n```\ncode\n```\n");
    assertTrue(html.contains("<table>") && html.contains("<td>1</td>"), html);
    assertTrue(html.contains("<li>one</li>"), html);
    assertTrue(html.contains("<pre><code>code"), html);
  }

  @Test
  @DisplayName("empty input gives empty output")
  void empty() {
    assertEquals("", Markdown.toSafeHtml(""));
    assertEquals("", Markdown.toSafeHtml(null));
  }

  @Test
  @DisplayName("an unsafe link renders as its text, not as a link to the page itself (issue 9, defect 17)")
  void unsafeLinkIsText() {
    String html = Markdown.toSafeHtml("[click me](javascript:alert(1)) and [data](data:text/html,hi) and [ok](https://ok.example)");
    assertFalse(html.contains("href=\"\""), html);
    assertTrue(html.contains("click me"), html);
    assertFalse(html.contains("<a rel") || html.contains("<a>"), html);
    assertTrue(html.contains("<a href=\"https://ok.example\""), html);
  }
}
