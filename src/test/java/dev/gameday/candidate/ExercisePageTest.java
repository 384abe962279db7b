package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exercise page (issue 28 item 4: its fixed part rendered once, revisits answered 304 by ETag; issue 21: the
 * jump menu between exercises) and the review page's receipt (issue 21).
 */
@ExtendWith(PostgresExtension.class)
class ExercisePageTest {
  private static final String EX = "incident-postmortem";
  private static final String PAGE = "/candidate/exercises/" + EX;
  private static TestApp app;
  private static Vertx vertx;

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

  private static Browser candidate(String who) {
    return signIn(app.invite(who + " Example", who + "@example.com"));
  }

  private static Browser signIn(Created inv) {
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + inv.token())).statusCode());
    return b;
  }

  private static HttpResponse<Buffer> get(Browser b, String etag) {
    return await(etag == null ? b.get(PAGE) : b.get(PAGE, Map.of("If-None-Match", etag)));
  }

  private static String etagOf(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode());
    String etag = r.getHeader("ETag");
    assertNotNull(etag, "the page has an ETag");
    return etag;
  }

  @Test
  @DisplayName("a revisit with the page's ETag answers 304 without a body; the page is private and revalidated")
  void revisit304() {
    Browser b = candidate("revisit");
    HttpResponse<Buffer> first = get(b, null);
    String etag = etagOf(first);
    assertEquals("private, no-cache", first.getHeader("Cache-Control"));
    assertTrue(first.bodyAsString().contains("id=\"brief-h\""), "the full page, with the brief");
    HttpResponse<Buffer> again = get(b, etag);
    assertEquals(304, again.statusCode());
    assertEquals(etag, again.getHeader("ETag"));
    assertTrue(again.body() == null || again.body().length() == 0, "no body with a 304");
    assertEquals(first.bodyAsString().replaceAll("data-seconds-left=\"\\d+\"", ""),
        get(b, null).bodyAsString().replaceAll("data-seconds-left=\"\\d+\"", ""), "the same page on a plain reload");
  }

  @Test
  @DisplayName("after a save the page answers 200 with a new ETag and the saved text; a save on another exercise changes it too (the menu)")
  void saveChangesEtag() {
    Browser b = candidate("saver");
    String etag = etagOf(get(b, null));
    assertEquals(200, await(b.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Connection pool ran dry at 14:06.")))).statusCode());
    HttpResponse<Buffer> after = get(b, etag);
    String etag2 = etagOf(after);
    assertNotEquals(etag, etag2);
    assertTrue(after.bodyAsString().contains("Connection pool ran dry at 14:06."), "the page shows the saved text");
    String other = otherExercise(after.bodyAsString());
    assertEquals(200, await(b.put("/api/v1/candidate/answers/" + other, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put(firstSection(b, other), "Some words here")))).statusCode());
    HttpResponse<Buffer> third = get(b, etag2);
    assertNotEquals(etag2, etagOf(third), "the menu shows the other exercise's words");
    assertTrue(third.bodyAsString().contains("in progress, 3 words"), "the menu names the other exercise's status");
  }

  @Test
  @DisplayName("the time left and the invitation's state are in the ETag: more time granted, or a submission, answers 200")
  void timeAndStateChangeEtag() {
    Created inv = app.invite("Timer Example", "timer@example.com");
    Browser b = signIn(inv);
    String etag = etagOf(get(b, null));
    app.sql("update invitations set closes_at = closes_at + interval '1 hour', deadline = deadline + interval '1 hour' where id = $1", inv.id());
    HttpResponse<Buffer> later = get(b, etag);
    String etag2 = etagOf(later);
    assertNotEquals(etag, etag2);
    assertEquals(200, await(b.post("/api/v1/candidate/submit", null)).statusCode());
    HttpResponse<Buffer> submitted = get(b, etag2);
    assertNotEquals(etag2, etagOf(submitted));
    assertTrue(submitted.bodyAsString().contains("this page is read-only"));
  }

  @Test
  @DisplayName("another candidate, or the same one on another device, never gets a 304 on the first's ETag")
  void perSession() {
    Created inv = app.invite("First Example", "first@example.com");
    Browser first = signIn(inv);
    HttpResponse<Buffer> mine = get(first, null);
    String etag = etagOf(mine);
    Browser other = candidate("second");
    HttpResponse<Buffer> theirs = get(other, etag);
    assertEquals(200, theirs.statusCode(), "another candidate gets their own page");
    assertNotEquals(etag, theirs.getHeader("ETag"));
    assertFalse(theirs.bodyAsString().contains(pseudonym(mine.bodyAsString())), "nothing of the first candidate's page");
    Browser secondDevice = signIn(inv);
    assertEquals(200, get(secondDevice, etag).statusCode(), "another session of the same candidate renders afresh");
  }

  @Test
  @DisplayName("issue 21: the exercise menu lists every exercise of the track, marks the current one and links the review page")
  void menu() {
    Browser b = candidate("menu");
    String html = get(b, null).bodyAsString();
    int nav = html.indexOf("<nav class=\"exercise-menu\"");
    assertTrue(nav > 0, "the menu is on the page");
    String menu = html.substring(nav, html.indexOf("</nav>", nav));
    JsonObject overview = await(b.get("/api/v1/candidate")).bodyAsJsonObject();
    int n = overview.getJsonArray("exercises").size();
    assertTrue(n > 1);
    for (int i = 0; i < n; i++) {
      String id = overview.getJsonArray("exercises").getJsonObject(i).getString("id");
      assertTrue(menu.contains("href=\"/candidate/exercises/" + id + "\""), id + " in the menu");
    }
    assertEquals(1, menu.split("aria-current=\"page\"", -1).length - 1, "one current exercise");
    assertTrue(menu.contains("href=\"/candidate/exercises/" + EX + "\" aria-current=\"page\""), "the current one is marked");
    assertTrue(menu.contains("not started"));
    assertTrue(menu.contains("href=\"/candidate/review\""));
  }

  @Test
  @DisplayName("issue 21: the review page says what the receipt will hold; after submission it offers the download and the nav says 'Your submission'")
  void receiptOnReviewPage() {
    Browser b = candidate("receipt");
    String before = await(b.get("/candidate/review")).bodyAsString();
    assertTrue(before.contains("id=\"receipt-promise\""), "before: what the receipt will contain");
    assertFalse(before.contains("/candidate/receipt.txt"), "no download before submission");
    assertTrue(before.contains(">Review and submit</a></nav>"));
    String sid = await(b.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    HttpResponse<Buffer> after = await(b.get("/candidate/review"));
    String html = after.bodyAsString();
    assertEquals(200, after.statusCode());
    assertTrue(html.contains("href=\"/candidate/receipt.txt\""), "the receipt download");
    assertTrue(html.contains(sid), "the receipt number");
    assertTrue(html.contains("<h1>Your submission</h1>"));
    assertTrue(html.contains(">Your submission</a></nav>"), "the site nav names the submission");
    assertFalse(html.contains("Review and submit"), "nothing says 'Review and submit' after submission");
    HttpResponse<Buffer> file = await(b.get("/candidate/receipt.txt"));
    assertEquals(200, file.statusCode());
    assertTrue(file.bodyAsString().contains("Receipt number: " + sid));
  }

  @Test
  @DisplayName("the time left enters the ETag in steps: a minute while more than an hour is left, ten seconds in the last hour; none when not shown")
  void timeSteps() {
    assertEquals(ExercisePage.timeStep(7200), ExercisePage.timeStep(7259));
    assertNotEquals(ExercisePage.timeStep(7200), ExercisePage.timeStep(7140));
    assertEquals(ExercisePage.timeStep(600), ExercisePage.timeStep(609));
    assertNotEquals(ExercisePage.timeStep(600), ExercisePage.timeStep(599));
    assertNotEquals(ExercisePage.timeStep(3601), ExercisePage.timeStep(3600));
    assertEquals(-1, ExercisePage.timeStep(-1));
  }

  @Test
  @DisplayName("the page's one statement assembles the text of the exercise shown only; the overview assembles none")
  void assemblesOneAnswer() {
    Created inv = app.invite("Assembly Example", "assembly@example.com");
    Browser b = signIn(inv);
    String other = otherExercise(get(b, null).bodyAsString());
    assertEquals(200, await(b.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "Connection pool ran dry at 14:06.")))).statusCode());
    assertEquals(200, await(b.put("/api/v1/candidate/answers/" + other, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put(firstSection(b, other), "Some words here")))).statusCode());
    // the answers view assembles a text from the section history in an aggregate: once for the page, never for the
    // overview (joined for every exercise, it ran once per answer written, here twice)
    assertEquals(List.of("loops=1"), assemblies(inv.id(), EX));
    List<String> overview = assemblies(inv.id(), null); // planned away, or never executed
    assertTrue(overview.stream().noneMatch(a -> a.startsWith("loops=")), overview.toString());
  }

  private static final Pattern LOOPS = Pattern.compile("loops=\\d+|never executed");

  /** How often the overview's statement ran each aggregate of its plan. */
  private static List<String> assemblies(long invitationId, String exercise) {
    List<String> out = new ArrayList<>();
    for (Row r : app.sql("explain (analyze, costs off, timing off) " + CandidateService.OVERVIEW, invitationId, exercise)) {
      String line = r.getString(0);
      if (line.contains("Aggregate")) {
        Matcher m = LOOPS.matcher(line);
        out.add(m.find() ? m.group() : line);
      }
    }
    return out;
  }

  private static String otherExercise(String html) {
    Matcher m = Pattern.compile("href=\"/candidate/exercises/([a-z0-9-]+)\"").matcher(html);
    while (m.find()) {
      if (!m.group(1).equals(EX)) {
        return m.group(1);
      }
    }
    throw new AssertionError("no other exercise linked");
  }

  private static String firstSection(Browser b, String exercise) {
    return await(b.get("/api/v1/candidate/answers/" + exercise)).bodyAsJsonObject().getJsonObject("sections").fieldNames()
        .iterator().next();
  }

  private static String pseudonym(String html) {
    Matcher m = Pattern.compile("data-scope=\"([^\"]+)\"").matcher(html);
    assertTrue(m.find());
    return m.group(1);
  }
}
