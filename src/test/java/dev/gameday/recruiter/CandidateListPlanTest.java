package dev.gameday.recruiter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.sqlclient.Row;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The candidates list on 100,000 invitations (seeded with generate_series): each query's plan reads an index, never
 * the whole invitations table. Prints EXPLAIN (ANALYZE) for the record; asserts only the plan's shape, not its time.
 */
@Tag("heavy")
@ExtendWith(PostgresExtension.class)
class CandidateListPlanTest {
  static TestApp app;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    app.sql("""
        insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, deadline, closes_at,
                                 created_at, first_opened_at, state, submitted_at)
        select sha256(('seed' || g)::bytea), 'Seed ' || g, 'sre-senior', 'Person ' || g, 'person' || g || '@example.com',
               now() + make_interval(hours => (g % 2000) - 500), now() + make_interval(hours => (g % 2000) - 500),
               now() - make_interval(mins => g), case when g % 3 = 0 then now() - make_interval(mins => g / 2) end,
               case when g % 10 = 0 then 'submitted' else 'draft' end,
               case when g % 10 = 0 then now() - make_interval(mins => g / 3) end
          from generate_series(1, 100000) g""");
    // one answer for every 7th opened invitation, so "in progress" exists
    app.sql("""
        insert into invitation_exercises (invitation_id, exercise_id, version_id, position)
        select i.id, te.exercise_id, te.version_id, 0 from invitations i
          join track_exercises te on te.track_id = 'sre-senior' and te.position = 0
         where i.first_opened_at is not null and i.id % 7 = 0""");
    app.sql("""
        insert into answers (invitation_id, exercise_id, rev, sections, saved_at)
        select ie.invitation_id, ie.exercise_id, 1, '{"summary": "text"}'::jsonb, now() from invitation_exercises ie
         where ie.position = 0 and ie.invitation_id % 7 = 0""");
    app.sql("""
        insert into submissions (id, invitation_id, submitted_at, sha256, snapshot)
        select gen_random_uuid(), i.id, i.submitted_at, 'seed', '{}' from invitations i where i.state = 'submitted'""");
    app.sql("analyze");
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  static String explain(String name, String where, String order, Object... params) {
    String sql = "explain (analyze, buffers off, costs off) " + CandidateListing.listSqlForExplain(where, order);
    StringBuilder plan = new StringBuilder();
    for (Row r : app.sql(sql, params)) {
      plan.append(r.getString(0)).append('\n');
    }
    System.out.println("=== " + name + "\n" + plan);
    return plan.toString();
  }

  @Test
  @DisplayName("every list query on 100,000 invitations is index-backed")
  void plans() {
    long n = app.one("select count(*) as n from invitations").orElseThrow().getLong("n");
    assertTrue(n >= 100_000);
    List<String> plans = List.of(
        explain("recent activity, no filter", " where true", " order by ca.at desc, ca.invitation_id desc"),
        explain("deadline, track filter", " where true and i.track_id = $1", " order by i.deadline, i.id", "sre-senior"),
        explain("search 'person4242'", " where true and lower(i.candidate_name || ' ' || i.candidate_email) like $1",
            " order by ca.at desc, ca.invitation_id desc", "%person4242%"),
        explain("status in progress, recent activity", " where true and i.revoked_at is null and i.state = 'draft' and i.closes_at > now()"
            + " and exists (select 1 from answers a where a.invitation_id = i.id)", " order by ca.at desc, ca.invitation_id desc"),
        explain("status submitted, deadline", " where true and i.revoked_at is null and i.state = 'submitted'", " order by i.deadline, i.id"));
    for (String p : plans) {
      assertTrue(p.contains("Index"), p);
      assertFalse(p.contains("Seq Scan on invitations"), p);
    }
  }
}
