package dev.gameday.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Expected values are worked out by hand in the comments (and were re-checked with exact fractions by a second,
 * pairwise formulation of each coefficient), except where a comment cites a published value instead.
 */
class AgreementTest {
  private static final double EPS = 1e-9;

  private static double value(OptionalDouble result) {
    assertTrue(result.isPresent(), "expected a value, got empty");
    return result.getAsDouble();
  }

  @Nested
  @DisplayName("quadratic-weighted kappa")
  class Kappa {
    @Test
    @DisplayName("two reviewers who give identical levels have kappa 1")
    void perfectAgreement() {
      // Observed disagreement: every (a - b)^2 is 0. Expected: > 0 because the levels vary. 1 - 0 / E = 1.
      int[] levels = {1, 2, 3, 4, 2};
      assertEquals(1.0, value(Agreement.quadraticWeightedKappa(levels, levels.clone(), 1, 4)), EPS);
    }

    @Test
    @DisplayName("a five-item example computed by hand gives 26/31")
    void handComputedExample() {
      // Levels 1..4, so k = 4 and w_ij = (i - j)^2 / (k - 1)^2 = (i - j)^2 / 9.
      //   item:  1  2  3  4  5
      //   A:     1  2  3  4  2
      //   B:     1  3  3  4  1
      // O (rows A, columns B), each item weighs 1/5 = 0.2:
      //   O11 = O23 = O33 = O44 = O21 = 0.2, every other cell 0.
      //   sum w*O = (0 + 1/9 + 0 + 0 + 1/9) * 0.2 = 0.4 / 9
      // Marginals: A = (0.2, 0.4, 0.2, 0.2), B = (0.4, 0, 0.4, 0.2); E_ij = A_i * B_j.
      //   sum (i-j)^2 * E_ij row by row (column 2 omitted, B_2 = 0; diagonal omitted, weight 0):
      //   i=1 (0.2): j=3 0.2*0.4*4 = 0.32, j=4 0.2*0.2*9 = 0.36                      -> 0.68
      //   i=2 (0.4): j=1 0.4*0.4*1 = 0.16, j=3 0.4*0.4*1 = 0.16, j=4 0.4*0.2*4 = 0.32 -> 0.64
      //   i=3 (0.2): j=1 0.2*0.4*4 = 0.32, j=4 0.2*0.2*1 = 0.04                      -> 0.36
      //   i=4 (0.2): j=1 0.2*0.4*9 = 0.72, j=3 0.2*0.4*1 = 0.08                      -> 0.80
      //   total 2.48, so sum w*E = 2.48 / 9
      // kappa = 1 - (0.4 / 9) / (2.48 / 9) = 1 - 0.4 / 2.48 = 1 - 5/31 = 26/31 = 0.838709677...
      // Cross-check: 2.48 = var(A) + var(B) + (mean A - mean B)^2 = 1.04 + 1.44 + (2.4 - 2.4)^2.
      int[] a = {1, 2, 3, 4, 2};
      int[] b = {1, 3, 3, 4, 1};
      assertEquals(26.0 / 31.0, value(Agreement.quadraticWeightedKappa(a, b, 1, 4)), EPS);
    }

    @Test
    @DisplayName("reviewers who rank the answers in opposite order get a negative kappa (-1 here)")
    void systematicDisagreement() {
      // A = 1, 2, 3, 4 and B = 4, 3, 2, 1; each item weighs 1/4; the 1/9 of the weights cancels, so it is left out.
      //   sum (i-j)^2 * O = (9 + 1 + 1 + 9) / 4 = 5
      //   both marginals are uniform, 1/4 each, so E_ij = 1/16 and
      //   sum (i-j)^2 * E = (1/16) * sum_{i,j in 1..4} (i-j)^2 = (1/16) * 2 * (3*1 + 2*4 + 1*9) = 40/16 = 2.5
      // kappa = 1 - 5 / 2.5 = -1
      int[] a = {1, 2, 3, 4};
      int[] b = {4, 3, 2, 1};
      assertEquals(-1.0, value(Agreement.quadraticWeightedKappa(a, b, 1, 4)), EPS);
    }

    @Test
    @DisplayName("kappa is empty when both reviewers always gave the same single level")
    void undefinedWithoutVariation() {
      // Both marginals put all weight on level 3, so sum w*E = w_33 = 0 and the ratio is 0/0.
      assertTrue(Agreement.quadraticWeightedKappa(new int[] {3, 3, 3}, new int[] {3, 3, 3}, 1, 4).isEmpty());
    }

    @Test
    @DisplayName("kappa is empty for fewer than two items")
    void undefinedForOneItem() {
      assertTrue(Agreement.quadraticWeightedKappa(new int[] {2}, new int[] {4}, 1, 4).isEmpty());
    }

    @Test
    @DisplayName("ratings of different lengths are rejected")
    void mismatchedLengths() {
      assertThrows(IllegalArgumentException.class,
          () -> Agreement.quadraticWeightedKappa(new int[] {1, 2, 3}, new int[] {1, 2}, 1, 4));
    }

    @Test
    @DisplayName("a level outside the scale is rejected")
    void outOfRange() {
      assertThrows(IllegalArgumentException.class,
          () -> Agreement.quadraticWeightedKappa(new int[] {1, 2, 5}, new int[] {1, 2, 3}, 1, 4));
    }
  }

  @Nested
  @DisplayName("Krippendorff's alpha, interval")
  class AlphaInterval {
    @Test
    @DisplayName("three answers, up to three reviewers, one rating missing: alpha = 5/9")
    void handComputedExample() {
      // unit 1: reviewers gave 1, 1, 2
      // unit 2: reviewers gave 3, 3 (the third reviewer did not score it)
      // unit 3: reviewers gave 2, 3, 4
      // Pairable values: n = 8, with n_1 = 2, n_2 = 2, n_3 = 3, n_4 = 1.
      // Coincidences: each ordered pair of values from different reviewers in unit u adds 1/(m_u - 1).
      //   unit 1 (m = 3, 1/2 per pair): (1,1) twice -> o11 = 1; (1,2) twice -> o12 = 1; (2,1) twice -> o21 = 1
      //   unit 2 (m = 2, 1 per pair):   (3,3) twice -> o33 = 2
      //   unit 3 (m = 3, 1/2 per pair): o23 = o32 = o24 = o42 = o34 = o43 = 1/2
      //   row sums: n_1 = 1 + 1 = 2, n_2 = 1 + 1/2 + 1/2 = 2, n_3 = 1/2 + 2 + 1/2 = 3, n_4 = 1/2 + 1/2 = 1
      // Observed, sum o_ck (c-k)^2 = (o12 + o21)*1 + (o23 + o32)*1 + (o24 + o42)*4 + (o34 + o43)*1
      //                            = 2*1 + 1*1 + 1*4 + 1*1 = 8
      // Expected, sum n_c n_k (c-k)^2 = 2 * sum over c < k of:
      //   (1,2) 2*2*1 = 4, (1,3) 2*3*4 = 24, (1,4) 2*1*9 = 18, (2,3) 2*3*1 = 6, (2,4) 2*1*4 = 8, (3,4) 3*1*1 = 3
      //   = 2 * 63 = 126
      // alpha = 1 - (n - 1) * 8 / 126 = 1 - 56/126 = 1 - 4/9 = 5/9 = 0.5555...
      List<int[]> units = List.of(new int[] {1, 1, 2}, new int[] {3, 3}, new int[] {2, 3, 4});
      assertEquals(5.0 / 9.0, value(Agreement.krippendorffAlphaInterval(units)), EPS);
    }

    @Test
    @DisplayName("reviewers who agree on every answer have alpha 1, whatever their number")
    void perfectAgreement() {
      // No coincidence off the diagonal, so the observed disagreement is 0; the levels vary, so expected > 0.
      List<int[]> units = List.of(new int[] {1, 1, 1}, new int[] {2, 2}, new int[] {4, 4, 4});
      assertEquals(1.0, value(Agreement.krippendorffAlphaInterval(units)), EPS);
    }

    @Test
    @DisplayName("alpha is empty when no answer was scored by two reviewers")
    void noPairableUnits() {
      List<int[]> units = List.of(new int[] {3}, new int[] {}, new int[] {2});
      assertTrue(Agreement.krippendorffAlphaInterval(units).isEmpty());
    }

    @Test
    @DisplayName("alpha is empty when every pairable rating is the same level")
    void undefinedWithoutVariation() {
      // Only n_2 is non-zero, and delta(2,2) = 0, so the expected disagreement is 0.
      // The lone 4 is in a unit of one value and is not pairable, so it does not count.
      List<int[]> units = List.of(new int[] {2, 2}, new int[] {2, 2, 2}, new int[] {4});
      assertTrue(Agreement.krippendorffAlphaInterval(units).isEmpty());
    }

    @Test
    @DisplayName("Krippendorff's published example (4 observers, 12 units, missing data) gives 0.849")
    void publishedExample() {
      // Not hand-computed: the reliability data and the value alpha_interval = 0.849 (3 decimals) are from
      // K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), University of Pennsylvania.
      //   unit:  1  2  3  4  5  6  7  8  9 10 11 12
      //   A:     1  2  3  3  2  1  4  1  2  .  .  .
      //   B:     1  2  3  3  2  2  4  1  2  5  .  3
      //   C:     .  3  3  3  2  3  4  2  2  5  1  .
      //   D:     1  2  3  3  2  4  4  1  2  5  1  .
      // Unit 12 has a single value and is not pairable.
      assertEquals(0.849, value(Agreement.krippendorffAlphaInterval(publishedUnits())), 5e-4);
    }
  }

  @Nested
  @DisplayName("Krippendorff's alpha, ordinal")
  class AlphaOrdinal {
    @Test
    @DisplayName("the three-answer example of the interval test gives 709/1248 on the ordinal metric")
    void handComputedExample() {
      // Same units, counts and coincidences as AlphaInterval.handComputedExample: n = 8, (n_1..n_4) = (2, 2, 3, 1),
      // off-diagonal coincidence sums o12+o21 = 2, o23+o32 = 1, o24+o42 = 1, o34+o43 = 1, o13 = o14 = 0.
      // delta^2(c,k) = (n_c + ... + n_k - (n_c + n_k)/2)^2:
      //   (1,2): 2+2     - 2   = 2   -> 4
      //   (1,3): 2+2+3   - 2.5 = 4.5 -> 20.25
      //   (1,4): 2+2+3+1 - 1.5 = 6.5 -> 42.25
      //   (2,3): 2+3     - 2.5 = 2.5 -> 6.25
      //   (2,4): 2+3+1   - 1.5 = 4.5 -> 20.25
      //   (3,4): 3+1     - 2   = 2   -> 4
      // Observed: 2*4 + 1*6.25 + 1*20.25 + 1*4 = 38.5
      // Expected: 2 * (2*2*4 + 2*3*20.25 + 2*1*42.25 + 2*3*6.25 + 2*1*20.25 + 3*1*4)
      //         = 2 * (16 + 121.5 + 84.5 + 37.5 + 40.5 + 12) = 2 * 312 = 624
      // alpha = 1 - 7 * 38.5 / 624 = 1 - 269.5/624 = 1 - 539/1248 = 709/1248 = 0.568108974...
      List<int[]> units = List.of(new int[] {1, 1, 2}, new int[] {3, 3}, new int[] {2, 3, 4});
      assertEquals(709.0 / 1248.0, value(Agreement.krippendorffAlphaOrdinal(units, 1, 4)), EPS);
    }

    @Test
    @DisplayName("Krippendorff's published example gives 0.815 on the ordinal metric")
    void publishedExample() {
      // Not hand-computed: the same 4-observer, 12-unit data as AlphaInterval.publishedExample, whose source
      // gives alpha_ordinal = 0.815 (3 decimals). Levels 1..5.
      assertEquals(0.815, value(Agreement.krippendorffAlphaOrdinal(publishedUnits(), 1, 5)), 5e-4);
    }

    @Test
    @DisplayName("a level outside the scale is rejected")
    void outOfRange() {
      List<int[]> units = List.of(new int[] {1, 2}, new int[] {0, 3});
      assertThrows(IllegalArgumentException.class, () -> Agreement.krippendorffAlphaOrdinal(units, 1, 4));
    }
  }

  @Test
  @DisplayName("for two reviewers without missing data, interval alpha (53/62) is close to weighted kappa (52/62)"
      + " but not equal")
  void alphaNearKappaForTwoReviewers() {
    // The five items of Kappa.handComputedExample, as five units of two values each: n = 10 pairable values.
    //   A: 1 2 3 4 2
    //   B: 1 3 3 4 1
    // Observed: a unit with m = 2 adds 1 to o_ab and 1 to o_ba, so sum o*(c-k)^2 = 2 * sum (a-b)^2 = 2 * 2 = 4.
    // Expected: pooled counts n_1 = 3, n_2 = 2, n_3 = 3, n_4 = 2; sum n_c n_k (c-k)^2 = 2 * sum over c < k of
    //   (1,2) 3*2*1 = 6, (1,3) 3*3*4 = 36, (1,4) 3*2*9 = 54, (2,3) 2*3*1 = 6, (2,4) 2*2*4 = 16, (3,4) 3*2*1 = 6
    //   = 2 * 124 = 248
    // alpha = 1 - 9 * 4 / 248 = 1 - 36/248 = 1 - 9/62 = 53/62 = 0.8548...
    // kappa = 26/31 = 52/62 = 0.8387... (Kappa.handComputedExample)
    // Why not identical: both are 1 - D_o / D_e with the same D_o = 0.4 (mean squared difference per item), but
    //  - kappa's D_e pairs each of A's levels with each of B's (each reviewer's own distribution): 2.48;
    //  - alpha's D_e pairs any two distinct values of the pooled 2N values, without replacement:
    //    248 / (10 * 9) = 2.7556 = 2.48 * 10/9.
    // Here both reviewers' means are 2.4, so pooling changes nothing and the whole gap is the small-sample factor
    // n/(n-1), which vanishes as the number of items grows. (Were one reviewer systematically harsher, pooling
    // would also lower alpha's D_e by half the squared difference of the means, relative to kappa's.)
    int[] a = {1, 2, 3, 4, 2};
    int[] b = {1, 3, 3, 4, 1};
    List<int[]> units = List.of(new int[] {1, 1}, new int[] {2, 3}, new int[] {3, 3}, new int[] {4, 4},
        new int[] {2, 1});
    double kappa = value(Agreement.quadraticWeightedKappa(a, b, 1, 4));
    double alpha = value(Agreement.krippendorffAlphaInterval(units));
    assertEquals(52.0 / 62.0, kappa, EPS);
    assertEquals(53.0 / 62.0, alpha, EPS);
    assertNotEquals(kappa, alpha, 1e-3);
    assertEquals(kappa, alpha, 0.02);
  }

  @Nested
  @DisplayName("max level difference")
  class MaxLevelDifference {
    @Test
    @DisplayName("levels 1 and 3 differ by 2")
    void twoLevels() {
      assertEquals(2, Agreement.maxLevelDifference(new int[] {1, 3}));
    }

    @Test
    @DisplayName("the spread is highest minus lowest, whatever the order")
    void unordered() {
      assertEquals(3, Agreement.maxLevelDifference(new int[] {2, 4, 1, 3}));
    }

    @Test
    @DisplayName("a single level has no spread")
    void singleLevel() {
      assertEquals(0, Agreement.maxLevelDifference(new int[] {2}));
    }
  }

  /** Krippendorff (2011), one array per unit of the values it received, missing ones left out. */
  private static List<int[]> publishedUnits() {
    return List.of(
        new int[] {1, 1, 1},
        new int[] {2, 2, 3, 2},
        new int[] {3, 3, 3, 3},
        new int[] {3, 3, 3, 3},
        new int[] {2, 2, 2, 2},
        new int[] {1, 2, 3, 4},
        new int[] {4, 4, 4, 4},
        new int[] {1, 1, 2, 1},
        new int[] {2, 2, 2, 2},
        new int[] {5, 5, 5},
        new int[] {1, 1},
        new int[] {3});
  }
}
