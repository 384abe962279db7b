package dev.gameday.web;

import java.util.List;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * Markdown written by candidates (or exercise authors) to HTML that is safe to put in {@code {{{ }}}}:
 * commonmark with raw HTML escaped, then the OWASP sanitizer with an allow-list. Links may only be http, https
 * or mailto; images are not allowed (no tracking pixels in answers reviewers open).
 */
public final class Markdown {
  private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
      .escapeHtml(true).sanitizeUrls(true).build();
  private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
      .allowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em",
          "strong", "del", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td")
      .allowUrlProtocols("http", "https", "mailto")
      .allowAttributes("href").onElements("a")
      .requireRelsOnLinks("nofollow", "noopener", "noreferrer")
      .allowAttributes("start").matching(Pattern.compile("[0-9]{1,6}")).onElements("ol")
      .allowAttributes("align").matching(true, "left", "right", "center").onElements("th", "td")
      .allowAttributes("class").matching(Pattern.compile("language-[A-Za-z0-9_+-]{1,40}")).onElements("code")
      .toFactory();

  private Markdown() {
  }

  public static String toSafeHtml(String markdown) {
    if (markdown == null || markdown.isEmpty()) {
      return "";
    }
    return POLICY.sanitize(RENDERER.render(PARSER.parse(markdown)));
  }
}
