package dev.gameday.ops;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /ready names each check: database, migrations, library, outbox lag. */
@ExtendWith(PostgresExtension.class)
class ReadyTest {
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static HttpResponse<Buffer> ready() {
    return await(new Browser(vertx, app.port).get("/ready"));
  }

  @Test
  @DisplayName("ready: the database answers, the schema is the one migrated to, the library is loaded, the outbox does not lag; a lagging outbox is reported but keeps the instance ready; a schema changed underneath is not ready")
  void namedChecks() {
    HttpResponse<Buffer> r = ready();
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject checks = r.bodyAsJsonObject().getJsonObject("checks");
    assertEquals("up", checks.getString("database"));
    String version = app.one("select version from flyway_schema_history where success order by installed_rank desc limit 1")
        .orElseThrow().getString("version");
    assertEquals(new JsonObject().put("state", "current").put("version", version), checks.getJsonObject("migrations"));
    assertEquals("loaded", checks.getJsonObject("library").getString("state"));
    assertEquals(5, checks.getJsonObject("library").getInteger("exercises"));
    assertEquals("ok", checks.getJsonObject("outbox").getString("state"));
    assertEquals(0L, checks.getJsonObject("outbox").getLong("lagSeconds"));

    long id = app.invite("Lagging Mail", "lag@example.com").id();
    app.sql("insert into email_outbox (invitation_id, kind, to_address, next_attempt_at) values ($1, 'reminder', 'lag@example.com', now() - interval '10 minutes')", id);
    HttpResponse<Buffer> lagging = ready();
    assertEquals(200, lagging.statusCode(), "a slow mail server must not take the instance out of the load balancer");
    JsonObject outbox = lagging.bodyAsJsonObject().getJsonObject("checks").getJsonObject("outbox");
    assertEquals("lagging", outbox.getString("state"));
    assertTrue(outbox.getLong("emailLagSeconds") >= 590, outbox.encode());
    app.sql("delete from email_outbox where invitation_id = $1", id);

    app.sql("""
        insert into flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
        select max(installed_rank) + 1, '999', 'from a newer release', 'SQL', 'V999__newer.sql', 0, 'test', 0, true from flyway_schema_history""");
    try {
      HttpResponse<Buffer> changed = ready();
      assertEquals(503, changed.statusCode());
      assertEquals("not_ready", changed.bodyAsJsonObject().getString("status"));
      assertEquals("changed", changed.bodyAsJsonObject().getJsonObject("checks").getJsonObject("migrations").getString("state"));
    } finally {
      app.sql("delete from flyway_schema_history where version = '999'");
    }
    assertEquals(200, ready().statusCode());
  }
}
