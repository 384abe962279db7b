package dev.gameday.compliance;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Voluntary self-identification: the questions, their answers (codes and labels), and the candidate's own row. The
 * table {@code self_identification} is read only in this package; nothing here is reachable by review, recruiter or
 * API token code.
 */
public final class SelfId {
  public static final String PREFER_NOT = "prefer_not";

  /** A question: its field, its legend, and its answers (code to label) in the order shown. */
  public record Question(String field, String legend, Map<String, String> answers) {
    public String label(String code) {
      return answers.getOrDefault(code, code);
    }
  }

  public static final Question SEX = new Question("sex", "Sex / gender", ordered(
      "female", "Female", "male", "Male", "nonbinary", "Non-binary or another gender", PREFER_NOT, "Prefer not to say"));
  /** The EEO-1 race and ethnicity categories. */
  public static final Question RACE = new Question("race", "Race / ethnicity", ordered(
      "hispanic_latino", "Hispanic or Latino",
      "white", "White (not Hispanic or Latino)",
      "black", "Black or African American (not Hispanic or Latino)",
      "native_hawaiian_pacific_islander", "Native Hawaiian or Other Pacific Islander (not Hispanic or Latino)",
      "asian", "Asian (not Hispanic or Latino)",
      "american_indian_alaska_native", "American Indian or Alaska Native (not Hispanic or Latino)",
      "two_or_more", "Two or more races (not Hispanic or Latino)",
      PREFER_NOT, "Prefer not to say"));
  public static final Question DISABILITY = new Question("disability", "Disability", ordered(
      "yes", "Yes, I have a disability (or have had one)", "no", "No, I do not have a disability", PREFER_NOT,
      "Prefer not to say"));
  public static final Question VETERAN = new Question("veteran", "Veteran status", ordered(
      "protected_veteran", "I am a protected veteran", "not_protected_veteran", "I am not a protected veteran",
      PREFER_NOT, "Prefer not to say"));
  public static final List<Question> QUESTIONS = List.of(SEX, RACE, DISABILITY, VETERAN);

  private final Pool pool;

  public SelfId(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores the candidate's answers, once they have submitted; a missing answer is "prefer not to say". Answering again
   * replaces the answers.
   */
  public Future<Void> save(long invitationId, Map<String, String> form) {
    List<String> values = new ArrayList<>();
    for (Question q : QUESTIONS) {
      String v = form.get(q.field());
      v = v == null || v.isBlank() ? PREFER_NOT : v.strip();
      if (!q.answers().containsKey(v)) {
        return Future.failedFuture(new ClientError(400, "invalid_answer", "Choose one of the answers for " + q.legend()
            + ", or \"Prefer not to say\"."));
      }
      values.add(v);
    }
    return pool.preparedQuery("""
            insert into self_identification (invitation_id, sex, race, disability, veteran)
            select i.id, $2, $3, $4, $5 from invitations i where i.id = $1 and i.state = 'submitted' and i.erased_at is null
            on conflict (invitation_id) do update set sex = excluded.sex, race = excluded.race,
                   disability = excluded.disability, veteran = excluded.veteran, answered_at = now()
            returning invitation_id""")
        .execute(Tuple.of(invitationId, values.get(0), values.get(1), values.get(2), values.get(3)))
        .compose(rows -> rows.size() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(new ClientError(409,
            "not_submitted", "The voluntary questions are offered only after you submit your answers.")));
  }

  /** Withdraws the answers (the candidate may change their mind). */
  public Future<Void> withdraw(long invitationId) {
    return pool.preparedQuery("delete from self_identification where invitation_id = $1").execute(Tuple.of(invitationId))
        .mapEmpty();
  }

  /** The candidate's own answers as codes, or null; for their own pages and download only. */
  public Future<JsonObject> own(long invitationId) {
    return pool.preparedQuery("select sex, race, disability, veteran, answered_at from self_identification where invitation_id = $1")
        .execute(Tuple.of(invitationId)).map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          JsonObject o = new JsonObject();
          for (Question q : QUESTIONS) {
            o.put(q.field(), r.getString(q.field()));
          }
          return o.put("answeredAt", r.getOffsetDateTime("answered_at").toString());
        });
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
