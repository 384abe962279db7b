package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The recruiter's list of invitations: one page filtered and sorted, every row for the CSV export, the pipeline's
 * counts per status, and the shape of one candidate as the list and the candidate's page show it. Reads only.
 */
public final class CandidateListing {
  public static final int PAGE_SIZE = 50;
  public static final List<String> STATUSES = List.of("invited", "opened", "in_progress", "submitted", "expired", "revoked");
  static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH);

  static final String DETAILS = """
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

  static final String ROW_COLUMNS = """
      i.id, i.pseudonym, i.track_id, i.candidate_name, i.candidate_email, i.deadline, i.closes_at, i.time_multiplier,
      i.time_limit_minutes, i.created_at, i.first_opened_at, i.submitted_at, i.revoked_at, i.erased_at, i.invited_by,
      i.demo, i.state, i.untimed, i.time_requested_at, i.time_request_reason, ca.at as last_activity""";

  private final Pool pool;
  private final Catalog catalog;
  private final boolean email;

  public CandidateListing(Pool pool, Catalog catalog, boolean email) {
    this.pool = pool;
    this.catalog = catalog;
    this.email = email;
  }

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

  /** One candidate as the list and the candidate's page show it, from a row of {@link #DETAILS}. */
  JsonObject candidate(Row r) {
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
}
