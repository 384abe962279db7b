package dev.gameday.web;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import dev.gameday.exercise.Model.Evidence;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Renders {@code src/main/resources/templates/*.hbs}. Templates are compiled once, at start-up. */
public final class Pages {
  public static final List<String> TEMPLATES = List.of("home", "error", "invalid-link", "invitation-confirm", "candidate-overview",
      "candidate-exercise", "candidate-review", "candidate-receipt", "setup", "setup-done", "login", "admin-accounts",
      "admin-audit", "review-queue", "review-submission", "review-item", "review-calibration", "calibration-item", "rubrics",
      "rubric");

  private final HandlebarsTemplateEngine engine;

  public Pages(Vertx vertx) {
    engine = HandlebarsTemplateEngine.create(vertx);
    Handlebars hb = engine.unwrap();
    hb.registerHelper("eq", (Helper<Object>) (a, options) -> {
      Object other = options.param(0);
      return Objects.equals(String.valueOf(a), String.valueOf(other));
    });
    hb.registerHelper("plural", (Helper<Object>) (n, options) -> {
      Object one = options.param(0);
      Object many = options.param(1);
      return n instanceof Number num && num.longValue() == 1 ? one : many;
    });
  }

  /** Compiles every template (reads the files: call off the event loop, before serving). */
  public Future<Void> warm() {
    List<Future<?>> all = new ArrayList<>();
    for (String t : TEMPLATES) {
      all.add(engine.render(new HashMap<>(), path(t)));
    }
    return Future.all(all).mapEmpty();
  }

  public void render(RoutingContext ctx, int status, String template, Map<String, Object> data) {
    Map<String, Object> model = new HashMap<>(data);
    Session s = ctx.get(Session.KEY);
    model.putIfAbsent("signedIn", s != null && s.account());
    model.putIfAbsent("isAdmin", s != null && s.admin());
    model.putIfAbsent("accountName", s != null && s.account() ? s.name() : null);
    model.putIfAbsent("candidateSession", s != null && s.candidate());
    model.putIfAbsent("csrf", s != null ? s.csrfToken() : null);
    engine.render(model, path(template)).onSuccess(html -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "text/html; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(html);
      }
    }).onFailure(ctx::fail);
  }

  /**
   * The model of one evidence file for the viewer (webroot/js/evidence.js): its kind, where to fetch it, its chart
   * settings as JSON, and for Markdown documents the sanitized HTML.
   */
  public static Map<String, Object> evidence(Evidence ev, String src, String html) {
    Map<String, Object> e = new HashMap<>();
    e.put("title", ev.title());
    e.put("name", ev.name());
    e.put("kind", ev.kind());
    e.put("description", ev.description());
    e.put("src", src);
    e.put("markdown", "markdown".equals(ev.kind()));
    e.put("html", html);
    e.put("config", new JsonObject().put("title", ev.title())
        .put("charts", new JsonArray(ev.charts().stream().map(JsonObject::mapFrom).toList()))
        .put("annotations", new JsonArray(ev.annotations().stream().map(JsonObject::mapFrom).toList()))
        .encode());
    return e;
  }

  private static String path(String name) {
    return "templates/" + name + ".hbs";
  }
}
