package dev.gameday.integration;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every HTTP call Gameday makes to an address someone else chose (webhook receivers, the Greenhouse callback): the
 * host is resolved first, every address it resolves to must pass the {@link Egress} policy, and the connection goes to
 * that checked address (the URL's host still names the server: Host header, TLS SNI and certificate check), so DNS
 * rebinding cannot switch it. Redirects are never followed (a 3xx is just a status). Each call has a total deadline,
 * resolution included: a receiver that accepts and answers slowly, or trickles its answer, is cut off. The response
 * body is drained and never kept.
 */
public final class Outbound {
  /** A call refused before any connection: the address is outside the egress policy, or the host does not resolve. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Egress egress;
  private final HttpClientAgent http;

  public Outbound(Vertx vertx, Egress egress) {
    this.vertx = vertx;
    this.egress = egress;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(Webhooks.TIMEOUT * 1000)
        .setIdleTimeout(Webhooks.TIMEOUT).setKeepAlive(false).setVerifyHost(true));
  }

  public Egress egress() {
    return egress;
  }

  /** Answers the status code, or fails ({@link Refused}, a connection error, or the deadline). */
  public Future<Integer> send(HttpMethod method, String url, MultiMap headers, Buffer body, Duration deadline) {
    URI u;
    try {
      u = new URI(url);
    } catch (Exception e) {
      return Future.failedFuture(new Refused("not a valid URL"));
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    String host = u.getHost();
    if (!("http".equals(scheme) || "https".equals(scheme)) || host == null || host.isEmpty()) {
      return Future.failedFuture(new Refused("only http and https URLs with a host"));
    }
    int port = u.getPort() > 0 ? u.getPort() : "https".equals(scheme) ? 443 : 80;
    Promise<Integer> result = Promise.promise();
    AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), t -> {
      if (result.tryFail(new Refused("no complete answer within " + deadline.toSeconds() + " s"))) {
        HttpClientRequest r = request.get();
        if (r != null) {
          r.reset();
        }
      }
    });
    resolve(host).compose(address -> {
      RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url)
          .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
          .setFollowRedirects(false).setIdleTimeout(Webhooks.TIMEOUT * 1000L);
      if (headers != null) {
        options.setHeaders(headers);
      }
      return http.request(options).compose(req -> {
        request.set(req);
        if (result.future().isComplete()) {
          req.reset();
        }
        return body == null ? req.send() : req.send(body);
      }).compose(resp -> resp.end().map(v -> resp.statusCode()));
    }).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }

  /** The host's address that will be connected to, after checking every address it resolves to. */
  Future<InetAddress> resolve(String host) {
    byte[] literal = Egress.literal(host);
    if (literal != null) {
      try {
        return check(host, new InetAddress[] {InetAddress.getByAddress(literal)});
      } catch (UnknownHostException e) {
        return Future.failedFuture(new Refused("not a valid address"));
      }
    }
    return vertx.<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(host), false)
        .recover(err -> Future.failedFuture(new Refused("the host " + host + " does not resolve")))
        .compose(all -> check(host, all));
  }

  private Future<InetAddress> check(String host, InetAddress[] all) {
    if (all.length == 0) {
      return Future.failedFuture(new Refused("the host " + host + " does not resolve"));
    }
    for (InetAddress a : all) {
      if (!egress.permits(a)) {
        return Future.failedFuture(new Refused("the address " + a.getHostAddress() + " of " + host
            + " is not allowed by the egress policy (GAMEDAY_EGRESS_ALLOW)"));
      }
    }
    return Future.succeededFuture(all[0]);
  }

  public Future<Void> close() {
    return http.close();
  }
}
