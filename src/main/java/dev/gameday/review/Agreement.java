package dev.gameday.review;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * How far reviewers agree when they score the same answers on a rubric criterion with ordinal levels (in Gameday,
 * 1..4). Pure functions over plain arrays: no state, no I/O, nothing beyond the JDK.
 *
 * <p>Every coefficient here is {@code 1 - observed disagreement / expected disagreement}: 1 is perfect agreement,
 * 0 is what chance alone gives, below 0 is systematic disagreement. A coefficient is returned empty when it is
 * undefined (too little data, or no variation at all, so that the expected disagreement is 0); an empty result
 * means "cannot say", not "no agreement".
 */
public final class Agreement {
  private Agreement() {}

  /**
   * Cohen's kappa with quadratic weights, for two reviewers who scored the same items.
   *
   * <p>With {@code k = max - min + 1} levels, weights {@code w_ij = (i - j)^2 / (k - 1)^2}, {@code O_ij} the
   * proportion of items that reviewer A put at level i and reviewer B at level j, and {@code E_ij = A_i * B_j} the
   * product of the two reviewers' marginal proportions (what independent reviewers with these marginals would give):
   *
   * <pre>kappa_w = 1 - sum_ij(w_ij * O_ij) / sum_ij(w_ij * E_ij)</pre>
   *
   * <p>The factor {@code 1 / (k - 1)^2} and the proportions' denominators cancel in the ratio, so it is computed
   * from counts as {@code 1 - N * sum_items (a - b)^2 / sum_x sum_y countA(x) * countB(y) * (x - y)^2}, which for
   * integer levels is exact up to the final division.
   *
   * @param a reviewer A's level for each item
   * @param b reviewer B's level for the same items, in the same order
   * @param min the lowest level of the scale
   * @param max the highest level of the scale
   * @return kappa_w, or empty when there are fewer than 2 items or the expected disagreement is 0 (for example both
   *     reviewers always gave one and the same level), where kappa is undefined
   * @throws IllegalArgumentException if the arrays differ in length, {@code max < min}, or a level lies outside
   *     {@code [min, max]}
   */
  public static OptionalDouble quadraticWeightedKappa(int[] a, int[] b, int min, int max) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    checkScale(min, max);
    if (a.length != b.length) {
      throw new IllegalArgumentException("the two reviewers rated a different number of items: "
          + a.length + " and " + b.length);
    }
    checkRange(a, min, max, "a");
    checkRange(b, min, max, "b");
    if (a.length < 2) {
      return OptionalDouble.empty();
    }
    double observed = 0;
    for (int i = 0; i < a.length; i++) {
      observed += squaredDifference(a[i], b[i]);
    }
    TreeMap<Integer, Integer> countsA = counts(a);
    TreeMap<Integer, Integer> countsB = counts(b);
    double expected = 0;
    for (var x : countsA.entrySet()) {
      for (var y : countsB.entrySet()) {
        expected += (double) x.getValue() * y.getValue() * squaredDifference(x.getKey(), y.getKey());
      }
    }
    if (expected == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(1 - a.length * observed / expected);
  }

  /**
   * Krippendorff's alpha with the interval metric {@code delta^2(c, k) = (c - k)^2}, for any number of reviewers
   * and missing ratings. See {@link #krippendorffAlphaOrdinal} for the formula, which is shared.
   *
   * @param units one array per item, holding the levels it received from however many reviewers scored it; items
   *     with fewer than 2 levels cannot be paired and are ignored
   * @return alpha, or empty when no item has 2 or more levels or the expected disagreement is 0 (every pairable
   *     level is the same)
   */
  public static OptionalDouble krippendorffAlphaInterval(List<int[]> units) {
    Objects.requireNonNull(units, "units");
    units.forEach(u -> Objects.requireNonNull(u, "unit"));
    return alpha(units, false);
  }

  /**
   * Krippendorff's alpha with the ordinal metric, for any number of reviewers and missing ratings.
   *
   * <p>Coincidence-matrix formulation. Within an item (unit) u that received {@code m_u >= 2} levels, every ordered
   * pair of levels from two different reviewers contributes {@code 1 / (m_u - 1)} to the coincidence {@code o_ck};
   * {@code n_c = sum_k o_ck} is then the number of pairable levels equal to c, and {@code n = sum_c n_c}. With a
   * squared distance {@code delta^2}:
   *
   * <pre>alpha = 1 - (n - 1) * sum_c sum_k o_ck * delta^2(c, k) / sum_c sum_k n_c * n_k * delta^2(c, k)</pre>
   *
   * <p>i.e. the disagreement observed within items over the disagreement expected between any two pairable levels.
   * The ordinal metric measures a distance by how many pairable levels lie between c and k, not by the difference
   * of the numbers: for {@code c <= k}, {@code delta^2(c, k) = (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2}. Levels of
   * the scale that nobody used have {@code n_g = 0} and change nothing.
   *
   * @param units one array per item, holding the levels it received from however many reviewers scored it; items
   *     with fewer than 2 levels cannot be paired and are ignored
   * @param min the lowest level of the scale
   * @param max the highest level of the scale
   * @return alpha, or empty when no item has 2 or more levels or the expected disagreement is 0 (every pairable
   *     level is the same)
   * @throws IllegalArgumentException if {@code max < min} or a level lies outside {@code [min, max]}
   */
  public static OptionalDouble krippendorffAlphaOrdinal(List<int[]> units, int min, int max) {
    Objects.requireNonNull(units, "units");
    checkScale(min, max);
    for (int[] unit : units) {
      checkRange(Objects.requireNonNull(unit, "unit"), min, max, "unit");
    }
    return alpha(units, true);
  }

  /**
   * The spread of the levels one answer received: {@code max - min}, or 0 for fewer than 2 levels.
   *
   * @throws ArithmeticException if the spread does not fit in an int (never for rubric levels)
   */
  public static int maxLevelDifference(int[] levels) {
    Objects.requireNonNull(levels, "levels");
    if (levels.length < 2) {
      return 0;
    }
    int lo = levels[0];
    int hi = levels[0];
    for (int level : levels) {
      lo = Math.min(lo, level);
      hi = Math.max(hi, level);
    }
    return Math.subtractExact(hi, lo);
  }

  private static OptionalDouble alpha(List<int[]> units, boolean ordinal) {
    List<int[]> pairable = new ArrayList<>();
    for (int[] unit : units) {
      if (unit.length >= 2) {
        pairable.add(unit);
      }
    }
    // The distinct pairable levels, ascending; index c in the coincidence matrix stands for values[c].
    int[] values = pairable.stream().flatMapToInt(Arrays::stream).sorted().distinct().toArray();
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    int d = values.length;
    double[][] coincidences = new double[d][d];
    long[] counts = new long[d];
    for (int[] unit : pairable) {
      double share = 1.0 / (unit.length - 1);
      int[] index = new int[unit.length];
      for (int i = 0; i < unit.length; i++) {
        index[i] = Arrays.binarySearch(values, unit[i]);
        counts[index[i]]++;
      }
      for (int i = 0; i < unit.length; i++) {
        for (int j = 0; j < unit.length; j++) {
          if (i != j) {
            coincidences[index[i]][index[j]] += share;
          }
        }
      }
    }
    long n = Arrays.stream(counts).sum();
    double[][] delta = ordinal ? ordinalDelta(counts) : intervalDelta(values);
    double observed = 0;
    double expected = 0;
    for (int c = 0; c < d; c++) {
      for (int k = 0; k < d; k++) {
        observed += coincidences[c][k] * delta[c][k];
        expected += (double) counts[c] * counts[k] * delta[c][k];
      }
    }
    if (expected == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(1 - (n - 1) * observed / expected);
  }

  private static double[][] intervalDelta(int[] values) {
    int d = values.length;
    double[][] delta = new double[d][d];
    for (int c = 0; c < d; c++) {
      for (int k = 0; k < d; k++) {
        delta[c][k] = squaredDifference(values[c], values[k]);
      }
    }
    return delta;
  }

  /** Over the distinct used levels only, which is the same sum as over the whole scale: unused levels count 0. */
  private static double[][] ordinalDelta(long[] counts) {
    int d = counts.length;
    long[] cumulative = new long[d + 1]; // cumulative[i] = counts[0] + ... + counts[i - 1]
    for (int i = 0; i < d; i++) {
      cumulative[i + 1] = cumulative[i] + counts[i];
    }
    double[][] delta = new double[d][d];
    for (int c = 0; c < d; c++) {
      for (int k = c; k < d; k++) {
        double between = cumulative[k + 1] - cumulative[c] - (counts[c] + counts[k]) / 2.0;
        delta[c][k] = between * between;
        delta[k][c] = delta[c][k];
      }
    }
    return delta; // on the diagonal, n_c - (n_c + n_c) / 2 = 0
  }

  private static double squaredDifference(int x, int y) {
    double diff = (long) x - y;
    return diff * diff;
  }

  private static TreeMap<Integer, Integer> counts(int[] levels) {
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    for (int level : levels) {
      counts.merge(level, 1, Integer::sum);
    }
    return counts;
  }

  private static void checkScale(int min, int max) {
    if (max < min) {
      throw new IllegalArgumentException("scale [" + min + ", " + max + "] is empty");
    }
  }

  private static void checkRange(int[] levels, int min, int max, String who) {
    for (int level : levels) {
      if (level < min || level > max) {
        throw new IllegalArgumentException(who + " has level " + level + " outside [" + min + ", " + max + "]");
      }
    }
  }
}
