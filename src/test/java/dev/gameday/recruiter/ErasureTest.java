package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 5: erasing a candidate removes or redacts every copy of their name and email, and the Greenhouse
 * record's profile URL and callback credentials. The check is not a list of known places: it reads every text, json,
 * jsonb and text-array column of every table of the database (information_schema.columns) and searches them all.
 */
@ExtendWith(PostgresExtension.class)
class ErasureTest {
  static final String NAME = "Zuleika Quillfeather";
  static final String EMAIL = "Zuleika.Quill@Erasure-Example.org";
  static final String PROFILE = "https://app.greenhouse.io/people/99887766?application_id=55443322";
  static TestApp app;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port)
        .setFollowRedirects(false));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static HttpResponse<Buffer> post(String path, String authorization, String key, JsonObject body) {
    HttpRequest<Buffer> r = client.post(path).putHeader("Authorization", authorization);
    if (key != null) {
      r.putHeader("Idempotency-Key", key);
    }
    return await(r.sendJsonObject(body));
  }

  /** Every place (table.column) in the database whose text holds {@code needle}, case-insensitively. */
  static List<String> everywhere(String needle) {
    List<String> found = new ArrayList<>();
    for (Row c : app.sql("""
        select table_schema, table_name, column_name from information_schema.columns
         where table_schema not in ('pg_catalog', 'information_schema')
           and (data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
                or (data_type = 'ARRAY' and udt_name in ('_text', '_varchar')))
           and table_name in (select table_name from information_schema.tables t
                               where t.table_schema = columns.table_schema and t.table_type = 'BASE TABLE')""")) {
      String table = "\"" + c.getString("table_schema") + "\".\"" + c.getString("table_name") + "\"";
      String column = "\"" + c.getString("column_name") + "\"";
      long n = app.one("select count(*) as n from " + table + " where strpos(lower(" + column + "::text), lower($1)) > 0",
          needle).orElseThrow().getLong("n");
      if (n > 0) {
        found.add(c.getString("table_name") + "." + c.getString("column_name") + " (" + n + " rows)");
      }
    }
    return found;
  }

  @Test
  @DisplayName("after erasure no text column of any table holds the candidate's name, email, Greenhouse profile URL or callback key")
  void noTraceLeft() {
    String token = await(app.app.apiTokens.create("test", "eraser", List.of("invitations:write", "invitations:read",
        "results:read"), null)).getString("secret");
    String bearer = "Bearer " + token;
    JsonObject person = new JsonObject().put("name", NAME).put("email", EMAIL).put("track", "sre-senior");
    // an invitation with an Idempotency-Key (its answer is stored), then refusals that repeat the email, also stored
    HttpResponse<Buffer> created = post("/api/v1/candidates", bearer, "first-" + System.nanoTime(), person);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");
    String againKey = "again-" + System.nanoTime();
    JsonObject again = person.copy().put("email", EMAIL.toLowerCase());
    HttpResponse<Buffer> dup = post("/api/v1/candidates", bearer, againKey, again);
    assertEquals(409, dup.statusCode(), dup.bodyAsString());
    HttpResponse<Buffer> batch = post("/api/v1/candidates/batch", bearer, "batch-" + System.nanoTime(),
        new JsonObject().put("items", new JsonArray().add(person).add(person)));
    assertEquals(200, batch.statusCode(), batch.bodyAsString());
    // the same person sent by Greenhouse, with a profile URL and a callback that carries our key
    String basic = "Basic " + Base64.getEncoder().encodeToString((token + ":").getBytes(StandardCharsets.UTF_8));
    String[] names = NAME.split(" ");
    HttpResponse<Buffer> sent = post("/integrations/greenhouse/send_test", basic, null, new JsonObject()
        .put("partner_test_id", "sre-senior").put("url", "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/1")
        .put("candidate", new JsonObject().put("first_name", names[0]).put("last_name", names[1]).put("email", EMAIL)
            .put("greenhouse_profile_url", PROFILE)));
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    long greenhouseInvitation = app.one("select invitation_id from greenhouse_interviews where id = $1",
        sent.bodyAsJsonObject().getString("partner_interview_id")).orElseThrow().getLong("invitation_id");

    // the traces are there before (so the search below is able to find them)
    assertTrue(everywhere(EMAIL).stream().anyMatch(p -> p.startsWith("idempotency_keys.")), everywhere(EMAIL).toString());
    assertTrue(everywhere(EMAIL).stream().anyMatch(p -> p.startsWith("invitations.")));
    assertTrue(everywhere(NAME).stream().anyMatch(p -> p.startsWith("invitations.")));
    assertTrue(everywhere(PROFILE).stream().anyMatch(p -> p.startsWith("greenhouse_interviews.")));
    assertTrue(everywhere(token).stream().anyMatch(p -> p.startsWith("greenhouse_interviews.")));

    for (long invitation : List.of(id, greenhouseInvitation)) {
      HttpResponse<Buffer> erased = post("/api/v1/candidates/" + invitation + "/erase", bearer, null,
          new JsonObject().put("reason", "the candidate asked"));
      assertEquals(200, erased.statusCode(), erased.bodyAsString());
    }

    assertEquals(List.of(), everywhere(EMAIL), "the email");
    assertEquals(List.of(), everywhere(NAME), "the name");
    assertEquals(List.of(), everywhere(names[1]), "the last name alone");
    assertEquals(List.of(), everywhere(PROFILE), "the Greenhouse profile URL");
    assertEquals(List.of(), everywhere("application_id=55443322"), "the Greenhouse application");
    assertEquals(List.of(), everywhere(token), "the key kept for the callback");

    // a retry with a stored key still replays its answer (redacted) and creates nothing
    long before = app.one("select count(*) as n from invitations").orElseThrow().getLong("n");
    HttpResponse<Buffer> replay = post("/api/v1/candidates", bearer, againKey, again);
    assertEquals(409, replay.statusCode(), replay.bodyAsString());
    assertEquals("true", replay.getHeader("Idempotent-Replayed"));
    assertTrue(!replay.bodyAsString().toLowerCase().contains(EMAIL.toLowerCase()), replay.bodyAsString());
    assertEquals(before, app.one("select count(*) as n from invitations").orElseThrow().getLong("n"));
  }
}
