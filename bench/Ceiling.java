import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ceiling for serving a page of a given size on this machine with this stack (issue 28): a Vert.x server, one
 * verticle per core like Gameday's and the references', answering every request with the same bytes (a saved copy of
 * the exercise page) and nothing else: no routing, session, database or template. If this serves a page of the
 * exercise page's size faster than the fortunes reference, the page's bytes are not what keeps it below fortunes.
 *
 *   curl -s -H 'Cookie: gameday=bench-session-N' http://localhost:PORT/candidate/exercises/incident-postmortem > page.html
 *   java -cp target/gameday.jar bench/Ceiling.java page.html 18195 &
 *   wrk -t1 -c64 -d15s http://localhost:18195/
 */
public class Ceiling {
  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    int port = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      private final Buffer body = Buffer.buffer(bytes);

      @Override
      public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setPort(port))
            .requestHandler(req -> req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(body))
            .listen();
      }
    }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
    System.out.println("serving the " + bytes.length + " bytes of " + args[0] + " on port " + port);
  }
}
