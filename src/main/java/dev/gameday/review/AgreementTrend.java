package dev.gameday.review;

import dev.gameday.review.LiveAgreement.Figure;
import dev.gameday.review.LiveAgreement.Group;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Live agreement per calendar month (issue 24, item 1): each criterion's (and the weighted total's) alpha, interval
 * and grade over the items of one month, so a drift in how reviewers agree shows before it moves the overall figure.
 * An item counts in the month (UTC) of its latest submitted review, the moment its set of reviews was last completed.
 * The same statistics as {@link LiveAgreement#compute}: seeded bootstrap, {@code too-few} and no figure under
 * {@link LiveAgreement#MIN_ITEMS} items in the month. Pure.
 */
public final class AgreementTrend {
  private AgreementTrend() {
  }

  /** One month's figure of one criterion; {@code month} is {@code YYYY-MM}. */
  public record Point(String month, Figure figure) {
    public JsonObject toJson() {
      return AgreementService.toJson(figure).put("month", month);
    }
  }

  /**
   * @param byMonth the group's items by month ({@code YYYY-MM}); months in order in the result
   * @return per month, oldest first, the criteria in rubric order then the total
   */
  public static List<Point> compute(Group all, Map<String, List<int[][]>> byMonth, int resamples, long seed) {
    List<Point> out = new ArrayList<>();
    for (var e : new TreeMap<>(byMonth).entrySet()) {
      Group g = new Group(all.exercise(), all.rubricVersion(), all.criteria(), all.weights(), e.getValue());
      for (Figure f : LiveAgreement.compute(g, resamples, seed)) {
        out.add(new Point(e.getKey(), f));
      }
    }
    return out;
  }
}
