package dev.gameday.exercise;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.gameday.exercise.Model.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A metrics CSV: a header row, a {@code time} column of ISO-8601 UTC instants, then numeric and label columns. */
record Csv(List<String> columns, List<Row> rows) {

  /** One data row; line is its line number in the file (1 = the header). */
  record Row(Instant time, double[] values, int line) {
  }

  private static final CsvMapper MAPPER = new CsvMapper();
  // evidence files are plain: a comma between cells, no quoting (a quote is text, as it always was here)
  private static final CsvSchema SCHEMA = CsvSchema.emptySchema().withoutQuoteChar();

  /** The file's lines as cells, read with Jackson's CSV data format; {@code lines[i]} is line {@code i + 1}. */
  private static List<String[]> lines(String text) {
    // one record per line, LF or CRLF; the file has been decoded strictly as UTF-8 already (ExerciseLoader.read)
    List<String[]> out = new ArrayList<>();
    try (CsvParser p = (CsvParser) MAPPER.getFactory().createParser(new StringReader(text))) {
      p.setSchema(SCHEMA);
      List<String> cells = null;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_ARRAY) {
          cells = new ArrayList<>();
        } else if (t == JsonToken.VALUE_STRING && cells != null) {
          cells.add(p.getText());
        } else if (t == JsonToken.END_ARRAY && cells != null) {
          out.add(cells.toArray(String[]::new));
          cells = null;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // trailing empty lines are no lines (as String.split dropped them)
    while (!out.isEmpty() && out.get(out.size() - 1).length == 1 && out.get(out.size() - 1)[0].isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** The header row's column names. */
  static List<String> header(String text) {
    List<String[]> lines = lines(text);
    return lines.isEmpty() ? List.of("") : Arrays.stream(lines.get(0)).map(String::trim).toList();
  }

  static Csv parse(String text, String file, List<Problem> problems) {
    return parse(text, file, problems, Set.of());
  }

  /**
   * Parses, recording problems with line numbers; returns null when the file cannot be used. Label columns hold text
   * (their values are NaN in {@link Row#values()}); with labels, several rows may share a time (one per combination
   * of label values) and times increase within each combination.
   */
  static Csv parse(String text, String file, List<Problem> problems, Set<String> labels) {
    List<String[]> lines = lines(text);
    if (lines.size() < 2) {
      problems.add(new Problem(file, 1, "a CSV needs a header row and at least one data row"));
      return null;
    }
    List<String> columns = Arrays.stream(lines.get(0)).map(String::trim).toList();
    if (!columns.get(0).equals("time")) {
      problems.add(new Problem(file, 1, "the first column must be 'time', found '" + columns.get(0) + "'"));
      return null;
    }
    int before = problems.size();
    List<Row> rows = new ArrayList<>();
    Instant previous = null;
    Map<String, Instant> previousOf = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i);
      if (cells.length == 1 && cells[0].isBlank()) {
        continue;
      }
      if (cells.length != columns.size()) {
        problems.add(new Problem(file, i + 1, "expected " + columns.size() + " columns, found " + cells.length));
      } else {
        Instant t = ExerciseLoader.parseInstant(cells[0]);
        if (t == null) {
          problems.add(new Problem(file, i + 1, "time '" + cells[0] + "' is not an ISO-8601 UTC time like 2026-03-10T14:06:00Z"));
        } else if (labels.isEmpty() && previous != null && !t.isAfter(previous)) {
          problems.add(new Problem(file, i + 1, "times must increase from row to row"));
        } else if (!labels.isEmpty()) {
          StringBuilder key = new StringBuilder();
          for (int c = 1; c < cells.length; c++) {
            if (labels.contains(columns.get(c))) {
              key.append(cells[c].trim()).append('\u0000');
            }
          }
          Instant last = previousOf.put(key.toString(), t);
          if (previous != null && t.isBefore(previous)) {
            problems.add(new Problem(file, i + 1, "times must not decrease from row to row"));
          } else if (last != null && !t.isAfter(last)) {
            problems.add(new Problem(file, i + 1, "times must increase from row to row within each combination of "
                + String.join(", ", labels)));
          }
        }
        previous = t;
        double[] values = new double[columns.size()];
        for (int c = 1; c < cells.length; c++) {
          if (labels.contains(columns.get(c))) {
            values[c] = Double.NaN;
            if (cells[c].isBlank()) {
              problems.add(new Problem(file, i + 1, "label '" + columns.get(c) + "' is empty"));
            }
            continue;
          }
          try {
            values[c] = Double.parseDouble(cells[c].trim());
          } catch (NumberFormatException e) {
            problems.add(new Problem(file, i + 1, "column '" + columns.get(c) + "' is not a number: '" + cells[c] + "'"));
          }
        }
        rows.add(new Row(t, values, i + 1));
      }
      if (problems.size() - before >= 5) {
        break;
      }
    }
    return problems.size() > before ? null : new Csv(columns, rows);
  }
}
