package dev.gameday.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.internal.InlineParserImpl;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.parser.InlineParser;
import org.commonmark.parser.InlineParserContext;
import org.commonmark.parser.Parser;
import org.commonmark.parser.SourceLine;
import org.commonmark.parser.SourceLines;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * Markdown written by candidates (or exercise authors) to HTML that is safe to put in {@code {{{ }}}}:
 * commonmark with raw HTML escaped, then the OWASP sanitizer with an allow-list. Links may only be http, https
 * or mailto; images are not allowed (no tracking pixels in answers reviewers open).
 *
 * <p>Hostile input is bounded before it can cost more than linear time or overflow the stack:
 * <ul>
 *   <li>blocks (block quotes, list items) nest at most {@link #MAX_BLOCK_DEPTH} deep; deeper markers are text;</li>
 *   <li>inline nodes (emphasis, links) nest at most {@link #MAX_INLINE_NESTING} deep; deeper delimiters are text;</li>
 *   <li>one paragraph, heading or table cell holds at most {@link #MAX_INLINE_MARKERS} characters that can open
 *       or close inline syntax ({@code * _ [ ] < ` !}); the ones after that are backslash-escaped before the
 *       inline parser sees them, so they show as the literal characters they are (commonmark's delimiter
 *       processing is still quadratic in the number of unmatched delimiters on some inputs);</li>
 *   <li>a table has at most {@link #MAX_TABLE_CELLS} cells.</li>
 * </ul>
 * Whatever still fails (or runs past a deadline) is shown as its text, HTML-escaped in {@code <pre>}: never lost.
 * This class is blocking CPU work: callers on an event loop go through {@link MarkdownRenderer}.
 */
public final class Markdown {
  public static final int MAX_BLOCK_DEPTH = 32;
  public static final int MAX_INLINE_NESTING = 32;
  public static final int MAX_INLINE_MARKERS = 1000;
  public static final int MAX_TABLE_CELLS = 20_000;

  private static final List<org.commonmark.Extension> EXTENSIONS =
      List.of(TablesExtension.builder().maxCells(MAX_TABLE_CELLS).build());
  /** The deadline (System.nanoTime) of the render running on this thread; Long.MAX_VALUE for none. */
  private static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[] {Long.MAX_VALUE});
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS)
      .maxOpenBlockParsers(MAX_BLOCK_DEPTH)
      .maxInlineNesting(MAX_INLINE_NESTING)
      .inlineParserFactory(CappedInlineParser::new)
      .build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
      .escapeHtml(true).sanitizeUrls(true).build();
  private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
      .allowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em",
          "strong", "del", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td")
      .allowUrlProtocols("http", "https", "mailto")
      // commonmark empties an unsafe destination (javascript:, data:); an empty href would link to the page itself, so
      // it is refused and the link, left without attributes, is dropped: its text stays, as text
      .allowAttributes("href").matching((element, attribute, value) -> value == null || value.isBlank() ? null : value)
      .onElements("a")
      .requireRelsOnLinks("nofollow", "noopener", "noreferrer")
      .allowAttributes("start").matching(Pattern.compile("[0-9]{1,6}")).onElements("ol")
      .allowAttributes("align").matching(true, "left", "right", "center").onElements("th", "td")
      .allowAttributes("class").matching(Pattern.compile("language-[A-Za-z0-9_+-]{1,40}")).onElements("code")
      .toFactory();

  private Markdown() {
  }

  /** The safe HTML for a text; never throws (what cannot be rendered comes back as {@link #fallback}). */
  public static String toSafeHtml(String markdown) {
    try {
      return render(markdown, Long.MAX_VALUE);
    } catch (TooComplex e) {
      return fallback(markdown);
    }
  }

  /**
   * The safe HTML for a text, giving up with {@link TooComplex} once {@code System.nanoTime()} passes
   * {@code deadlineNanos} (checked between blocks and while writing) or when the parser cannot handle it.
   */
  static String render(String markdown, long deadlineNanos) {
    if (markdown == null || markdown.isEmpty()) {
      return "";
    }
    long[] deadline = DEADLINE.get();
    deadline[0] = deadlineNanos;
    try {
      check();
      Node document = PARSER.parse(markdown);
      shiftHeadings(document);
      StringBuilder html = new StringBuilder(markdown.length() + markdown.length() / 4);
      RENDERER.render(document, new CheckedAppendable(html));
      check();
      return POLICY.sanitize(html.toString());
    } catch (TooComplex e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // e.g. the table cell limit (IllegalArgumentException); a parser bug must not cost the reader the text
      throw new TooComplex(e);
    } finally {
      deadline[0] = Long.MAX_VALUE;
    }
  }

  /** The level of the top heading of any rendered text: pages keep h1 (the page) and h2 (their sections). */
  public static final int TOP_HEADING = 3;

  /**
   * One h1 a page (WCAG 1.3.1, 2.4.6): the text's top heading becomes an h{@value #TOP_HEADING} and the others
   * keep their distance below it (at most h6). A text whose headings already start lower is left as it is.
   */
  private static void shiftHeadings(Node document) {
    List<Heading> headings = new ArrayList<>();
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        headings.add(heading);
        visitChildren(heading);
      }
    });
    int top = headings.stream().mapToInt(Heading::getLevel).min().orElse(TOP_HEADING);
    int shift = Math.max(0, TOP_HEADING - top);
    if (shift > 0) {
      headings.forEach(h -> h.setLevel(Math.min(6, h.getLevel() + shift)));
    }
  }

  /** The text itself, HTML-escaped in a {@code <pre>}: what a reader sees when the Markdown cannot be rendered. */
  public static String fallback(String markdown) {
    if (markdown == null || markdown.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(markdown.length() + 32).append("<pre>");
    for (int i = 0; i < markdown.length(); i++) {
      char c = markdown.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&#34;");
        case '\'' -> b.append("&#39;");
        case '\0' -> b.append('\uFFFD');
        default -> b.append(c);
      }
    }
    return b.append("</pre>").toString();
  }

  private static void check() {
    if (System.nanoTime() - DEADLINE.get()[0] > 0) {
      throw new TooComplex(null);
    }
  }

  /** Rendering gave up: past its deadline, or the parser refused the text. */
  public static final class TooComplex extends RuntimeException {
    TooComplex(Throwable cause) {
      super("the text is too complex to render", cause, false, false);
    }
  }

  /**
   * Characters that open or close inline syntax. Beyond {@link #MAX_INLINE_MARKERS} in one inline run they are
   * escaped (a backslash before ASCII punctuation makes it literal, so the text reads the same).
   */
  static boolean marker(char c) {
    return c == '*' || c == '_' || c == '[' || c == ']' || c == '<' || c == '`' || c == '!';
  }

  /** The stock inline parser, fed inline content whose markers beyond the cap are escaped. */
  private static final class CappedInlineParser implements InlineParser {
    private final InlineParser inner;

    CappedInlineParser(InlineParserContext context) {
      this.inner = new InlineParserImpl(context);
    }

    @Override
    public void parse(SourceLines lines, Node block) {
      check();
      inner.parse(cap(lines), block);
    }
  }

  /** The lines unchanged when they hold at most MAX_INLINE_MARKERS markers, else with the excess escaped. */
  static SourceLines cap(SourceLines lines) {
    int count = 0;
    for (SourceLine line : lines.getLines()) {
      CharSequence s = line.getContent();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\') {
          i++; // an escaped character is literal already
        } else if (marker(c)) {
          count++;
        }
      }
    }
    if (count <= MAX_INLINE_MARKERS) {
      return lines;
    }
    count = 0;
    List<SourceLine> out = new ArrayList<>(lines.getLines().size());
    for (SourceLine line : lines.getLines()) {
      CharSequence s = line.getContent();
      StringBuilder b = new StringBuilder(s.length() + 16);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          b.append(c).append(s.charAt(++i));
        } else if (marker(c) && ++count > MAX_INLINE_MARKERS) {
          b.append('\\').append(c);
        } else {
          b.append(c);
        }
      }
      out.add(SourceLine.of(b, line.getSourceSpan()));
    }
    return SourceLines.of(out);
  }

  /** Collects the renderer's output, looking at the deadline every so often. */
  private static final class CheckedAppendable implements Appendable {
    private final StringBuilder out;
    private int calls;

    CheckedAppendable(StringBuilder out) {
      this.out = out;
    }

    private void tick() {
      if ((++calls & 1023) == 0) {
        check();
      }
    }

    @Override
    public Appendable append(CharSequence csq) throws IOException {
      tick();
      out.append(csq);
      return this;
    }

    @Override
    public Appendable append(CharSequence csq, int start, int end) throws IOException {
      tick();
      out.append(csq, start, end);
      return this;
    }

    @Override
    public Appendable append(char c) throws IOException {
      tick();
      out.append(c);
      return this;
    }
  }
}
