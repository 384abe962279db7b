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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 21 ("In real hands"): the defects that show in what the server answers (the visual ones are browser tests). */
@ExtendWith(PostgresExtension.class)
class InRealHandsTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static final AtomicInteger counter = new AtomicInteger();

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

  static MultiMap form(Browser b, String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"));
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static Created invite() {
    return app.invite("Cand " + counter.incrementAndGet(), "c" + counter.incrementAndGet() + "@example.com");
  }

  /** A submission; with {@code write}, text in one exercise, the others blank. */
  static String submit(Created c, boolean write) {
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    if (write) {
      await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put("summary", "An answer."))));
    }
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  @Test
  @DisplayName("defect 5: Submit review, Record decision and Record no answer ask first; one confirmed action records no answer on every blank exercise")
  void confirmSteps() {
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    Browser admin = app.signIn(vertx, app.account("admin"));
    String blank = submit(invite(), false);
    String item = await(reviewer.get("/review/" + blank + "/" + EX)).bodyAsString();
    assertTrue(Pattern.compile("<button[^>]*value=\"submit\"[^>]*data-confirm=\"[^\"]+\"").matcher(item).find(), "Submit review asks first");
    assertTrue(Pattern.compile("<form[^>]*data-confirm=\"[^\"]*no answer[^\"]*\"[^>]*>\\s*<input[^>]*>\\s*<p><strong>No answer", Pattern.CASE_INSENSITIVE)
        .matcher(item).find(), "Record no answer asks first: " + item);
    String page = await(reviewer.get("/review/" + blank)).bodyAsString();
    Matcher all = Pattern.compile("<form method=\"post\" action=\"(/review/" + blank + "/no-answer)\"[^>]*data-confirm=\"([^\"]+)\"").matcher(page);
    assertTrue(all.find(), "one action for every blank exercise, with a confirmation: " + page);
    assertTrue(all.group(2).contains("5"), "the confirmation says how many: " + all.group(2));
    HttpResponse<Buffer> done = await(reviewer.submitForm(all.group(1), form(reviewer)));
    assertTrue(done.bodyAsString().contains("No answer is recorded for 5 exercises"), done.bodyAsString());
    assertEquals(5L, app.one("select count(*) as n from reviews where submission_id = $1::uuid and state = 'submitted'"
        + " and recommendation = 'no'", blank).orElseThrow().getLong("n"));
    // a submission with text in one exercise: only the four blank ones
    String partly = submit(invite(), true);
    await(reviewer.submitForm("/review/" + partly + "/no-answer", form(reviewer)));
    assertEquals(4L, app.one("select count(*) as n from reviews where submission_id = $1::uuid and state = 'submitted'", partly)
        .orElseThrow().getLong("n"));
    assertEquals(0L, app.one("select count(*) as n from reviews where submission_id = $1::uuid and exercise_id = $2", partly, EX)
        .orElseThrow().getLong("n"), "the written exercise is left to be scored");
    String decision = await(admin.get("/review/" + partly)).bodyAsString();
    assertTrue(Pattern.compile("<form[^>]*action=\"/review/" + partly + "/decision\"[^>]*data-confirm=\"[^\"]+\"").matcher(decision).find(),
        "Record decision asks first");
  }

  @Test
  @DisplayName("defect 6: a submitted candidate's link shows when they submitted, a receipt to download and what happens next")
  void submittedLink() {
    Created c = invite();
    submit(c, true);
    Browser again = new Browser(vertx, app.port);
    HttpResponse<Buffer> r = await(again.get("/i/" + c.token()));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    HttpResponse<Buffer> page = await(again.get(r.getHeader("Location")));
    assertEquals(200, page.statusCode());
    String html = page.bodyAsString();
    assertFalse(html.contains("not valid"), html);
    assertTrue(html.contains("Your answers are submitted"), html);
    assertTrue(html.contains("<time datetime="), "the submission time");
    assertTrue(html.contains("href=\"/candidate/receipt.txt\""), "a receipt to download");
    assertTrue(html.contains("What happens next"), html);
    HttpResponse<Buffer> receipt = await(again.get("/candidate/receipt.txt"));
    assertEquals(200, receipt.statusCode());
    assertTrue(receipt.getHeader("Content-Disposition").startsWith("attachment"));
    String sha = app.one("select sha256 from submissions where invitation_id = $1", c.id()).orElseThrow().getString("sha256");
    assertTrue(receipt.bodyAsString().contains(sha), receipt.bodyAsString());
    // a revoked link still gets the same 404 as an unknown one
    Created revoked = invite();
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    await(recruiter.post("/api/v1/candidates/" + revoked.id() + "/revoke", null));
    assertEquals(404, await(new Browser(vertx, app.port).get("/i/" + revoked.token())).statusCode());
  }

  @Test
  @DisplayName("defect 2: CSV import results list name, email and link status per row, each problem row once, and link to the list of the import")
  void importResults() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    String a = "ann" + counter.incrementAndGet() + "@example.com";
    String b = "bob" + counter.incrementAndGet() + "@example.com";
    HttpResponse<Buffer> ok = await(recruiter.submitForm("/candidates/import", form(recruiter, "csv",
        "name,email,track\nAnn Import," + a + ",sre-senior\nBob Import," + b + ",sre-senior\n")));
    String html = ok.bodyAsString();
    for (String s : new String[] {"Ann Import", a, "Bob Import", b}) {
      assertTrue(html.contains(s), s + " in the results: " + html);
    }
    assertTrue(html.contains("/i/"), "the link (email is off)");
    Matcher list = Pattern.compile("href=\"/candidates\\?imported(?:=|&#x3D;)(\\d+)\"").matcher(html);
    assertTrue(list.find(), "a link to the list of this import");
    String filtered = await(recruiter.get("/candidates?imported=" + list.group(1))).bodyAsString();
    assertTrue(filtered.contains("Ann Import") && filtered.contains("Bob Import"));
    app.invite("Someone Else", "else" + counter.incrementAndGet() + "@example.com");
    assertFalse(await(recruiter.get("/candidates?imported=" + list.group(1))).bodyAsString().contains("Someone Else"), "only the import");
    String bad = await(recruiter.submitForm("/candidates/import", form(recruiter, "csv",
        "name,email,track\nCarl Bad,not-an-email,sre-senior\nDora Bad,dora@example.com,no-such-track\n"))).bodyAsString();
    assertTrue(bad.contains("Carl Bad") && bad.contains("not-an-email") && bad.contains("Dora Bad"), bad);
    int start = bad.indexOf("role=\"alert\"");
    String alert = bad.substring(start, bad.indexOf("</div></div>", start));
    assertEquals(1, count(alert, "no-such-track"), "each problem once: " + alert);
    assertEquals(1, count(alert, "Carl Bad"), alert);
  }

  @Test
  @DisplayName("defect 8: recruiters see no environment variable, counts read in the singular for one, error pages say what to do next")
  void wording() {
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    Created c = invite();
    for (String p : new String[] {"/candidates", "/candidates/" + c.id()}) {
      String html = await(recruiter.get(p)).bodyAsString();
      assertFalse(html.contains("GAMEDAY_"), p + " names an environment variable to a recruiter");
    }
    String one = await(recruiter.submitForm("/candidates/import", form(recruiter, "csv",
        "name,email,track\nSolo Import,solo" + counter.incrementAndGet() + "@example.com,sre-senior\n"))).bodyAsString();
    assertTrue(one.contains("Imported 1 candidate."), one);
    Browser reviewer = app.signIn(vertx, app.account("reviewer"));
    String blank = submit(invite(), true);
    String item = await(reviewer.get("/review/" + blank + "/" + EX)).bodyAsString();
    assertTrue(item.contains("0 of 2 reviews submitted"), "plural for 0");
    Browser admin = app.signIn(vertx, app.account("admin"));
    String sub = await(admin.get("/review/" + blank)).bodyAsString();
    assertTrue(sub.contains("Only 0 of 5 exercises have all their reviews") || sub.contains("Only 1 of 5 exercises has all its reviews"), sub);
    // error pages: what happened and what to do, for the role that reads them
    HttpResponse<Buffer> missing = await(recruiter.get("/candidates/99999999"));
    assertEquals(404, missing.statusCode());
    assertTrue(missing.bodyAsString().contains("href=\"/candidates\""), "a way back to the candidates: " + missing.bodyAsString());
    HttpResponse<Buffer> forbidden = await(recruiter.get("/review"));
    assertEquals(403, forbidden.statusCode());
    String f = forbidden.bodyAsString();
    assertTrue(f.contains("recruiter") && f.contains("admin"), "says which role may, and whom to ask: " + f);
    HttpResponse<Buffer> nowhere = await(recruiter.get("/no/such/page"));
    assertEquals(404, nowhere.statusCode());
    assertTrue(nowhere.bodyAsString().contains("href=\"/candidates\""), "a signed-in recruiter is pointed to their own start page");
  }

  static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
