package dev.gameday.audit;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit log's actor and date filters, keyset paging under a filter, and the CSV export (issue 21). */
@ExtendWith(PostgresExtension.class)
class AuditFilterTest {
  static TestApp app;
  static Vertx vertx;
  static Browser admin;
  static String adminEmail;
  static Browser reviewer;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    adminEmail = app.account("admin");
    admin = app.signIn(vertx, adminEmail);
    reviewer = app.signIn(vertx, app.account("reviewer"));
    entry("2026-01-10T12:00:00Z", "alice@example.com", "zz.one", "s:1", "{}");
    entry("2026-01-20T00:00:00Z", "bob@example.com", "zz.two", "s:2", "{}");
    entry("2026-02-05T23:59:59Z", "alice@example.com", "zz.two", "s:3", "{}");
    entry("2026-02-06T00:00:00Z", "bob@example.com", "zz.one", "=HYPERLINK(\"x\")", "{\"note\": \"+1, \\\"quoted\\\"\"}");
    app.sql("insert into audit_log (at, actor, action, subject) select '2025-06-01T00:00:00Z'::timestamptz + g * interval '1 minute',"
        + " 'carol@example.com', 'yy.bulk', 's:' || g from generate_series(1, 130) g");
  }

  static void entry(String at, String actor, String action, String subject, String detail) {
    app.sql("insert into audit_log (at, actor, action, subject, detail) values ($1::text::timestamptz, $2, $3, $4, $5::text::jsonb)",
        at, actor, action, subject, detail);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static List<String> subjects(String query) {
    HttpResponse<Buffer> r = await(admin.get("/api/v1/admin/audit?" + query));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray entries = r.bodyAsJsonObject().getJsonArray("entries");
    return entries.stream().map(o -> ((JsonObject) o).getString("subject")).toList();
  }

  @Test
  void actorFilterIsExactAndIgnoresCase() {
    assertEquals(List.of("s:3", "s:1"), subjects("action=zz.&actor=ALICE@example.com"));
    assertEquals(List.of(), subjects("action=zz.&actor=alice"));
  }

  @Test
  void dateRangeIncludesBothDaysInUtc() {
    assertEquals(List.of("s:3", "s:2"), subjects("action=zz.&from=2026-01-20&to=2026-02-05"));
    assertEquals(List.of("=HYPERLINK(\"x\")"), subjects("action=zz.&from=2026-02-06"));
    assertEquals(List.of("s:1"), subjects("action=zz.&to=2026-01-19"));
    assertEquals(List.of("s:2"), subjects("action=zz.two&actor=bob@example.com&from=2026-01-01&to=2026-01-31"));
  }

  @Test
  void keysetPagingKeepsTheFilter() {
    List<String> first = subjects("actor=carol@example.com&from=2025-06-01&to=2025-06-01");
    assertEquals(Audit.PAGE_SIZE, first.size());
    assertEquals("s:130", first.get(0));
    long lastId = await(admin.get("/api/v1/admin/audit?actor=carol@example.com")).bodyAsJsonObject().getJsonArray("entries")
        .getJsonObject(Audit.PAGE_SIZE - 1).getLong("id");
    List<String> second = subjects("actor=carol@example.com&from=2025-06-01&to=2025-06-01&before=" + lastId);
    assertEquals(30, second.size());
    assertEquals("s:1", second.get(29));
    String page = await(admin.get("/admin/audit?actor=carol@example.com&from=2025-06-01")).bodyAsString();
    assertTrue(page.contains("Older entries"), page);
    assertTrue(page.contains("href=\"/admin/audit?actor&#x3D;carol%40example.com&amp;from&#x3D;2025-06-01&amp;before=" + lastId + "\""),
        page);
    assertTrue(page.contains("href=\"/admin/audit.csv?actor&#x3D;carol%40example.com&amp;from&#x3D;2025-06-01\""), page);
  }

  @Test
  void badDatesAnswer400WithAReadableMessage() {
    for (String q : List.of("from=2026-13-01", "to=yesterday", "from=2026-02-01&to=2026-01-01", "from=+10000-01-01")) {
      HttpResponse<Buffer> json = await(admin.get("/api/v1/admin/audit?" + q));
      assertEquals(400, json.statusCode(), q);
      assertEquals("bad_filter", json.bodyAsJsonObject().getString("error"), q);
      assertFalse(json.bodyAsJsonObject().getString("message").isBlank(), q);
      HttpResponse<Buffer> page = await(admin.get("/admin/audit?" + q));
      assertEquals(400, page.statusCode(), q);
      assertTrue(page.bodyAsString().contains("role=\"alert\""), page.bodyAsString());
      assertTrue(page.bodyAsString().contains("From") || page.bodyAsString().contains("To"), q);
      assertEquals(400, await(admin.get("/admin/audit.csv?" + q)).statusCode(), q);
    }
    assertTrue(await(admin.get("/admin/audit?from=2026-13-01")).bodyAsString().contains("YYYY-MM-DD"));
  }

  @Test
  void exportHoldsExactlyTheFilteredEntriesWithFormulasDefused() {
    HttpResponse<Buffer> r = await(admin.get("/admin/audit.csv?action=zz.&from=2026-01-20"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("text/csv"));
    String[] lines = r.bodyAsString().split("\r\n");
    assertEquals("id,at,actor,action,subject,detail", lines[0]);
    assertEquals(4, lines.length, r.bodyAsString());
    assertTrue(lines[1].contains(",bob@example.com,zz.one,\"'=HYPERLINK(\"\"x\"\")\",\"{\"\"note\"\":\"\"+1, \\\"\"quoted\\\"\"\"\"}\""),
        lines[1]);
    assertTrue(lines[2].contains(",alice@example.com,zz.two,s:3,{}"), lines[2]);
    assertTrue(lines[3].contains(",bob@example.com,zz.two,s:2,{}"), lines[3]);
    // the whole 130-entry actor streams past one export page
    String all = await(admin.get("/admin/audit.csv?actor=carol@example.com")).bodyAsString();
    assertEquals(131, all.split("\r\n").length);
    JsonObject exported = await(admin.get("/api/v1/admin/audit?action=audit.exported&actor=" + adminEmail)).bodyAsJsonObject()
        .getJsonArray("entries").getJsonObject(1);
    assertEquals("zz.", exported.getJsonObject("detail").getString("action"));
    assertEquals("2026-01-20", exported.getJsonObject("detail").getString("from"));
  }

  @Test
  void onlyAdminsSeeOrExportTheLog() {
    for (String path : List.of("/admin/audit", "/api/v1/admin/audit", "/admin/audit.csv", "/admin/audit.csv?actor=alice@example.com")) {
      assertEquals(403, await(reviewer.get(path)).statusCode(), path);
      assertEquals(401, await(new Browser(vertx, app.port).get(path)).statusCode(), path);
    }
  }
}
