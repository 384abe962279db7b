package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.LogCapture;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request that fails on our side (here: a table the code reads is missing, as after a botched manual change) gets
 * a readable 500 page, and the one log line with the stack trace names the route it failed on by its template, so an
 * operator can tell which page broke, and never the raw path, which carries the invitation's token.
 */
@ExtendWith(PostgresExtension.class)
class ServerErrorLogTest {
  private static TestApp app;
  private static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("a 500 is logged once with its route template (/i/:token), never the path's token")
  void routeTemplateInErrorLog() {
    Created inv = app.invite("Err Or", "error-log@example.com");
    Browser b = new Browser(vertx, app.port);
    app.sql("alter table invitations rename to invitations_away");
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<Buffer> r = await(b.get("/i/" + inv.token()));
      assertEquals(500, r.statusCode(), r.bodyAsString());
      assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
      assertFalse(r.bodyAsString().contains("Exception") || r.bodyAsString().contains("invitations_away"), r.bodyAsString());

      List<ILoggingEvent> failed = logs.matching("HttpVerticle", "failed").stream()
          .filter(e -> e.getFormattedMessage().startsWith("GET ")).toList();
      assertEquals(1, failed.size(), "one error line for the request: " + failed.stream().map(ILoggingEvent::getFormattedMessage).toList());
      String line = failed.get(0).getFormattedMessage();
      assertEquals("GET /i/:token failed", line);
      assertTrue(failed.get(0).getThrowableProxy() != null, "the line carries the stack trace");
      assertTrue(logs.events().stream().noneMatch(e -> e.getFormattedMessage().contains(inv.token())),
          "the invitation's token is in no log line");
    } finally {
      app.sql("alter table invitations_away rename to invitations");
    }
  }
}
