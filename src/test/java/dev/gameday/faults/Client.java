package dev.gameday.faults;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A browser for fault tests: one cookie jar that may talk to several servers (instances behind a load balancer
 * share cookies, so the jar is per browser, not per port), echoing the CSRF cookie like the page does. Every
 * request has a timeout, so a test never waits for ever.
 */
final class Client {
  static final String ANSWERS = "/api/v1/candidate/answers/incident-postmortem";
  private final WebClient web;
  final Map<String, String> cookies = new ConcurrentHashMap<>();

  Client(Vertx vertx) {
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setFollowRedirects(false)
        .setKeepAlive(true).setConnectTimeout(5000));
  }

  Future<HttpResponse<Buffer>> get(int port, String path) {
    return send(web.request(HttpMethod.GET, port, "127.0.0.1", path), null);
  }

  Future<HttpResponse<Buffer>> put(int port, String path, JsonObject body) {
    return send(web.request(HttpMethod.PUT, port, "127.0.0.1", path).putHeader("Content-Type", "application/json"),
        body.toBuffer());
  }

  Future<HttpResponse<Buffer>> post(int port, String path, JsonObject body) {
    return send(web.request(HttpMethod.POST, port, "127.0.0.1", path).putHeader("Content-Type", "application/json"),
        body == null ? Buffer.buffer() : body.toBuffer());
  }

  Future<HttpResponse<Buffer>> postForm(int port, String path, MultiMap form) {
    HttpRequest<Buffer> r = web.request(HttpMethod.POST, port, "127.0.0.1", path).timeout(20_000);
    cookieHeader(r);
    return r.sendForm(form).map(this::remember);
  }

  /** A save of one section at a revision. */
  Future<HttpResponse<Buffer>> save(int port, long rev, String text) {
    return put(port, ANSWERS, new JsonObject().put("rev", rev).put("sections", new JsonObject().put("summary", text)));
  }

  private Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> r, Buffer body) {
    r.timeout(20_000);
    cookieHeader(r);
    if (r.method() != HttpMethod.GET && cookies.containsKey("XSRF-TOKEN")) {
      r.putHeader("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
    }
    return (body == null ? r.send() : r.sendBuffer(body)).map(this::remember);
  }

  private void cookieHeader(HttpRequest<Buffer> r) {
    if (!cookies.isEmpty()) {
      r.putHeader("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
  }

  private HttpResponse<Buffer> remember(HttpResponse<Buffer> res) {
    for (String c : res.cookies()) {
      String pair = c.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      if (value.isEmpty() || c.toLowerCase().contains("max-age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return res;
  }

  void close() {
    web.close();
  }
}
