package dev.gameday.review;

import dev.gameday.review.ReviewService.Item;
import dev.gameday.web.Access;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/**
 * An exercise submitted with every section blank has nothing to judge: one submitted review with the lowest level
 * on every criterion, the note {@value ReviewRoutes#ReviewRoutes.NO_ANSWER_NOTE} and the recommendation "no" (issue 9, defect 19);
 * for one exercise (JSON, or the item form's "no answer" action) or for every blank exercise of a submission at once.
 */
final class NoAnswerRoutes {
  private final ReviewService service;
  private final ReviewDecisions decisions;

  NoAnswerRoutes(ReviewService service, ReviewDecisions decisions) {
    this.service = service;
    this.decisions = decisions;
  }

  void allForm(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    service.itemsOf(sid, me).compose(items -> {
      List<Item> blank = items.stream().filter(ReviewRoutes::blankForMe).toList();
      Future<Void> chain = Future.succeededFuture();
      for (Item i : blank) {
        chain = chain.compose(v -> record(i, me));
      }
      return chain.map(v -> blank.size());
    }).onSuccess(n -> Flash.redirect(ctx, "/review/" + sid, n == 0
            ? Flash.of("error", "There is no blank exercise left for you to record.")
            : Flash.of("notice", "No answer is recorded for " + n + (n == 1 ? " exercise" : " exercises")
                + ": the lowest level on every criterion, recommendation No.")))
        .onFailure(ctx::fail);
  }

  Future<Void> record(Item item, Account me) {
    if (!item.noAnswer()) {
      return Future.failedFuture(new ClientError(409, "has_answer",
          "This answer has text: score each criterion instead of recording no answer."));
    }
    JsonObject scores = new JsonObject();
    item.version().exercise().rubric().forEach(c -> scores.put(c.id(), new JsonObject().put("level", 1).put("note", ReviewRoutes.NO_ANSWER_NOTE)));
    return decisions.save(item, me, scores, "no", true);
  }

  void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    UUID sid = ReviewRoutes.uuid(ctx);
    if (sid == null) {
      return;
    }
    String ex = ctx.pathParam("ex");
    service.item(sid, ex, me).compose(item -> record(item, me))
        .compose(v -> service.reviews(sid, ex)).map(all -> all.stream().filter(r -> r.reviewerId() == me.id()).findFirst().orElseThrow())
        .onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }
}
