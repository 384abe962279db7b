package bench;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Same-stack references for the benchmark, one verticle instance per core like the application:
 * {@code hello PORT}: a bare HttpServer answering "Hello, World!" (the HTTP ceiling);
 * {@code bytes PORT FILE}: the same server answering with FILE's bytes as HTML, e.g. a saved copy of the exercise page
 * (the ceiling for sending a page of that size: no routing, session, database or template; issue 28);
 * {@code fortunes PORT DBURL}: Vert.x Web router, pg pool with prepared-statement cache, Handlebars: select the
 * fortunes, add one, sort, render (the stack ceiling for a page);
 * {@code upsert PORT DBURL}: {@code PUT /upsert/:id} with a JSON body upserting one row when its rev is newer (the
 * stack ceiling for a write).
 */
public final class Refs {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("openloop")) {
      OpenLoop.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String kind = args[0];
    int port = Integer.parseInt(args[1]);
    String db = args.length > 2 ? args[2] : null;
    Buffer page = kind.equals("bytes") ? Buffer.buffer(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[2]))) : null;
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> switch (kind) {
      case "hello" -> new Hello(port, HELLO, "text/plain");
      case "bytes" -> new Hello(port, page, "text/html; charset=utf-8");
      case "fortunes" -> new Fortunes(port, db);
      case "upsert" -> new Upsert(port, db);
      default -> throw new IllegalArgumentException(kind);
    }, new DeploymentOptions().setInstances(instances)).await();
    System.out.println(kind + " reference listening on " + port);
  }

  static Pool pool(Vertx vertx, String url) {
    PgConnectOptions connect = PgConnectOptions.fromUri(url).setCachePreparedStatements(true).setPipeliningLimit(16);
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(16)).connectingTo(connect).using(vertx).build();
  }

  private static final Buffer HELLO = Buffer.buffer("Hello, World!");

  /** Answers every request with one body, nothing else. */
  static final class Hello extends VerticleBase {
    private final int port;
    private final Buffer body;
    private final String contentType;

    Hello(int port, Buffer body, String contentType) {
      this.port = port;
      this.body = body;
      this.contentType = contentType;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setPort(port))
          .requestHandler(req -> req.response().putHeader("Content-Type", contentType).end(body)).listen();
    }
  }

  public record Fortune(int id, String message) {
  }

  static final class Fortunes extends VerticleBase {
    private final int port;
    private final String db;

    Fortunes(int port, String db) {
      this.port = port;
      this.db = db;
    }

    @Override
    public Future<?> start() throws Exception {
      Pool pool = pool(vertx, db);
      Handlebars hb = new Handlebars(new ClassPathTemplateLoader("/templates", ".hbs"));
      Template template = hb.compile("fortunes");
      Router router = Router.router(vertx);
      router.get("/fortunes").handler(ctx -> pool.preparedQuery("select id, message from fortune").execute()
          .onSuccess(rows -> {
            List<Fortune> list = new ArrayList<>();
            for (Row r : rows) {
              list.add(new Fortune(r.getInteger(0), r.getString(1)));
            }
            list.add(new Fortune(0, "Additional fortune added at request time."));
            list.sort(Comparator.comparing(Fortune::message));
            try {
              ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                  .end(template.apply(Map.of("fortunes", list)));
            } catch (Exception e) {
              ctx.fail(e);
            }
          }).onFailure(ctx::fail));
      return vertx.createHttpServer(new HttpServerOptions().setPort(port)).requestHandler(router).listen();
    }
  }

  static final class Upsert extends VerticleBase {
    private final int port;
    private final String db;

    Upsert(int port, String db) {
      this.port = port;
      this.db = db;
    }

    @Override
    public Future<?> start() {
      Pool pool = pool(vertx, db);
      String sql = """
          insert into bench_answers (id, rev, body) values ($1, $2, $3)
          on conflict (id) do update set rev = excluded.rev, body = excluded.body, saved_at = now()
          where bench_answers.rev < excluded.rev
          returning rev, saved_at""";
      Router router = Router.router(vertx);
      router.put("/upsert/:id").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
      router.put("/upsert/:id").handler(ctx -> {
        JsonObject body = ctx.body().asJsonObject();
        pool.preparedQuery(sql).execute(Tuple.of(Integer.parseInt(ctx.pathParam("id")), body.getLong("rev"),
                body.getJsonObject("sections")))
            .onSuccess(rows -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("rev", body.getLong("rev")).encode()))
            .onFailure(ctx::fail);
      });
      return vertx.createHttpServer(new HttpServerOptions().setPort(port)).requestHandler(router).listen();
    }
  }
}
