package dev.gameday.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP client that keeps cookies like a browser does and, like the page's script, echoes the
 * {@code XSRF-TOKEN} cookie in the {@code X-XSRF-TOKEN} header of state-changing requests.
 */
public final class Browser {
  private final WebClient client;
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private boolean sendCsrf = true;

  public Browser(io.vertx.core.Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(port)
        .setFollowRedirects(false));
  }

  /** Stops echoing the CSRF token (to test that it is required). */
  public Browser withoutCsrf() {
    sendCsrf = false;
    return this;
  }

  public String cookie(String name) {
    return cookies.get(name);
  }

  public Future<HttpResponse<Buffer>> get(String path) {
    return send(client.request(HttpMethod.GET, path), null);
  }

  public Future<HttpResponse<Buffer>> get(String path, Map<String, String> headers) {
    HttpRequest<Buffer> r = client.request(HttpMethod.GET, path);
    headers.forEach(r::putHeader);
    return send(r, null);
  }

  public Future<HttpResponse<Buffer>> put(String path, JsonObject body) {
    return send(client.request(HttpMethod.PUT, path).putHeader("Content-Type", "application/json"), body.toBuffer());
  }

  public Future<HttpResponse<Buffer>> putRaw(String path, String body) {
    return send(client.request(HttpMethod.PUT, path).putHeader("Content-Type", "application/json"), Buffer.buffer(body));
  }

  public Future<HttpResponse<Buffer>> putRaw(String path, Buffer body) {
    return send(client.request(HttpMethod.PUT, path).putHeader("Content-Type", "application/json"), body);
  }

  /** Any method, any content type, any bytes (property tests); the CSRF token is echoed as usual. */
  public Future<HttpResponse<Buffer>> raw(HttpMethod method, String path, String contentType, Buffer body) {
    HttpRequest<Buffer> r = client.request(method, path);
    if (contentType != null) {
      r.putHeader("Content-Type", contentType);
    }
    return send(r, body);
  }

  public Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
    return send(client.request(HttpMethod.POST, path).putHeader("Content-Type", "application/json"),
        body == null ? Buffer.buffer() : body.toBuffer());
  }

  public Future<HttpResponse<Buffer>> postRaw(String path, String contentType, String body) {
    return send(client.request(HttpMethod.POST, path).putHeader("Content-Type", contentType), Buffer.buffer(body));
  }

  public Future<HttpResponse<Buffer>> postForm(String path, MultiMap form) {
    HttpRequest<Buffer> r = client.request(HttpMethod.POST, path);
    applyCookies(r);
    return r.sendForm(form).map(this::remember);
  }

  /**
   * Posts a form like a browser: the answer must be a redirect (303, Post/Redirect/Get), which is followed with a
   * GET (without the fragment); the page after the redirect is the answer. Anything else fails the future.
   */
  public Future<HttpResponse<Buffer>> submitForm(String path, MultiMap form) {
    return postForm(path, form).compose(r -> {
      if (r.statusCode() != 303 || r.getHeader("Location") == null) {
        return Future.failedFuture(new AssertionError("POST " + path + " answered " + r.statusCode() + ", not 303: "
            + r.bodyAsString()));
      }
      return get(r.getHeader("Location").replaceFirst("#.*$", ""));
    });
  }

  private Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> r, Buffer body) {
    applyCookies(r);
    if (sendCsrf && r.method() != HttpMethod.GET && cookies.containsKey("XSRF-TOKEN")) {
      r.putHeader("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
    }
    return (body == null ? r.send() : r.sendBuffer(body)).map(this::remember);
  }

  private void applyCookies(HttpRequest<Buffer> r) {
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
}
