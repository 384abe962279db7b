package dev.gameday.candidate;

import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.CurrentTrack;
import dev.gameday.web.Emails;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates invitations (CLI, demo): a token for the candidate, only its hash stored. The time multiplier is an
 * accommodation: it stretches both the deadline window and the track's working-time limit, and it is never shown to
 * reviewers.
 */
public final class Invitations {
  private static final String INSERT = """
      insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, time_multiplier,
                               deadline, time_limit_minutes, closes_at, demo, untimed, unique_active)
      values ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => ($7::int * 86400 * $6::numeric)::float8), $8, now() + make_interval(secs => ($7::int * 86400 * $6::numeric)::float8), $9, $10,
              -- beside an active invitation for the same email and track, this one stays out of the one-active rule (V63):
              -- the command line creates what it is told to, like a recruiter's confirmed second invitation
              not exists (select 1 from invitations o where lower(o.candidate_email) = lower($5) and o.track_id = $3
                             and o.unique_active and o.state = 'draft' and o.revoked_at is null and o.erased_at is null
                             and not o.demo))
      returning id""";

  /** What the CLI prints: the link is the only place the token ever appears. */
  public record Created(long id, String token, String pseudonym) {
    public String url(String publicUrl) {
      return publicUrl + "/i/" + token;
    }
  }

  private final Pool pool;
  private final Catalog catalog;

  public Invitations(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  /** True when {@code token} opens an invitation nobody has started yet that is still open (the demo link's reuse). */
  public Future<Boolean> unstarted(String token) {
    return pool.preparedQuery("select 1 from invitations where token_hash = $1 and state = 'draft' and closes_at > now()")
        .execute(Tuple.of(Tokens.hash(token))).map(rows -> rows.size() == 1);
  }

  public Future<Created> create(String trackId, String name, String email, Integer deadlineDays,
                                BigDecimal multiplier, boolean demo) {
    return create(trackId, name, email, deadlineDays, multiplier, demo, false);
  }

  /** As above; {@code untimed}: the accommodation without a working-time limit or countdown (the deadline stays). */
  public Future<Created> create(String trackId, String name, String email, Integer deadlineDays,
                                BigDecimal multiplier, boolean demo, boolean untimed) {
    CurrentTrack track = catalog.track(trackId).orElse(null);
    if (track == null) {
      return Future.failedFuture(new ClientError(400, "unknown_track", "There is no track '" + trackId
          + "'. Known tracks: " + String.join(", ", catalog.tracks().stream().map(t -> t.track().id()).toList()) + "."));
    }
    String cleanName = name == null ? "" : Emails.clean(name);
    String cleanEmail = email == null ? "" : email.strip();
    if (cleanName.isEmpty() || cleanName.length() > 200) {
      return Future.failedFuture(new ClientError(400, "invalid_name", "The name must be 1 to 200 characters."));
    }
    if (!Emails.valid(cleanEmail)) {
      return Future.failedFuture(new ClientError(400, "invalid_email", "The email address is not valid."));
    }
    int days = deadlineDays == null ? track.track().deadlineDays() : deadlineDays;
    if (days < 1 || days > 365) {
      return Future.failedFuture(new ClientError(400, "invalid_deadline", "The deadline must be 1 to 365 days away."));
    }
    BigDecimal m = multiplier == null ? BigDecimal.ONE : multiplier;
    if (m.compareTo(BigDecimal.ONE) < 0 || m.compareTo(BigDecimal.valueOf(5)) > 0) {
      return Future.failedFuture(new ClientError(400, "invalid_multiplier", "The time multiplier must be between 1 and 5."));
    }
    int limit = untimed ? 0 : BigDecimal.valueOf(track.track().timeLimitMinutes()).multiply(m).intValue();
    String token = Tokens.newToken();
    return insert(track, token, cleanName, cleanEmail, days, m, limit, demo, untimed, 0)
        .map(r -> new Created(r.id(), token, r.pseudonym()));
  }

  private record Inserted(long id, String pseudonym) {
  }

  private Future<Inserted> insert(CurrentTrack track, String token, String name, String email, int days,
                                  BigDecimal m, int limit, boolean demo, boolean untimed, int attempt) {
    // "Candidate 7F3A": short enough to say aloud; on the rare collision, try another (longer after a few tries)
    String pseudonym = "Candidate " + Tokens.randomHex(attempt < 5 ? 4 : 8);
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.from(List.of(Tokens.hash(token), pseudonym, track.track().id(), name, email, m, days, limit, demo, untimed)))
            .compose(rows -> {
              long id = rows.iterator().next().getLong("id");
              List<Tuple> pins = new ArrayList<>();
              for (int i = 0; i < track.versions().size(); i++) {
                var v = track.versions().get(i);
                pins.add(Tuple.of(id, v.exercise().id(), v.id(), i));
              }
              return conn.preparedQuery(
                      "insert into invitation_exercises (invitation_id, exercise_id, version_id, position) values ($1, $2, $3, $4)")
                  .executeBatch(pins)
                  .compose(v -> Audit.record(conn, demo ? "demo" : "command line", "invitation.created", "invitation:" + id,
                      new JsonObject().put("track", track.track().id()).put("pseudonym", pseudonym).put("deadlineDays", days)))
                  .map(new Inserted(id, pseudonym));
            }))
        .recover(err -> {
          if (err instanceof PgException pg && "23505".equals(pg.getSqlState()) && attempt < 10
              && (String.valueOf(pg.getConstraint()).contains("pseudonym")
                  || String.valueOf(pg.getConstraint()).contains("invitations_one_active"))) {
            return insert(track, token, name, email, days, m, limit, demo, untimed, attempt + 1);
          }
          return Future.failedFuture(err);
        });
  }
}
