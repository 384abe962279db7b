package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A metrics CSV: a header row, a {@code time} column of ISO-8601 UTC instants, then numeric columns. */
record Csv(List<String> columns, List<Row> rows) {

  /** One data row; line is its line number in the file (1 = the header). */
  record Row(Instant time, double[] values, int line) {
  }

  /** Parses, recording problems with line numbers; returns null when the file cannot be used. */
  static Csv parse(String text, String file, List<Problem> problems) {
    String[] lines = text.split("\r?\n");
    if (lines.length < 2) {
      problems.add(new Problem(file, 1, "a CSV needs a header row and at least one data row"));
      return null;
    }
    List<String> columns = Arrays.stream(lines[0].split(",", -1)).map(String::trim).toList();
    if (!columns.get(0).equals("time")) {
      problems.add(new Problem(file, 1, "the first column must be 'time', found '" + columns.get(0) + "'"));
      return null;
    }
    int before = problems.size();
    List<Row> rows = new ArrayList<>();
    Instant previous = null;
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] cells = lines[i].split(",", -1);
      if (cells.length != columns.size()) {
        problems.add(new Problem(file, i + 1, "expected " + columns.size() + " columns, found " + cells.length));
      } else {
        Instant t = ExerciseLoader.parseInstant(cells[0]);
        if (t == null) {
          problems.add(new Problem(file, i + 1, "time '" + cells[0] + "' is not an ISO-8601 UTC time like 2026-03-10T14:06:00Z"));
        } else if (previous != null && !t.isAfter(previous)) {
          problems.add(new Problem(file, i + 1, "times must increase from row to row"));
        }
        previous = t;
        double[] values = new double[columns.size()];
        for (int c = 1; c < cells.length; c++) {
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
