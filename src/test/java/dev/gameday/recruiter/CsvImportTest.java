package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 6: a CSV import with a NUL byte, or in another encoding than UTF-8, gets a clear 400 naming the
 * line and the problem, and nothing of the file is imported.
 */
@ExtendWith(PostgresExtension.class)
class CsvImportTest {
  static TestApp app;
  static Vertx vertx;
  static Browser recruiter;
  static final AtomicInteger counter = new AtomicInteger();

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    recruiter = app.signIn(vertx, app.account("recruiter"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static long invitations() {
    return app.one("select count(*) as n from invitations").orElseThrow().getLong("n");
  }

  static HttpResponse<Buffer> upload(byte[] file) {
    return await(recruiter.raw(HttpMethod.POST, "/api/v1/candidates/import", "text/csv", Buffer.buffer(file)));
  }

  static void assertRejected(HttpResponse<Buffer> r, int line, String words) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertEquals("invalid_csv", j.getString("error"), j.encode());
    assertEquals(line, j.getJsonArray("rows").getJsonObject(0).getInteger("line"), j.encode());
    assertTrue(j.getJsonArray("rows").getJsonObject(0).getString("message").contains(words), j.encode());
    assertTrue(j.getString("message").contains("line " + line), j.encode());
  }

  static String rows(String tag, String third) {
    return "name,email,track\nAda Example," + tag + "-1@example.com,sre-senior\n" + third + "\nCy Example," + tag
        + "-3@example.com,sre-senior\n";
  }

  @Test
  @DisplayName("a NUL byte in a row: 400 naming line 3 and the NUL, nothing imported")
  void nul() {
    String tag = "nul" + counter.incrementAndGet();
    long before = invitations();
    assertRejected(upload(rows(tag, "Bo\u0000Example," + tag + "-2@example.com,sre-senior").getBytes(StandardCharsets.UTF_8)),
        3, "NUL");
    assertEquals(before, invitations());
    // the same file pasted on the page: a readable 400 page, not a 500
    HttpResponse<Buffer> page = await(recruiter.postForm("/candidates/import", MultiMap.caseInsensitiveMultiMap()
        .add("csv", rows(tag, "Bo\u0000Example," + tag + "-2@example.com,sre-senior")).add("_csrf", recruiter.cookie("XSRF-TOKEN"))));
    // Post/Redirect/Get: 303 to the list, which shows the refusal once
    assertEquals(303, page.statusCode(), page.bodyAsString());
    String shown = await(recruiter.get(page.getHeader("Location").replaceFirst("^https?://[^/]+", "").replaceFirst("#.*", ""))).bodyAsString();
    assertTrue(shown.contains("<td data-label=\"Line\">3</td>") && shown.contains("class=\"problem\""), shown);
    assertEquals(before, invitations());
  }

  @Test
  @DisplayName("a Latin-1 file: 400 naming the first line that is not UTF-8, nothing imported (no replacement characters stored)")
  void latin1() {
    String tag = "latin" + counter.incrementAndGet();
    long before = invitations();
    byte[] file = rows(tag, "Jos\u00e9 Fern\u00e1ndez," + tag + "-2@example.com,sre-senior").getBytes(StandardCharsets.ISO_8859_1);
    assertRejected(upload(file), 3, "UTF-8");
    assertEquals(before, invitations());
    // a file already mangled on the way (replacement characters, as a browser reading Latin-1 as UTF-8 makes)
    assertRejected(upload(rows(tag, "Jos\uFFFD," + tag + "-2@example.com,sre-senior").getBytes(StandardCharsets.UTF_8)), 3, "UTF-8");
    assertEquals(before, invitations());
    // the same names in UTF-8 are imported as written
    HttpResponse<Buffer> ok = upload(rows(tag, "Jos\u00e9 Fern\u00e1ndez," + tag + "-2@example.com,sre-senior")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("Jos\u00e9 Fern\u00e1ndez", app.one("select candidate_name from invitations where candidate_email = $1",
        tag + "-2@example.com").orElseThrow().getString("candidate_name"));
  }

  @Test
  @DisplayName("RFC 4180 still: quoted fields with commas, quotes and line breaks; a BOM; line numbers count physical lines")
  void rfc4180() {
    String tag = "rfc" + counter.incrementAndGet();
    String file = "\uFEFFname,email,track,deadline_days\r\n\"Multi\r\nLine, \"\"Quoted\"\"\"," + tag + "-1@example.com,sre-senior,3\r\n"
        + "\r\nPlain," + tag + "-2@example.com,sre-senior,\r\nBad," + tag + "-3@example.com,sre-senior,999\r\n";
    HttpResponse<Buffer> bad = upload(file.getBytes(StandardCharsets.UTF_8));
    assertRejected(bad, 6, "deadline_days");
    HttpResponse<Buffer> ok = upload(file.replace(",999", ",9").getBytes(StandardCharsets.UTF_8));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    String name = app.one("select candidate_name from invitations where candidate_email = $1", tag + "-1@example.com")
        .orElseThrow().getString("candidate_name");
    assertTrue(name.startsWith("Multi") && name.endsWith("Line, \"Quoted\""), name);
    assertRejected(upload(("name,email,track\n\"unclosed," + tag + "-9@example.com,sre-senior\n").getBytes(StandardCharsets.UTF_8)),
        2, "quote");
  }
}
