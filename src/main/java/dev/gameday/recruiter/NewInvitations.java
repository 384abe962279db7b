package dev.gameday.recruiter;

import dev.gameday.web.Account;
import dev.gameday.audit.Audit;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.CurrentTrack;
import dev.gameday.web.Emails;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Creating invitations: one (a recruiter's form, the API, Greenhouse) or a batch of the API, each validated the same
 * way. The invitations, their pinned exercise versions, their outbox rows (when email is on) and their audit entries
 * are written in one transaction; an open invitation for the same email and track is a duplicate unless confirmed,
 * which the database also enforces (V63) against concurrent requests. The CSV import ({@link CandidateImport}) uses
 * the same validation and creation.
 */
public final class NewInvitations {
  public static final int MAX_BATCH = 1000;

  private final Pool pool;
  private final Catalog catalog;
  private final String publicUrl;
  private final boolean email;

  /** {@code publicUrl}: the base of the invitation links; {@code email}: whether invitations are emailed. */
  public NewInvitations(Pool pool, Catalog catalog, String publicUrl, boolean email) {
    this.pool = pool;
    this.catalog = catalog;
    this.publicUrl = publicUrl;
    this.email = email;
  }

  /** A validated row of an invitation to create. */
  record NewInvitation(int line, String name, String email, CurrentTrack track, int days, BigDecimal multiplier) {
  }

  /** {@code {"name", "email", "track", "deadlineDays", "timeMultiplier", "confirmDuplicate"}}: one invitation. */
  public Future<JsonObject> invite(Account me, JsonObject body) {
    return invite(me, body, "recruiter");
  }

  /** The same, recording in the audit entry where the invitation came from ({@code via}). */
  public Future<JsonObject> invite(Account me, JsonObject body, String via) {
    NewInvitation n;
    try {
      Object days = body.getValue("deadlineDays");
      Object m = body.getValue("timeMultiplier");
      n = validate(0, str(body.getValue("name")), str(body.getValue("email")), str(body.getValue("track")),
          days == null ? "" : String.valueOf(days), m == null ? "" : String.valueOf(m));
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    boolean confirm = Boolean.TRUE.equals(body.getValue("confirmDuplicate"));
    return retrying(0, () -> pool.withTransaction(conn -> openDuplicates(conn, List.of(n)).compose(dups -> {
      if (!dups.isEmpty() && !confirm) {
        Long existing = dups.values().iterator().next();
        return Future.failedFuture(new ClientError(409, "duplicate", n.email() + " already has an open invitation to "
            + n.track().track().id() + ". Confirm to send a second one anyway.",
            new JsonObject().put("id", existing).put("existing", existing)));
      }
      return create(conn, me, List.of(n), dups.isEmpty() ? Set.of() : Set.of(n.line()), via);
    }))).map(list -> list.getJsonObject(0));
  }

  static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  /** Validates one row; throws a ClientError with a sentence (the CSV import prefixes it with the line). */
  NewInvitation validate(int line, String name, String email, String trackId, String days, String multiplier) {
    // one line: control characters and line breaks become spaces, whitespace collapses (nothing reaches an email's
    // body or a page that could start a line of its own)
    String cleanName = name == null ? "" : Emails.clean(name);
    String cleanEmail = email == null ? "" : email.strip();
    if (cleanName.isEmpty() || cleanName.length() > 200) {
      throw new ClientError(400, "invalid_name", "the name must be 1 to 200 characters");
    }
    if (!Emails.valid(cleanEmail)) {
      throw new ClientError(400, "invalid_email", "'" + shorten(cleanEmail) + "' is not a valid email address");
    }
    String t = trackId == null ? "" : trackId.strip();
    CurrentTrack track = catalog.track(t).orElse(null);
    if (track == null) {
      throw new ClientError(400, "unknown_track", "there is no track '" + shorten(t) + "' (known tracks: "
          + String.join(", ", catalog.tracks().stream().map(x -> x.track().id()).toList()) + ")");
    }
    int d;
    if (days == null || days.isBlank()) {
      d = track.track().deadlineDays();
    } else {
      try {
        d = Integer.parseInt(days.strip());
      } catch (NumberFormatException e) {
        d = -1;
      }
      if (d < 1 || d > 365) {
        throw new ClientError(400, "invalid_deadline", "deadline_days must be a whole number of days from 1 to 365, not '"
            + shorten(days.strip()) + "'");
      }
    }
    BigDecimal m;
    if (multiplier == null || multiplier.isBlank()) {
      m = BigDecimal.ONE;
    } else {
      try {
        m = new BigDecimal(multiplier.strip());
      } catch (NumberFormatException e) {
        m = null;
      }
      if (m == null || m.compareTo(BigDecimal.ONE) < 0 || m.compareTo(BigDecimal.valueOf(5)) > 0 || m.scale() > 2) {
        throw new ClientError(400, "invalid_multiplier", "time_multiplier must be a number from 1 to 5 with at most two decimals, not '"
            + shorten(multiplier.strip()) + "'");
      }
    }
    return new NewInvitation(line, cleanName, cleanEmail, track, d, m);
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /** For each new row that has an open invitation (same email, same track), that invitation's id, by row line. */
  Future<Map<Integer, Long>> openDuplicates(SqlConnection conn, List<NewInvitation> rows) {
    String[] emails = rows.stream().map(r -> r.email().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    String[] tracks = rows.stream().map(r -> r.track().track().id()).toArray(String[]::new);
    Integer[] lines = rows.stream().map(NewInvitation::line).toArray(Integer[]::new);
    return conn.preparedQuery("""
            select u.line, min(i.id) as existing
              from unnest($1::text[], $2::text[], $3::int[]) as u(email, track, line)
              join invitations i on lower(i.candidate_email) = u.email and i.track_id = u.track
             where i.state = 'draft' and i.revoked_at is null and i.erased_at is null and i.closes_at > now()
             group by u.line""").execute(Tuple.from(List.of(emails, tracks, lines)))
        .map(result -> {
          Map<Integer, Long> out = new HashMap<>();
          result.forEach(r -> out.put(r.getInteger("line"), r.getLong("existing")));
          return out;
        });
  }

  /**
   * Creates the invitations, their pinned exercise versions, their outbox rows (when email is on) and audit entries,
   * in the caller's transaction, a few statements whatever the number of rows.
   */
  Future<JsonArray> create(SqlConnection conn, Account me, List<NewInvitation> rows, Set<Integer> confirmedDuplicates,
                            String via) {
    List<String> tokens = rows.stream().map(r -> Tokens.newToken()).toList();
    // a confirmed second invitation (to an open one, or to an earlier row of the same request) stays out of the
    // one-active-invitation rule (V63); every other row takes part in it, and the database refuses a second
    Set<String> keys = new HashSet<>();
    Boolean[] uniqueActive = new Boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      NewInvitation r = rows.get(i);
      boolean first = keys.add(r.email().toLowerCase(Locale.ROOT) + "\n" + r.track().track().id());
      uniqueActive[i] = first && !confirmedDuplicates.contains(r.line());
    }
    return supersedeExpired(conn, rows).compose(v -> Pseudonyms.fresh(conn, rows.size())).compose(names -> {
      int n = rows.size();
      io.vertx.core.buffer.Buffer[] hashes = new io.vertx.core.buffer.Buffer[n];
      String[] trackIds = new String[n];
      String[] candidateNames = new String[n];
      String[] emails = new String[n];
      BigDecimal[] multipliers = new BigDecimal[n];
      Integer[] days = new Integer[n];
      Integer[] limits = new Integer[n];
      for (int i = 0; i < n; i++) {
        NewInvitation r = rows.get(i);
        hashes[i] = io.vertx.core.buffer.Buffer.buffer(Tokens.hash(tokens.get(i)));
        trackIds[i] = r.track().track().id();
        candidateNames[i] = r.name();
        emails[i] = r.email();
        multipliers[i] = r.multiplier();
        days[i] = r.days();
        limits[i] = BigDecimal.valueOf(r.track().track().timeLimitMinutes()).multiply(r.multiplier()).intValue();
      }
      return conn.preparedQuery("""
              insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, time_multiplier,
                                       deadline, time_limit_minutes, closes_at, invited_by, unique_active)
              select u.h, u.p, u.t, u.n, u.e, u.m, now() + make_interval(secs => (u.d * 86400 * u.m)::float8), u.l,
                     now() + make_interval(secs => (u.d * 86400 * u.m)::float8), $9, u.ua
                from unnest($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::int[], $8::int[],
                            $10::boolean[])
                     with ordinality as u(h, p, t, n, e, m, d, l, ua, ord)
               order by u.ord
              returning id, pseudonym""")
          .execute(Tuple.from(new Object[] {hashes, names.toArray(String[]::new), trackIds, candidateNames, emails,
              multipliers, days, limits, me.email(), uniqueActive}))
          .compose(inserted -> {
            Map<String, Long> idByPseudonym = new HashMap<>();
            inserted.forEach(r -> idByPseudonym.put(r.getString("pseudonym"), r.getLong("id")));
            Long[] ids = names.stream().map(idByPseudonym::get).toArray(Long[]::new);
            Future<?> pins = conn.preparedQuery("""
                    insert into invitation_exercises (invitation_id, exercise_id, version_id, position)
                    select u.id, te.exercise_id, te.version_id, te.position
                      from unnest($1::bigint[], $2::text[]) as u(id, track) join track_exercises te on te.track_id = u.track""")
                .execute(Tuple.from(List.of(ids, trackIds)));
            Future<?> mails = !email ? pins : pins.compose(v -> conn.preparedQuery("""
                    insert into email_outbox (invitation_id, kind, to_address, link)
                    select u.id, 'invitation', u.e, u.l from unnest($1::bigint[], $2::text[], $3::text[]) as u(id, e, l)""")
                .execute(Tuple.from(List.of(ids, emails, tokens.stream().map(this::link).toArray(String[]::new)))));
            List<String> subjects = new ArrayList<>();
            List<JsonObject> details = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              subjects.add("invitation:" + ids[i]);
              JsonObject d = new JsonObject().put("track", trackIds[i]).put("pseudonym", names.get(i)).put("deadlineDays", days[i])
                  .put("via", via);
              if (multipliers[i].compareTo(BigDecimal.ONE) != 0) {
                d.put("accommodation", true);
              }
              if (confirmedDuplicates.contains(rows.get(i).line())) {
                d.put("confirmedDuplicate", true);
              }
              details.add(d);
            }
            return mails.compose(v -> Audit.recordEach(conn, me.email(), "invitation.created", subjects, details))
                .map(v -> {
                  JsonArray out = new JsonArray();
                  for (int i = 0; i < n; i++) {
                    JsonObject c = new JsonObject().put("id", ids[i]).put("pseudonym", names.get(i)).put("status", "invited")
                        .put("email", email ? "queued" : "off");
                    if (!email) {
                      c.put("link", link(tokens.get(i)));
                    }
                    out.add(c);
                  }
                  return out;
                });
          });
    });
  }

  /**
   * An expired invitation cannot be told apart from an open one by the unique index (expiry depends on the clock), so
   * a new invitation for the same email and track takes its place in the rule here, in the creating transaction.
   */
  private static Future<Void> supersedeExpired(SqlConnection conn, List<NewInvitation> rows) {
    String[] emails = rows.stream().map(r -> r.email().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    String[] tracks = rows.stream().map(r -> r.track().track().id()).toArray(String[]::new);
    return conn.preparedQuery("""
            update invitations i set unique_active = false
              from unnest($1::text[], $2::text[]) as u(email, track)
             where lower(i.candidate_email) = u.email and i.track_id = u.track and i.unique_active and i.state = 'draft'
               and i.revoked_at is null and i.erased_at is null and not i.demo and i.closes_at <= now()""")
        .execute(Tuple.from(List.of(emails, tracks))).mapEmpty();
  }

  /** The invitation link of {@code token}. */
  String link(String token) {
    return publicUrl + "/i/" + token;
  }

  /**
   * Up to {@link #MAX_BATCH} invitations ({@code [{"name", "email", "track", "deadlineDays", "timeMultiplier",
   * "confirmDuplicate"}]}), each answered on its own: {@code created}, {@code duplicate} (an open invitation to the
   * same track, or an earlier item of the batch, unless the item confirms) or {@code invalid} with the reason. The
   * valid ones are created in one transaction.
   */
  public Future<JsonObject> batch(Account me, Object raw) {
    if (!(raw instanceof JsonArray items)) {
      return Future.failedFuture(new ClientError(400, "invalid_batch", "Send {\"items\": [...]} with 1 to " + MAX_BATCH + " invitations."));
    }
    if (items.isEmpty() || items.size() > MAX_BATCH) {
      return Future.failedFuture(new ClientError(400, "invalid_batch", "A batch holds 1 to " + MAX_BATCH + " invitations, not "
          + items.size() + "."));
    }
    JsonObject[] results = new JsonObject[items.size()];
    List<NewInvitation> valid = new ArrayList<>();
    Set<Integer> confirmed = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject result = new JsonObject().put("index", i);
      results[i] = result;
      if (!(items.getValue(i) instanceof JsonObject item)) {
        result.put("status", "invalid").put("error", "invalid_item").put("message", "each item must be a JSON object");
        continue;
      }
      try {
        Object days = item.getValue("deadlineDays");
        Object m = item.getValue("timeMultiplier");
        NewInvitation n = validate(i + 1, str(item.getValue("name")), str(item.getValue("email")), str(item.getValue("track")),
            days == null ? "" : String.valueOf(days), m == null ? "" : String.valueOf(m));
        boolean confirm = Boolean.TRUE.equals(item.getValue("confirmDuplicate"));
        Integer earlier = seen.putIfAbsent(n.email().toLowerCase(Locale.ROOT) + "\n" + n.track().track().id(), i);
        if (earlier != null && !confirm) {
          result.put("status", "duplicate").put("message", n.email() + " is invited to " + n.track().track().id()
              + " by item " + earlier + " of this batch already").put("duplicateOfIndex", earlier);
          continue;
        }
        if (confirm) {
          confirmed.add(n.line());
        }
        valid.add(n);
      } catch (ClientError e) {
        result.put("status", "invalid").put("error", e.code()).put("message", e.getMessage());
      }
    }
    Future<List<JsonObject>> created = valid.isEmpty() ? Future.succeededFuture(List.of())
        : retrying(0, () -> pool.withTransaction(conn -> openDuplicates(conn, valid).compose(dups -> {
          List<NewInvitation> rows = new ArrayList<>();
          List<JsonObject> out = new ArrayList<>();
          for (NewInvitation n : valid) {
            Long existing = dups.get(n.line());
            if (existing != null && !confirmed.contains(n.line())) {
              out.add(new JsonObject().put("index", n.line() - 1).put("status", "duplicate").put("existing", existing)
                  .put("message", n.email() + " already has an open invitation to " + n.track().track().id()
                      + "; send the item with \"confirmDuplicate\": true to invite them again"));
            } else {
              rows.add(n);
            }
          }
          if (rows.isEmpty()) {
            return Future.succeededFuture(out);
          }
          Set<Integer> confirmedDups = new HashSet<>();
          rows.stream().filter(r -> dups.containsKey(r.line())).forEach(r -> confirmedDups.add(r.line()));
          return create(conn, me, rows, confirmedDups, "api batch").map(made -> {
            for (int k = 0; k < rows.size(); k++) {
              out.add(made.getJsonObject(k).copy().put("index", rows.get(k).line() - 1).put("status", "created"));
            }
            return out;
          });
        })));
    return created.map(list -> {
      for (JsonObject r : list) {
        results[r.getInteger("index")] = r;
      }
      JsonObject summary = new JsonObject().put("created", 0).put("duplicate", 0).put("invalid", 0);
      for (JsonObject r : results) {
        summary.put(r.getString("status"), summary.getInteger(r.getString("status")) + 1);
      }
      return summary.put("results", new JsonArray(List.of(results))).put("email", email);
    });
  }

  /**
   * Runs {@code work} again (a fresh transaction) when a concurrent insert took a pseudonym it had checked was free, or
   * created an active invitation for the same email and track after the duplicate check: the new transaction's check
   * then sees it and answers as for any duplicate (409 with its id, a listed CSV row, a batch item).
   */
  <T> Future<T> retrying(int attempt, java.util.function.Supplier<Future<T>> work) {
    return work.get().recover(err -> {
      if ((Pseudonyms.collision(err) || activeCollision(err)) && attempt < 3) {
        return retrying(attempt + 1, work);
      }
      if (activeCollision(err)) {
        return Future.failedFuture(new ClientError(409, "duplicate",
            "Another request is inviting the same email to the same track at this moment; look at the candidates list."));
      }
      return Future.failedFuture(err);
    });
  }

  /** True when the error is the one-active-invitation constraint (V63): a concurrent request created it first. */
  public static boolean activeCollision(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState())
        && String.valueOf(pg.getConstraint()).contains("invitations_one_active");
  }
}
