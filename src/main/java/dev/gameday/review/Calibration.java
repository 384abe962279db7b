package dev.gameday.review;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The figures on the calibration page, computed from plain ratings so that they can be checked by hand:
 * each reviewer against the reference scores of the calibration answers, and reviewers against each other on real
 * submissions, per criterion (quadratic-weighted Cohen's kappa per pair, Krippendorff's ordinal alpha across all).
 *
 * <p>A between-reviewer figure is given only when at least {@link #MIN_ANSWERS} answers stand behind it; below, it
 * is empty and marked not enough. Over one or two answers a coefficient is noise, and whether it is defined at all
 * (alpha 0.0 or undefined) would tell whether two reviewers gave the same levels.
 */
public final class Calibration {
  /** The fewest answers rated by two or more reviewers (for a pair: by both) behind a figure that is shown. */
  public static final int MIN_ANSWERS = 5;

  private Calibration() {
  }

  /** One level given to one criterion of one rated thing (a submission's exercise, or a calibration answer). */
  public record Rating(String reviewer, String unit, String criterion, int level) {
  }

  /** A reviewer's practice ratings beside the reference. */
  public record ReferenceAgreement(String reviewer, int ratings, double exact, double withinOne, OptionalDouble kappa) {
  }

  /** {@code enough}: {@code items} reached the minimum; otherwise {@code kappa} is empty whatever the levels. */
  public record PairAgreement(String first, String second, int items, boolean enough, OptionalDouble kappa) {
  }

  /** {@code enough}: {@code units} reached the minimum; otherwise {@code alpha} is empty whatever the levels. */
  public record CriterionAgreement(String criterion, int ratings, int units, boolean enough, OptionalDouble alpha,
                                   List<PairAgreement> pairs) {
  }

  /** @param practice a reviewer's ratings; @param reference level per (unit, criterion) key "unit|criterion" */
  public static List<ReferenceAgreement> againstReference(List<Rating> practice, Map<String, Integer> reference) {
    Map<String, List<int[]>> byReviewer = new TreeMap<>();
    for (Rating r : practice) {
      Integer ref = reference.get(r.unit() + "|" + r.criterion());
      if (ref != null) {
        byReviewer.computeIfAbsent(r.reviewer(), k -> new ArrayList<>()).add(new int[] {r.level(), ref});
      }
    }
    List<ReferenceAgreement> out = new ArrayList<>();
    byReviewer.forEach((reviewer, pairs) -> {
      int[] mine = pairs.stream().mapToInt(p -> p[0]).toArray();
      int[] ref = pairs.stream().mapToInt(p -> p[1]).toArray();
      long exact = pairs.stream().filter(p -> p[0] == p[1]).count();
      long within = pairs.stream().filter(p -> Math.abs(p[0] - p[1]) <= 1).count();
      out.add(new ReferenceAgreement(reviewer, pairs.size(), (double) exact / pairs.size(), (double) within / pairs.size(),
          Agreement.quadraticWeightedKappa(mine, ref, 1, 4)));
    });
    return out;
  }

  /** Agreement between reviewers per criterion, over the units that two or more of them rated. */
  public static List<CriterionAgreement> betweenReviewers(List<Rating> ratings) {
    return betweenReviewers(ratings, MIN_ANSWERS);
  }

  /** @param minAnswers the fewest pairable units (for a pair, shared units) behind a coefficient that is given */
  static List<CriterionAgreement> betweenReviewers(List<Rating> ratings, int minAnswers) {
    Map<String, Map<String, Map<String, Integer>>> byCriterion = new TreeMap<>(); // criterion -> unit -> reviewer -> level
    for (Rating r : ratings) {
      byCriterion.computeIfAbsent(r.criterion(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.unit(), k -> new LinkedHashMap<>()).put(r.reviewer(), r.level());
    }
    List<CriterionAgreement> out = new ArrayList<>();
    byCriterion.forEach((criterion, units) -> {
      List<int[]> values = new ArrayList<>();
      int pairable = 0;
      for (Map<String, Integer> byReviewer : units.values()) {
        if (byReviewer.size() >= 2) {
          values.add(byReviewer.values().stream().mapToInt(Integer::intValue).toArray());
          pairable += byReviewer.size();
        }
      }
      Map<String, List<int[]>> pairs = new TreeMap<>();
      for (Map<String, Integer> byReviewer : units.values()) {
        List<String> names = new ArrayList<>(byReviewer.keySet());
        names.sort(String::compareTo);
        for (int i = 0; i < names.size(); i++) {
          for (int j = i + 1; j < names.size(); j++) {
            pairs.computeIfAbsent(names.get(i) + "\u0000" + names.get(j), k -> new ArrayList<>())
                .add(new int[] {byReviewer.get(names.get(i)), byReviewer.get(names.get(j))});
          }
        }
      }
      List<PairAgreement> pairList = new ArrayList<>();
      pairs.forEach((key, list) -> {
        String[] names = key.split("\u0000");
        boolean enough = list.size() >= minAnswers;
        pairList.add(new PairAgreement(names[0], names[1], list.size(), enough, enough ? Agreement.quadraticWeightedKappa(
            list.stream().mapToInt(p -> p[0]).toArray(), list.stream().mapToInt(p -> p[1]).toArray(), 1, 4) : OptionalDouble.empty()));
      });
      boolean enough = values.size() >= minAnswers;
      out.add(new CriterionAgreement(criterion, pairable, values.size(), enough,
          enough ? Agreement.krippendorffAlphaOrdinal(values, 1, 4) : OptionalDouble.empty(), pairList));
    });
    return out;
  }
}
