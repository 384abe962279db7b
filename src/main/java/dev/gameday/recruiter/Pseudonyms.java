package dev.gameday.recruiter;

import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Pseudonyms of new invitations ("Candidate 7F3A"): the only name a reviewer and the audit log ever see. */
final class Pseudonyms {
  private Pseudonyms() {
  }

  /** {@code n} pseudonyms no invitation has yet: "Candidate 7F3A", longer once the short ones get crowded. */
  static Future<List<String>> fresh(SqlConnection conn, int n) {
    return pseudonymRound(conn, n, new LinkedHashSet<>(), 0);
  }

  private static Future<List<String>> pseudonymRound(SqlConnection conn, int n, LinkedHashSet<String> chosen, int round) {
    if (chosen.size() == n) {
      return Future.succeededFuture(new ArrayList<>(chosen));
    }
    if (round > 12) {
      return Future.failedFuture(new IllegalStateException("no free pseudonyms after " + round + " rounds"));
    }
    Set<String> proposals = new HashSet<>();
    while (proposals.size() < n - chosen.size()) {
      String p = "Candidate " + Tokens.randomHex(round < 3 ? 4 : 8);
      if (!chosen.contains(p)) {
        proposals.add(p);
      }
    }
    return conn.preparedQuery("select p from unnest($1::text[]) as u(p) where not exists (select 1 from invitations i where i.pseudonym = u.p)")
        .execute(Tuple.of((Object) proposals.toArray(String[]::new)))
        .compose(rows -> {
          rows.forEach(r -> chosen.add(r.getString("p")));
          return pseudonymRound(conn, n, chosen, round + 1);
        });
  }

  /** True when the error is a pseudonym collision with a concurrent insert (the caller may try again). */
  static boolean collision(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState()) && String.valueOf(pg.getConstraint()).contains("pseudonym");
  }
}
