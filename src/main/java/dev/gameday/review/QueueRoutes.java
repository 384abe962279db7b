package dev.gameday.review;

import dev.gameday.web.Access;
import dev.gameday.web.Account;
import dev.gameday.web.Http;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The review queue: its page, its JSON and "next answer for me". Reviews assigned to me come first: listed above the
 * queue with their due dates (issue 21), and the next answer is the earliest due of them while any is open.
 */
final class QueueRoutes {
  private final ReviewService service;
  private final Pages pages;
  private final Assignments assignments;

  QueueRoutes(ReviewService service, Pages pages, Assignments assignments) {
    this.service = service;
    this.pages = pages;
    this.assignments = assignments;
  }

  void page(RoutingContext ctx) {
    Account me = Access.account(ctx);
    String track = ctx.request().getParam("track");
    String exercise = ctx.request().getParam("exercise");
    String status = ctx.request().getParam("status") == null ? "mine" : ctx.request().getParam("status");
    ReviewQueue.Cursor cursor = cursor(ctx);
    if (cursor == BAD) {
      ctx.fail(400, badCursor());
      return;
    }
    service.queue().page(me, track, exercise, status, pageNumber(ctx), cursor).compose(page -> {
      Future<List<Assignments.Assignment>> assigned = page.first() ? assignments.mine(me) : Future.succeededFuture(List.of());
      return assigned.map(mine -> {
        Map<String, Object> m = new HashMap<>();
        Instant now = Instant.now();
        m.put("assigned", mine.stream().map(a -> AssignmentRoutes.row(a, now)).toList());
        m.put("title", "Review queue");
        m.put("items", page.items().stream().map(ReviewRoutes::itemRow).toList());
        m.put("empty", page.items().isEmpty());
        m.put("filters", service.filters());
        m.put("track", track == null ? "" : track);
        m.put("exercise", exercise == null ? "" : exercise);
        m.put("status", status);
        m.put("statuses", List.of(Map.of("id", "mine", "label", "Needs my review"), Map.of("id", "more", "label", "Needs more reviews"),
            Map.of("id", "disagreement", "label", "Disagreement"), Map.of("id", "decided", "label", "Decided"),
            Map.of("id", "all", "label", "All")));
        String q = "track=" + enc(track) + "&exercise=" + enc(exercise) + "&status=" + enc(status);
        if (page.newer() != null) {
          m.put("prev", "/review?" + q + "&before=" + page.newer());
        }
        if (page.older() != null) {
          m.put("next", "/review?" + q + "&after=" + page.older());
        }
        m.put("admin", me.admin());
        return m;
      });
    }).compose(m -> service.notQualified(me).map(q -> { // reviewer qualification: the tracks where my reviews are practice
      m.put("practiceTracks", q.stream().map(Qualifications.Status::trackTitle).toList());
      return m;
    })).onSuccess(m -> pages.render(ctx, 200, "review-queue", m)).onFailure(ctx::fail);
  }

  /** Stands for a cursor parameter that is present but not a cursor. */
  private static final ReviewQueue.Cursor BAD = new ReviewQueue.Cursor(true, java.time.OffsetDateTime.MIN, new java.util.UUID(0, 0), 0);

  /** The page's cursor: {@code after} (older than an item) or {@code before} (newer); null for none, BAD for a bad one. */
  private static ReviewQueue.Cursor cursor(RoutingContext ctx) {
    String after = ctx.request().getParam("after");
    String before = ctx.request().getParam("before");
    if (after == null && before == null) {
      return null;
    }
    ReviewQueue.Cursor c = after != null && before != null ? null
        : after != null ? ReviewQueue.Cursor.parse(after, true) : ReviewQueue.Cursor.parse(before, false);
    return c == null ? BAD : c;
  }

  private static Http.ClientError badCursor() {
    return new Http.ClientError(400, "invalid_cursor",
        "This page link is not one the queue made (give after or before, not both, as the queue's links carry them): open the queue from its first page.");
  }

  private static int pageNumber(RoutingContext ctx) {
    try {
      String p = ctx.request().getParam("page");
      return p == null ? 0 : Math.max(0, Math.min(100_000, Integer.parseInt(p)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String enc(String s) {
    return s == null ? "" : java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    int page = pageNumber(ctx);
    ReviewQueue.Cursor cursor = cursor(ctx);
    if (cursor == BAD) {
      ctx.fail(400, badCursor());
      return;
    }
    service.queue().page(me, ctx.request().getParam("track"), ctx.request().getParam("exercise"), ctx.request().getParam("status"), page, cursor)
        .onSuccess(p -> {
          JsonObject body = new JsonObject().put("items", ReviewService.toJson(p.items()));
          if (cursor == null) {
            body.put("page", page);
          }
          Http.json(ctx, 200, body.put("hasMore", p.older() != null)
              .put("older", p.older() == null ? null : p.older().toString())
              .put("newer", p.newer() == null ? null : p.newer().toString()));
        })
        .onFailure(ctx::fail);
  }

  void next(RoutingContext ctx) {
    Account me = Access.account(ctx);
    String exercise = ctx.request().getParam("exercise");
    assignments.mine(me).compose(mine -> {
      var due = mine.stream().filter(a -> exercise == null || exercise.isBlank() || exercise.equals(a.exerciseId())).findFirst();
      return due.isPresent() ? Future.succeededFuture("/review/" + due.get().submissionId() + "/" + due.get().exerciseId())
          : service.next(me, exercise).map(item -> item == null ? "/review?status=mine&empty=1"
              : "/review/" + item.submissionId() + "/" + item.exerciseId());
    }).onSuccess(to -> Http.redirect(ctx, to)).onFailure(ctx::fail);
  }
}
