package dev.gameday.account;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A staff member's own sessions, and staff session timeouts from the configuration (here 10 minutes idle, 1 hour). */
@ExtendWith(PostgresExtension.class)
class SessionListTest {
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db, Path.of("exercises"), c -> c.withStaff(new Config.Staff(10, 1)));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static HttpResponse<Buffer> form(Browser b, String path) {
    return await(b.postForm(path, MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"))));
  }

  static JsonArray sessions(Browser b) {
    HttpResponse<Buffer> r = await(b.get("/api/v1/account/sessions"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("sessions");
  }

  static int status(Browser b) {
    return await(b.get("/account")).statusCode();
  }

  @Test
  @DisplayName("the account page lists one's own live sessions; one can be ended, then every other; each form answers 303")
  void listAndEnd() {
    String email = app.account("reviewer");
    Browser here = app.signIn(vertx, email);
    Browser phone = app.signIn(vertx, email);
    Browser laptop = app.signIn(vertx, email);
    Browser stranger = app.signIn(vertx, app.account("admin"));
    JsonArray list = sessions(here);
    assertEquals(3, list.size(), list.encode());
    assertTrue(list.getJsonObject(0).getBoolean("current"), "this session first");
    assertEquals(1, list.stream().filter(o -> ((JsonObject) o).getBoolean("current")).count());
    assertEquals("127.0.0.1", list.getJsonObject(0).getString("address"));
    assertTrue(list.getJsonObject(0).getString("userAgent").contains("Vert.x"), list.encode());
    String page = await(here.get("/account")).bodyAsString();
    assertTrue(page.contains("this session") && page.contains("Sign out everywhere else"), page);

    long phoneId = sessions(phone).getJsonObject(0).getLong("id");
    assertEquals("/account?problem=not_found", form(stranger, "/account/sessions/" + phoneId + "/end").getHeader("Location"),
        "another account's session is not one's own to end");
    assertEquals(404, await(stranger.raw(HttpMethod.DELETE, "/api/v1/account/sessions/" + phoneId, null, null)).statusCode());
    assertEquals(200, status(phone));

    HttpResponse<Buffer> ended = form(here, "/account/sessions/" + phoneId + "/end");
    assertEquals(303, ended.statusCode());
    assertEquals("/account?done=ended", ended.getHeader("Location"));
    assertEquals(401, status(phone), "the ended session is signed out");
    assertEquals(200, status(laptop));

    HttpResponse<Buffer> others = form(here, "/account/sessions/others/end");
    assertEquals(303, others.statusCode());
    assertEquals("/account?done=others", others.getHeader("Location"));
    assertEquals(401, status(laptop));
    assertEquals(200, status(here), "this session stays");
    assertEquals(200, status(stranger), "another account's sessions are untouched");
    assertEquals(1, sessions(here).size());
    assertTrue(await(here.get("/account?done=others")).bodyAsString().contains("Every other session is signed out."));
    assertEquals(2L, app.one("select count(*) as n from audit_log where actor = $1 and action like 'session.%'", email)
        .orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("staff sessions end after the configured idle time and the configured absolute time")
  void configuredTimeouts() {
    String email = app.account("recruiter");
    Browser idle = app.signIn(vertx, email);
    app.sql("update sessions set last_seen_at = now() - interval '9 minutes' where id_hash = $1",
        (Object) dev.gameday.web.Tokens.hash(idle.cookie("gameday")));
    assertEquals(200, status(idle), "9 of 10 idle minutes");
    app.sql("update sessions set last_seen_at = now() - interval '11 minutes' where id_hash = $1",
        (Object) dev.gameday.web.Tokens.hash(idle.cookie("gameday")));
    assertEquals(401, status(idle), "past 10 idle minutes (the default would be 2 hours)");

    Browser old = app.signIn(vertx, email);
    app.sql("update sessions set created_at = now() - interval '59 minutes' where id_hash = $1",
        (Object) dev.gameday.web.Tokens.hash(old.cookie("gameday")));
    assertEquals(200, status(old));
    app.sql("update sessions set created_at = now() - interval '61 minutes' where id_hash = $1",
        (Object) dev.gameday.web.Tokens.hash(old.cookie("gameday")));
    assertEquals(401, status(old), "past the 1-hour absolute limit, however active");
  }

  @Test
  @DisplayName("a candidate has no account page; anonymous gets 401")
  void notForCandidates() {
    var c = app.invite("Session Candidate", "session-candidate@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    assertEquals(401, status(cand));
    assertEquals(401, await(cand.get("/api/v1/account/sessions")).statusCode());
    assertEquals(401, status(new Browser(vertx, app.port)));
  }

  @Test
  @DisplayName("the timeouts are read from GAMEDAY_SESSION_IDLE_MINUTES and GAMEDAY_SESSION_HOURS, and bad values stop the start")
  void configuration() {
    Config c = Config.fromEnvironment(Map.of("GAMEDAY_SESSION_IDLE_MINUTES", "30", "GAMEDAY_SESSION_HOURS", "8"));
    assertEquals(new Config.Staff(30, 8), c.staff());
    assertEquals(Config.Staff.DEFAULT, Config.fromEnvironment(Map.of()).staff());
    assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_SESSION_IDLE_MINUTES", "soon")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnvironment(Map.of("GAMEDAY_SESSION_IDLE_MINUTES", "600", "GAMEDAY_SESSION_HOURS", "8")));
    assertTrue(e.getMessage().contains("GAMEDAY_SESSION_IDLE_MINUTES"));
    assertFalse(assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnvironment(Map.of("GAMEDAY_SESSION_HOURS", "0"))).getMessage().isEmpty());
  }
}
