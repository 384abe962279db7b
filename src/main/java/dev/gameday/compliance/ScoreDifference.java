package dev.gameday.compliance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Standardised mean differences of scores between groups: <b>Hedges' g</b> (Cohen's d with the small-sample
 * correction J = 1 - 3 / (4 (n1 + n2) - 9)) of each group against the largest group shown, with a 95% confidence
 * interval from the normal approximation of its variance, (n1 + n2) / (n1 n2) + g^2 / (2 (n1 + n2)) (Hedges &amp;
 * Olkin 1985). Negative g: the group scored lower than the reference. Groups of fewer than
 * {@value AdverseImpact#MIN_GROUP} are suppressed, as in {@link AdverseImpact}.
 */
public final class ScoreDifference {
  private static final double Z95 = 1.959963984540054;

  private ScoreDifference() {
  }

  /** A group's scores, as aggregated: how many, their sum and their sum of squares. */
  public record Scores(String group, long n, double sum, double sumSquares) {
    double mean() {
      return sum / n;
    }

    /** The sample variance (n - 1). */
    double variance() {
      return n < 2 ? 0 : Math.max(0, (sumSquares - sum * sum / n) / (n - 1));
    }
  }

  public record Row(String group, boolean suppressed, Long n, Double mean, Double g, Double low, Double high,
                    boolean reference) {
  }

  public static List<Row> analyse(List<Scores> groups) {
    Scores ref = groups.stream().filter(s -> s.n() >= AdverseImpact.MIN_GROUP)
        .max(Comparator.comparingLong(Scores::n)).orElse(null);
    List<Row> out = new ArrayList<>();
    for (Scores s : groups) {
      if (s.n() < AdverseImpact.MIN_GROUP) {
        out.add(new Row(s.group(), true, null, null, null, null, null, false));
        continue;
      }
      if (s == ref) {
        out.add(new Row(s.group(), false, s.n(), s.mean(), null, null, null, true));
        continue;
      }
      double[] g = hedges(s, ref);
      out.add(new Row(s.group(), false, s.n(), s.mean(), g == null ? null : g[0], g == null ? null : g[1],
          g == null ? null : g[2], false));
    }
    return out;
  }

  /** {g, low, high} of {@code group} against {@code ref}; null when the pooled deviation is 0. */
  static double[] hedges(Scores group, Scores ref) {
    double n1 = group.n();
    double n2 = ref.n();
    double pooled = Math.sqrt(((n1 - 1) * group.variance() + (n2 - 1) * ref.variance()) / (n1 + n2 - 2));
    if (!(pooled > 0)) {
      return null;
    }
    double d = (group.mean() - ref.mean()) / pooled;
    double g = d * (1 - 3 / (4 * (n1 + n2) - 9));
    double se = Math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)));
    return new double[] {g, g - Z95 * se, g + Z95 * se};
  }
}
