package dev.gameday.recruiter;

import dev.gameday.web.Account;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One action (send a new link, extend the deadline, revoke) on several selected candidates at once (issue 21): the
 * selection read for the confirmation step, then each candidate acted on by the same {@link InvitationActions} a
 * single action uses, one after the other, each in its own transaction with its own audit entry. A candidate the
 * action does not apply to (already submitted, revoked, erased, expired for a new link, unknown) is skipped with the
 * reason; the others are still done. At most {@link #MAX} candidates a batch.
 */
public final class BatchActions {
  /** The most candidates one batch acts on. */
  public static final int MAX = 200;
  public static final List<String> ACTIONS = List.of("resend", "extend", "revoke");

  private final Pool pool;
  private final InvitationActions actions;

  public BatchActions(Pool pool, InvitationActions actions) {
    this.pool = pool;
    this.actions = actions;
  }

  /** What the caller asked for, checked: the action, the distinct ids in their order, the days (extend only). */
  public record Request(String action, List<Long> ids, Integer days) {
  }

  /**
   * Checks a request before anything is read or done: a known action, 1 to {@link #MAX} candidates, whole ids, and
   * for extend 1 to 365 days. Fails with a 400 whose message a recruiter can act on.
   */
  public static Request check(String action, List<String> rawIds, String rawDays) {
    if (action == null || !ACTIONS.contains(action)) {
      throw new ClientError(400, "invalid_action", "Choose what to do with the selected candidates: send new links, extend the deadline or revoke.");
    }
    Set<Long> ids = new LinkedHashSet<>();
    for (String s : rawIds) {
      if (s == null || s.isBlank()) {
        continue;
      }
      try {
        ids.add(Long.parseLong(s.strip()));
      } catch (NumberFormatException e) {
        throw new ClientError(400, "invalid_ids", "The selection holds something that is not a candidate's id.");
      }
    }
    if (ids.isEmpty()) {
      throw new ClientError(400, "empty_selection", "Select at least one candidate first.");
    }
    if (ids.size() > MAX) {
      throw new ClientError(400, "too_many", "Act on at most " + MAX + " candidates at once; " + ids.size()
          + " are selected. Narrow the list with the filters, or act in several steps.");
    }
    Integer days = null;
    if ("extend".equals(action)) {
      try {
        days = rawDays == null || rawDays.isBlank() ? null : Integer.valueOf(rawDays.strip());
      } catch (NumberFormatException e) {
        days = null;
      }
      if (days == null || days < 1 || days > 365) {
        throw new ClientError(400, "invalid_days", "Extend by 1 to 365 days.");
      }
    }
    return new Request(action, List.copyOf(ids), days);
  }

  /** The JSON form: {@code {"action": "extend", "ids": [1, 2], "days": 3}}. */
  public static Request check(JsonObject body) {
    Object raw = body.getValue("ids");
    if (!(raw instanceof JsonArray a)) {
      throw new ClientError(400, "invalid_ids", "Send \"ids\": an array of 1 to " + MAX + " candidate ids.");
    }
    List<String> ids = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new ClientError(400, "invalid_ids", "Each id must be a whole number.");
      }
      ids.add(String.valueOf(n.longValue()));
    }
    Object days = body.getValue("days");
    if (days != null && !(days instanceof Number)) {
      throw new ClientError(400, "invalid_days", "Extend by 1 to 365 days.");
    }
    if (days instanceof Number n && n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ClientError(400, "invalid_days", "Extend by 1 to 365 days.");
    }
    return check(body.getValue("action") instanceof String s ? s : null, ids, days == null ? null : String.valueOf(((Number) days).longValue()));
  }

  /**
   * The selected candidates as the confirmation lists them, in the order selected: id, name, email, status and,
   * when the action will not apply, why ({@code skip}). Unknown ids are listed as such.
   */
  public Future<JsonArray> preview(Request req) {
    return pool.preparedQuery("select i.id, i.pseudonym, i.candidate_name, i.candidate_email, i.erased_at, "
            + InvitationRows.STATUS + " as status from invitations i where i.id = any($1)")
        .execute(Tuple.of(req.ids().toArray(new Long[0])))
        .map(rows -> {
          java.util.Map<Long, Row> byId = new java.util.HashMap<>();
          rows.forEach(r -> byId.put(r.getLong("id"), r));
          JsonArray out = new JsonArray();
          for (long id : req.ids()) {
            Row r = byId.get(id);
            JsonObject c = new JsonObject().put("id", id);
            if (r == null) {
              out.add(c.put("name", "Unknown candidate " + id).put("email", "").put("statusLabel", "unknown")
                  .put("skip", "there is no candidate with this id"));
              continue;
            }
            String status = r.getString("status");
            c.put("name", r.getString("candidate_name")).put("email", r.getString("candidate_email"))
                .put("status", status).put("statusLabel", CandidateListing.label(status));
            String skip = r.getOffsetDateTime("erased_at") != null ? "erased"
                : "submitted".equals(status) ? "already submitted"
                : "revoked".equals(status) ? "already revoked"
                : "expired".equals(status) && "resend".equals(req.action()) ? "expired: extend the deadline first"
                : null;
            if (skip != null) {
              c.put("skip", skip);
            }
            out.add(c);
          }
          return out;
        });
  }

  /**
   * Acts on each selected candidate in turn. Each result: {@code id}, {@code name}, {@code outcome} ({@code done} or
   * {@code skipped}), for a skip {@code error} and {@code message} (the reason the single action gives), for a new
   * link made while email is off the {@code link}, and for done the candidate as now ({@code candidate}).
   */
  public Future<JsonObject> apply(Account me, Request req) {
    return preview(req).compose(selected -> {
      JsonArray results = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (Object o : selected) {
        JsonObject s = (JsonObject) o;
        chain = chain.compose(v -> one(me, req, s.getLong("id")).map(r -> {
          results.add(r.put("name", s.getString("name")));
          return null;
        }));
      }
      return chain.map(v -> {
        long done = results.stream().filter(o -> "done".equals(((JsonObject) o).getString("outcome"))).count();
        return new JsonObject().put("action", req.action()).put("days", req.days()).put("done", done)
            .put("skipped", results.size() - done).put("results", results);
      });
    });
  }

  private Future<JsonObject> one(Account me, Request req, long id) {
    Future<JsonObject> f = switch (req.action()) {
      case "extend" -> actions.extend(me, id, req.days());
      case "revoke" -> actions.revoke(me, id);
      default -> actions.resend(me, id);
    };
    return f.map(c -> {
      JsonObject r = new JsonObject().put("id", id).put("outcome", "done");
      if (c.getString("link") != null) {
        r.put("link", c.remove("link"));
      }
      return r.put("candidate", c);
    }).recover(err -> {
      if (err instanceof ClientError ce && ce.status() < 500) {
        return Future.succeededFuture(new JsonObject().put("id", id).put("outcome", "skipped").put("error", ce.code())
            .put("message", ce.getMessage()));
      }
      return Future.failedFuture(err);
    });
  }
}
