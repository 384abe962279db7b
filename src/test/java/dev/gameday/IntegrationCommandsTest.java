package dev.gameday;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** gameday token create / revoke (and webhook add) against the database of a running server. */
@ExtendWith(PostgresExtension.class)
class IntegrationCommandsTest {
  static TestApp app;
  static TestDatabase db;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void start(TestDatabase database) throws Exception {
    db = database;
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  @AfterEach
  void restoreEnvironment() {
    Main.environment = System::getenv;
  }

  record Run(int code, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1].strip();
    }
  }

  static Run gameday(String... args) {
    Main.environment = () -> Map.of("GAMEDAY_DATABASE_URL", db.url());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.commandLine().execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static int list(String secret) {
    return await(client.get("/api/v1/candidates").putHeader("Authorization", "Bearer " + secret).send()).statusCode();
  }

  @Test
  @DisplayName("token create prints the secret as its last line; it works at once; token revoke NAME stops it")
  void createAndRevoke() {
    Run made = gameday("token", "create", "--name", "cli-ats", "--scope", "invitations:read", "results:read", "--expires-days", "90");
    assertEquals(0, made.code(), made.err());
    String secret = made.lastLine();
    assertTrue(secret.startsWith("gdt_"), made.out());
    assertEquals(200, list(secret));
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'token.created' and actor = 'cli'").orElseThrow().getLong("n"));
    Run revoked = gameday("token", "revoke", "cli-ats");
    assertEquals(0, revoked.code(), revoked.err());
    assertEquals(401, list(secret));
    assertEquals(2, gameday("token", "revoke", "no-such-token").code());
  }

  @Test
  @DisplayName("token create refuses an unknown scope and a name in use, with exit status 2")
  void refusals() {
    assertEquals(2, gameday("token", "create", "--name", "x", "--scope", "everything").code());
    assertEquals(0, gameday("token", "create", "--name", "taken", "--scope", "invitations:read").code());
    Run again = gameday("token", "create", "--name", "taken", "--scope", "invitations:read");
    assertEquals(2, again.code());
    assertTrue(again.err().contains("exists already"), again.err());
  }

  @Test
  @DisplayName("webhook add prints the signing secret as its last line; a non-http(s) URL exits with status 2")
  void webhookAdd() {
    Run added = gameday("webhook", "add", "--url", "https://hooks.example.com/gameday", "--event", "submission.created", "decision.recorded");
    assertEquals(0, added.code(), added.err());
    String secret = added.lastLine();
    assertTrue(secret.startsWith("whsec_"), added.out());
    assertEquals(secret, app.one("select secret from webhook_endpoints where url = 'https://hooks.example.com/gameday'").orElseThrow()
        .getString("secret"));
    app.sql("update webhook_endpoints set disabled_at = now()");
    Run bad = gameday("webhook", "add", "--url", "file:///etc/passwd", "--event", "decision.recorded");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("http://"), bad.err());
  }
}
