package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 21's expected features: pipeline counts, copy buttons, the CSV template and export, the next item after a review. */
@ExtendWith(PostgresExtension.class)
class EverydayFeaturesTest {
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

  @Test
  @DisplayName("/candidates counts the pipeline per status, each count a link to its filter")
  void pipelineCounts() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    app.invite("P One", "p1@example.com");
    app.invite("P Two", "p2@example.com");
    Created opened = app.invite("P Three", "p3@example.com");
    await(new Browser(vertx, app.port).get("/i/" + opened.token()));
    String html = await(recruiter.get("/candidates")).bodyAsString();
    Matcher invited = Pattern.compile("href=\"/candidates\\?status(?:=|&#x3D;)invited\"[^>]*>\\s*Invited\\s*<span class=\"count\">(\\d+)</span>").matcher(html);
    assertTrue(invited.find(), html);
    assertEquals("2", invited.group(1));
    Matcher open = Pattern.compile("Opened\\s*<span class=\"count\">(\\d+)</span>").matcher(html);
    assertTrue(open.find());
    assertEquals("1", open.group(1));
  }

  @Test
  @DisplayName("a CSV template to download, and the filtered list exported as CSV (formulas neutralised)")
  void csvTemplateAndExport() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    HttpResponse<Buffer> template = await(recruiter.get("/candidates/template.csv"));
    assertEquals(200, template.statusCode());
    assertTrue(template.getHeader("Content-Type").startsWith("text/csv"));
    assertTrue(template.getHeader("Content-Disposition").startsWith("attachment"));
    assertTrue(template.bodyAsString().startsWith("name,email,track,deadline_days,time_multiplier\n"), template.bodyAsString());
    assertTrue(await(recruiter.get("/candidates")).bodyAsString().contains("href=\"/candidates/template.csv\""));
    app.invite("=HYPERLINK(1)", "formula@example.com");
    app.invite("Xena Export", "xena@example.com");
    HttpResponse<Buffer> all = await(recruiter.get("/candidates/export.csv?q=xena"));
    assertEquals(200, all.statusCode());
    List<String> lines = all.bodyAsString().lines().toList();
    assertEquals("name,email,track,status,deadline,last_activity,decision", lines.get(0));
    assertEquals(2, lines.size(), all.bodyAsString());
    assertTrue(lines.get(1).startsWith("Xena Export,xena@example.com,sre-senior,invited,"), lines.get(1));
    String formula = await(recruiter.get("/candidates/export.csv?q=formula")).bodyAsString();
    assertTrue(formula.contains("'=HYPERLINK(1)"), "a cell starting with = is neutralised: " + formula);
    assertTrue(await(recruiter.get("/candidates?q=xena")).bodyAsString().contains("href=\"/candidates/export.csv?q&#x3D;xena"),
        "the list links to its own export");
    assertEquals(403, await(app.signIn(vertx, app.account("reviewer")).get("/candidates/export.csv")).statusCode());
  }

  @Test
  @DisplayName("after submitting a review the reviewer lands on the next item of the queue")
  void nextAfterSubmit() {
    String sid = submitted();
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    MultiMap f = MultiMap.caseInsensitiveMultiMap().add("_csrf", reviewer.cookie("XSRF-TOKEN")).add("action", "submit")
        .add("recommendation", "yes");
    await(reviewer.get("/api/v1/rubrics/incident-postmortem")).bodyAsJsonObject().getJsonArray("criteria")
        .forEach(o -> f.add("level." + ((JsonObject) o).getString("id"), "3"));
    HttpResponse<Buffer> r = await(reviewer.postForm("/review/" + sid + "/incident-postmortem", f));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    String next = r.getHeader("Location");
    assertTrue(next.matches("/review/[0-9a-f-]{36}/[a-z-]+") && !next.endsWith("/" + sid + "/incident-postmortem"), next);
    String page = await(reviewer.get(next)).bodyAsString();
    assertTrue(page.contains("Your review is submitted"), "the result is said on the next item");
    assertFalse(await(reviewer.get(next)).bodyAsString().contains("Your review is submitted"), "once");
  }

  static String submitted() {
    Created c = app.invite("Rev Target", "rev@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/incident-postmortem", new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }
}
