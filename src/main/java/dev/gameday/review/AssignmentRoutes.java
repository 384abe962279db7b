package dev.gameday.review;

import dev.gameday.review.Assignments.Assignment;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Review assignments (issue 21): an admin's overview and form ({@code /review/assignments}), and the JSON API
 * ({@code /api/v1/review/assignments}: a reviewer lists their own, an admin everyone's and creates and cancels them).
 * Mounted before {@link ReviewRoutes}, whose {@code /review/:sid} would otherwise take {@code /review/assignments}.
 */
public final class AssignmentRoutes {
  private final Assignments assignments;
  private final Pages pages;

  public AssignmentRoutes(Assignments assignments, Pages pages) {
    this.assignments = assignments;
    this.pages = pages;
  }

  public void mount(Router router) {
    Access.Routes reviewer = Access.on(router, Rule.REVIEWER);
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    admin.get("/review/assignments", this::overview);
    admin.get("/review/assignments/new", ctx -> form(ctx, 200, null, null));
    admin.post("/review/assignments", this::create);
    admin.post("/review/assignments/:id/cancel", this::cancel);
    reviewer.get("/api/v1/review/assignments", this::listJson);
    admin.post("/api/v1/review/assignments", this::createJson);
    admin.delete("/api/v1/review/assignments/:id", this::cancelJson);
  }

  /** An assignment as a row of the overview or of the reviewer's queue. */
  static Map<String, Object> row(Assignment a, Instant now) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", a.id());
    m.put("submissionId", a.submissionId().toString());
    m.put("exerciseId", a.exerciseId());
    m.put("exerciseTitle", a.exerciseTitle());
    m.put("pseudonym", a.pseudonym());
    m.put("reviewer", a.reviewerName());
    m.put("dueAt", a.dueAt());
    m.put("due", Assignments.dueText(a.dueAt(), now));
    m.put("overdue", a.open() && a.dueAt().toInstant().isBefore(now));
    m.put("open", a.open());
    m.put("status", a.reviewed() ? "Reviewed" : a.decided() ? "Decided before review" : "draft".equals(a.reviewState())
        ? "Draft started" : "Not started");
    m.put("reviewedAt", a.reviewedAt());
    return m;
  }

  private void overview(RoutingContext ctx) {
    String status = ctx.request().getParam("status");
    String s = "done".equals(status) || "all".equals(status) ? status : "open";
    assignments.overview(s).onSuccess(list -> {
      Instant now = Instant.now();
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Review assignments");
      m.put("rows", list.stream().map(a -> row(a, now)).toList());
      m.put("empty", list.isEmpty());
      m.put("full", list.size() >= Assignments.LIST_LIMIT);
      m.put("status", s);
      m.put("statuses", List.of(Map.of("id", "open", "label", "Open"), Map.of("id", "done", "label", "Done"),
          Map.of("id", "all", "label", "All")));
      pages.render(ctx, 200, "review-assignments", m);
    }).onFailure(ctx::fail);
  }

  /**
   * The form: with {@code ?submission=} its exercises, every active reviewer and a due date; without, a choice of the
   * submissions under review. {@code error} and {@code sent} re-show a refused form (400) with what was entered.
   */
  private void form(RoutingContext ctx, int status, String error, MultiMap sent) {
    String raw = sent != null ? sent.get("submission") : ctx.request().getParam("submission");
    UUID sid = raw == null || raw.isBlank() ? null : uuid(raw);
    if (raw != null && !raw.isBlank() && sid == null) {
      ctx.fail(ReviewService.notFound());
      return;
    }
    Map<String, Object> m = new HashMap<>();
    m.put("title", "Assign reviewers");
    m.put("error", error);
    Future<Void> loaded = sid == null
        ? assignments.undecided().map(list -> {
          m.put("submissions", list.stream().map(s -> Map.of("id", s.id().toString(), "pseudonym", s.pseudonym(),
              "track", s.trackId(), "submittedAt", s.submittedAt())).toList());
          m.put("noSubmissions", list.isEmpty());
          return null;
        })
        : assignments.submission(sid).compose(sub -> assignments.reviewers().map(reviewers -> {
          List<String> ticked = sent == null ? null : sent.getAll("exercise");
          List<String> chosen = sent == null ? List.of() : sent.getAll("reviewer");
          m.put("submission", Map.of("id", sub.id().toString(), "pseudonym", sub.pseudonym(), "track", sub.trackId(),
              "decided", sub.decided()));
          m.put("exercises", sub.exercises().stream().map(t -> Map.of("id", t.exerciseId(), "title", t.exerciseTitle(),
              "checked", ticked == null || ticked.contains(t.exerciseId()))).toList());
          m.put("reviewers", reviewers.stream().map(r -> Map.of("id", r.id(), "name", r.name(), "email", r.email(),
              "checked", chosen.contains(String.valueOf(r.id())))).toList());
          m.put("due", sent == null || sent.get("due") == null ? "" : sent.get("due"));
          return null;
        }));
    loaded.onSuccess(v -> pages.render(ctx, status, "review-assign", m)).onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    Account me = Access.account(ctx);
    MultiMap f = ctx.request().formAttributes();
    UUID sid = uuid(f.get("submission"));
    if (sid == null) {
      ctx.fail(ReviewService.notFound());
      return;
    }
    Future<Assignments.Outcome> done;
    try {
      if (f.getAll("exercise").isEmpty()) {
        throw new ClientError(400, "exercise_required", "Choose at least one exercise.");
      }
      OffsetDateTime due = formDue(f.get("due"), f.get("zone"));
      done = assignments.assign(me, sid, f.getAll("exercise"), reviewerIds(f.getAll("reviewer")), due);
    } catch (ClientError e) {
      done = Future.failedFuture(e);
    }
    done.onSuccess(o -> Flash.redirect(ctx, "/review/assignments", Flash.of("notice", notice(o))))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 400) {
            form(ctx, 400, ce.getMessage(), f);
          } else {
            ctx.fail(err);
          }
        });
  }

  static String notice(Assignments.Outcome o) {
    List<String> parts = new ArrayList<>();
    if (o.assigned() > 0) {
      parts.add(o.assigned() + (o.assigned() == 1 ? " review assigned" : " reviews assigned"));
    }
    if (o.changed() > 0) {
      parts.add(o.changed() + (o.changed() == 1 ? " due date changed" : " due dates changed"));
    }
    if (o.unchanged() > 0) {
      parts.add(o.unchanged() + (o.unchanged() == 1 ? " was already assigned with that due date" : " were already assigned with that due date"));
    }
    return String.join("; ", parts) + ".";
  }

  private void cancel(RoutingContext ctx) {
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    assignments.cancel(Access.account(ctx), id).onSuccess(changed -> Flash.redirect(ctx, "/review/assignments",
        Flash.of("notice", changed ? "The assignment is cancelled." : "The assignment was already cancelled.")))
        .onFailure(ctx::fail);
  }

  private void listJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    boolean everyone = me.admin() && !"true".equals(ctx.request().getParam("mine"));
    (everyone ? assignments.overview(ctx.request().getParam("status")) : assignments.mine(me)).onSuccess(list -> {
      Instant now = Instant.now();
      Http.json(ctx, 200, new JsonObject().put("assignments", new JsonArray(list.stream().map(a -> a.toJson(now)).toList())));
    }).onFailure(ctx::fail);
  }

  private void createJson(RoutingContext ctx) {
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Future<Assignments.Outcome> done;
    try {
      UUID sid = body.getValue("submissionId") instanceof String s ? uuid(s) : null;
      if (sid == null) {
        throw new ClientError(400, "submission_required", "submissionId must be the id of a submission.");
      }
      done = assignments.assign(Access.account(ctx), sid, strings(body, "exerciseIds"), longs(body, "reviewerIds"),
          apiDue(body.getValue("dueAt")));
    } catch (ClientError e) {
      done = Future.failedFuture(e);
    }
    done.onSuccess(o -> Http.json(ctx, 201, o.toJson())).onFailure(ctx::fail);
  }

  private void cancelJson(RoutingContext ctx) {
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    assignments.cancel(Access.account(ctx), id)
        .onSuccess(changed -> Http.json(ctx, 200, new JsonObject().put("cancelled", changed))).onFailure(ctx::fail);
  }

  /**
   * The form's due date: {@code due} as the browser's date-and-time field sends it ("2026-12-05T17:00"), in
   * {@code zone}, the reader's time zone that app.js fills in (UTC when the script did not run).
   */
  static OffsetDateTime formDue(String due, String zone) {
    if (due == null || due.isBlank()) {
      throw new ClientError(400, "due_required", "Choose a due date and time.");
    }
    ZoneId z;
    try {
      z = zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw new ClientError(400, "bad_zone", "The time zone is not one this server knows: choose the due date again.");
    }
    try {
      return Assignments.checkDue(LocalDateTime.parse(due.strip().replace(' ', 'T')).atZone(z).toOffsetDateTime(), Instant.now());
    } catch (DateTimeParseException e) {
      throw new ClientError(400, "bad_due", "The due date is not a date and time: write it as 2026-12-05 17:00.");
    }
  }

  /** The API's due date: ISO 8601 with an offset or Z ("2026-12-05T17:00:00+01:00"). */
  static OffsetDateTime apiDue(Object value) {
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ClientError(400, "due_required", "dueAt is required: a date and time with an offset, e.g. 2026-12-05T17:00:00Z.");
    }
    try {
      return Assignments.checkDue(OffsetDateTime.parse(s.strip()), Instant.now());
    } catch (DateTimeParseException e) {
      throw new ClientError(400, "bad_due", "dueAt is not a date and time with an offset: write it like 2026-12-05T17:00:00Z.");
    }
  }

  private static List<Long> reviewerIds(List<String> raw) {
    List<Long> out = new ArrayList<>();
    for (String r : raw) {
      try {
        out.add(Long.parseLong(r.strip()));
      } catch (NumberFormatException e) {
        throw new ClientError(400, "not_a_reviewer", "Choose reviewers from the list.");
      }
    }
    return out;
  }

  private static List<String> strings(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof String))) {
      throw new ClientError(400, "bad_" + key, key + " must be an array of exercise ids.");
    }
    return a.stream().map(String.class::cast).toList();
  }

  private static List<Long> longs(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (!(v instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof Number))) {
      throw new ClientError(400, "bad_" + key, key + " must be an array of account ids.");
    }
    return a.stream().map(x -> ((Number) x).longValue()).toList();
  }

  private static UUID uuid(String raw) {
    try {
      return raw == null ? null : UUID.fromString(raw.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ctx.fail(new ClientError(404, "not_found", "There is no such assignment."));
      return null;
    }
  }
}
