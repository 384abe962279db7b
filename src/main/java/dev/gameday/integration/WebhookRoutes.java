package dev.gameday.integration;

import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Account;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/webhooks} (endpoints, the secret shown once), {@code /admin/webhooks/{id}} (the delivery log with
 * status codes, redeliver, disable, send a test event) and the same as JSON under {@code /api/v1/admin/webhooks}. Admins only, with a
 * session and the CSRF token; never an API token.
 */
public final class WebhookRoutes {
  private final Webhooks webhooks;
  private final Pages pages;

  public WebhookRoutes(Webhooks webhooks, Pages pages) {
    this.webhooks = webhooks;
    this.pages = pages;
  }

  public void mount(Router router) {
    Access.Routes admin = Access.on(router, Rule.ADMIN);
    admin.get("/admin/webhooks", this::listPage);
    admin.post("/admin/webhooks", this::addPage);
    admin.get("/admin/webhooks/:id", this::onePage);
    admin.post("/admin/webhooks/:id/disable", this::disablePage);
    admin.post("/admin/webhooks/:id/test", this::testPage);
    admin.post("/admin/webhooks/:id/deliveries/:delivery/redeliver", this::redeliverPage);
    admin.get("/api/v1/admin/webhooks", this::listJson);
    admin.post("/api/v1/admin/webhooks", this::addJson);
    admin.get("/api/v1/admin/webhooks/:id/deliveries", this::deliveriesJson);
    admin.post("/api/v1/admin/webhooks/:id/deliveries/:delivery/redeliver", this::redeliverJson);
    admin.post("/api/v1/admin/webhooks/:id/test", this::testJson);
  }

  // ---- JSON

  private void listJson(RoutingContext ctx) {
    webhooks.endpoints().onSuccess(list -> Http.json(ctx, 200, new JsonObject().put("items", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private void addJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    List<String> events = body.getValue("events") instanceof JsonArray a ? a.stream().map(o -> o instanceof String s ? s : String.valueOf(o)).toList() : List.of();
    webhooks.add(me.email(), body.getValue("url") instanceof String s ? s : null, events, Boolean.TRUE.equals(body.getValue("includeIdentity")))
        .onSuccess(e -> Http.json(ctx, 201, e)).onFailure(ctx::fail);
  }

  private void deliveriesJson(RoutingContext ctx) {
    Long id = id(ctx, "id");
    if (id != null) {
      webhooks.endpoint(id).compose(e -> webhooks.deliveries(id).map(d -> e.put("deliveries", d)))
          .onSuccess(e -> Http.json(ctx, 200, e)).onFailure(ctx::fail);
    }
  }

  private void redeliverJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx, "id");
    Long delivery = id == null ? null : id(ctx, "delivery");
    if (delivery != null) {
      webhooks.redeliver(me.email(), id, delivery).onSuccess(j -> Http.json(ctx, 200, j)).onFailure(ctx::fail);
    }
  }

  private void testJson(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx, "id");
    if (id != null) {
      webhooks.ping(me.email(), id).onSuccess(j -> Http.json(ctx, 202, j)).onFailure(ctx::fail);
    }
  }

  // ---- pages

  private void listPage(RoutingContext ctx) {
    renderList(ctx, 200, Map.of());
  }

  private void renderList(RoutingContext ctx, int status, Map<String, Object> extra) {
    webhooks.endpoints().onSuccess(list -> {
      Map<String, Object> m = new HashMap<>(extra);
      m.put("title", "Webhooks");
      m.put("endpoints", list);
      m.put("empty", list.isEmpty());
      pages.render(ctx, status, "admin-webhooks", m);
    }).onFailure(ctx::fail);
  }

  private void addPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    var f = ctx.request().formAttributes();
    webhooks.add(me.email(), f.get("url"), f.getAll("event"), "yes".equals(f.get("includeIdentity")))
        .onSuccess(e -> Flash.redirect(ctx, "/admin/webhooks", Flash.of("created", e)))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() < 500) {
            Flash.redirect(ctx, "/admin/webhooks", new JsonObject().put("formError", ce.getMessage())
                .put("formUrl", f.get("url") == null ? "" : f.get("url")));
          } else {
            ctx.fail(err);
          }
        });
  }

  private void onePage(RoutingContext ctx) {
    Long id = id(ctx, "id");
    if (id != null) {
      renderOne(ctx, id, 200, Map.of());
    }
  }

  private void renderOne(RoutingContext ctx, long id, int status, Map<String, Object> extra) {
    webhooks.endpoint(id).compose(e -> webhooks.deliveries(id).map(d -> {
      Map<String, Object> m = new HashMap<>(extra);
      m.put("title", "Webhook " + e.getString("url"));
      m.put("endpoint", e);
      m.put("deliveries", d);
      m.put("empty", d.isEmpty());
      return m;
    })).onSuccess(m -> pages.render(ctx, status, "admin-webhook", m)).onFailure(ctx::fail);
  }

  private void disablePage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx, "id");
    if (id != null) {
      webhooks.disable(me.email(), id).onSuccess(e -> Flash.redirect(ctx, "/admin/webhooks/" + id, Flash.of("notice", "The endpoint is disabled: nothing more is sent to it.")))
          .onFailure(ctx::fail);
    }
  }

  /** "Send test event": a {@code ping} queued for this endpoint, then 303 back to its delivery list. */
  private void testPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx, "id");
    if (id != null) {
      webhooks.ping(me.email(), id)
          .onSuccess(j -> Flash.redirect(ctx, "/admin/webhooks/" + id, Flash.of("notice", "A test event (ping) is queued as delivery "
              + j.getLong("id") + "; its status code shows below once it is sent, within a few seconds. Reload to see it.")))
          .onFailure(err -> {
            if (err instanceof ClientError ce && ce.status() == 409) {
              Flash.redirect(ctx, "/admin/webhooks/" + id, Flash.of("error", ce.getMessage()));
            } else {
              ctx.fail(err);
            }
          });
    }
  }

  private void redeliverPage(RoutingContext ctx) {
    Account me = Access.account(ctx);
    Long id = id(ctx, "id");
    Long delivery = id == null ? null : id(ctx, "delivery");
    if (delivery != null) {
      Future<JsonObject> f = webhooks.redeliver(me.email(), id, delivery);
      f.onSuccess(j -> Flash.redirect(ctx, "/admin/webhooks/" + id, Flash.of("notice", "Delivery " + delivery + " is queued again (same event id).")))
          .onFailure(ctx::fail);
    }
  }

  private static Long id(RoutingContext ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      ctx.fail(404, new ClientError(404, "unknown_webhook", "There is no webhook endpoint or delivery with that id."));
      return null;
    }
  }
}
