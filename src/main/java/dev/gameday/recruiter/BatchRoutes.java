package dev.gameday.recruiter;

import dev.gameday.web.Access;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Idempotency;
import dev.gameday.web.Idempotency.Answer;
import dev.gameday.web.Pages;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The handlers of batch actions on {@code /candidates} (issue 21), mounted by {@link RecruiterRoutes} with its rules:
 * the list's form GETs {@code /candidates/batch} (the confirmation step: who is selected, what will happen to each),
 * whose form POSTs {@code /candidates/batch}, which acts and answers 303 to the list with the result per candidate
 * in the flash; {@code POST /api/v1/candidates/actions} does the same as JSON.
 */
final class BatchRoutes {
  /** Where the list may send the recruiter back to: the list itself, with its filters. */
  private static final Pattern BACK = Pattern.compile("/candidates(\\?[A-Za-z0-9_.~%&=+-]*)?");

  private final Recruiting recruiting;
  private final Pages pages;
  private final Idempotency idempotency;

  BatchRoutes(Recruiting recruiting, Pages pages, Idempotency idempotency) {
    this.recruiting = recruiting;
    this.pages = pages;
    this.idempotency = idempotency;
  }

  void json(RoutingContext ctx) {
    Account me = Access.account(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    BatchActions.Request req;
    try {
      req = BatchActions.check(body);
    } catch (ClientError e) {
      ctx.fail(e.status(), e);
      return;
    }
    idempotency.answer(ctx, Idempotency.caller(ctx, me), () -> recruiting.batch().apply(me, req).map(j -> new Answer(200, j)));
  }

  /** The confirmation step: a GET (nothing changes), listing the selection and what will happen to each. */
  void confirm(RoutingContext ctx) {
    MultiMap p = ctx.request().params();
    String back = back(p.get("back"));
    BatchActions.Request req;
    try {
      req = BatchActions.check(p.get("action"), ids(p), p.get("days"));
    } catch (ClientError e) {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Nothing to confirm");
      m.put("error", e.getMessage());
      m.put("back", back);
      pages.render(ctx, 400, "candidates-batch", m);
      return;
    }
    recruiting.batch().preview(req).onSuccess(rows -> {
      long skipped = rows.stream().filter(o -> ((JsonObject) o).getString("skip") != null).count();
      int n = rows.size();
      String who = n == 1 ? "1 candidate" : n + " candidates";
      Map<String, Object> m = new HashMap<>();
      m.put("title", question(req, who));
      m.put("question", question(req, who));
      m.put("explain", switch (req.action()) {
        case "extend" -> "Each deadline moves " + days(req.days()) + " later (an expired invitation opens again); a working-time limit already running is kept.";
        case "revoke" -> "Each link stops working at once and cannot be restored; answers already written are kept.";
        default -> recruiting.emailOn() ? "Each candidate gets a new link by email; their old link stops working at once."
            : "A new link is made for each; their old link stops working at once. Email is off: the new links are shown once, after this step, for you to send.";
      });
      m.put("rows", rows);
      m.put("action", req.action());
      m.put("days", req.days());
      m.put("back", back);
      m.put("skipped", skipped);
      m.put("skipNote", skipped == 0 ? null : (skipped == 1 ? "1 candidate" : skipped + " candidates") + " will be skipped, as marked.");
      m.put("button", switch (req.action()) {
        case "extend" -> "Yes, extend " + who + " by " + days(req.days());
        case "revoke" -> "Yes, revoke " + who;
        default -> "Yes, send new links to " + who;
      });
      m.put("danger", "revoke".equals(req.action()));
      pages.render(ctx, 200, "candidates-batch", m);
    }).onFailure(ctx::fail);
  }

  /** Acts, then 303 to the list with each candidate's result in the flash (Post/Redirect/Get). */
  void post(RoutingContext ctx) {
    Account me = Access.account(ctx);
    MultiMap f = ctx.request().formAttributes();
    String back = back(f.get("back"));
    BatchActions.Request req;
    try {
      req = BatchActions.check(f.get("action"), ids(f), f.get("days"));
    } catch (ClientError e) {
      Flash.redirect(ctx, back, new JsonObject().put("batchError", e.getMessage()));
      return;
    }
    recruiting.batch().apply(me, req).onSuccess(result -> Flash.redirect(ctx, back + "#batch-result", flash(req, result)))
        .onFailure(ctx::fail);
  }

  private JsonObject flash(BatchActions.Request req, JsonObject result) {
    long done = result.getLong("done");
    long skipped = result.getLong("skipped");
    JsonArray rows = new JsonArray();
    boolean links = false;
    for (Object o : result.getJsonArray("results")) {
      JsonObject r = (JsonObject) o;
      JsonObject row = new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name"));
      if ("done".equals(r.getString("outcome"))) {
        JsonObject c = r.getJsonObject("candidate");
        row.put("done", true).put("outcome", "Done").put("message", switch (req.action()) {
          case "extend" -> "The deadline is now " + c.getString("deadlineText") + ".";
          case "revoke" -> "Revoked: the link no longer works.";
          default -> recruiting.emailOn() ? "A new link is on its way by email." : "A new link was made (below, shown only now).";
        });
        if (r.getString("link") != null) {
          row.put("link", r.getString("link"));
          links = true;
        }
      } else {
        row.put("done", false).put("outcome", "Skipped").put("message", r.getString("message"));
      }
      rows.add(row);
    }
    String verb = switch (req.action()) {
      case "extend" -> "Extended the deadline of " + count(done) + " by " + days(req.days());
      case "revoke" -> "Revoked the invitations of " + count(done);
      default -> "Made new links for " + count(done);
    };
    String notice = verb + (skipped == 0 ? "." : "; skipped " + skipped + ", as listed.")
        + (links ? " Email is off: copy each new link now; it is shown only once." : "");
    return new JsonObject().put("batchNotice", notice).put("batchRows", rows);
  }

  private static String question(BatchActions.Request req, String who) {
    return switch (req.action()) {
      case "extend" -> "Extend the deadline of " + who + " by " + days(req.days()) + "?";
      case "revoke" -> "Revoke the invitations of " + who + "?";
      default -> "Send new links to " + who + "?";
    };
  }

  private static String count(long n) {
    return n == 1 ? "1 candidate" : n + " candidates";
  }

  private static String days(Integer d) {
    return d != null && d == 1 ? "1 day" : d + " days";
  }

  /** The selected ids: each checked row ({@code id}), or, with the page-wide box checked ({@code all=page}), every row of the page. */
  private static List<String> ids(MultiMap p) {
    List<String> ids = new ArrayList<>(p.getAll("id"));
    if ("page".equals(p.get("all"))) {
      ids.addAll(p.getAll("pageId"));
    }
    return ids;
  }

  private static String back(String s) {
    return s != null && s.length() <= 1000 && BACK.matcher(s).matches() ? s : "/candidates";
  }
}
