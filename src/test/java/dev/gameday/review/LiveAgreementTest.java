package dev.gameday.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.review.LiveAgreement.Figure;
import dev.gameday.review.LiveAgreement.Group;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LiveAgreementTest {

  /**
   * K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), the 4-observer, 12-unit reliability data with
   * missing values; the paper gives alpha_ordinal = 0.815. One row per observer who rated the unit.
   */
  static List<int[][]> published() {
    int[][] units = {{1, 1, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4}, {4, 4, 4, 4},
        {1, 1, 2, 1}, {2, 2, 2, 2}, {5, 5, 5}, {1, 1}, {3}};
    List<int[][]> items = new ArrayList<>();
    for (int[] u : units) {
      items.add(Arrays.stream(u).mapToObj(v -> new int[] {v}).toArray(int[][]::new));
    }
    return items;
  }

  static Group group(List<int[][]> items) {
    return new Group("ex", "v1", List.of("c"), new int[] {1}, items);
  }

  @Test
  @DisplayName("Krippendorff's published ordinal example: alpha 0.815 to 3 decimals, over its 11 pairable units")
  void publishedExample() {
    Figure f = LiveAgreement.compute(group(published()), 1000, 7).get(0);
    assertEquals(0.815, f.alpha(), 5e-4);
    assertEquals(Agreement.krippendorffAlphaOrdinal(published().stream()
        .map(u -> Arrays.stream(u).mapToInt(r -> r[0]).toArray()).toList(), 1, 5).getAsDouble(), f.alpha(), 1e-12);
    assertEquals(11, f.items());
    assertTrue(f.ciLow() <= f.alpha() && f.alpha() <= f.ciHigh(), f.toString());
  }

  /** The bootstrap done the slow, obvious way: draw n items with replacement, alpha of those units, percentiles. */
  static double[] referenceInterval(List<int[]> given, int resamples, long seed) {
    // items in the canonical order LiveAgreement draws them in (by their levels)
    List<int[]> units = given.stream().map(u -> Arrays.stream(u).sorted().toArray()).sorted(Arrays::compare).toList();
    long[] seeds = new SplittableRandom(seed).longs(resamples).toArray();
    List<Double> alphas = new ArrayList<>();
    for (int b = 0; b < resamples; b++) {
      SplittableRandom rng = new SplittableRandom(seeds[b]);
      List<int[]> drawn = new ArrayList<>();
      for (int i = 0; i < units.size(); i++) {
        drawn.add(units.get(rng.nextInt(units.size())));
      }
      Agreement.krippendorffAlphaOrdinal(drawn, 1, 5).ifPresent(alphas::add);
    }
    double[] sorted = alphas.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new double[] {percentile(sorted, 0.025), percentile(sorted, 0.975)};
  }

  static double percentile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
  }

  @Test
  @DisplayName("the CI on the published example equals a straightforward bootstrap with the same seed (1,000 resamples)")
  void intervalMatchesReference() {
    List<int[]> units = published().stream().map(u -> Arrays.stream(u).mapToInt(r -> r[0]).toArray()).toList();
    double[] ref = referenceInterval(units, 1000, 7);
    Figure f = LiveAgreement.compute(group(published()), 1000, 7).get(0);
    assertEquals(ref[0], f.ciLow(), 1e-9);
    assertEquals(ref[1], f.ciHigh(), 1e-9);
    // rounded as shown on the page, the reference computation and this one give the same three decimals
    assertEquals(String.format("%.3f %.3f", ref[0], ref[1]), String.format("%.3f %.3f", f.ciLow(), f.ciHigh()));
  }

  @Test
  @DisplayName("the bootstrap is reproducible for a seed, whatever order the items come in, and differs for another seed")
  void reproducible() {
    List<int[][]> items = randomItems(300, 3, new Random(1));
    Group g = new Group("ex", "v1", List.of("a", "b", "c"), new int[] {1, 2, 3}, items);
    List<Figure> first = LiveAgreement.compute(g, 1000, 42);
    List<int[][]> shuffled = new ArrayList<>(items);
    java.util.Collections.shuffle(shuffled, new Random(9));
    assertEquals(first, LiveAgreement.compute(new Group("ex", "v1", List.of("a", "b", "c"), new int[] {1, 2, 3}, shuffled), 1000, 42));
    List<Figure> again = LiveAgreement.compute(g, 1000, 42);
    List<Figure> other = LiveAgreement.compute(g, 1000, 43);
    assertEquals(first, again);
    assertEquals(first.get(0).alpha(), other.get(0).alpha());
    assertNotEquals(first.get(0).ciLow(), other.get(0).ciLow());
  }

  @Test
  @DisplayName("per criterion and for the weighted total, alpha equals Agreement's on the same units")
  void matchesAgreementPerColumn() {
    List<int[][]> items = randomItems(200, 2, new Random(5));
    int[] w = {1, 2, 3};
    Group g = new Group("ex", "v1", List.of("a", "b", "c"), w, items);
    List<Figure> figures = LiveAgreement.compute(g, 200, 1);
    assertEquals(List.of("a", "b", "c", LiveAgreement.TOTAL), figures.stream().map(Figure::criterion).toList());
    for (int j = 0; j < 3; j++) {
      final int col = j;
      List<int[]> units = items.stream().map(it -> Arrays.stream(it).mapToInt(r -> r[col]).toArray()).toList();
      assertEquals(Agreement.krippendorffAlphaOrdinal(units, 1, 4).getAsDouble(), figures.get(j).alpha(), 1e-9);
    }
    List<int[]> totals = items.stream().map(it -> Arrays.stream(it).mapToInt(r -> r[0] * 1 + r[1] * 2 + r[2] * 3).toArray()).toList();
    assertEquals(Agreement.krippendorffAlphaOrdinal(totals, 6, 24).getAsDouble(), figures.get(3).alpha(), 1e-9);
    assertEquals(200, figures.get(3).items());
  }

  @Test
  @DisplayName("fewer than 10 double-marked items: too-few, and no figure at all, whatever the levels")
  void tooFew() {
    List<int[][]> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nine.add(new int[][] {{1 + i % 4}, {1 + i % 4}});
    }
    nine.add(new int[][] {{2}}); // one review only: not double-marked
    Figure f = LiveAgreement.compute(group(nine), 1000, 1).get(0);
    assertEquals("too-few", f.grade());
    assertEquals(9, f.items());
    assertNull(f.alpha());
    assertNull(f.ciLow());
    assertNull(f.ciHigh());
  }

  @Test
  @DisplayName("grades: decision-grade needs alpha >= 0.800 and CI low >= 0.667; tentative alpha >= 0.667")
  void grades() {
    assertEquals("decision-grade", LiveAgreement.grade(10, 0.800, 0.667));
    assertEquals("tentative", LiveAgreement.grade(10, 0.85, 0.66));
    assertEquals("tentative", LiveAgreement.grade(10, 0.667, 0.5));
    assertEquals("not-reliable", LiveAgreement.grade(10, 0.6669, 0.5));
    assertEquals("not-reliable", LiveAgreement.grade(10, null, null));
    assertEquals("too-few", LiveAgreement.grade(9, 0.95, 0.9));
  }

  @Test
  @DisplayName("reviewers who agree perfectly on varied answers are decision-grade; reviewers at random are not-reliable")
  void gradesFromData() {
    List<int[][]> agree = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      agree.add(new int[][] {{1 + i % 4}, {1 + i % 4}});
    }
    assertEquals("decision-grade", LiveAgreement.compute(group(agree), 1000, 1).get(0).grade());
    List<int[][]> random = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < 200; i++) {
      random.add(new int[][] {{1 + r.nextInt(4)}, {1 + r.nextInt(4)}});
    }
    assertEquals("not-reliable", LiveAgreement.compute(group(random), 1000, 1).get(0).grade());
  }

  /** Items scored by {@code reviewers} reviewers on 3 criteria: a true level per item, each reviewer off by 0 or 1. */
  static List<int[][]> randomItems(int n, int reviewers, Random r) {
    List<int[][]> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[][] item = new int[reviewers][3];
      for (int c = 0; c < 3; c++) {
        int truth = 1 + r.nextInt(4);
        for (int k = 0; k < reviewers; k++) {
          item[k][c] = Math.max(1, Math.min(4, truth + (r.nextInt(3) - 1) * (r.nextInt(2))));
        }
      }
      items.add(item);
    }
    return items;
  }
}
