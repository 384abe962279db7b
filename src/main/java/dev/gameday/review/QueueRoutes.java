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
    int page = pageNumber(ctx);
    Future<List<Assignments.Assignment>> assigned = page == 0 ? assignments.mine(me) : Future.succeededFuture(List.of());
    assigned.compose(mine -> service.queue(me, track, exercise, status, page).map(items -> {
      Map<String, Object> m = new HashMap<>();
      Instant now = Instant.now();
      m.put("assigned", mine.stream().map(a -> AssignmentRoutes.row(a, now)).toList());
      m.put("title", "Review queue");
      boolean more = items.size() > ReviewService.PAGE_SIZE;
      m.put("items", items.stream().limit(ReviewService.PAGE_SIZE).map(ReviewRoutes::itemRow).toList());
      m.put("empty", items.isEmpty());
      m.put("filters", service.filters());
      m.put("track", track == null ? "" : track);
      m.put("exercise", exercise == null ? "" : exercise);
      m.put("status", status);
      m.put("statuses", List.of(Map.of("id", "mine", "label", "Needs my review"), Map.of("id", "more", "label", "Needs more reviews"),
          Map.of("id", "disagreement", "label", "Disagreement"), Map.of("id", "decided", "label", "Decided"),
          Map.of("id", "all", "label", "All")));
      String q = "track=" + enc(track) + "&exercise=" + enc(exercise) + "&status=" + enc(status);
      if (page > 0) {
        m.put("prev", "/review?" + q + "&page=" + (page - 1));
      }
      if (more) {
        m.put("next", "/review?" + q + "&page=" + (page + 1));
      }
      m.put("admin", me.admin());
      return m;
    })).compose(m -> service.notQualified(me).map(q -> { // reviewer qualification: the tracks where my reviews are practice
      m.put("practiceTracks", q.stream().map(Qualifications.Status::trackTitle).toList());
      return m;
    })).onSuccess(m -> pages.render(ctx, 200, "review-queue", m)).onFailure(ctx::fail);
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
    service.queue(me, ctx.request().getParam("track"), ctx.request().getParam("exercise"), ctx.request().getParam("status"), page)
        .onSuccess(items -> Http.json(ctx, 200, new JsonObject()
            .put("items", ReviewService.toJson(items.stream().limit(ReviewService.PAGE_SIZE).toList()))
            .put("page", page).put("hasMore", items.size() > ReviewService.PAGE_SIZE)))
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
