package dev.gameday.review;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gameday.review.Calibration.CriterionAgreement;
import dev.gameday.review.Calibration.PairAgreement;
import dev.gameday.review.Calibration.Rating;
import dev.gameday.review.Calibration.ReferenceAgreement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The calibration page's figures from ratings, against values worked out by hand (levels 1-4, weights (i-j)^2/9). */
class CalibrationTest {

  @Test
  @DisplayName("a reviewer against the reference: exact 75%, within one 100%, kappa 11/12")
  void againstReference() {
    // mine [1,2,3,4], reference [1,2,4,4].
    // Observed weighted disagreement: only (3,4): 1/9.
    // Expected: marginals mine {1,2,3,4} x1, reference {1:1, 2:1, 4:2}; sum of m_i r_j (i-j)^2 =
    //   i=1: 0+1+2*9=19; i=2: 1+0+2*4=9; i=3: 4+1+2*1=7; i=4: 9+4+0=13 -> 48; / 9 / n(4) = 4/3.
    // kappa = 1 - (1/9) / (4/3) = 1 - 1/12 = 11/12.
    List<Rating> practice = List.of(new Rating("Rita", "cal", "c1", 1), new Rating("Rita", "cal", "c2", 2),
        new Rating("Rita", "cal", "c3", 3), new Rating("Rita", "cal", "c4", 4));
    Map<String, Integer> reference = Map.of("cal|c1", 1, "cal|c2", 2, "cal|c3", 4, "cal|c4", 4);
    ReferenceAgreement r = Calibration.againstReference(practice, reference).get(0);
    assertEquals("Rita", r.reviewer());
    assertEquals(4, r.ratings());
    assertEquals(0.75, r.exact(), 1e-12);
    assertEquals(1.0, r.withinOne(), 1e-12);
    assertEquals(11.0 / 12.0, r.kappa().getAsDouble(), 1e-9);
  }

  @Test
  @DisplayName("between reviewers: kappa per pair (0.8, 2/7, 2/3) and ordinal alpha 709/1248 across all, with counts")
  void betweenReviewers() {
    // unit u1: A=1 B=1 C=2; u2: A=3 B=3; u3: A=2 B=3 C=4.
    // A&B on u1..u3: A=[1,3,2] B=[1,3,3]: observed (2,3) -> 1/9; expected: a{1,2,3} b{1:1,3:2}:
    //   i=1: 2*4=8; i=2: 1+2*1=3; i=3: 4 -> 15; /9/3 = 5/9; kappa = 1 - (1/9)/(5/9) = 0.8.
    // A&C on u1,u3: A=[1,2] C=[2,4]: observed 1/9 + 4/9 = 5/9; expected (1,2)=1 (1,4)=9 (2,2)=0 (2,4)=4 -> 14/9/2 = 7/9;
    //   kappa = 1 - 5/7 = 2/7.
    // B&C on u1,u3: B=[1,3] C=[2,4]: observed 1/9 + 1/9 = 2/9; expected (1,2)=1 (1,4)=9 (3,2)=1 (3,4)=1 -> 12/9/2 = 2/3;
    //   kappa = 1 - (2/9)/(2/3) = 2/3.
    // Ordinal alpha for the units {1,1,2},{3,3},{2,3,4}: 709/1248 (worked out in AgreementTest).
    List<Rating> ratings = List.of(
        new Rating("A", "u1", "c", 1), new Rating("B", "u1", "c", 1), new Rating("C", "u1", "c", 2),
        new Rating("A", "u2", "c", 3), new Rating("B", "u2", "c", 3),
        new Rating("A", "u3", "c", 2), new Rating("B", "u3", "c", 3), new Rating("C", "u3", "c", 4));
    CriterionAgreement c = Calibration.betweenReviewers(ratings, 2).get(0);
    assertEquals(8, c.ratings());
    assertEquals(3, c.units());
    assertEquals(709.0 / 1248.0, c.alpha().getAsDouble(), 1e-9);
    Map<String, PairAgreement> pairs = new java.util.HashMap<>();
    c.pairs().forEach(p -> pairs.put(p.first() + p.second(), p));
    assertEquals(3, pairs.get("AB").items());
    assertEquals(0.8, pairs.get("AB").kappa().getAsDouble(), 1e-9);
    assertEquals(2, pairs.get("AC").items());
    assertEquals(2.0 / 7.0, pairs.get("AC").kappa().getAsDouble(), 1e-9);
    assertEquals(2.0 / 3.0, pairs.get("BC").kappa().getAsDouble(), 1e-9);
  }

  @Test
  @DisplayName("below five answers no coefficient is given, whether or not the reviewers differed; from five it is")
  void minimumAnswers() {
    // one answer: two reviewers who agree (alpha undefined) and two who differ (alpha 0.0) look the same
    CriterionAgreement agree = Calibration.betweenReviewers(List.of(new Rating("A", "u1", "c", 2), new Rating("B", "u1", "c", 2))).get(0);
    CriterionAgreement differ = Calibration.betweenReviewers(List.of(new Rating("A", "u1", "c", 1), new Rating("B", "u1", "c", 4))).get(0);
    for (CriterionAgreement c : List.of(agree, differ)) {
      assertEquals(false, c.enough());
      assertEquals(true, c.alpha().isEmpty());
      assertEquals(false, c.pairs().get(0).enough());
      assertEquals(true, c.pairs().get(0).kappa().isEmpty());
    }
    assertEquals(agree.units(), differ.units());
    assertEquals(agree.ratings(), differ.ratings());
    // five answers: A=[1,2,3,4,2] B=[1,3,3,3,2]
    int[][] levels = {{1, 1}, {2, 3}, {3, 3}, {4, 3}, {2, 2}};
    List<Rating> five = new java.util.ArrayList<>();
    for (int i = 0; i < levels.length; i++) {
      five.add(new Rating("A", "u" + i, "c", levels[i][0]));
      five.add(new Rating("B", "u" + i, "c", levels[i][1]));
    }
    CriterionAgreement c = Calibration.betweenReviewers(five).get(0);
    assertEquals(Calibration.MIN_ANSWERS, c.units());
    assertEquals(true, c.enough());
    assertEquals(Agreement.krippendorffAlphaOrdinal(java.util.Arrays.asList(levels), 1, 4), c.alpha());
    assertEquals(true, c.pairs().get(0).enough());
    assertEquals(Agreement.quadraticWeightedKappa(new int[] {1, 2, 3, 4, 2}, new int[] {1, 3, 3, 3, 2}, 1, 4), c.pairs().get(0).kappa());
    assertEquals(true, Calibration.betweenReviewers(five.subList(0, 8)).get(0).alpha().isEmpty(), "four answers are not enough");
  }

  @Test
  @DisplayName("an answer rated by one reviewer only adds no pairable ratings")
  void singleRatings() {
    CriterionAgreement c = Calibration.betweenReviewers(List.of(new Rating("A", "u1", "c", 2), new Rating("B", "u2", "c", 3))).get(0);
    assertEquals(0, c.ratings());
    assertEquals(0, c.units());
    assertEquals(true, c.alpha().isEmpty());
  }
}
