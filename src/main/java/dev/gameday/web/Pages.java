package dev.gameday.web;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.ValueResolver;
import com.github.jknack.handlebars.cache.ConcurrentMapTemplateCache;
import com.github.jknack.handlebars.context.JavaBeanValueResolver;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.context.MethodValueResolver;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders {@code src/main/resources/templates/*.hbs}. Every template and partial is lexed and parsed once, when
 * {@link #warm()} compiles them at start-up, and kept: a request only applies an already compiled template. (The
 * Vert.x Handlebars engine parses partials again on every render: its template sources have no equality, so no
 * Handlebars template cache can hold them.)
 */
public final class Pages {
  public static final List<String> TEMPLATES = List.of("home", "error", "invalid-link", "invitation-confirm", "candidate-overview",
      "candidate-exercise", "candidate-review", "candidate-receipt", "setup", "setup-done", "login", "admin-accounts", "admin-tokens", "admin-webhooks", "admin-webhook",
      "admin-audit", "review-queue", "review-submission", "review-item", "review-calibration", "review-agreement", "review-severity", "calibration-item", "rubrics",
      "rubric", "candidates", "candidates-one", "candidate-exercise-read", "candidate-exercise-sections", "compliance", "candidate-privacy");

  private static final ValueResolver[] RESOLVERS = {MapValueResolver.INSTANCE, JsonValueResolver.INSTANCE,
      JavaBeanValueResolver.INSTANCE, MethodValueResolver.INSTANCE};

  private final Vertx vertx;
  private final Handlebars hb;
  private final Map<String, Template> compiled = new ConcurrentHashMap<>();
  private final CountingCache cache = new CountingCache();
  private final KeptSources sources = new KeptSources("/templates", ".hbs");

  private volatile java.util.function.ObjLongConsumer<String> renders = (template, nanos) -> { };

  /** Reports the time each render takes (template name, nanoseconds) to a metrics sink. */
  public Pages observeRenders(java.util.function.ObjLongConsumer<String> sink) {
    renders = sink;
    return this;
  }

  public Pages(Vertx vertx) {
    this.vertx = vertx;
    hb = new Handlebars(sources).with(cache).with(HtmlEscape.INSTANCE);
    hb.registerHelper("eq", (Helper<Object>) (a, options) -> {
      Object other = options.param(0);
      return Objects.equals(String.valueOf(a), String.valueOf(other));
    });
    hb.registerHelper("time", (Helper<Object>) (t, options) -> time(t, Boolean.TRUE.equals(options.hash("relative"))));
    hb.registerHelper("plural", (Helper<Object>) (n, options) -> {
      Object one = options.param(0);
      Object many = options.param(1);
      return n instanceof Number num && num.longValue() == 1 ? one : many;
    });
  }

  private static final java.time.format.DateTimeFormatter SHORT =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", java.util.Locale.ROOT);

  /**
   * {@code {{time t}}}: an instant as {@code <time datetime="...Z" data-short>2026-12-01 09:17 UTC</time>} (app.js adds
   * the reader's local time). Takes an {@code OffsetDateTime} or its ISO text; anything else is shown as it is.
   */
  static Object time(Object t) {
    return time(t, false);
  }

  /** With {@code relative} (a deadline: {@code {{time t relative=true}}}), app.js also says how far away it is. */
  static Object time(Object t, boolean relative) {
    java.time.OffsetDateTime at = null;
    if (t instanceof java.time.OffsetDateTime o) {
      at = o;
    } else if (t instanceof String s && !s.isEmpty()) {
      try {
        at = java.time.OffsetDateTime.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        return s;
      }
    }
    if (at == null) {
      return "";
    }
    java.time.OffsetDateTime utc = at.withOffsetSameInstant(java.time.ZoneOffset.UTC);
    return new Handlebars.SafeString("<time datetime=\"" + utc.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + "\" data-short" + (relative ? " data-relative" : "") + ">" + utc.format(SHORT) + "</time>");
  }

  /**
   * The class-path loader with each template's source looked up once. Handlebars asks the loader for a partial's
   * source every time the partial is applied, and each ask searched the jar for the file (Class.getResource): about 5%
   * of the exercise page's CPU, which applies a dozen partials. The templates in a jar never change while it runs.
   */
  static final class KeptSources extends ClassPathTemplateLoader {
    private final Map<String, com.github.jknack.handlebars.io.TemplateSource> sources = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();

    KeptSources(String prefix, String suffix) {
      super(prefix, suffix);
    }

    @Override
    public com.github.jknack.handlebars.io.TemplateSource sourceAt(String location) throws IOException {
      var kept = sources.get(location);
      if (kept == null) {
        lookups.incrementAndGet();
        kept = super.sourceAt(location); // a missing template throws and is not kept
        sources.putIfAbsent(location, kept);
      }
      return kept;
    }
  }

  /** A template cache that counts how many templates it had to parse (tests check that requests parse none). */
  static final class CountingCache extends ConcurrentMapTemplateCache {
    final Set<String> parsed = ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicLong parses = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public Template get(com.github.jknack.handlebars.io.TemplateSource source, com.github.jknack.handlebars.Parser parser)
        throws IOException {
      return super.get(source, (src) -> {
        parses.incrementAndGet();
        parsed.add(src.filename());
        return parser.parse(src);
      });
    }
  }

  /** How many times a template's file has been looked up in the class path since start-up. */
  public long sourceLookups() {
    return sources.lookups.get();
  }

  /** How many template files have been lexed and parsed since start-up. */
  public long parses() {
    return cache.parses.get();
  }

  /** Compiles every template and its partials (reads the files: blocking, so on a worker, before serving). */
  public Future<Void> warm() {
    return vertx.executeBlocking(() -> {
      compileAll();
      return null;
    });
  }

  /**
   * Compiles every template on a thread of its own and returns at once: start-up runs it beside the database's
   * start and migrations, which mostly wait. {@link #warm} afterwards only waits for it.
   */
  public java.util.concurrent.CompletableFuture<Void> warmInBackground() {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        compileAll();
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, "gameday-templates");
    t.setDaemon(true);
    t.start();
    return done;
  }

  private void compileAll() throws IOException {
    for (String t : TEMPLATES) {
      Template template = hb.compile(t);
      compiled.put(t, template);
      // partials are loaded when first applied: apply once with an empty model so they are parsed now
      template.apply(Context.newBuilder(new HashMap<>()).resolver(RESOLVERS).build());
    }
  }

  private Template template(String name) {
    try {
      // compiled at warm-up; a name outside TEMPLATES is compiled on first use and kept
      return compiled.computeIfAbsent(name, n -> {
        try {
          return hb.compile(n);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw new IllegalStateException("template " + name + " cannot be read", e);
    }
  }


  public void render(RoutingContext ctx, int status, String template, Map<String, Object> data) {
    String html = apply(ctx, template, data);
    if (html != null && !ctx.response().ended()) {
      ctx.response().setStatusCode(status)
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .end(html);
    }
  }

  /**
   * A page around bytes rendered before (its fixed part, kept per content version): the template places
   * {@code {{{slot}}}} once; the answer is the text rendered before it, the bytes, and the text after it (status 200).
   * With an ETag the browser keeps the page and revalidates it ({@code private, no-cache}); without one nothing is kept.
   */
  public void renderAround(RoutingContext ctx, String template, Map<String, Object> data, String slot, byte[] bytes, String etag) {
    renderAround(ctx, template, data, Map.of(slot, bytes), etag);
  }

  /** As above with several slots, each placed once by the template ({@code {{{name}}}}), in any order. */
  public void renderAround(RoutingContext ctx, String template, Map<String, Object> data, Map<String, byte[]> slots, String etag) {
    Map<String, Object> model = new HashMap<>(data);
    slots.keySet().forEach(slot -> model.put(slot, "<!--gameday:" + slot + "-->"));
    String html = apply(ctx, template, model);
    if (html == null || ctx.response().ended()) {
      return;
    }
    java.util.TreeMap<Integer, String> at = new java.util.TreeMap<>(); // where each slot's marker stands, in page order
    for (String slot : slots.keySet()) {
      int i = html.indexOf((String) model.get(slot));
      if (i < 0) {
        ctx.fail(new IllegalStateException("template " + template + " does not place {{{" + slot + "}}}"));
        return;
      }
      at.put(i, slot);
    }
    io.vertx.core.buffer.Buffer out = io.vertx.core.buffer.Buffer.buffer(html.length() + slots.values().stream().mapToInt(b -> b.length).sum());
    int from = 0;
    for (var e : at.entrySet()) {
      out.appendBytes(html.substring(from, e.getKey()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).appendBytes(slots.get(e.getValue()));
      from = e.getKey() + ((String) model.get(e.getValue())).length();
    }
    out.appendBytes(html.substring(from).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    var res = ctx.response().setStatusCode(200).putHeader("Content-Type", "text/html; charset=utf-8");
    if (etag != null) {
      res.putHeader("ETag", etag).putHeader("Cache-Control", "private, no-cache");
    } else {
      res.putHeader("Cache-Control", "no-store");
    }
    res.end(out);
  }

  /** The model with the flash and the session's flags added, applied to a template; null after failing the context. */
  private String apply(RoutingContext ctx, String template, Map<String, Object> data) {
    Map<String, Object> model = new HashMap<>(data);
    JsonObject flash = ctx.get(Flash.KEY);
    if (flash != null) {
      // the result of the form posted just before (Post/Redirect/Get), shown once; written only by the server
      flash.forEach(e -> model.put(e.getKey(), e.getValue()));
    }
    Session s = ctx.get(Session.KEY);
    model.putIfAbsent("signedIn", s != null && s.account());
    model.putIfAbsent("isAdmin", s != null && s.admin());
    model.putIfAbsent("isReviewer", s != null && s.reviews());
    model.putIfAbsent("isCompliance", s != null && s.compliance());
    model.putIfAbsent("canRecruit", s != null && s.recruits());
    model.putIfAbsent("accountName", s != null && s.account() ? s.name() : null);
    model.putIfAbsent("candidateSession", s != null && s.candidate());
    model.putIfAbsent("csrf", s != null ? s.csrfToken() : null);
    try {
      long started = System.nanoTime();
      String html = html(template, model);
      renders.accept(template, System.nanoTime() - started);
      return html;
    } catch (IOException | RuntimeException e) {
      ctx.fail(e);
      return null;
    }
  }

  /** Applies a compiled template to a model. */
  public String html(String template, Map<String, Object> model) throws IOException {
    return template(template).apply(Context.newBuilder(model).resolver(RESOLVERS).build());
  }

  /** JsonObject and JsonArray values in a model, read like maps and lists. */
  private enum JsonValueResolver implements ValueResolver {
    INSTANCE;

    @Override
    public Object resolve(Object context, String name) {
      if (context instanceof JsonObject o) {
        Object v = o.getValue(name);
        return v == null && !o.containsKey(name) ? UNRESOLVED : v;
      }
      if (context instanceof JsonArray a && "length".equals(name)) {
        return a.size();
      }
      return UNRESOLVED;
    }

    @Override
    public Object resolve(Object context) {
      if (context instanceof JsonObject o) {
        return o.getMap();
      }
      if (context instanceof JsonArray a) {
        return a.getList();
      }
      return UNRESOLVED;
    }

    @Override
    public Set<Map.Entry<String, Object>> propertySet(Object context) {
      return context instanceof JsonObject o ? o.getMap().entrySet() : Set.of();
    }
  }

}
