package dev.gameday.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A template rendered once with a marker in place of each of some escaped values ({@code {{text}}}), kept as the
 * UTF-8 bytes between the markers; {@link #fill} puts values in, escaped as Handlebars escapes them here
 * ({@link HtmlEscape}), without applying the template again (issue 28, item 4: the exercise page's answer sections
 * depend only on the exercise version; only the candidate's texts change from one request to the next).
 */
public final class Spliced {
  private final byte[][] parts;
  private final int bytes;

  private Spliced(byte[][] parts) {
    this.parts = parts;
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    this.bytes = n;
  }

  /**
   * The marker that stands for value {@code i} while the template is rendered: NUL characters around it, which
   * {@link HtmlEscape} leaves as they are and no exercise's text holds ({@link #of} checks).
   */
  public static String marker(int i) {
    return PREFIX + i + "\u0000";
  }

  private static final String PREFIX = "\u0000gameday-value-";

  /**
   * The parts of {@code html} around markers 0 to {@code count - 1}, or null unless each is there exactly once and in
   * order (the caller then renders with the values themselves).
   */
  public static Spliced of(String html, int count) {
    if (occurrences(html, PREFIX) != count) {
      return null; // a marker twice, or a text of the template that looks like one
    }
    List<byte[]> parts = new ArrayList<>(count + 1);
    int from = 0;
    for (int i = 0; i < count; i++) {
      String m = marker(i);
      int at = html.indexOf(m, from);
      if (at < 0) {
        return null; // missing, or out of order
      }
      parts.add(html.substring(from, at).getBytes(StandardCharsets.UTF_8));
      from = at + m.length();
    }
    parts.add(html.substring(from).getBytes(StandardCharsets.UTF_8));
    return new Spliced(parts.toArray(byte[][]::new));
  }

  private static int occurrences(String s, String of) {
    int n = 0;
    for (int at = s.indexOf(of); at >= 0; at = s.indexOf(of, at + of.length())) {
      n++;
    }
    return n;
  }

  /** The template's output with these values (null as empty), each escaped. */
  public byte[] fill(List<String> values) {
    if (values.size() != parts.length - 1) {
      throw new IllegalArgumentException("expected " + (parts.length - 1) + " values, got " + values.size());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 1024); // grows for longer texts
    for (int i = 0; i < values.size(); i++) {
      out.writeBytes(parts[i]);
      String v = values.get(i);
      if (v != null && !v.isEmpty()) {
        out.writeBytes(HtmlEscape.INSTANCE.escape(v).toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    out.writeBytes(parts[parts.length - 1]);
    return out.toByteArray();
  }

  /** The bytes kept. */
  public int weight() {
    return bytes;
  }
}
