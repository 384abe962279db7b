package dev.gameday.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.review.Severity.Level;
import dev.gameday.review.Severity.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SeverityTest {
  @Test
  @DisplayName("offset from the median of the others, per reviewer, criterion and month; recalibrate when the CI is beyond half a level")
  void offsets() {
    List<Level> levels = new ArrayList<>();
    // items 1..4 in 2026-11: A and B agree, G (generous) is 2 above on items 1, 2 and 1 above on 3, 4
    int[][] items = {{1, 1, 3}, {2, 2, 4}, {2, 2, 3}, {3, 3, 4}};
    for (int i = 0; i < items.length; i++) {
      levels.add(new Level(1, "A", "i" + i, "c", "2026-11", items[i][0]));
      levels.add(new Level(2, "B", "i" + i, "c", "2026-11", items[i][1]));
      levels.add(new Level(3, "G", "i" + i, "c", "2026-11", items[i][2]));
    }
    levels.add(new Level(1, "A", "lonely", "c", "2026-11", 4)); // no other review: no consensus, counts nowhere
    List<Row> rows = Severity.compute(levels);
    Row g = rows.stream().filter(r -> r.reviewer().equals("G")).findFirst().orElseThrow();
    // G's offsets from median(A, B): 2, 2, 1, 1 -> mean 1.5, sd = sqrt(4 * 0.25 / 3) = 0.577, half-width 1.96 * 0.577 / 2 = 0.566
    assertEquals(4, g.items());
    assertEquals(1.5, g.mean(), 1e-9);
    assertEquals(1.5 - 1.96 * Math.sqrt(1.0 / 3) / 2, g.ciLow(), 1e-9);
    assertTrue(g.recalibrate(), "interval 0.93..2.07 lies beyond +0.5");
    Row a = rows.stream().filter(r -> r.reviewer().equals("A")).findFirst().orElseThrow();
    // A's offsets from median(B, G): (1+3)/2=2 -> -1, (2+4)/2=3 -> -1, 2.5 -> -0.5, 3.5 -> -0.5: mean -0.75
    assertEquals(4, a.items());
    assertEquals(-0.75, a.mean(), 1e-9);
    assertFalse(a.recalibrate(), "its interval reaches past -0.5");
  }

  @Test
  @DisplayName("one item: no interval, never marked")
  void single() {
    List<Row> rows = Severity.compute(List.of(new Level(1, "A", "i", "c", "2026-12", 1), new Level(2, "B", "i", "c", "2026-12", 4)));
    assertEquals(2, rows.size());
    rows.forEach(r -> {
      assertNull(r.ciLow());
      assertFalse(r.recalibrate());
    });
  }
}
