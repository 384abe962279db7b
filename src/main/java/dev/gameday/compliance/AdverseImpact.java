package dev.gameday.compliance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.distribution.HypergeometricDistribution;

/**
 * Adverse impact statistics over counts that are already aggregated (pure; no I/O).
 *
 * <ul>
 *   <li>Selection rate = selected / assessed per group.</li>
 *   <li>Impact ratio = a group's rate / the highest rate among the groups shown (29 CFR 1607.4D; the Uniform
 *       Guidelines' Questions and Answers, 44 Fed. Reg. 11996 (1979), Q&amp;A 12).</li>
 *   <li>Fisher's exact test, two-sided, of the 2x2 table (group vs the highest-rate group) x (selected vs not): the sum
 *       of the probabilities of every table with the same margins that is no more probable than the one observed
 *       (R's {@code fisher.test} convention, with its relative tolerance of 1e-7).</li>
 *   <li>Flag: impact ratio &lt; 0.8 <em>and</em> p &lt; 0.05.</li>
 *   <li>Groups with fewer than {@value #MIN_GROUP} people are shown as "fewer than 5": no counts, no rate, and they
 *       take no part in the ratios (neither as the highest-rate group nor compared with it).</li>
 * </ul>
 */
public final class AdverseImpact {
  public static final int MIN_GROUP = 5;
  public static final double FOUR_FIFTHS = 0.8;
  public static final double ALPHA = 0.05;
  /** R's fisher.test: tables within this relative distance of the observed probability count as "as extreme". */
  private static final double RELATIVE_ERROR = 1 + 1e-7;

  private AdverseImpact() {
  }

  /** The counts of one group, as collected. */
  public record Count(String group, long assessed, long selected) {
    public Count {
      if (assessed < 0 || selected < 0 || selected > assessed) {
        throw new IllegalArgumentException(group + ": " + selected + " selected of " + assessed);
      }
    }
  }

  /**
   * One group's line. For a suppressed group every number is null. {@code p} is null for the reference group (the
   * highest rate) and when no comparison is possible.
   */
  public record Row(String group, boolean suppressed, Long assessed, Long selected, Double rate, Double impactRatio,
                    Double p, boolean reference, boolean flagged) {
  }

  /** The rows of one table, in the order given. */
  public static List<Row> analyse(List<Count> counts) {
    Count best = counts.stream().filter(c -> c.assessed() >= MIN_GROUP)
        .max(Comparator.comparingDouble(AdverseImpact::rate)).orElse(null);
    double top = best == null ? 0 : rate(best);
    List<Row> out = new ArrayList<>(counts.size());
    for (Count c : counts) {
      if (c.assessed() < MIN_GROUP) {
        out.add(new Row(c.group(), true, null, null, null, null, null, false, false));
        continue;
      }
      double rate = rate(c);
      boolean reference = c == best;
      Double ratio = top > 0 ? rate / top : null;
      Double p = reference ? null : fisherTwoSided(c.selected(), c.assessed() - c.selected(), best.selected(),
          best.assessed() - best.selected());
      boolean flagged = ratio != null && p != null && ratio < FOUR_FIFTHS && p < ALPHA;
      out.add(new Row(c.group(), false, c.assessed(), c.selected(), rate, ratio, p, reference, flagged));
    }
    return out;
  }

  static double rate(Count c) {
    return c.assessed() == 0 ? 0 : (double) c.selected() / c.assessed();
  }

  /**
   * Fisher's exact test, two-sided, of the table {@code [[a, b], [c, d]]} (rows: the two groups; columns: selected,
   * not selected).
   */
  public static double fisherTwoSided(long a, long b, long c, long d) {
    if (a < 0 || b < 0 || c < 0 || d < 0) {
      throw new IllegalArgumentException("negative cell");
    }
    long n = a + b + c + d;
    if (n == 0) {
      return 1;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("table too large");
    }
    int row1 = (int) (a + b);
    int col1 = (int) (a + c);
    int row2 = (int) (c + d);
    int lo = Math.max(0, col1 - row2);
    int hi = Math.min(row1, col1);
    HypergeometricDistribution h = new HypergeometricDistribution(null, (int) n, col1, row1);
    // from the mode outwards, each term from its neighbour by the hypergeometric ratio (probabilities relative to the
    // mode's, so nothing underflows near it); each side falls monotonically, and stops once what is left is negligible
    int mode = (int) Math.max(lo, Math.min(hi, Math.floor((row1 + 1.0) * (col1 + 1.0) / (n + 2.0))));
    double logMode = h.logProbability(mode);
    double limit = Math.exp(h.logProbability((int) a) - logMode) * RELATIVE_ERROR;
    double sum = 1 <= limit ? 1 : 0;
    double t = 1;
    for (int x = mode; x < hi; x++) {
      t *= (double) (row1 - x) * (col1 - x) / ((x + 1.0) * (row2 - col1 + x + 1.0));
      if (t <= limit) {
        sum += t;
        if (t < sum * 1e-17) {
          break;
        }
      }
    }
    t = 1;
    for (int x = mode; x > lo; x--) {
      t *= (double) x * (row2 - col1 + x) / ((row1 - x + 1.0) * (col1 - x + 1.0));
      if (t <= limit) {
        sum += t;
        if (t < sum * 1e-17) {
          break;
        }
      }
    }
    return Math.min(1, sum * Math.exp(logMode));
  }
}
