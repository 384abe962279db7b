package dev.gameday.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.compliance.AdverseImpact.Count;
import dev.gameday.compliance.AdverseImpact.Row;
import dev.gameday.compliance.ScoreDifference.Scores;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reference values. Fisher p-values were computed independently of this code twice, and agree to 1e-15: by exact
 * enumeration of the hypergeometric probabilities with Python's {@code fractions.Fraction} and {@code math.comb}
 * (R's rule: every table with probability &lt;= the observed one x (1 + 1e-7)), and with SciPy 1.17.1's
 * {@code scipy.stats.fisher_exact}. Two of them are R's own published examples.
 */
class AdverseImpactTest {
  static final double EPS = 1e-12;

  @Test
  @DisplayName("Uniform Guidelines Q&A 12 (44 Fed. Reg. 11996, 1979): 48 of 80 whites hired (60%), 12 of 40 blacks (30%): ratio 30/60 = 50%, adverse impact")
  void uniformGuidelinesQa12() {
    List<Row> rows = AdverseImpact.analyse(List.of(new Count("White", 80, 48), new Count("Black", 40, 12)));
    Row white = rows.get(0);
    Row black = rows.get(1);
    assertTrue(white.reference());
    assertEquals(0.60, white.rate(), EPS);
    assertEquals(1.0, white.impactRatio(), EPS);
    assertNull(white.p(), "the reference group is not compared with itself");
    assertEquals(0.30, black.rate(), EPS);
    assertEquals(0.50, black.impactRatio(), EPS);
    // table [[12, 28], [48, 32]]: the same p as [[48, 32], [12, 28]] (Fraction enumeration and SciPy)
    assertEquals(0.003409221767849182, black.p(), 1e-15);
    assertTrue(black.flagged(), "ratio 0.5 < 0.8 and p 0.0034 < 0.05");
  }

  @Test
  @DisplayName("the Q&A's four-group example (hiring rates 60/45/48/51%: ratios 75%, 80%, 85%; under 4/5 only American Indians)")
  void fourGroups() {
    // the Q&A gives rates only; 100 applicants per group make them counts
    List<Row> rows = AdverseImpact.analyse(List.of(new Count("White", 100, 60), new Count("American Indian", 100, 45),
        new Count("Hispanic", 100, 48), new Count("Black", 100, 51)));
    assertEquals(0.75, rows.get(1).impactRatio(), EPS);
    assertEquals(0.80, rows.get(2).impactRatio(), EPS);
    assertEquals(0.85, rows.get(3).impactRatio(), EPS);
    assertTrue(rows.get(1).impactRatio() < AdverseImpact.FOUR_FIFTHS);
    assertFalse(rows.get(2).impactRatio() < AdverseImpact.FOUR_FIFTHS, "exactly 4/5 is not under it");
    // 45/100 vs 60/100: p = 0.04716548538301928 < 0.05 (Fraction enumeration and SciPy): flagged
    assertEquals(0.04716548538301928, rows.get(1).p(), 1e-14);
    assertTrue(rows.get(1).flagged());
    assertFalse(rows.get(2).flagged(), "ratio not under 0.8");
    assertFalse(rows.get(3).flagged());
  }

  @Test
  @DisplayName("Fisher's exact test, two-sided, matches R's fisher.test on small tables")
  void fisherSmallCounts() {
    // R, ?fisher.test, "Tea tasting" (Agresti 1990): TeaTasting = [[3, 1], [1, 3]], p-value = 0.4857
    assertEquals(0.4857142857142857, AdverseImpact.fisherTwoSided(3, 1, 1, 3), 1e-15);
    // R, ?fisher.test, "Convictions" (Fisher 1962): [[2, 10], [15, 3]], p-value = 0.0005367
    assertEquals(0.0005367241191434358, AdverseImpact.fisherTwoSided(2, 10, 15, 3), 1e-15);
    assertEquals(0.0005367241191434358, AdverseImpact.fisherTwoSided(10, 2, 3, 15), 1e-15);
    assertEquals(0.047619047619047616, AdverseImpact.fisherTwoSided(5, 0, 1, 4), 1e-15);
    assertEquals(0.007936507936507936, AdverseImpact.fisherTwoSided(0, 5, 5, 0), 1e-15);
    assertEquals(0.0027594561852200836, AdverseImpact.fisherTwoSided(1, 9, 11, 3), 1e-15);
    assertEquals(0.06977851869492736, AdverseImpact.fisherTwoSided(7, 3, 2, 8), 1e-15);
    assertEquals(0.42598346474522736, AdverseImpact.fisherTwoSided(30, 70, 24, 76), 1e-14);
    assertEquals(1.0, AdverseImpact.fisherTwoSided(2, 2, 2, 2), 1e-15, "the most probable table");
    // large tables (SciPy): the walk from the mode keeps full precision
    assertEquals(0.004878795768906845, AdverseImpact.fisherTwoSided(5000, 5000, 4800, 5200), 1e-13);
    assertEquals(0.05205405254612884, AdverseImpact.fisherTwoSided(300, 700, 260, 740), 1e-13);
    assertEquals(9.271146371735247e-05, AdverseImpact.fisherTwoSided(40000, 10000, 39500, 10500), 1e-15);
    assertEquals(1.0, AdverseImpact.fisherTwoSided(0, 0, 0, 0), 0);
    assertThrows(IllegalArgumentException.class, () -> AdverseImpact.fisherTwoSided(-1, 0, 0, 0));
  }

  @Test
  @DisplayName("a low ratio that is not significant is not flagged; a significant difference above 4/5 is not flagged")
  void flagNeedsBoth() {
    // 7/10 vs 2/10 would be ratio 0.29 but p = 0.0698: not flagged
    List<Row> small = AdverseImpact.analyse(List.of(new Count("A", 10, 7), new Count("B", 10, 2)));
    assertTrue(small.get(1).impactRatio() < 0.8);
    assertFalse(small.get(1).flagged());
    // 900/1000 vs 850/1000: ratio 0.944, p tiny: not flagged
    List<Row> big = AdverseImpact.analyse(List.of(new Count("A", 1000, 900), new Count("B", 1000, 850)));
    assertTrue(big.get(1).p() < 0.05);
    assertFalse(big.get(1).flagged());
  }

  @Test
  @DisplayName("groups of fewer than 5 are suppressed and take no part in ratios, even with the highest rate")
  void suppression() {
    List<Row> rows = AdverseImpact.analyse(List.of(new Count("Big", 50, 20), new Count("Tiny", 4, 4),
        new Count("Mid", 10, 2), new Count("Five", 5, 1)));
    Row tiny = rows.get(1);
    assertTrue(tiny.suppressed());
    assertNull(tiny.assessed());
    assertNull(tiny.rate());
    assertNull(tiny.impactRatio());
    assertFalse(tiny.reference(), "4 of 4 selected would be the highest rate, but it is suppressed");
    assertTrue(rows.get(0).reference(), "the highest rate among groups of 5 or more");
    assertEquals(0.2 / 0.4, rows.get(2).impactRatio(), EPS);
    assertFalse(rows.get(3).suppressed(), "exactly 5 is shown");
    assertEquals(5L, rows.get(3).assessed());
  }

  @Test
  @DisplayName("nobody selected anywhere: rates 0, no ratio, no flag")
  void nobodySelected() {
    List<Row> rows = AdverseImpact.analyse(List.of(new Count("A", 10, 0), new Count("B", 10, 0)));
    assertNull(rows.get(1).impactRatio());
    assertFalse(rows.get(1).flagged());
  }

  @Test
  @DisplayName("Hedges' g with its 95% CI matches a computation from the raw scores (NumPy); small groups suppressed")
  void hedgesG() {
    double[] ref = {3, 4, 2, 3, 4, 3, 2, 4, 3, 3};
    double[] other = {2, 2, 3, 1, 2, 3, 2};
    List<ScoreDifference.Row> rows = ScoreDifference.analyse(List.of(scores("Ref", ref), scores("Other", other),
        scores("Few", new double[] {1, 1, 1, 1})));
    assertTrue(rows.get(0).reference(), "the largest group");
    ScoreDifference.Row o = rows.get(1);
    // NumPy on the raw scores: d = -1.3309799014360946, g = d (1 - 3 / (4 * 17 - 9)) = -1.2633029572952763,
    // CI g -/+ 1.959963984540054 sqrt(17 / 70 + g^2 / 34) = [-2.3184052717390236, -0.20820064285152928]
    assertEquals(-1.2633029572952763, o.g(), 1e-12);
    assertEquals(-2.3184052717390236, o.low(), 1e-12);
    assertEquals(-0.20820064285152928, o.high(), 1e-12);
    assertEquals(2.142857142857143, o.mean(), 1e-12);
    assertTrue(rows.get(2).suppressed());
    assertNull(rows.get(2).mean());
  }

  static Scores scores(String group, double[] xs) {
    double s = 0;
    double ss = 0;
    for (double x : xs) {
      s += x;
      ss += x * x;
    }
    return new Scores(group, xs.length, s, ss);
  }
}
