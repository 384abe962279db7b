package dev.gameday.account;

import dev.gameday.web.Access;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import dev.gameday.web.Sessions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /account}: a staff member's own account: their live sessions (browser, address, when signed in and last
 * active), each of which they can end, or all but this one at once.
 */
final class AccountPage {
  static final Map<String, String> NOTICES = Map.of(
      "others", "Every other session is signed out.",
      "ended", "That session is signed out.");
  static final Map<String, String> PROBLEMS = Map.of(
      "not_found", "That session had already ended.");

  private final OwnSessions own;
  private final Pages pages;

  AccountPage(OwnSessions own, Pages pages) {
    this.own = own;
    this.pages = pages;
  }

  /** On an {@link dev.gameday.web.Access.Rule#STAFF} group (a candidate has no account page). */
  void mount(Access.Routes staff) {
    staff.get("/account", this::page);
    staff.post("/account/sessions/others/end", ctx -> endOthers(ctx, false));
    staff.post("/account/sessions/:id/end", ctx -> endOne(ctx, false));
    staff.get("/api/v1/account/sessions", this::listJson);
    staff.post("/api/v1/account/sessions/others/end", ctx -> endOthers(ctx, true));
    staff.delete("/api/v1/account/sessions/:id", ctx -> endOne(ctx, true));
  }

  private void page(RoutingContext ctx) {
    Session s = Access.session(ctx);
    own.live(s).onSuccess(list -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Your account");
      m.put("name", s.name());
      m.put("email", s.email());
      m.put("role", s.role());
      m.put("sessions", list);
      m.put("others", list.size() > 1);
      String done = NOTICES.get(String.valueOf(ctx.request().getParam("done")));
      String problem = PROBLEMS.get(String.valueOf(ctx.request().getParam("problem")));
      if (done != null) {
        m.put("notice", done);
      }
      if (problem != null) {
        m.put("problem", problem);
      }
      pages.render(ctx, 200, "account", m);
    }).onFailure(ctx::fail);
  }

  private void listJson(RoutingContext ctx) {
    Session s = Access.session(ctx);
    own.live(s).onSuccess(list -> Http.json(ctx, 200, new JsonObject()
            .put("sessions", new JsonArray(list.stream().map(Sessions.Active::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void endOthers(RoutingContext ctx, boolean api) {
    Session s = Access.session(ctx);
    own.endOthers(s)
        .onSuccess(n -> {
          if (api) {
            Http.json(ctx, 200, new JsonObject().put("ended", n));
          } else {
            Http.redirect(ctx, "/account?done=others");
          }
        })
        .onFailure(ctx::fail);
  }

  private void endOne(RoutingContext ctx, boolean api) {
    Session s = Access.session(ctx);
    Long id = SetupRoutes.parseLong(ctx.pathParam("id"));
    (id == null ? io.vertx.core.Future.succeededFuture(false) : own.endOne(s, id))
        .onSuccess(ended -> {
          if (api) {
            if (ended) {
              ctx.response().setStatusCode(204).end();
            } else {
              ctx.fail(404, new ClientError(404, "not_found", "You have no live session with this id."));
            }
          } else {
            Http.redirect(ctx, ended ? "/account?done=ended" : "/account?problem=not_found");
          }
        })
        .onFailure(ctx::fail);
  }
}
