package dev.gameday.review;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Krippendorff's ordinal alpha on live reviews, per rubric criterion and for the weighted total, with a seeded 95%
 * bootstrap confidence interval, and the grade a decision may lean on. Pure: plain arrays in, figures out.
 *
 * <p>An item (one exercise of one submission) is a unit; each reviewer who submitted a review of it gives one value
 * per criterion, and for the total {@code sum(weight * level)} (the ordinal metric only uses the order of the values,
 * so the weighted sum orders reviews exactly as the weighted mean does). Items with fewer than 2 values are not
 * pairable and count nowhere.
 *
 * <p>The point estimate is {@link Agreement#krippendorffAlphaOrdinal}'s coincidence formulation. To keep the
 * bootstrap fast on 100,000 items, items with the same multiset of values (a "pattern": with levels 1-4 and two
 * reviewers there are only 10) are counted together: a resample draws N items with replacement (the same items for
 * every criterion of the group), adds up the counts per pattern and computes alpha from those counts and each
 * pattern's coincidences. The CI is the 2.5th and 97.5th percentile (linear interpolation between order statistics)
 * of the resamples' alphas; a resample without variation (alpha undefined) is left out. Resample {@code b} draws from
 * its own generator seeded from the {@code b}-th value of {@code new SplittableRandom(seed)}, so the result is the
 * same for a seed however many threads compute it.
 */
public final class LiveAgreement {
  /** The fewest double-marked items behind a figure that is shown; below, the grade is {@code too-few}. */
  public static final int MIN_ITEMS = 10;
  public static final int RESAMPLES = 1000;
  public static final long SEED = 24L;
  public static final double DECISION_GRADE = 0.800;
  public static final double TENTATIVE = 0.667;
  /** The criterion name of the weighted total. */
  public static final String TOTAL = "total";

  private LiveAgreement() {
  }

  /**
   * One exercise under one rubric version.
   *
   * @param criteria the rubric's criterion ids, in order
   * @param weights  their weights, same order
   * @param items    per item, one row per reviewer who submitted, one level per criterion (0: none given)
   */
  public record Group(String exercise, String rubricVersion, List<String> criteria, int[] weights, List<int[][]> items) {
  }

  /** One row of the agreement table. {@code alpha}, {@code ciLow}, {@code ciHigh} are null when not shown. */
  public record Figure(String exercise, String criterion, String rubricVersion, Double alpha, Double ciLow, Double ciHigh,
                       int items, String grade) {
    public boolean notReliable() {
      return "not-reliable".equals(grade);
    }
  }

  /**
   * {@code decision-grade}: alpha >= 0.800 and the CI's lower bound >= 0.667; {@code tentative}: alpha >= 0.667;
   * {@code too-few}: fewer than {@link #MIN_ITEMS} double-marked items; else (also when alpha is undefined because
   * every value is the same, which is no evidence of reliability) {@code not-reliable}.
   */
  public static String grade(int items, Double alpha, Double ciLow) {
    if (items < MIN_ITEMS) {
      return "too-few";
    }
    if (alpha != null && alpha >= DECISION_GRADE && ciLow != null && ciLow >= TENTATIVE) {
      return "decision-grade";
    }
    if (alpha != null && alpha >= TENTATIVE) {
      return "tentative";
    }
    return "not-reliable";
  }

  /** Every criterion of the group, then the weighted total. */
  public static List<Figure> compute(Group g, int resamples, long seed) {
    int k = g.criteria().size();
    int n = g.items().size();
    // the resamples draw items by position: a canonical order (by their levels) makes the interval depend on the
    // items alone, not on the order the database happened to return them in
    List<int[][]> items = new ArrayList<>(g.items().size());
    for (int[][] item : g.items()) {
      int[][] rows = item.clone();
      Arrays.sort(rows, Arrays::compare); // which reviewer came first does not matter either
      items.add(rows);
    }
    items.sort((x, y) -> Arrays.compare(flat(x), flat(y)));
    g = new Group(g.exercise(), g.rubricVersion(), g.criteria(), g.weights(), items);
    Column[] columns = new Column[k + 1];
    for (int j = 0; j <= k; j++) {
      List<int[]> units = new ArrayList<>(n);
      for (int[][] item : g.items()) {
        units.add(values(item, j, k, g.weights()));
      }
      columns[j] = new Column(units);
    }
    double[][] boot = new double[k + 1][];
    boolean any = Arrays.stream(columns).anyMatch(c -> c.pairable >= MIN_ITEMS);
    if (any && resamples > 0 && n > 0) {
      double[][] byResample = new double[resamples][];
      long[] seeds = new SplittableRandom(seed).longs(resamples).toArray();
      int[] flat = Column.interleaved(columns);
      IntStream.range(0, resamples).parallel().forEach(b -> byResample[b] = resample(columns, flat, n, new SplittableRandom(seeds[b])));
      for (int j = 0; j <= k; j++) {
        final int col = j;
        boot[j] = Arrays.stream(byResample).mapToDouble(r -> r[col]).filter(d -> !Double.isNaN(d)).sorted().toArray();
      }
    }
    List<Figure> out = new ArrayList<>(k + 1);
    for (int j = 0; j <= k; j++) {
      Column c = columns[j];
      String name = j < k ? g.criteria().get(j) : TOTAL;
      if (c.pairable < MIN_ITEMS) {
        out.add(new Figure(g.exercise(), name, g.rubricVersion(), null, null, null, c.pairable, grade(c.pairable, null, null)));
        continue;
      }
      double a = c.alpha(c.fullCounts);
      Double alpha = Double.isNaN(a) ? null : a;
      Double low = boot[j] == null || boot[j].length == 0 ? null : percentile(boot[j], 0.025);
      Double high = boot[j] == null || boot[j].length == 0 ? null : percentile(boot[j], 0.975);
      out.add(new Figure(g.exercise(), name, g.rubricVersion(), alpha, low, high, c.pairable, grade(c.pairable, alpha, low)));
    }
    return out;
  }

  /** An item's levels, reviewer by reviewer. */
  static int[] flat(int[][] item) {
    return Arrays.stream(item).flatMapToInt(Arrays::stream).toArray();
  }

  /** The values an item received on column j (a criterion, or the weighted total when j == k). */
  static int[] values(int[][] item, int j, int k, int[] weights) {
    int[] out = new int[item.length];
    int m = 0;
    for (int[] review : item) {
      if (j < k) {
        if (review[j] > 0) {
          out[m++] = review[j];
        }
      } else {
        int total = 0;
        boolean complete = true;
        for (int c = 0; c < k; c++) {
          complete &= review[c] > 0;
          total += weights[c] * review[c];
        }
        if (complete) {
          out[m++] = total;
        }
      }
    }
    return Arrays.copyOf(out, m);
  }

  /** Type 7 (R's default): linear between the order statistics around {@code q * (n - 1)}. */
  static double percentile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double[] resample(Column[] columns, int[] flat, int n, SplittableRandom rng) {
    int cols = columns.length;
    // one counter array for every column's patterns; flat[] holds each item's slot per column (the last slot, never
    // read, for an item not pairable on that column), so the hot loop has neither a branch nor a second index
    int slots = columns[cols - 1].offset + columns[cols - 1].patterns.size() + 1;
    int[] counts = new int[slots];
    for (int i = 0; i < n; i++) {
      int base = rng.nextInt(n) * cols;
      for (int j = 0; j < cols; j++) {
        counts[flat[base + j]]++;
      }
    }
    double[] out = new double[cols];
    for (int j = 0; j < cols; j++) {
      Column c = columns[j];
      out[j] = c.pairable < MIN_ITEMS ? Double.NaN : c.alpha(java.util.Arrays.copyOfRange(counts, c.offset, c.offset + c.patterns.size()));
    }
    return out;
  }

  /** One criterion (or the total) of a group: the items' patterns and each pattern's coincidences. */
  private static final class Column {
    final int[] values; // distinct pairable values, ascending
    final List<Pattern> patterns = new ArrayList<>();
    final int[] patternOf; // per item, its pattern, or -1 when not pairable
    final int[] fullCounts;
    final int pairable;
    int offset; // where this column's patterns start among all columns' (see resample)

    Column(List<int[]> units) {
      values = units.stream().filter(u -> u.length >= 2).flatMapToInt(Arrays::stream).sorted().distinct().toArray();
      patternOf = new int[units.size()];
      Map<String, Integer> ids = new HashMap<>();
      int count = 0;
      for (int i = 0; i < units.size(); i++) {
        int[] u = units.get(i);
        if (u.length < 2) {
          patternOf[i] = -1;
          continue;
        }
        count++;
        int[] sorted = u.clone();
        Arrays.sort(sorted);
        patternOf[i] = ids.computeIfAbsent(Arrays.toString(sorted), key -> {
          patterns.add(new Pattern(sorted, values));
          return patterns.size() - 1;
        });
      }
      pairable = count;
      fullCounts = new int[patterns.size()];
      for (int p : patternOf) {
        if (p >= 0) {
          fullCounts[p]++;
        }
      }
    }

    /**
     * All columns' patterns item by item, {@code [item0 col0, item0 col1, ..., item1 col0, ...]}: a draw then reads
     * one cache line instead of one per column.
     */
    static int[] interleaved(Column[] columns) {
      int n = columns[0].patternOf.length;
      int cols = columns.length;
      int offset = 0;
      for (Column c : columns) {
        c.offset = offset;
        offset += c.patterns.size();
      }
      int unused = offset;
      int[] flat = new int[n * cols];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < cols; j++) {
          int p = columns[j].patternOf[i];
          flat[i * cols + j] = p < 0 ? unused : columns[j].offset + p;
        }
      }
      return flat;
    }

    /** Ordinal alpha from how many items of each pattern there are; NaN when undefined. */
    double alpha(int[] counts) {
      int d = values.length;
      double[] nc = new double[d];
      double[][] off = new double[d][d]; // coincidences above the diagonal (c < k); o is symmetric
      for (int p = 0; p < counts.length; p++) {
        int times = counts[p];
        if (times == 0) {
          continue;
        }
        Pattern pat = patterns.get(p);
        for (int i = 0; i < pat.index.length; i++) {
          nc[pat.index[i]] += times;
        }
        for (int e = 0; e < pat.pairC.length; e++) {
          off[pat.pairC[e]][pat.pairK[e]] += times * pat.pairWeight[e];
        }
      }
      double n = 0;
      for (double x : nc) {
        n += x;
      }
      double[] cumulative = new double[d + 1];
      for (int i = 0; i < d; i++) {
        cumulative[i + 1] = cumulative[i] + nc[i];
      }
      double observed = 0;
      double expected = 0;
      for (int c = 0; c < d; c++) {
        for (int k = c + 1; k < d; k++) {
          double between = cumulative[k + 1] - cumulative[c] - (nc[c] + nc[k]) / 2.0;
          double delta = between * between;
          observed += 2 * off[c][k] * delta;
          expected += 2 * nc[c] * nc[k] * delta;
        }
      }
      if (expected == 0) {
        return Double.NaN;
      }
      return 1 - (n - 1) * observed / expected;
    }
  }

  /** A multiset of values one item received: the value indices, and its coincidences off the diagonal (c < k). */
  private static final class Pattern {
    final int[] index;
    final int[] pairC;
    final int[] pairK;
    final double[] pairWeight;

    Pattern(int[] sorted, int[] values) {
      index = Arrays.stream(sorted).map(v -> Arrays.binarySearch(values, v)).toArray();
      int m = index.length;
      double share = 1.0 / (m - 1);
      Map<Long, Double> pairs = new HashMap<>();
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          // each ordered pair (i, j), i != j, adds 1/(m-1) to o[vi][vj]; folded onto c < k, as o is symmetric
          if (i != j && index[i] < index[j]) {
            pairs.merge(((long) index[i] << 32) | index[j], share, Double::sum);
          }
        }
      }
      pairC = new int[pairs.size()];
      pairK = new int[pairs.size()];
      pairWeight = new double[pairs.size()];
      int e = 0;
      for (var en : pairs.entrySet()) {
        pairC[e] = (int) (en.getKey() >>> 32);
        pairK[e] = (int) (long) en.getKey();
        pairWeight[e] = en.getValue();
        e++;
      }
    }
  }
}
