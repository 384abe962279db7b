package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Http;
import dev.gameday.web.Idempotency;
import dev.gameday.web.Idempotency.Answer;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Flash;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The recruiter's workspace: {@code /candidates} and {@code /candidates/{id}} as pages, the same under
 * {@code /api/v1/candidates} as JSON. Recruiters and admins only, or (the JSON only) an API token with the route's
 * scope: {@code invitations:read} to list and read, {@code invitations:write} to create and act, {@code results:read}
 * for a decided result (which a recruiter's session never gets: recruiters never see scores). Every state change is
 * audited by the service that makes it, under the account's email or {@code token:NAME}.
 */
public final class RecruiterRoutes {
  private final Recruiting recruiting;
  private final Catalog catalog;
  private final Pages pages;
  private final Idempotency idempotency;
  private final Results results;

  public RecruiterRoutes(Recruiting recruiting, Catalog catalog, Pages pages, Idempotency idempotency, Results results) {
    this.recruiting = recruiting;
    this.catalog = catalog;
    this.pages = pages;
    this.idempotency = idempotency;
    this.results = results;
  }

  static final String READ = "invitations:read";
  static final String WRITE = "invitations:write";

  /** The routes, in the order they are matched (a literal segment before {@code :id}). */
  public void mount(Router router) {
    Access.Routes read = Access.on(router, Rule.RECRUITER).tokens(READ);
    Access.Routes write = Access.on(router, Rule.RECRUITER).tokens(WRITE);
    Access.Routes scores = Access.on(router, Rule.ADMIN).tokens("results:read")
        .forbidden("Recruiters never see scores; an admin or a token with results:read does.");
    Access.Routes pages = Access.on(router, Rule.RECRUITER);
    BatchRoutes batch = new BatchRoutes(recruiting, this.pages, idempotency);
    TrackEmailRoutes emails = new TrackEmailRoutes(recruiting.trackEmails(), catalog, this.pages);
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    admin.get("/admin/emails", emails::list);
    admin.get("/admin/emails/:track/:kind", emails::one);
    admin.post("/admin/emails/:track/:kind", emails::post);
    read.get("/api/v1/candidates", this::listJson);
    write.post("/api/v1/candidates", this::inviteJson);
    write.post("/api/v1/candidates/import", this::importJson);
    write.post("/api/v1/candidates/batch", this::batchJson);
    write.post("/api/v1/candidates/actions", batch::json);
    read.get("/api/v1/candidates/:id", this::oneJson);
    scores.get("/api/v1/candidates/:id/result", this::resultJson);
    write.post("/api/v1/candidates/:id/:action", this::actionJson);
    pages.get("/candidates", this::listPage);
    pages.post("/candidates", this::invitePage);
    pages.post("/candidates/import", this::importPage);
    pages.post("/candidates/preview-email", this::previewPage);
    pages.get("/candidates/template.csv", this::templateCsv);
    pages.get("/candidates/export.csv", this::exportCsv);
    pages.get("/candidates/batch", batch::confirm);
    pages.post("/candidates/batch", batch::post);
    pages.get("/candidates/:id", this::onePage);
    pages.post("/candidates/:id/:action", this::actionPage);
  }

  // ---- JSON

  private void listJson(RoutingContext ctx) {
    var p = ctx.request().params();
    recruiting.listing().list(p.get("q"), p.get("track"), p.get("status"), p.get("sort"), page(p.get("page")))
        .onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  private void inviteJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    idempotency.answer(ctx, Idempotency.caller(ctx, me), () -> recruiting.newInvitations().invite(me, body).map(j -> new Answer(201, j)));
  }

  private void batchJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    idempotency.answer(ctx, Idempotency.caller(ctx, me), () -> recruiting.newInvitations().batch(me, body.getValue("items")).map(j -> new Answer(200, j)));
  }

  private void resultJson(RoutingContext ctx) {
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    results.result(id).onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  private void importJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("text/csv")) {
      ctx.fail(415, new ClientError(415, "unsupported_media_type", "Send the file as text/csv (UTF-8)."));
      return;
    }
    String charset = null;
    for (String param : type.split(";")) {
      String p = param.strip();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        charset = p.substring(8).replace("\"", "").strip();
      }
    }
    if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
      ctx.fail(415, new ClientError(415, "unsupported_media_type", "Send the file as UTF-8 (charset=utf-8), not " + charset + "."));
      return;
    }
    byte[] bytes = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    recruiting.imports().importCsv(me, bytes).onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  private void oneJson(RoutingContext ctx) {
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    recruiting.timeline().one(id).onSuccess(j -> {
      if (j == null) {
        ctx.fail(404, new ClientError(404, "unknown_candidate", "There is no candidate with that id."));
      } else {
        Http.json(ctx, 200, j);
      }
    }).onFailure(ctx::fail);
  }

  private void actionJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    // no body: an action without parameters; else the shared JSON reading (UTF-8, NUL, the error shape)
    boolean empty = ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0;
    JsonObject body = empty ? new JsonObject() : Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    action(ctx.pathParam("action"), body).apply(me, id).onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
  }

  /** The action named in the path, reading its parameters from {@code body}. */
  private BiFunction<Account, Long, Future<JsonObject>> action(String name, JsonObject body) {
    return switch (name) {
      case "extend" -> (me, id) -> recruiting.actions().extend(me, id, integer(body.getValue("days")));
      case "accommodation" -> (me, id) -> recruiting.actions().accommodation(me, id, body.getValue("timeMultiplier"),
          Boolean.TRUE.equals(body.getValue("untimed")));
      case "grant-time" -> recruiting.actions()::grantTime;
      case "revoke" -> recruiting.actions()::revoke;
      case "resend" -> recruiting.actions()::resend;
      case "remind" -> recruiting.actions()::remind;
      case "erase" -> (me, id) -> recruiting.erasure().erase(me, id, body.getValue("reason") == null ? null
          : String.valueOf(body.getValue("reason")));
      default -> (me, id) -> Future.failedFuture(new ClientError(404, "not_found", "There is no such action."));
    };
  }

  private static Integer integer(Object o) {
    if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.intValue();
    }
    if (o instanceof String s) {
      try {
        return Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static int page(String s) {
    try {
      return s == null || s.isBlank() ? 0 : Math.max(0, Math.min(100_000, Integer.parseInt(s.strip())));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ctx.fail(404, new ClientError(404, "unknown_candidate", "There is no candidate with that id."));
      return null;
    }
  }

  // ---- pages

  private void listPage(RoutingContext ctx) {
    renderList(ctx, 200, new HashMap<>());
  }

  private void renderList(RoutingContext ctx, int status, Map<String, Object> extra) {
    var p = ctx.request().params();
    String q = nz(p.get("q"));
    String track = nz(p.get("track"));
    String st = nz(p.get("status"));
    String sort = p.get("sort") == null || p.get("sort").isBlank() ? "activity" : p.get("sort");
    int page = page(p.get("page"));
    Long imported = parseId(p.get("imported"));
    recruiting.listing().list(q, track, st, sort, page, imported).compose(list -> recruiting.listing().counts(track).map(counts -> {
      extra.put("pipeline", counts.entrySet().stream().map(e -> Map.of("id", e.getKey(), "label",
          upper(CandidateListing.label(e.getKey())), "count", e.getValue(), "current", e.getKey().equals(st))).toList());
      return list;
    })).onSuccess(list -> {
      Map<String, Object> m = new HashMap<>(extra);
      m.put("title", "Candidates");
      m.put("list", list);
      m.put("empty", list.getJsonArray("items").isEmpty());
      m.put("q", q);
      m.put("track", track);
      m.put("status", st);
      m.put("sort", sort);
      m.put("tracks", catalog.tracks().stream().map(t -> Map.of("id", t.track().id(), "title", t.track().title(),
          "deadlineDays", t.track().deadlineDays())).toList());
      m.put("statuses", CandidateListing.STATUSES.stream().map(s -> Map.of("id", s, "label", CandidateListing.label(s))).toList());
      m.put("emailOn", recruiting.emailOn());
      m.put("csvHeader", CandidateImport.CSV_HEADER);
      m.put("importedFilter", imported != null);
      m.put("exportHref", "/candidates/export.csv?q=" + enc(q) + "&track=" + enc(track) + "&status=" + enc(st) + "&sort=" + enc(sort)
          + (imported != null ? "&imported=" + imported : ""));
      String base = "/candidates?q=" + enc(q) + "&track=" + enc(track) + "&status=" + enc(st) + "&sort=" + enc(sort)
          + (imported != null ? "&imported=" + imported : "") + "&page=";
      if (page > 0) {
        m.put("prev", base + (page - 1));
      }
      if (list.getBoolean("hasMore")) {
        m.put("next", base + (page + 1));
      }
      m.putIfAbsent("form", Map.of());
      m.put("self", "/candidates?q=" + enc(q) + "&track=" + enc(track) + "&status=" + enc(st) + "&sort=" + enc(sort)
          + (imported != null ? "&imported=" + imported : "") + (page > 0 ? "&page=" + page : ""));
      m.put("batchMax", BatchActions.MAX);
      pages.render(ctx, status, "candidates", m);
    }).onFailure(err -> {
      if (err instanceof ClientError ce && ce.status() == 400) {
        pages.render(ctx, 400, "error", Map.of("title", "Sorry", "status", 400, "message", ce.getMessage()));
      } else {
        ctx.fail(err);
      }
    });
  }

  private static String upper(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static Long parseId(String s) {
    try {
      return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s == null ? "" : s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private void invitePage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    MultiMap f = ctx.request().formAttributes();
    JsonObject body = new JsonObject().put("name", f.get("name")).put("email", f.get("email")).put("track", f.get("track"))
        .put("deadlineDays", blankToNull(f.get("deadlineDays"))).put("timeMultiplier", blankToNull(f.get("timeMultiplier")))
        .put("confirmDuplicate", "yes".equals(f.get("confirmDuplicate")));
    recruiting.newInvitations().invite(me, body).onSuccess(created -> {
      JsonObject flash = new JsonObject().put("notice", "Invited " + f.get("name").strip() + " as " + created.getString("pseudonym") + "."
          + (recruiting.emailOn() ? " The invitation email is on its way." : ""));
      if (created.getString("link") != null) {
        flash.put("link", created.getString("link"));
      }
      Flash.redirect(ctx, "/candidates/" + created.getLong("id"), flash);
    }).onFailure(err -> {
      if (err instanceof ClientError ce && (ce.status() == 400 || ce.status() == 409)) {
        JsonObject form = new JsonObject().put("name", nz(f.get("name"))).put("email", nz(f.get("email")))
            .put("track", nz(f.get("track"))).put("deadlineDays", nz(f.get("deadlineDays")))
            .put("timeMultiplier", nz(f.get("timeMultiplier")));
        Flash.redirect(ctx, "/candidates#invite", new JsonObject().put("form", form)
            .put("inviteError", capitalise(ce.getMessage())).put("duplicate", "duplicate".equals(ce.code())));
      } else {
        ctx.fail(err);
      }
    });
  }

  /**
   * "Preview email" on the invite form: the invitation email as the outbox would render it, nothing created; 303 back
   * to the form, filled in as it was, with the subject and body shown once above it.
   */
  private void previewPage(RoutingContext ctx) {
    MultiMap f = ctx.request().formAttributes();
    JsonObject form = new JsonObject().put("name", nz(f.get("name"))).put("email", nz(f.get("email")))
        .put("track", nz(f.get("track"))).put("deadlineDays", nz(f.get("deadlineDays")))
        .put("timeMultiplier", nz(f.get("timeMultiplier")));
    JsonObject body = form.copy().put("deadlineDays", blankToNull(f.get("deadlineDays"))).put("timeMultiplier", blankToNull(f.get("timeMultiplier")));
    recruiting.emailPreview().invitation(body).onSuccess(m -> Flash.redirect(ctx, "/candidates#invite", new JsonObject().put("form", form)
        .put("preview", new JsonObject().put("to", form.getString("email").strip()).put("subject", m.subject()).put("text", m.text()))))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 400) {
            Flash.redirect(ctx, "/candidates#invite", new JsonObject().put("form", form).put("inviteError", capitalise(ce.getMessage())));
          } else {
            ctx.fail(err);
          }
        });
  }

  private void importPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    String csv = ctx.request().getFormAttribute("csv");
    recruiting.imports().importCsv(me, csv).onSuccess(result -> Flash.redirect(ctx, "/candidates#import", ImportResults.flash(result, recruiting.emailOn())))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() == 400) {
            Flash.redirect(ctx, "/candidates#import", ImportResults.refused(ce, csv));
          } else {
            ctx.fail(err);
          }
        });
  }

  private void templateCsv(RoutingContext ctx) {
    CandidateExport.send(ctx, "gameday-candidates-template.csv", CandidateExport.template());
  }

  /** The list as filtered (search, track, status, one import), every page, as CSV; built on a worker. */
  private void exportCsv(RoutingContext ctx) {
    var p = ctx.request().params();
    recruiting.listing().all(nz(p.get("q")), nz(p.get("track")), nz(p.get("status")), p.get("sort") == null || p.get("sort").isBlank()
            ? "activity" : p.get("sort"), parseId(p.get("imported")))
        .compose(list -> ctx.vertx().executeBlocking(() -> CandidateExport.csv(list)))
        .onSuccess(csv -> CandidateExport.send(ctx, "gameday-candidates.csv", csv))
        .onFailure(ctx::fail);
  }

  private void onePage(RoutingContext ctx) {
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    renderOne(ctx, id, 200, new HashMap<>());
  }

  private void renderOne(RoutingContext ctx, long id, int status, Map<String, Object> extra) {
    recruiting.timeline().one(id).onSuccess(c -> {
      if (c == null) {
        ctx.fail(404, new ClientError(404, "unknown_candidate", "There is no candidate with that id."));
        return;
      }
      render(ctx, c, status, extra);
    }).onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, JsonObject c, int status, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>(extra);
    m.put("title", c.getString("name"));
    m.put("c", c);
    m.put("emailOn", recruiting.emailOn());
    m.put("canAct", c.getBoolean("open") || "expired".equals(c.getString("status")));
    m.put("canErase", !c.getBoolean("erased"));
    m.put("grantMinutes", dev.gameday.candidate.MoreTime.GRANT_MINUTES);
    pages.render(ctx, status, "candidates-one", m);
  }

  private void actionPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx);
    if (id == null) {
      return;
    }
    String name = ctx.pathParam("action");
    MultiMap f = ctx.request().formAttributes();
    JsonObject body = new JsonObject().put("days", blankToNull(f.get("days"))).put("timeMultiplier", blankToNull(f.get("timeMultiplier")))
        .put("reason", f.get("reason")).put("untimed", "yes".equals(f.get("untimed")));
    // an unknown candidate fails in the action (404 unknown_candidate); the action answers the candidate as now
    action(name, body).apply(me, id)
        .onSuccess(c -> {
          JsonObject flash = new JsonObject().put("notice", switch (name) {
            case "extend" -> "The deadline is now " + c.getString("deadlineText") + ".";
            case "accommodation" -> "The time multiplier is now " + c.getString("timeMultiplier")
                + (c.getBoolean("untimed") ? "; untimed: no working-time limit, the deadline still applies." : ".");
            case "grant-time" -> "Granted " + dev.gameday.candidate.MoreTime.GRANT_MINUTES + " more minutes; the candidate's time now ends "
                + CandidateListing.text(java.time.OffsetDateTime.parse(c.getString("closesAt"))) + ".";
            case "revoke" -> "The invitation is revoked: its link no longer works. Answers are kept.";
            case "resend" -> recruiting.emailOn() ? "A new link is on its way by email; the old link no longer works."
                : "A new link was made; the old link no longer works.";
            case "remind" -> "A reminder email is on its way.";
            default -> "The candidate's name and email are erased; they now appear as " + c.getString("pseudonym") + ".";
          });
          if (c.getString("link") != null) {
            flash.put("link", c.getString("link"));
          }
          Flash.redirect(ctx, "/candidates/" + id, flash);
        })
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() != 404 && ce.status() < 500) {
            Flash.redirect(ctx, "/candidates/" + id, new JsonObject().put("actionError", capitalise(ce.getMessage())));
          } else {
            ctx.fail(err);
          }
        });
  }

  private static String capitalise(String s) {
    return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1) + (s.endsWith(".") ? "" : ".");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  static List<String> actions() {
    return List.of("extend", "accommodation", "grant-time", "revoke", "resend", "remind", "erase");
  }
}
