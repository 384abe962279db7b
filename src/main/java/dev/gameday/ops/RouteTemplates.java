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

  private record Template(String path, String[] segments, boolean prefix, Set<HttpMethod> methods, int literals) {
  }

  private final Router router;
  private volatile List<Template> templates;

  public RouteTemplates(Router router) {
    this.router = router;
  }

  public String of(HttpMethod method, String path) {
    List<Template> all = templates;
    if (all == null) {
      all = build();
      templates = all;
    }
    String[] parts = split(path == null ? "/" : path);
    Template best = null;
    for (Template t : all) {
      if ((t.methods.isEmpty() || t.methods.contains(method)) && matches(t, parts)
          && (best == null || better(t, best))) {
        best = t;
      }
    }
    return best == null ? UNMATCHED : best.path;
  }

  /** Exact templates beat prefixes (a feature route beats {@code /api/*}); then more literal segments win. */
  private static boolean better(Template a, Template b) {
    if (a.prefix != b.prefix) {
      return !a.prefix;
    }
    return a.literals > b.literals || (a.literals == b.literals && a.segments.length > b.segments.length);
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
      boolean prefix = path.endsWith("*");
      String base = prefix ? path.substring(0, path.length() - 1) : path;
      String[] segments = split(base);
      int literals = 0;
      for (String s : segments) {
        if (!s.startsWith(":")) {
          literals++;
        }
      }
      out.add(new Template(path, segments, prefix, r.methods() == null ? Set.of() : r.methods(), literals));
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
