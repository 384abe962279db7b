package dev.gameday.recruiter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An import file, read with Jackson's CSV data format: RFC 4180 (fields separated by commas, optionally in double
 * quotes with a quote inside doubled, CRLF or LF line ends, a quoted field may span lines). The bytes must be UTF-8
 * (decoded strictly: a Latin-1 or Windows-1252 file is refused, never stored with replacement characters) and may
 * not hold a NUL. Each record remembers the physical line it starts on, counting the header as line 1.
 */
final class CandidateCsv {
  private static final CsvMapper MAPPER = new CsvMapper();
  private static final CsvSchema SCHEMA = CsvSchema.emptySchema(); // comma, double quote, no header handling

  record Record(int line, List<String> fields) {
  }

  /** A file that cannot be read as CSV; {@code line} is where the problem is. */
  static final class Malformed extends Exception {
    final int line;

    Malformed(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  private CandidateCsv() {
  }

  /** The bytes as UTF-8, strictly; a Malformed naming the line of the first byte that is not UTF-8. */
  static String decode(byte[] bytes) throws Malformed {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new Malformed(line, "the file is not UTF-8 (byte 0x" + String.format("%02X", bytes[at] & 0xff)
          + " on this line; Latin-1 or Windows-1252?): save it as UTF-8 and import it again");
    }
    try {
      decoder.flush(out);
    } catch (RuntimeException e) {
      throw new Malformed(1, "the file is not UTF-8: save it as UTF-8 and import it again");
    }
    return out.flip().toString();
  }

  /** Checks a decoded file before parsing: no NUL, no replacement character (a file mangled on its way). */
  static void checkText(String s) throws Malformed {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int line = c == '\u0000' || c == '\uFFFD' ? lineAt(s, i) : 0;
      if (c == '\u0000') {
        throw new Malformed(line, "the line holds a NUL character (byte 0x00), which no name or address may contain");
      } else if (c == '\uFFFD') {
        throw new Malformed(line, "the line holds a replacement character (\uFFFD): the file was not UTF-8 when it was"
            + " read; save it as UTF-8 and import it again");
      }
    }
  }

  /** Strict UTF-8, then {@link #parse(String)}. */
  static List<Record> parse(byte[] bytes) throws Malformed {
    return parse(decode(bytes));
  }

  static List<Record> parse(String text) throws Malformed {
    String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
    checkText(s);
    List<Record> out = new ArrayList<>();
    try (CsvParser p = (CsvParser) MAPPER.getFactory().createParser(new StringReader(s))) {
      p.setSchema(SCHEMA);
      List<String> fields = null;
      int line = 1;
      int lastEnd = 0;
      Lines lines = new Lines(s);
      JsonToken t;
      while (true) {
        try {
          t = p.nextToken();
        } catch (JsonProcessingException e) {
          // the line of the record that failed: the first one after the last field read
          int start = lastEnd;
          while (start < s.length() && (s.charAt(start) == '\r' || s.charAt(start) == '\n')) {
            start++;
          }
          throw new Malformed(fields != null && !fields.isEmpty() ? line : lineAt(s, start), message(e));
        }
        if (t == null) {
          break;
        }
        if (t == JsonToken.START_ARRAY) {
          fields = new ArrayList<>();
        } else if (t == JsonToken.VALUE_STRING && fields != null) {
          if (fields.isEmpty()) {
            // where the record's first field starts; Jackson's own line number does not count line breaks inside
            // quoted fields, so they are counted here from the offset
            line = lines.at(p.currentTokenLocation().getCharOffset());
          }
          fields.add(p.getText());
        } else if (t == JsonToken.END_ARRAY && fields != null) {
          lastEnd = (int) Math.min(s.length(), Math.max(lastEnd, p.currentLocation().getCharOffset()));
          // a blank line is no record
          if (!(fields.size() == 1 && fields.get(0).isBlank()) && !fields.isEmpty()) {
            out.add(new Record(line, List.copyOf(fields)));
          }
          fields = null;
        }
      }
    } catch (IOException e) {
      if (e instanceof JsonProcessingException) {
        throw new Malformed(1, message((JsonProcessingException) e));
      }
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** {@link #lineAt} for offsets that only grow: one pass over the text for the whole file, not one per record. */
  private static final class Lines {
    private final String s;
    private int pos;
    private int line = 1;

    Lines(String s) {
      this.s = s;
    }

    int at(long offset) {
      int end = (int) Math.min(Math.max(offset, 0), s.length());
      if (end < pos) {
        return lineAt(s, end);
      }
      for (; pos < end; pos++) {
        char c = s.charAt(pos);
        if (c == '\n' || (c == '\r' && (pos + 1 >= s.length() || s.charAt(pos + 1) != '\n'))) {
          line++;
        }
      }
      return line;
    }
  }

  /** The physical line (1 = the first) of a character offset: LF, CRLF and a lone CR each end a line. */
  static int lineAt(String s, long offset) {
    int line = 1;
    int end = (int) Math.min(Math.max(offset, 0), s.length());
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n'))) {
        line++;
      }
    }
    return line;
  }

  private static String message(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (m.toLowerCase().contains("missing closing quote")) {
      return "a quoted field is not closed (a quote inside a quoted field is written \"\")";
    }
    if (m.toLowerCase().contains("expected separator") || m.toLowerCase().contains("expected column separator")) {
      return "text after a closing quote; a field is either all quoted or not at all";
    }
    return "this is not CSV: " + (m.length() > 200 ? m.substring(0, 200) : m);
  }
}
