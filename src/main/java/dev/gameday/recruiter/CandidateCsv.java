package dev.gameday.recruiter;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 parsing of an import file: records of comma-separated fields, fields optionally in double quotes (a
 * quote inside a quoted field doubled), CRLF or LF line ends, a quoted field may span lines. Each record remembers
 * the physical line it starts on, counting the header as line 1.
 */
final class CandidateCsv {
  record Record(int line, List<String> fields) {
  }

  /** Thrown for a file that is not CSV at all (an unclosed quote); {@code line} is where the bad record starts. */
  static final class Malformed extends Exception {
    final int line;

    Malformed(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  private CandidateCsv() {
  }

  static List<Record> parse(String text) throws Malformed {
    String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<Record> out = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    boolean quoted = false;
    boolean fieldWasQuoted = false;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && s.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (c == '\n') {
          line++;
        }
        field.append(c);
        i++;
        continue;
      }
      if (c == '"') {
        if (field.length() > 0 && !field.toString().isBlank()) {
          throw new Malformed(recordLine, "a quote may only start a field (write a quote inside a quoted field as \"\")");
        }
        if (fieldWasQuoted) {
          throw new Malformed(recordLine, "text after a closing quote; a field is either all quoted or not at all");
        }
        field.setLength(0);
        quoted = true;
        fieldWasQuoted = true;
        i++;
        continue;
      }
      if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        fieldWasQuoted = false;
        i++;
        continue;
      }
      if (c == '\r' || c == '\n') {
        fields.add(field.toString());
        field.setLength(0);
        fieldWasQuoted = false;
        addRecord(out, recordLine, fields);
        fields = new ArrayList<>();
        if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
          i++;
        }
        i++;
        line++;
        recordLine = line;
        continue;
      }
      if (fieldWasQuoted && !Character.isWhitespace(c)) {
        throw new Malformed(recordLine, "text after a closing quote; a field is either all quoted or not at all");
      }
      if (!fieldWasQuoted) {
        field.append(c);
      }
      i++;
    }
    if (quoted) {
      throw new Malformed(recordLine, "a quoted field is not closed");
    }
    if (field.length() > 0 || !fields.isEmpty() || fieldWasQuoted) {
      fields.add(field.toString());
      addRecord(out, recordLine, fields);
    }
    return out;
  }

  private static void addRecord(List<Record> out, int line, List<String> fields) {
    // a blank line is no record
    if (fields.size() == 1 && fields.get(0).isBlank()) {
      return;
    }
    out.add(new Record(line, List.copyOf(fields)));
  }
}
