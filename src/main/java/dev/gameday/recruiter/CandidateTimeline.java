package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One candidate as their page shows them: the list's row, their exercises, the emails sent to them and a timeline
 * of what happened (invited, opened, started, submitted, reviewed, decided, and every recruiter's action from the
 * audit log: who, never what a review said). Reads only; every action answers the candidate as this reads them.
 */
public final class CandidateTimeline {
  /** The audit actor of what Gameday does by itself (automatic reminders). */
  public static final String AUTOMATIC = "gameday (automatic)";

  private final Pool pool;
  private final Catalog catalog;
  private final CandidateListing listing;

  public CandidateTimeline(Pool pool, Catalog catalog, CandidateListing listing) {
    this.pool = pool;
    this.catalog = catalog;
    this.listing = listing;
  }

  /** One candidate with their exercises, deliveries and timeline; null when there is no such invitation. */
  public Future<JsonObject> one(long id) {
    String sql = "with page as (select " + CandidateListing.ROW_COLUMNS
        + " from invitations i join invitation_activity ca on ca.invitation_id = i.id where i.id = $1) " + CandidateListing.DETAILS;
    return pool.preparedQuery(sql).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row r = rows.iterator().next();
      JsonObject c = listing.candidate(r);
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
          .compose(v -> submission == null ? Future.succeededFuture() : released(submission, c, events))
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
      return new JsonObject().put("at", CandidateListing.iso(at)).put("atText", CandidateListing.text(at)).put("kind", kind).put("text", text);
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
  /** When the submission's feedback was released to the candidate (issue 24, item 7), if it was. */
  private Future<Void> released(Object submissionId, JsonObject c, List<Event> events) {
    return pool.preparedQuery("select released_at from feedback_releases where submission_id = $1").execute(Tuple.of(submissionId))
        .map(rows -> {
          for (Row r : rows) {
            c.put("feedbackReleasedAt", CandidateListing.iso(r.getOffsetDateTime("released_at")));
            events.add(new Event(r.getOffsetDateTime("released_at"), "feedback", "Feedback released to the candidate"));
          }
          return null;
        });
  }

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
                .put("reply", r.getString("last_reply")).put("createdAt", CandidateListing.iso(r.getOffsetDateTime("created_at")))
                .put("createdAtText", CandidateListing.text(r.getOffsetDateTime("created_at")))
                .put("deliveredAt", CandidateListing.iso(r.getOffsetDateTime("delivered_at")))
                .put("nextAttemptAt", "pending".equals(state) ? CandidateListing.iso(r.getOffsetDateTime("next_attempt_at")) : null)
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
}
