package dev.gameday.review;

import dev.gameday.web.Account;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.review.LiveAgreement.Figure;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Whether a decision on a submission may lean on its scores (issue 24): not when any criterion of one of its
 * exercises is {@code not-reliable} under the rubric version it was reviewed with, nor when reviewers of one of its
 * answers are two or more levels apart and no adjudication has resolved it. Then a decision needs an override with a
 * written reason.
 */
public final class DecisionGate {
  public static final int MAX_OVERRIDE = 2000;

  private final Pool pool;
  private final Catalog catalog;
  private final AgreementService agreement;

  public DecisionGate(Pool pool, Catalog catalog, AgreementService agreement) {
    this.pool = pool;
    this.catalog = catalog;
    this.agreement = agreement;
  }

  /** One exercise of the submission: its criteria's figures, and whether its reviewers disagree unresolved. */
  public record Check(String exerciseId, String exerciseTitle, String rubricVersion, List<Figure> figures,
                      boolean unresolvedDisagreement) {
    List<String> reasons(java.util.function.BiFunction<String, String, String> criterionTitle) {
      List<String> out = new ArrayList<>();
      for (Figure f : figures) {
        if (f.notReliable()) {
          out.add(exerciseTitle + ": agreement on " + criterionTitle.apply(exerciseId, f.criterion()) + " is not reliable (alpha "
              + (f.alpha() == null ? "undefined" : String.format(java.util.Locale.ROOT, "%.3f", f.alpha())) + " over " + f.items() + " answers)");
        }
      }
      if (unresolvedDisagreement) {
        out.add(exerciseTitle + ": the reviewers are two or more levels apart and no third review has resolved it");
      }
      return out;
    }
  }

  /**
   * An answer's disagreement is resolved once an adjudicating (third) review of it is submitted; until then it is
   * unresolved.
   */
  private static final String ITEMS = """
      select ri.exercise_id, ri.version_id, ri.disagreement,
             exists (select 1 from reviews r where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id
                       and r.state = 'submitted' and r.adjudicator) as adjudicated
        from review_items ri where ri.submission_id = $1 order by ri.position""";

  public Future<List<Check>> checks(UUID sid, Account me) {
    return pool.preparedQuery(ITEMS).execute(Tuple.of(sid)).compose(rows -> {
      List<Row> items = new ArrayList<>();
      rows.forEach(items::add);
      List<Future<Version>> versions = items.stream().map(r -> catalog.version(r.getLong("version_id"))).toList();
      return Future.all(versions).compose(vs -> agreement.figures(me).map(figures -> {
        List<Check> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          Row r = items.get(i);
          Version v = vs.resultAt(i);
          String rubricVersion = RubricVersions.of(v);
          out.add(new Check(r.getString("exercise_id"), v.exercise().title(), rubricVersion,
              figures.of(r.getString("exercise_id"), rubricVersion),
              Boolean.TRUE.equals(r.getBoolean("disagreement")) && !Boolean.TRUE.equals(r.getBoolean("adjudicated"))));
        }
        return out;
      }));
    });
  }

  /**
   * Nothing to override: null. Otherwise the override to store ({@code reason}, {@code for}); without a reason,
   * 409 {@code override_required} naming what needs it.
   */
  public static JsonObject override(List<String> reasons, String overrideReason) {
    if (reasons.isEmpty()) {
      return null;
    }
    String why = overrideReason == null ? "" : overrideReason.strip();
    if (why.isEmpty()) {
      throw new ClientError(409, "override_required", "This decision cannot lean on the scores alone: "
          + String.join("; ", reasons) + ". Record it as an override with a written reason (override_reason).",
          new JsonObject().put("reasons", new JsonArray(reasons)));
    }
    if (why.length() > MAX_OVERRIDE) {
      throw new ClientError(400, "invalid_override_reason", "An override reason may be at most " + MAX_OVERRIDE + " characters.");
    }
    return new JsonObject().put("reason", why).put("for", new JsonArray(reasons));
  }
}
