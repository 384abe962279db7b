package dev.gameday.candidate;

import dev.gameday.web.Markdown;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What is recorded about a candidate and what is not (issue 25, item 5): one text, {@code disclosure.md}, shown on the
 * start page before the candidate begins and quoted in the README (DisclosureTest keeps them equal). Its front matter
 * lists, machine-readable, every column and trail kind that the text covers. Read and rendered once, at start-up.
 */
public final class Disclosure {
  private static final String SOURCE = read();
  private static final String HTML = Markdown.toSafeHtml(body());

  private Disclosure() {
  }

  /** The whole file: front matter between two {@code ---} lines, then the Markdown text. */
  public static String source() {
    return SOURCE;
  }

  /** The Markdown text without its front matter, as the README quotes it. */
  public static String body() {
    String rest = SOURCE.substring(SOURCE.indexOf("\n---\n", 3) + 5);
    return rest.strip() + "\n";
  }

  /** The text as sanitized HTML for the start page. */
  public static String html() {
    return HTML;
  }

  private static String read() {
    try (InputStream in = Disclosure.class.getResourceAsStream("/disclosure.md")) {
      if (in == null) {
        throw new IllegalStateException("disclosure.md is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
