package dev.gameday.review;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reviewer severity and drift (issue 24): for each reviewer, criterion and calendar month, the mean signed offset of
 * their levels from the item's consensus (the median of the other reviewers' levels on that item and criterion), with
 * a 95% interval (mean +- 1.96 standard errors, normal approximation) and the number of items. A reviewer whose
 * interval lies wholly beyond half a level from 0 (low > 0.5 or high < -0.5) is marked for recalibration. Pure.
 */
public final class Severity {
  public static final double RECALIBRATE = 0.5;

  private Severity() {
  }

  /** One submitted level: {@code month} as "2026-12". */
  public record Level(long reviewerId, String reviewer, String item, String criterion, String month, int level) {
  }

  public record Row(long reviewerId, String reviewer, String criterion, String month, int items, double mean, Double ciLow,
                    Double ciHigh, boolean recalibrate) {
  }

  public static List<Row> compute(List<Level> levels) {
    Map<String, List<Level>> byItem = new LinkedHashMap<>(); // item|criterion -> levels
    for (Level l : levels) {
      byItem.computeIfAbsent(l.item() + "|" + l.criterion(), k -> new ArrayList<>()).add(l);
    }
    Map<String, List<Double>> offsets = new TreeMap<>(); // reviewer|criterion|month -> offsets
    Map<String, Level> who = new LinkedHashMap<>();
    for (List<Level> group : byItem.values()) {
      if (group.size() < 2) {
        continue;
      }
      for (Level l : group) {
        List<Integer> others = group.stream().filter(o -> o.reviewerId() != l.reviewerId()).map(Level::level).toList();
        if (others.isEmpty()) {
          continue;
        }
        String key = l.reviewerId() + "|" + l.criterion() + "|" + l.month();
        offsets.computeIfAbsent(key, k -> new ArrayList<>()).add(l.level() - ReviewService.median(others));
        who.putIfAbsent(key, l);
      }
    }
    List<Row> out = new ArrayList<>();
    offsets.forEach((key, xs) -> {
      Level l = who.get(key);
      int n = xs.size();
      double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      Double low = null;
      Double high = null;
      if (n >= 2) {
        double var = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (n - 1);
        double half = 1.96 * Math.sqrt(var / n);
        low = mean - half;
        high = mean + half;
      }
      boolean recalibrate = low != null && (low > RECALIBRATE || high < -RECALIBRATE);
      out.add(new Row(l.reviewerId(), l.reviewer(), l.criterion(), l.month(), n, mean, low, high, recalibrate));
    });
    return out;
  }
}
