package dev.gameday.ops;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The route template a request was served by ({@code /i/:token}, never {@code /i/abc...}): logs and metrics name
 * routes, so tokens in paths never reach them and the number of series stays bounded. Built from the router's
 * own routes the first time it is asked (after every feature has mounted its routes).
 */
public final class RouteTemplates {
  /** A request no route with a path matched (a 404 for an unknown address). */
  public static final String UNMATCHED = "unmatched";

  private record Template(String path, String[] segments, boolean prefix, Set<HttpMethod> methods, int literals, int order) {
  }

  /**
   * The templates by their first segment when it is literal; those starting with a parameter, and the root, in
   * {@code others}. A request is compared with its first segment's templates and the others only, not with every
   * route (about 200; the scan over all of them was 2-4% of the CPU of an autosave or an exercise page).
   */
  private record Index(java.util.Map<String, List<Template>> byFirst, List<Template> others) {
  }

  private final Router router;
  private volatile Index templates;

  public RouteTemplates(Router router) {
    this.router = router;
  }

  public String of(HttpMethod method, String path) {
    Index index = templates;
    if (index == null) {
      index = index(build());
      templates = index;
    }
    String[] parts = split(path == null ? "/" : path);
    Template best = best(null, parts.length == 0 ? List.of() : index.byFirst.getOrDefault(parts[0], List.of()), method, parts);
    best = best(best, index.others, method, parts);
    return best == null ? UNMATCHED : best.path;
  }

  private static Template best(Template best, List<Template> candidates, HttpMethod method, String[] parts) {
    for (Template t : candidates) {
      if ((t.methods.isEmpty() || t.methods.contains(method)) && matches(t, parts)
          && (best == null || better(t, best))) {
        best = t;
      }
    }
    return best;
  }

  private static Index index(List<Template> all) {
    java.util.Map<String, List<Template>> byFirst = new java.util.HashMap<>();
    List<Template> others = new ArrayList<>();
    for (Template t : all) {
      if (t.segments.length == 0 || t.segments[0].startsWith(":")) {
        others.add(t);
      } else {
        byFirst.computeIfAbsent(t.segments[0], k -> new ArrayList<>()).add(t);
      }
    }
    return new Index(java.util.Map.copyOf(byFirst), List.copyOf(others));
  }

  /** Exact templates beat prefixes (a feature route beats {@code /api/*}); then more literal segments win. */
  private static boolean better(Template a, Template b) {
    if (a.prefix != b.prefix) {
      return !a.prefix;
    }
    if (a.literals != b.literals) {
      return a.literals > b.literals;
    }
    if (a.segments.length != b.segments.length) {
      return a.segments.length > b.segments.length;
    }
    return a.order < b.order; // a tie goes to the route mounted first, whichever list it was found in
  }

  private static boolean matches(Template t, String[] parts) {
    if (t.prefix ? parts.length < t.segments.length : parts.length != t.segments.length) {
      return false;
    }
    for (int i = 0; i < t.segments.length; i++) {
      String s = t.segments[i];
      if (!s.startsWith(":") && !s.equals(parts[i])) {
        return false;
      }
      if (s.startsWith(":") && parts[i].isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private List<Template> build() {
    List<Template> out = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      String path = r.getPath();
      if (path == null) {
        continue; // catch-all handlers (headers, sessions, failures) and regex routes name no template
      }
      // Vert.x keeps "/api/*" as the path "/api/" and says it is not exact: before, such routes were taken for
      // exact ones, so a static file or an /api/ path no feature route matched was logged as "unmatched"
      boolean prefix = path.endsWith("*") || !r.isExactPath();
      String base = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
      String[] segments = split(base);
      int literals = 0;
      for (String s : segments) {
        if (!s.startsWith(":")) {
          literals++;
        }
      }
      String name = prefix && !path.endsWith("*") ? path + "*" : path;
      out.add(new Template(name, segments, prefix, r.methods() == null ? Set.of() : r.methods(), literals, out.size()));
    }
    return List.copyOf(out);
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
