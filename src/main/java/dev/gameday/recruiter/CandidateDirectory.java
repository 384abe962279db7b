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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The recruiter's view of invitations: the list, one candidate with their timeline, and every action on an
 * invitation. Each action is one transaction that also writes its audit entry and, when it sends an email, the
 * outbox row. Audit entries name the invitation and its pseudonym, never the candidate's name or email, so erasing
 * a candidate never needs to touch the append-only audit log.
 */
public final class CandidateDirectory {
  public static final int PAGE_SIZE = 50;
  public static final int MAX_IMPORT_ROWS = 5000;
  public static final List<String> STATUSES = List.of("invited", "opened", "in_progress", "submitted", "expired", "revoked");
  public static final String CSV_HEADER = "name,email,track,deadline_days,time_multiplier";
  private static final List<String> COLUMNS = List.of("name", "email", "track", "deadline_days", "time_multiplier");
  /** The audit actor of what Gameday does by itself (automatic reminders). */
  public static final String AUTOMATIC = "gameday (automatic)";
  static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH);

  static final String STATUS = status("i");

  /** The status of the invitation row {@code t}, in SQL. */
  static String status(String t) {
    return """
        case when %1$s.revoked_at is not null then 'revoked'
             when %1$s.state = 'submitted' then 'submitted'
             when %1$s.closes_at <= now() then 'expired'
             when %1$s.first_opened_at is null then 'invited'
             when exists (select 1 from answers a where a.invitation_id = %1$s.id) then 'in_progress'
             else 'opened' end""".formatted(t);
  }

  private static final String DETAILS = """
      select p.*,
             case when p.revoked_at is not null then 'revoked'
                  when p.state = 'submitted' then 'submitted'
                  when p.closes_at <= now() then 'expired'
                  when p.first_opened_at is null then 'invited'
                  when ans.started then 'in_progress'
                  else 'opened' end as status,
             (select count(*) from answers a cross join lateral jsonb_each_text(a.sections) e
               where a.invitation_id = p.id and btrim(e.value) <> '') as written,
             (select coalesce(sum(jsonb_array_length(ev.definition->'sections')), 0)
                from invitation_exercises ie join exercise_versions ev on ev.id = ie.version_id
               where ie.invitation_id = p.id) as total,
             sd.decision, sd.decided_at, sd.submission_id
        from page p
        left join lateral (select true as started from answers a where a.invitation_id = p.id limit 1) ans on true
        left join lateral (select s.id as submission_id, d.decision, d.decided_at from submissions s
                             left join decisions d on d.submission_id = s.id where s.invitation_id = p.id limit 1) sd on true""";

  private static final String ROW_COLUMNS = """
      i.id, i.pseudonym, i.track_id, i.candidate_name, i.candidate_email, i.deadline, i.closes_at, i.time_multiplier,
      i.time_limit_minutes, i.created_at, i.first_opened_at, i.submitted_at, i.revoked_at, i.erased_at, i.invited_by,
      i.demo, i.state, i.untimed, i.time_requested_at, i.time_request_reason, ca.at as last_activity""";

  private final io.vertx.core.Vertx vertx;
  private final Pool pool;
  private final Catalog catalog;
  private final String publicUrl;
  private final boolean email;

  public CandidateDirectory(io.vertx.core.Vertx vertx, Pool pool, Catalog catalog, String publicUrl, boolean email) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
    this.publicUrl = publicUrl;
    this.email = email;
  }

  public boolean emailOn() {
    return email;
  }

  // ---- reading

  /** One page of invitations, filtered and sorted; each filter is a predicate only when given, so plans use indexes. */
  public Future<JsonObject> list(String q, String track, String status, String sort, int page) {
    return list(q, track, status, sort, page, null);
  }

  /**
   * As above; with {@code imported}, the id of one invitation of a CSV import, only that import's invitations (one
   * transaction creates them all, so they share its creation time and inviter).
   */
  public Future<JsonObject> list(String q, String track, String status, String sort, int page, Long imported) {
    return list(q, track, status, sort, page, imported, PAGE_SIZE);
  }

  /** The most rows one CSV export of the list holds. */
  public static final int MAX_EXPORT = 100_000;

  /** Every invitation the list's filters match (at most {@link #MAX_EXPORT}), in the list's order: for the CSV export. */
  public Future<JsonObject> all(String q, String track, String status, String sort, Long imported) {
    return list(q, track, status, sort, 0, imported, MAX_EXPORT);
  }

  /**
   * How many invitations are in each status (the pipeline), for {@code track} or all tracks: one scan of the
   * invitations, with the status worked out as the list does.
   */
  public Future<Map<String, Long>> counts(String track) {
    return pool.preparedQuery("""
        select case when i.revoked_at is not null then 'revoked'
                    when i.state = 'submitted' then 'submitted'
                    when i.closes_at <= now() then 'expired'
                    when i.first_opened_at is null then 'invited'
                    when exists (select 1 from answers a where a.invitation_id = i.id) then 'in_progress'
                    else 'opened' end as status, count(*) as n
          from invitations i where ($1::text is null or i.track_id = $1) group by 1""")
        .execute(io.vertx.sqlclient.Tuple.of(track == null || track.isBlank() ? null : track.strip()))
        .map(rows -> {
          Map<String, Long> out = new java.util.LinkedHashMap<>();
          STATUSES.forEach(s -> out.put(s, 0L));
          rows.forEach(r -> out.put(r.getString("status"), r.getLong("n")));
          return out;
        });
  }

  private Future<JsonObject> list(String q, String track, String status, String sort, int page, Long imported, int pageSize) {
    List<Object> params = new ArrayList<>();
    StringBuilder where = new StringBuilder(" where true");
    if (imported != null) {
      params.add(imported);
      where.append(" and (i.created_at, i.invited_by) = (select created_at, invited_by from invitations where id = $")
          .append(params.size()).append(")");
    }
    String text = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
    if (!text.isEmpty()) {
      if (text.length() > 200) {
        return Future.failedFuture(new ClientError(400, "invalid_query", "Search for at most 200 characters."));
      }
      params.add("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      where.append(" and lower(i.candidate_name || ' ' || i.candidate_email) like $").append(params.size());
    }
    if (track != null && !track.isBlank()) {
      params.add(track.strip());
      where.append(" and i.track_id = $").append(params.size());
    }
    if (status != null && !status.isBlank()) {
      if (!STATUSES.contains(status)) {
        return Future.failedFuture(new ClientError(400, "invalid_status", "The status must be one of " + String.join(", ", STATUSES) + "."));
      }
      where.append(switch (status) {
        case "revoked" -> " and i.revoked_at is not null";
        case "submitted" -> " and i.revoked_at is null and i.state = 'submitted'";
        case "expired" -> " and i.revoked_at is null and i.state = 'draft' and i.closes_at <= now()";
        case "invited" -> " and i.revoked_at is null and i.state = 'draft' and i.closes_at > now() and i.first_opened_at is null";
        case "opened" -> " and i.revoked_at is null and i.state = 'draft' and i.closes_at > now() and i.first_opened_at is not null"
            + " and not exists (select 1 from answers a where a.invitation_id = i.id)";
        default -> " and i.revoked_at is null and i.state = 'draft' and i.closes_at > now()"
            + " and exists (select 1 from answers a where a.invitation_id = i.id)";
      });
    }
    String s = sort == null || sort.isBlank() ? "activity" : sort;
    String order = switch (s) {
      case "activity" -> " order by ca.at desc, ca.invitation_id desc";
      case "deadline" -> " order by i.deadline, i.id";
      default -> null;
    };
    if (order == null) {
      return Future.failedFuture(new ClientError(400, "invalid_sort", "Sort by activity or deadline."));
    }
    int p = Math.max(0, page);
    params.add(pageSize + 1);
    params.add((long) p * pageSize);
    String sql = "with page as (select " + ROW_COLUMNS + " from invitations i join invitation_activity ca on ca.invitation_id = i.id"
        + where + order + " limit $" + (params.size() - 1) + " offset $" + params.size() + ") " + DETAILS
        + order.replace("ca.at", "p.last_activity").replace("ca.invitation_id", "p.id").replace("i.", "p.");
    return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
      JsonArray items = new JsonArray();
      for (Row r : rows) {
        if (items.size() < pageSize) {
          items.add(candidate(r));
        }
      }
      return new JsonObject().put("items", items).put("page", p).put("hasMore", rows.size() > pageSize)
          .put("email", email);
    });
  }

  /** Only for tests and the closing note: the plan of the list query with these filters. */
  public static String listSqlForExplain(String where, String order) {
    return "with page as (select " + ROW_COLUMNS + " from invitations i join invitation_activity ca on ca.invitation_id = i.id"
        + where + order + " limit 51 offset 0) " + DETAILS;
  }

  private JsonObject candidate(Row r) {
    String trackId = r.getString("track_id");
    JsonObject c = new JsonObject()
        .put("id", r.getLong("id"))
        .put("pseudonym", r.getString("pseudonym"))
        .put("name", r.getString("candidate_name"))
        .put("email", r.getString("candidate_email"))
        .put("track", trackId)
        .put("trackTitle", catalog.track(trackId).map(t -> t.track().title()).orElse(trackId))
        .put("status", r.getString("status"))
        .put("statusLabel", label(r.getString("status")))
        .put("sectionsWritten", r.getLong("written"))
        .put("sectionsTotal", r.getLong("total"))
        .put("deadline", iso(r.getOffsetDateTime("deadline")))
        .put("deadlineText", text(r.getOffsetDateTime("deadline")))
        .put("closesAt", iso(r.getOffsetDateTime("closes_at")))
        .put("lastActivity", iso(r.getOffsetDateTime("last_activity")))
        .put("lastActivityText", text(r.getOffsetDateTime("last_activity")))
        .put("timeMultiplier", r.getBigDecimal("time_multiplier").setScale(2, RoundingMode.HALF_UP).toPlainString())
        .put("erased", r.getOffsetDateTime("erased_at") != null)
        .put("demo", r.getBoolean("demo"))
        .put("decision", r.getString("decision"))
        .put("decidedAt", iso(r.getOffsetDateTime("decided_at")))
        .put("decidedAtText", text(r.getOffsetDateTime("decided_at")))
        .put("untimed", r.getBoolean("untimed"))
        .put("timeRequested", r.getOffsetDateTime("time_requested_at") != null)
        .put("timeRequestedAt", iso(r.getOffsetDateTime("time_requested_at")))
        .put("timeRequestReason", r.getString("time_request_reason"));
    c.put("inProgress", "in_progress".equals(r.getString("status")));
    c.put("open", List.of("invited", "opened", "in_progress").contains(r.getString("status")));
    return c;
  }

  static String label(String status) {
    return switch (status) {
      case "in_progress" -> "in progress";
      default -> status;
    };
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }

  static String text(OffsetDateTime t) {
    return t == null ? null : UTC.format(t.withOffsetSameInstant(ZoneOffset.UTC));
  }

  /** One candidate with their exercises, deliveries and timeline; null when there is no such invitation. */
  public Future<JsonObject> one(long id) {
    String sql = "with page as (select " + ROW_COLUMNS
        + " from invitations i join invitation_activity ca on ca.invitation_id = i.id where i.id = $1) " + DETAILS;
    return pool.preparedQuery(sql).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row r = rows.iterator().next();
      JsonObject c = candidate(r);
      c.put("timeLimitMinutes", r.getInteger("time_limit_minutes"));
      c.put("invitedBy", r.getString("invited_by"));
      List<Event> events = new ArrayList<>();
      events.add(new Event(r.getOffsetDateTime("created_at"), "invited", "Invited"
          + (r.getString("invited_by") == null ? "" : " by " + r.getString("invited_by"))));
      if (r.getOffsetDateTime("first_opened_at") != null) {
        events.add(new Event(r.getOffsetDateTime("first_opened_at"), "opened", "Opened the link for the first time"));
      }
      if (r.getOffsetDateTime("submitted_at") != null) {
        events.add(new Event(r.getOffsetDateTime("submitted_at"), "submitted", "Submitted"));
      }
      if (r.getOffsetDateTime("revoked_at") != null) {
        events.add(new Event(r.getOffsetDateTime("revoked_at"), "revoked", "Invitation revoked"));
      }
      if (r.getOffsetDateTime("decided_at") != null) {
        events.add(new Event(r.getOffsetDateTime("decided_at"), "decided", "Decided: " + r.getString("decision")));
      }
      Object submission = r.getValue("submission_id");
      return exercises(id, c).compose(v -> started(id, events))
          .compose(v -> submission == null ? Future.succeededFuture() : reviewed(submission, events))
          .compose(v -> deliveries(id, c, events))
          .compose(v -> actions(id, events))
          .map(v -> {
            events.sort((a, b) -> a.at().compareTo(b.at()));
            c.put("timeline", new JsonArray(events.stream().map(Event::json).toList()));
            return c;
          });
    });
  }

  record Event(OffsetDateTime at, String kind, String text) {
    JsonObject json() {
      return new JsonObject().put("at", iso(at)).put("atText", CandidateDirectory.text(at)).put("kind", kind).put("text", text);
    }
  }

  private Future<Void> exercises(long id, JsonObject c) {
    return pool.preparedQuery("""
            select ie.exercise_id, ev.title, (ev.definition->>'minutes')::int as minutes,
                   jsonb_array_length(ev.definition->'sections') as sections,
                   (select count(*) from answers a cross join lateral jsonb_each_text(a.sections) e
                     where a.invitation_id = ie.invitation_id and a.exercise_id = ie.exercise_id and btrim(e.value) <> '') as written
              from invitation_exercises ie join exercise_versions ev on ev.id = ie.version_id
             where ie.invitation_id = $1 order by ie.position""").execute(Tuple.of(id))
        .map(rows -> {
          JsonArray list = new JsonArray();
          int minutes = 0;
          for (Row r : rows) {
            list.add(new JsonObject().put("id", r.getString("exercise_id")).put("title", r.getString("title"))
                .put("minutes", r.getInteger("minutes")).put("sections", r.getInteger("sections"))
                .put("sectionsWritten", r.getLong("written")));
            minutes += r.getInteger("minutes") == null ? 0 : r.getInteger("minutes");
          }
          c.put("exercises", list).put("expectedMinutes", minutes);
          return null;
        });
  }

  private Future<Void> started(long id, List<Event> events) {
    return pool.preparedQuery("""
            select h.exercise_id, min(h.at) as at, ev.title
              from (select invitation_id, exercise_id, saved_at as at from answer_history where invitation_id = $1
                    union all
                    -- history since V22: per section, started_at is the first save of the row's minute
                    select invitation_id, exercise_id, started_at from answer_section_history where invitation_id = $1) h
              join invitation_exercises ie on ie.invitation_id = h.invitation_id and ie.exercise_id = h.exercise_id
              join exercise_versions ev on ev.id = ie.version_id
             where h.invitation_id = $1 group by h.exercise_id, ev.title""").execute(Tuple.of(id))
        .map(rows -> {
          rows.forEach(r -> events.add(new Event(r.getOffsetDateTime("at"), "started", "Started " + r.getString("title"))));
          return null;
        });
  }

  /** That reviews were submitted, and when: never by whom, never their levels. */
  private Future<Void> reviewed(Object submissionId, List<Event> events) {
    return pool.preparedQuery("""
            select r.exercise_id, r.submitted_at from reviews r
             where r.submission_id = $1 and r.state = 'submitted'""").execute(Tuple.of(submissionId))
        .map(rows -> {
          rows.forEach(r -> events.add(new Event(r.getOffsetDateTime("submitted_at"), "reviewed",
              "A review of " + exerciseTitle(r.getString("exercise_id")) + " was submitted")));
          return null;
        });
  }

  private String exerciseTitle(String exerciseId) {
    return catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(exerciseId)).findFirst()
        .map(v -> v.exercise().title()).orElse(exerciseId);
  }

  private Future<Void> deliveries(long id, JsonObject c, List<Event> events) {
    return pool.preparedQuery("""
            select id, kind, to_address, state, attempts, last_reply, created_at, delivered_at, updated_at, next_attempt_at
              from email_outbox where invitation_id = $1 and kind <> 'time-request' order by id""").execute(Tuple.of(id))
        .map(rows -> {
          // emails to this candidate (a request for more time is emailed to recruiters, and shown as the request)
          JsonArray list = new JsonArray();
          for (Row r : rows) {
            String state = r.getString("state");
            list.add(new JsonObject().put("id", r.getLong("id")).put("kind", r.getString("kind"))
                .put("to", r.getString("to_address")).put("state", state).put("attempts", r.getInteger("attempts"))
                .put("reply", r.getString("last_reply")).put("createdAt", iso(r.getOffsetDateTime("created_at")))
                .put("createdAtText", text(r.getOffsetDateTime("created_at")))
                .put("deliveredAt", iso(r.getOffsetDateTime("delivered_at")))
                .put("nextAttemptAt", "pending".equals(state) ? iso(r.getOffsetDateTime("next_attempt_at")) : null)
                .put("delivered", "delivered".equals(state)).put("failed", "failed".equals(state)));
            if ("delivered".equals(state)) {
              events.add(new Event(r.getOffsetDateTime("delivered_at"), "emailed", kindText(r.getString("kind")) + " email delivered"));
            } else if ("failed".equals(state)) {
              events.add(new Event(r.getOffsetDateTime("updated_at"), "email_failed", kindText(r.getString("kind"))
                  + " email could not be delivered"));
            }
          }
          c.put("deliveries", list);
          return null;
        });
  }

  private static String kindText(String kind) {
    return switch (kind) {
      case "invitation" -> "Invitation";
      case "reminder" -> "Reminder";
      default -> "Receipt";
    };
  }

  private Future<Void> actions(long id, List<Event> events) {
    return pool.preparedQuery("""
            select at, actor, action, detail from audit_log
             where subject = $1 and action like 'candidate.%' order by id""").execute(Tuple.of("invitation:" + id))
        .map(rows -> {
          for (Row r : rows) {
            JsonObject d = r.getJsonObject("detail");
            String what = switch (r.getString("action")) {
              case "candidate.extended" -> "Deadline extended by " + d.getInteger("days") + " day(s)";
              case "candidate.accommodation" -> "Time multiplier set to " + d.getString("timeMultiplier")
                  + (Boolean.TRUE.equals(d.getBoolean("untimed")) ? ", untimed" : "");
              case "candidate.revoked" -> null; // the invitation row has the time; the actor is added below
              case "candidate.resent" -> "A new link was issued (the old one stopped working)";
              case "candidate.reminded" -> Boolean.TRUE.equals(d.getBoolean("automatic"))
                  ? "Automatic reminder queued, " + d.getInteger("hoursBefore") + " hours before the deadline"
                  : "Reminder queued";
              case "candidate.erased" -> "Personal data erased";
              case "candidate.erasure_requested" -> "The candidate asked for erasure of their personal data (confirm with Erase)";
              case "candidate.data_downloaded" -> "The candidate downloaded their data";
              case "candidate.time_requested" -> "The candidate asked for more time";
              case "candidate.time_granted" -> "Granted " + d.getInteger("minutes") + " more minutes";
              default -> null;
            };
            String by = AUTOMATIC.equals(r.getString("actor")) || "candidate".equals(r.getString("actor")) ? ""
                : " by " + r.getString("actor");
            if (what != null) {
              events.add(new Event(r.getOffsetDateTime("at"), r.getString("action").substring("candidate.".length()), what + by));
            } else if ("candidate.revoked".equals(r.getString("action"))) {
              events.removeIf(e -> "revoked".equals(e.kind()));
              events.add(new Event(r.getOffsetDateTime("at"), "revoked", "Invitation revoked" + by));
            }
          }
          return null;
        });
  }

  // ---- creating

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

  private static String str(Object o) {
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
  private Future<Map<Integer, Long>> openDuplicates(SqlConnection conn, List<NewInvitation> rows) {
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
  private Future<JsonArray> create(SqlConnection conn, Account me, List<NewInvitation> rows, Set<Integer> confirmedDuplicates,
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
    return supersedeExpired(conn, rows).compose(v -> pseudonyms(conn, rows.size())).compose(names -> {
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

  private String link(String token) {
    return publicUrl + "/i/" + token;
  }

  /** {@code n} pseudonyms no invitation has yet: "Candidate 7F3A", longer once the short ones get crowded. */
  private Future<List<String>> pseudonyms(SqlConnection conn, int n) {
    return pseudonymRound(conn, n, new LinkedHashSet<>(), 0);
  }

  private Future<List<String>> pseudonymRound(SqlConnection conn, int n, LinkedHashSet<String> chosen, int round) {
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

  /**
   * A CSV file, all or nothing: every row is validated first, errors listed as {@code line N: message} (the header
   * is line 1); nothing is created unless every row is valid, and then everything in one transaction.
   */
  public Future<JsonObject> importCsv(Account me, String body) {
    return importCsv(me, body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The same from the file's bytes, which must be UTF-8 (decoded strictly: another encoding is refused). */
  public Future<JsonObject> importCsv(Account me, byte[] body) {
    // decoding, parsing and checking thousands of rows is work: not on the event loop
    return vertx.executeBlocking(() -> checkCsv(body)).compose(rows -> retrying(0, () -> pool.withTransaction(conn ->
        openDuplicates(conn, rows).compose(dups -> {
          if (!dups.isEmpty()) {
            List<JsonObject> dupProblems = new ArrayList<>();
            rows.stream().filter(r -> dups.containsKey(r.line())).forEach(r -> dupProblems.add(problem(r.line(), r.email()
                + " already has an open invitation to " + r.track().track().id() + " (invite them one by one to confirm a second)")));
            return Future.failedFuture(invalidCsv(dupProblems));
          }
          return create(conn, me, rows, Set.of(), "csv import")
              .compose(created -> Audit.record(conn, me.email(), "candidate.imported", null,
                  new JsonObject().put("rows", rows.size())).map(created))
              .map(created -> {
                // the import's results page lists each created row by name and email (in the file's order)
                for (int i = 0; i < created.size(); i++) {
                  created.getJsonObject(i).put("name", rows.get(i).name()).put("emailAddress", rows.get(i).email());
                }
                return created;
              });
        }))))
        .map(created -> new JsonObject().put("created", created.size())
            .put("ids", new JsonArray(created.stream().map(o -> ((JsonObject) o).getLong("id")).toList()))
            .put("invitations", created).put("email", email));
  }

  public static final int MAX_BATCH = 1000;

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
  private <T> Future<T> retrying(int attempt, java.util.function.Supplier<Future<T>> work) {
    return work.get().recover(err -> {
      if ((pseudonymCollision(err) || activeCollision(err)) && attempt < 3) {
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

  /** Every row checked; the rows to create, or a ClientError listing every problem with its line. */
  private List<NewInvitation> checkCsv(byte[] body) {
    List<JsonObject> problems = new ArrayList<>();
    List<NewInvitation> rows = new ArrayList<>();
    List<CandidateCsv.Record> records;
    try {
      records = CandidateCsv.parse(body);
    } catch (CandidateCsv.Malformed e) {
      throw invalidCsv(List.of(problem(e.line, e.getMessage())));
    }
    if (records.isEmpty()) {
      throw invalidCsv(List.of(problem(1, "the file is empty; the first line must be the header " + CSV_HEADER)));
    }
    List<String> header = records.get(0).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    if (header.size() < 3 || header.size() > 5 || !COLUMNS.subList(0, header.size()).equals(header)) {
      throw invalidCsv(List.of(problem(1, "the header must be " + CSV_HEADER
          + " (the last two columns may be left out), found " + String.join(",", header))));
    }
    if (records.size() == 1) {
      throw invalidCsv(List.of(problem(1, "the file has a header but no candidates")));
    }
    if (records.size() - 1 > MAX_IMPORT_ROWS) {
      throw invalidCsv(List.of(problem(MAX_IMPORT_ROWS + 2, "a file may hold at most " + MAX_IMPORT_ROWS
          + " candidates; split it")));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (CandidateCsv.Record rec : records.subList(1, records.size())) {
      List<String> f = rec.fields();
      if (f.size() != header.size()) {
        problems.add(problem(rec.line(), "expected " + header.size() + " fields (" + String.join(",", header) + "), found " + f.size()));
        continue;
      }
      try {
        NewInvitation n = validate(rec.line(), f.get(0), f.get(1), f.get(2), f.size() > 3 ? f.get(3) : "", f.size() > 4 ? f.get(4) : "");
        String key = n.email().toLowerCase(Locale.ROOT) + "\n" + n.track().track().id();
        Integer earlier = seen.putIfAbsent(key, rec.line());
        if (earlier != null) {
          problems.add(problem(rec.line(), n.email() + " is invited to " + n.track().track().id() + " on line " + earlier + " already"));
        } else {
          rows.add(n);
        }
      } catch (ClientError e) {
        problems.add(problem(rec.line(), e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw invalidCsv(problems);
    }
    return rows;
  }

  private static JsonObject problem(int line, String message) {
    return new JsonObject().put("line", line).put("message", message);
  }

  private static ClientError invalidCsv(List<JsonObject> problems) {
    List<JsonObject> shown = problems.size() > 200 ? problems.subList(0, 200) : problems;
    String first = shown.stream().limit(3).map(p -> "line " + p.getInteger("line") + ": " + p.getString("message"))
        .reduce((a, b) -> a + "; " + b).orElse("");
    return new ClientError(400, "invalid_csv", (problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        + "; nothing was imported. " + first + (problems.size() > 3 ? "; ..." : ""),
        new JsonObject().put("rows", new JsonArray(shown)));
  }

  // ---- actions on one invitation

  private static ClientError notFound() {
    return new ClientError(404, "unknown_candidate", "There is no candidate with that id.");
  }

  /** Locks the invitation row for an action; fails 404 when there is none. */
  private Future<Row> lock(SqlConnection conn, long id) {
    return conn.preparedQuery("select i.*, " + STATUS + " as status from invitations i where i.id = $1 for update")
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound()) : Future.succeededFuture(rows.iterator().next()));
  }

  private static Future<Row> requireOpen(Row r, String what) {
    String status = r.getString("status");
    if ("revoked".equals(status) || "submitted".equals(status) || r.getOffsetDateTime("erased_at") != null) {
      return Future.failedFuture(new ClientError(409, "not_open", "This invitation is " + ("revoked".equals(status)
          ? "revoked" : "submitted".equals(status) ? "submitted" : "erased") + "; it cannot be " + what + "."));
    }
    return Future.succeededFuture(r);
  }

  /** Moves the deadline {@code days} later (an expired invitation opens again); a running time limit is kept. */
  public Future<JsonObject> extend(Account me, long id, Integer days) {
    if (days == null || days < 1 || days > 365) {
      return Future.failedFuture(new ClientError(400, "invalid_days", "Extend by 1 to 365 days."));
    }
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "extended"))
        .compose(r -> conn.preparedQuery("""
                update invitations
                   set deadline = greatest(deadline, now()) + make_interval(days => $2), auto_reminded_at = null,
                       closes_at = case when first_opened_at is not null and time_limit_minutes > 0
                                        then least(greatest(deadline, now()) + make_interval(days => $2),
                                                   greatest(closes_at, first_opened_at + make_interval(mins => time_limit_minutes)))
                                        else greatest(deadline, now()) + make_interval(days => $2) end
                 where id = $1 returning deadline""").execute(Tuple.of(id, days))
            .compose(v -> Audit.record(conn, me.email(), "candidate.extended", "invitation:" + id,
                new JsonObject().put("pseudonym", r.getString("pseudonym")).put("days", days)))))
        .compose(v -> one(id));
  }

  /** Grants the candidate's open request for more time ({@link dev.gameday.candidate.MoreTime#grant}). */
  public Future<JsonObject> grantTime(Account me, long id) {
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "given more time"))
        .compose(r -> dev.gameday.candidate.MoreTime.grant(conn, me.email(), id, r)))
        .compose(v -> one(id));
  }

  /**
   * Sets the time multiplier (1 to 5): the working-time limit becomes the track's limit times it; a limit that is
   * already running is recomputed from the first opening. The deadline itself moves only with {@link #extend}.
   */
  public Future<JsonObject> accommodation(Account me, long id, Object raw) {
    return accommodation(me, id, raw, false);
  }

  /** As above; {@code untimed}: no working-time limit at all (no countdown for the candidate); the deadline stays. */
  public Future<JsonObject> accommodation(Account me, long id, Object raw, boolean untimed) {
    BigDecimal m;
    try {
      m = raw == null ? null : new BigDecimal(String.valueOf(raw).strip());
    } catch (NumberFormatException e) {
      m = null;
    }
    if (m == null || m.compareTo(BigDecimal.ONE) < 0 || m.compareTo(BigDecimal.valueOf(5)) > 0 || m.scale() > 2) {
      return Future.failedFuture(new ClientError(400, "invalid_multiplier", "The time multiplier must be a number from 1 to 5 with at most two decimals."));
    }
    BigDecimal multiplier = m;
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "changed"))
        .compose(r -> {
          CurrentTrack track = catalog.track(r.getString("track_id")).orElse(null);
          int base = track == null ? 0 : track.track().timeLimitMinutes();
          int limit = untimed ? 0 : BigDecimal.valueOf(base).multiply(multiplier).intValue();
          return conn.preparedQuery("""
                  update invitations
                     set time_multiplier = $2, time_limit_minutes = $3, untimed = $4,
                         closes_at = case when first_opened_at is not null and $3 > 0
                                          then least(deadline, first_opened_at + make_interval(mins => $3))
                                          else deadline end
                   where id = $1""").execute(Tuple.of(id, multiplier, limit, untimed))
              .compose(v -> Audit.record(conn, me.email(), "candidate.accommodation", "invitation:" + id,
                  new JsonObject().put("pseudonym", r.getString("pseudonym"))
                      .put("timeMultiplier", multiplier.setScale(2, RoundingMode.HALF_UP).toPlainString()).put("untimed", untimed)));
        }))
        .compose(v -> one(id));
  }

  /**
   * The link stops working at once (its hash is replaced, so it gets the same 404 as an unknown link), the
   * candidate's sessions end, no more answers are accepted; answers are kept. Pending emails are withdrawn.
   */
  public Future<JsonObject> revoke(Account me, long id) {
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "revoked"))
        .compose(r -> conn.preparedQuery("""
                update invitations set token_hash = $2, revoked_at = now(), closes_at = least(closes_at, now())
                 where id = $1""").execute(Tuple.of(id, Tokens.hash(Tokens.newToken())))
            .compose(v -> conn.preparedQuery("delete from sessions where invitation_id = $1").execute(Tuple.of(id)))
            .compose(v -> cancelPending(conn, id, null))
            .compose(v -> Audit.record(conn, me.email(), "candidate.revoked", "invitation:" + id,
                new JsonObject().put("pseudonym", r.getString("pseudonym"))))))
        .compose(v -> one(id));
  }

  private static Future<Void> cancelPending(SqlConnection conn, long id, String kind) {
    return conn.preparedQuery("""
            update email_outbox set state = 'cancelled', link = null, updated_at = now(), last_reply = 'withdrawn'
             where invitation_id = $1 and state = 'pending' and ($2::text is null or kind = $2)""").execute(Tuple.of(id, kind))
        .mapEmpty();
  }

  /** A new link; the old one dies at once. Emailed when email is on, else answered for the recruiter to copy. */
  public Future<JsonObject> resend(Account me, long id) {
    String token = Tokens.newToken();
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "sent again"))
        .compose(r -> {
          if ("expired".equals(r.getString("status"))) {
            return Future.failedFuture(new ClientError(409, "expired", "This invitation has expired; extend the deadline first."));
          }
          return conn.preparedQuery("update invitations set token_hash = $2 where id = $1").execute(Tuple.of(id, Tokens.hash(token)))
              .compose(v -> cancelPending(conn, id, "invitation"))
              .compose(v -> email ? conn.preparedQuery("""
                      insert into email_outbox (invitation_id, kind, to_address, link) values ($1, 'invitation', $2, $3)""")
                  .execute(Tuple.of(id, r.getString("candidate_email"), link(token))).mapEmpty() : Future.succeededFuture())
              .compose(v -> Audit.record(conn, me.email(), "candidate.resent", "invitation:" + id,
                  new JsonObject().put("pseudonym", r.getString("pseudonym")).put("emailed", email)));
        }))
        .compose(v -> one(id))
        .map(c -> email ? c : c.put("link", link(token)));
  }

  /** Queues a reminder email (no link in it: tokens are kept only as hashes); 409 when email is off. */
  public Future<JsonObject> remind(Account me, long id) {
    if (!email) {
      return Future.failedFuture(new ClientError(409, "email_off",
          "Email is off (no GAMEDAY_SMTP_URL), so no reminder can be sent. Remind the candidate yourself."));
    }
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> requireOpen(r, "reminded"))
        .compose(r -> {
          if ("expired".equals(r.getString("status"))) {
            return Future.failedFuture(new ClientError(409, "expired", "This invitation has expired; extend the deadline first."));
          }
          return conn.preparedQuery("insert into email_outbox (invitation_id, kind, to_address) values ($1, 'reminder', $2)")
              .execute(Tuple.of(id, r.getString("candidate_email")))
              .compose(v -> Audit.record(conn, me.email(), "candidate.reminded", "invitation:" + id,
                  new JsonObject().put("pseudonym", r.getString("pseudonym"))));
        }))
        .compose(v -> one(id));
  }

  /**
   * Automatic reminders: for every track with {@code reminderHoursBeforeDeadline}, queues one reminder email for each
   * open invitation (not submitted, revoked, erased or closed) whose deadline is less than that many hours away and
   * that has not been reminded automatically for this deadline. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}
   * and marked in the same transaction as their outbox row, so two instances never remind one candidate twice. Does
   * nothing when email is off. Returns how many reminders were queued.
   */
  public Future<Integer> remindDue() {
    if (!email) {
      return Future.succeededFuture(0);
    }
    Future<Integer> total = Future.succeededFuture(0);
    for (CurrentTrack t : catalog.tracks()) {
      int hours = t.track().reminderHours();
      if (hours <= 0) {
        continue;
      }
      String trackId = t.track().id();
      total = total.compose(sum -> pool.withTransaction(conn -> conn.preparedQuery("""
              select id, pseudonym, candidate_email from invitations
               where track_id = $1 and auto_reminded_at is null and submitted_at is null and revoked_at is null
                 and erased_at is null and not demo
                 and deadline <= now() + make_interval(hours => $2) and closes_at > now()
               order by deadline limit 500 for update skip locked""").execute(Tuple.of(trackId, hours))
          .compose(rows -> {
            Future<Void> f = Future.succeededFuture();
            for (Row r : rows) {
              long id = r.getLong("id");
              f = f.compose(v -> conn.preparedQuery("update invitations set auto_reminded_at = now() where id = $1").execute(Tuple.of(id)))
                  .compose(v -> conn.preparedQuery("insert into email_outbox (invitation_id, kind, to_address) values ($1, 'reminder', $2)")
                      .execute(Tuple.of(id, r.getString("candidate_email"))))
                  .compose(v -> Audit.record(conn, AUTOMATIC, "candidate.reminded", "invitation:" + id,
                      new JsonObject().put("pseudonym", r.getString("pseudonym")).put("automatic", true).put("hoursBefore", hours)));
            }
            return f.map(sum + rows.size());
          })));
    }
    return total;
  }

  /**
   * Erases the candidate's personal data: name and email become the pseudonym in the invitation and in every email
   * row (pending emails are withdrawn, links wiped) and in answers kept for Idempotency-Key retries; the Greenhouse
   * record loses its profile URL, callback URL and the key kept for the callback. Answers and reviews stay for
   * calibration. Audited with who and why. An open invitation is revoked too.
   */
  public Future<JsonObject> erase(Account me, long id, String reason) {
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty() || why.length() > 1000) {
      return Future.failedFuture(new ClientError(400, "invalid_reason", "Give a reason for the erasure (at most 1,000 characters)."));
    }
    return pool.withTransaction(conn -> lock(conn, id).compose(r -> {
      if (r.getOffsetDateTime("erased_at") != null) {
        return Future.failedFuture(new ClientError(409, "erased", "This candidate's personal data is already erased."));
      }
      return eraseLocked(conn, r, me.email(), why);
    })).compose(v -> one(id));
  }

  private static Future<Void> eraseLocked(SqlConnection conn, Row r, String actor, String why) {
    long id = r.getLong("id");
    boolean open = List.of("invited", "opened", "in_progress").contains(r.getString("status"));
    return conn.preparedQuery("""
            update invitations set candidate_name = pseudonym, candidate_email = pseudonym, erased_at = now(),
                   time_requested_at = null, time_request_reason = null,
                   revoked_at = case when $2 then now() else revoked_at end,
                   token_hash = case when $2 then $3 else token_hash end,
                   closes_at = case when $2 then least(closes_at, now()) else closes_at end
             where id = $1""").execute(Tuple.of(id, open, Tokens.hash(Tokens.newToken())))
        .compose(v -> open ? conn.preparedQuery("delete from sessions where invitation_id = $1").execute(Tuple.of(id)).mapEmpty()
            : Future.succeededFuture())
        .compose(v -> conn.preparedQuery("""
                update email_outbox set to_address = $2, link = null,
                       state = case when state = 'pending' then 'cancelled' else state end, updated_at = now()
                 where invitation_id = $1""").execute(Tuple.of(id, r.getString("pseudonym"))))
        .compose(v -> redactStoredAnswers(conn, r.getString("candidate_email"), r.getString("pseudonym")))
        // Greenhouse's record of this test: the profile URL names the person in Greenhouse, the callback URL their
        // application, and the key kept for the callback is a credential; a callback not yet sent is abandoned
        .compose(v -> conn.preparedQuery("""
                update greenhouse_interviews
                   set greenhouse_profile_url = null, callback_url = null, callback_auth = null,
                       callback_last_error = case when callback_state in ('waiting', 'pending') then 'candidate erased' end,
                       callback_state = case when callback_state in ('waiting', 'pending') then 'failed' else callback_state end
                 where invitation_id = $1""").execute(Tuple.of(id)))
        .compose(v -> Audit.record(conn, actor, "candidate.erased", "invitation:" + id,
            new JsonObject().put("pseudonym", r.getString("pseudonym")).put("reason", why).put("revoked", open)));
  }

  /**
   * Answers kept for {@code Idempotency-Key} retries (a day) can repeat the email: a refusal's message ("... already
   * has an open invitation"), a batch's results. Every occurrence, in any letter case, becomes the pseudonym, so a
   * retry still gets its answer (and still creates nothing) without the address. Names are never part of an answer.
   */
  private static Future<Void> redactStoredAnswers(SqlConnection conn, String email, String pseudonym) {
    if (email == null || email.isBlank() || email.equals(pseudonym)) {
      return Future.succeededFuture();
    }
    // the body is JSON text: look for the address as JSON writes it inside a string
    String encoded = io.vertx.core.json.Json.encode(email);
    String needle = encoded.substring(1, encoded.length() - 1);
    String replacement = io.vertx.core.json.Json.encode(pseudonym);
    String quotedReplacement = java.util.regex.Matcher.quoteReplacement(replacement.substring(1, replacement.length() - 1));
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(needle),
        java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
    return conn.preparedQuery("select caller, key, body from idempotency_keys where strpos(lower(body), lower($1)) > 0 for update")
        .execute(Tuple.of(needle))
        .compose(rows -> {
          List<Tuple> updates = new ArrayList<>();
          for (Row row : rows) {
            updates.add(Tuple.of(row.getString("caller"), row.getString("key"),
                p.matcher(row.getString("body")).replaceAll(quotedReplacement)));
          }
          return updates.isEmpty() ? Future.succeededFuture()
              : conn.preparedQuery("update idempotency_keys set body = $3 where caller = $1 and key = $2").executeBatch(updates).mapEmpty();
        });
  }

  /**
   * Retention: erases every invitation closed (expired, revoked or submitted) more than {@code days} ago without a
   * decision. Returns how many were erased.
   */
  public Future<Integer> eraseExpired(int days) {
    if (days <= 0) {
      return Future.succeededFuture(0);
    }
    return pool.withTransaction(conn -> conn.preparedQuery("select i.*, " + STATUS + """
             \n as status from invitations i
             where i.erased_at is null and not i.demo
               and coalesce(i.revoked_at, i.submitted_at, i.closes_at) < now() - make_interval(days => $1)
               and not exists (select 1 from submissions s join decisions d on d.submission_id = s.id where s.invitation_id = i.id)
             order by i.id limit 500 for update skip locked""").execute(Tuple.of(days))
        .compose(rows -> {
          Future<Void> f = Future.succeededFuture();
          int n = 0;
          for (Row r : rows) {
            f = f.compose(v -> eraseLocked(conn, r, "retention", "undecided and closed for more than " + days + " days"));
            n++;
          }
          int count = n;
          return f.map(count);
        }));
  }

  /** True when the error is a pseudonym collision with a concurrent insert (the caller may try again). */
  static boolean pseudonymCollision(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState()) && String.valueOf(pg.getConstraint()).contains("pseudonym");
  }
}
