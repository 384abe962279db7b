package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static dev.gameday.browser.Chromium.assertNoHorizontalScroll;
import static dev.gameday.browser.Chromium.axe;
import static dev.gameday.browser.Chromium.js;
import static dev.gameday.browser.Chromium.screenshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The candidate, reviewer and admin journeys in a real browser (Debian's Chromium, headless) against the whole
 * application on the test Postgres, at a laptop size (1366x768) and a phone size (390x844). Every main page is
 * scanned with axe-core (WCAG 2.2 AA: no serious or critical violation) and photographed into target/screenshots/;
 * at phone width and at 1024 px no page may scroll sideways.
 */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
class JourneysTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String EX = "incident-postmortem";
  static final AtomicInteger counter = new AtomicInteger();
  static TestApp app;
  static Vertx vertx;
  static ChromeDriver driver;
  static String base;
  static List<Exercise> exercises;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    base = "http://localhost:" + app.port;
    exercises = app.app.catalog.track("sre-senior").orElseThrow().versions().stream().map(v -> v.exercise()).toList();
    driver = Chromium.start(1366, 768);
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (app != null) {
      app.close();
      await(vertx.close());
    }
  }

  @AfterEach
  void signOut() {
    offline(false);
    for (String h : driver.getWindowHandles().stream().skip(1).toList()) {
      driver.switchTo().window(h).close();
    }
    driver.switchTo().window(driver.getWindowHandles().iterator().next());
    driver.manage().deleteAllCookies();
    driver.get(base + "/rubrics");
    js(driver, "window.localStorage.clear();");
  }

  // ------------------------------------------------------------------ the candidate

  @ParameterizedTest(name = "at {0}x{1}")
  @CsvSource({"1366, 768", "390, 844"})
  @DisplayName("candidate: invitation, evidence, citing, autosave through an outage and two tabs, submit, read-only")
  void candidate(int width, int height) {
    size(width, height);
    String tag = "candidate-" + width;
    Created inv = app.invite("Ada Browser", "ada" + counter.incrementAndGet() + "@example.com");

    // open the invitation: it signs in and leaves the address bar
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    assertFalse(driver.getCurrentUrl().contains(inv.token()));
    page("candidate overview", tag + "-overview", true);

    step("before: read an exercise");
    // read an exercise
    driver.findElement(By.cssSelector("a[href='/candidate/exercises/" + EX + "']")).click();
    Chromium.await(driver, d -> status().matches("(?s).*(Nothing written yet|All changes saved|Saved).*"));
    assertTrue(driver.findElement(By.id("brief-h")).isDisplayed());
    assertTrue(driver.findElement(By.cssSelector(".pane-read .prose")).getText().length() > 100);
    loadEvidence();
    page("candidate exercise", tag + "-exercise", true);

    step("before: a chart");
    // a chart: hover shows a point to cite, a drag zooms in, Reset zoom zooms out
    WebElement chart = driver.findElement(By.cssSelector(".ev-chart .u-over"));
    scrollTo(chart);
    WebElement figure = chart.findElement(By.xpath("ancestor::figure"));
    WebElement citePoint = figure.findElement(By.xpath(".//button[starts-with(normalize-space(), 'Cite point')]"));
    WebElement reset = figure.findElement(By.xpath(".//button[normalize-space()='Reset zoom']"));
    int w = chart.getRect().getWidth();
    new Actions(driver).moveToElement(chart, -w / 4, 0).perform();
    Chromium.await(driver, d -> citePoint.isEnabled() && citePoint.getText().matches("Cite point \\d\\d:\\d\\d.*"));
    String hovered = citePoint.getText();
    new Actions(driver).moveToElement(chart, w / 4, 0).perform();
    Chromium.await(driver, d -> !citePoint.getText().equals(hovered));
    assertFalse(reset.isEnabled(), "not zoomed yet");
    new Actions(driver).moveToElement(chart, -w / 3, 0).clickAndHold().moveByOffset(w / 3, 0).release().perform();
    Chromium.await(driver, d -> reset.isEnabled());
    reset.click();
    Chromium.await(driver, d -> !reset.isEnabled());

    step("before: a log");
    // a log: the text filter narrows the lines and says so
    WebElement log = driver.findElement(By.cssSelector("section.evidence[data-kind='log']"));
    String logName = log.getAttribute("data-name");
    WebElement filter = log.findElement(By.cssSelector("input[type='search']"));
    WebElement count = log.findElement(By.cssSelector(".ev-count"));
    String before = count.getText();
    scrollTo(filter);
    filter.sendKeys("ERROR");
    Chromium.await(driver, d -> count.getText().contains("containing \u201cERROR\u201d"));
    assertNotEquals(before, count.getText());
    List<WebElement> shown = log.findElements(By.cssSelector(".ev-row .ev-text"));
    assertFalse(shown.isEmpty());
    shown.forEach(t -> assertTrue(t.getText().toUpperCase().contains("ERROR"), t.getText()));

    step("before: Cite a line");
    // Cite a line into the answer box used last
    WebElement summary = area("summary");
    scrollTo(summary);
    summary.click();
    WebElement line = log.findElement(By.cssSelector(".ev-row .ev-ln"));
    scrollTo(line);
    String lineNo = line.getAttribute("data-idx");
    line.click();
    String cited = "`" + logName + ":" + (Integer.parseInt(lineNo) + 1) + "`";
    Chromium.await(driver, d -> area("summary").getDomProperty("value").contains(cited));

    step("before: write in two sections");
    // write in two sections; both reach the server
    type("summary", "The registry went down after a release.");
    type("impact", "Pushes failed for forty minutes.");
    waitSaved();
    assertEquals(Map.of("summary", true, "impact", true), Map.of(
        "summary", storedText(inv, "summary").contains("The registry went down after a release."),
        "impact", storedText(inv, "impact").contains("Pushes failed for forty minutes.")));

    step("before: the trail");
    // the investigation trail holds what was done with the evidence: the log opened, filtered for ERROR, a line
    // cited, the chart zoomed (the page sends it in batches every few seconds)
    String logIndex = log.getDomAttribute("data-evidence");
    Chromium.await(driver, d -> {
      List<String> t = trail(inv);
      return t.contains("opened " + logIndex) && t.contains("zoom") && t.stream().anyMatch(e -> e.startsWith("cite " + logIndex + " line "))
          && t.stream().anyMatch(e -> e.startsWith("filter " + logIndex + " text \u201cERROR\u201d"));
    });

    step("before: reload");
    // reload: the text is there
    driver.navigate().refresh();
    Chromium.await(driver, d -> status().contains("Saved"));
    assertTrue(area("summary").getDomProperty("value").contains(cited));
    assertTrue(area("impact").getDomProperty("value").contains("Pushes failed for forty minutes."));

    step("before: the server is lost");
    // the server is lost: typing goes on, the page says it is not saved, then "Saved" once it is back
    offline(true);
    type("impact", " Typed while offline.");
    Chromium.await(driver, d -> status().contains("Not saved to the server yet"));
    type("impact", " And more.");
    assertFalse(storedText(inv, "impact").contains("Typed while offline."));
    offline(false);
    waitSaved();
    Chromium.await(driver, d -> storedText(inv, "impact").contains("Typed while offline. And more."));

    step("before: two tabs edit");
    // two tabs edit the same section: both texts are kept
    String first = driver.getWindowHandle();
    driver.switchTo().newWindow(WindowType.TAB);
    size(width, height);
    driver.get(base + "/candidate/exercises/" + EX);
    Chromium.await(driver, d -> status().contains("Saved"));
    String second = driver.getWindowHandle();
    driver.switchTo().window(first);
    type("timeline", "Tab one: 14:02 release.");
    waitSaved();
    driver.switchTo().window(second);
    type("timeline", "Tab two: 14:10 first alert.");
    Chromium.await(driver, d -> status().contains("another device"));
    Chromium.await(driver, d -> storedText(inv, "timeline").contains("Tab two") && status().contains("Saved"));
    String both = storedText(inv, "timeline");
    assertTrue(both.contains("Tab one: 14:02 release.") && both.contains("Tab two: 14:10 first alert."), both);
    driver.close();
    driver.switchTo().window(first);

    step("before: review and submit");
    // review and submit
    driver.get(base + "/candidate/review");
    page("candidate review", tag + "-review", true);
    assertTrue(driver.getPageSource().contains("Tab one: 14:02 release."));
    assertTrue(driver.findElement(By.cssSelector(".trail")).getText().contains("Your investigation trail"));
    assertTrue(driver.getPageSource().contains("text \u201cERROR\u201d"), "the candidate sees the filter in their trail");
    driver.findElement(By.cssSelector("#submit-form button[type='submit']")).click();
    acceptConfirm();
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate/receipt"));
    String receipt = driver.findElement(By.tagName("main")).getText();
    assertTrue(receipt.contains("Your answers are submitted"), receipt);
    assertTrue(driver.findElement(By.cssSelector("code.hash")).getText().matches("[0-9a-f]{64}"));
    page("candidate receipt", tag + "-receipt", true);

    step("before: every page is read-only");
    // every page is read-only now
    for (Exercise e : exercises) {
      driver.get(base + "/candidate/exercises/" + e.id());
      Chromium.await(driver, d -> status().contains("Read-only") || status().contains("Submitted"));
      assertTrue(driver.findElement(By.cssSelector(".notice.success")).getText().contains("this page is read-only"));
      List<WebElement> areas = driver.findElements(By.cssSelector("#answer textarea"));
      assertFalse(areas.isEmpty());
      areas.forEach(a -> assertTrue(a.getDomAttribute("readonly") != null, e.id() + " " + a.getDomAttribute("name")));
      if (e.id().equals(EX)) {
        loadEvidence();
        page("candidate exercise, submitted", tag + "-exercise-submitted", true);
      }
    }
    driver.get(base + "/candidate/review");
    assertTrue(driver.findElements(By.id("submit-form")).isEmpty(), "no submit button after submitting");
    // The overview's own wording ("Submitted" instead of "in progress") is defect 6 of issue 9, asserted by its
    // own test; here: the overview knows about the submission and links the receipt.
    driver.get(base + "/candidate");
    assertTrue(driver.findElement(By.cssSelector("main")).getText().contains("You submitted your answers"));
    assertTrue(driver.findElements(By.cssSelector("main a[href='/candidate/receipt']")).size() > 0);
    page("candidate overview, submitted", tag + "-overview-submitted", false);
  }

  // ------------------------------------------------------------------ the reviewer

  @ParameterizedTest(name = "at {0}x{1}")
  @CsvSource({"1366, 768", "390, 844"})
  @DisplayName("reviewer: sign in, queue, score every criterion by keyboard, draft, submit, others' scores, next item")
  void reviewer(int width, int height) {
    size(width, height);
    String tag = "reviewer-" + width;
    String sid = submission();
    String other = account("reviewer", "Olga Other");
    Browser otherB = signIn(other);
    HttpResponse<Buffer> r = await(otherB.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
        new JsonObject().put("scores", scores(EX, 2)).put("recommendation", "no")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String me = account("reviewer", "Rita Keyboard");

    driver.get(base + "/login");
    page("sign-in", tag + "-login", true);
    driver.findElement(By.id("email")).sendKeys(me);
    driver.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/review"));

    driver.get(base + "/review?status=all");
    page("review queue", tag + "-queue", true);
    driver.findElement(By.cssSelector("a[href='/review/" + sid + "/" + EX + "']")).click();
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/review/" + sid + "/" + EX));
    loadEvidence();
    page("scoring page", tag + "-scoring", true);

    step("before: every criterion by keyboard");
    // every criterion by keyboard only: Tab into each radio group, Space picks level 1, two arrows make it 3
    List<Criterion> rubric = rubric(EX);
    // start where a keyboard user lands after skipping the evidence (clicking text sets where Tab starts from)
    WebElement rubricHeading = driver.findElement(By.xpath("//h2[normalize-space()='Rubric']"));
    scrollTo(rubricHeading);
    rubricHeading.click();
    tabTo("input[type='radio'][name='level." + rubric.get(0).id() + "']");
    for (Criterion c : rubric) {
      assertEquals("level." + c.id(), js(driver, "return document.activeElement.name;"));
      keys(Keys.SPACE, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.TAB);
      assertEquals("note-" + c.id(), js(driver, "return document.activeElement.id;"));
      keys("Level 3 for " + c.title() + ".");
      keys(Keys.TAB);
    }
    assertEquals("recommendation", js(driver, "return document.activeElement.name;"));
    keys(Keys.SPACE, Keys.ARROW_DOWN, Keys.ARROW_DOWN);
    tabTo("button[value='save']");
    keys(Keys.ENTER);
    Chromium.await(driver, d -> d.getCurrentUrl().contains("saved=1") || d.getPageSource().contains("Draft saved"));

    step("before: the draft is found");
    // the draft is found again
    driver.get(base + "/review/" + sid + "/" + EX);
    for (Criterion c : rubric) {
      assertTrue(driver.findElement(By.cssSelector("input[name='level." + c.id() + "'][value='3']")).isSelected(), c.id());
      assertEquals("Level 3 for " + c.title() + ".", driver.findElement(By.id("note-" + c.id())).getDomProperty("value"));
    }
    assertTrue(driver.findElement(By.cssSelector("input[name='recommendation'][value='yes']")).isSelected());
    assertTrue(driver.findElements(By.cssSelector("ul.others")).isEmpty(), "others' scores stay hidden before submitting");

    step("before: submit");
    // submit: the other reviewer's scores appear
    WebElement again = driver.findElement(By.xpath("//h2[normalize-space()='Rubric']"));
    scrollTo(again);
    again.click();
    String itemUrl = driver.getCurrentUrl();
    tabTo("button[value='submit']");
    keys(Keys.ENTER);
    acceptConfirm(); // "Submit this review? It is final" (issue 21, defect 5)
    // then on to the next answer of the queue (issue 21); the scored item shows the others' scores
    Chromium.await(driver, d -> !d.getCurrentUrl().equals(itemUrl));
    assertTrue(mainText().contains("Your review is submitted"), mainText());
    driver.get(itemUrl);
    Chromium.await(driver, d -> !d.findElements(By.cssSelector("ul.others")).isEmpty());
    for (Criterion c : rubric) {
      WebElement set = driver.findElement(By.id("note-" + c.id())).findElement(By.xpath("ancestor::fieldset"));
      WebElement li = set.findElement(By.cssSelector("ul.others li"));
      assertTrue(li.getText().contains("Olga Other"), li.getText());
      assertEquals("2", li.findElement(By.tagName("strong")).getText(), c.id());
    }
    assertTrue(driver.findElements(By.cssSelector("input[type='radio']:not([disabled])")).isEmpty(), "final after submit");
    page("scoring page, submitted", tag + "-scored", true);

    driver.get(base + "/review/" + sid);
    page("submission page", tag + "-submission", true);

    step("before: the next item");
    // the next item
    driver.get(base + "/review");
    driver.findElement(By.cssSelector("a[href^='/review/next']")).click();
    Chromium.await(driver, d -> d.getCurrentUrl().matches(".*/review/[^/]+/[^/?]+$"));
    assertFalse(driver.getCurrentUrl().endsWith("/review/" + sid + "/" + EX), driver.getCurrentUrl());
    assertFalse(driver.findElements(By.cssSelector("input[type='radio']:not([disabled])")).isEmpty());
    loadEvidence();
    if (width < 1024) {
      assertNoHorizontalScroll(driver, "next scoring page");
    }
  }

  // ------------------------------------------------------------------ the admin

  @ParameterizedTest(name = "at {0}x{1}")
  @CsvSource({"1366, 768", "390, 844"})
  @DisplayName("admin: decide a submission, export CSV, reveal the identity")
  void admin(int width, int height) {
    size(width, height);
    String tag = "admin-" + width;
    String name = "Grace Revealed " + counter.incrementAndGet();
    String email = "grace" + counter.get() + "@example.com";
    String sid = submission(name, email);
    for (int k = 0; k < 2; k++) {
      Browser rb = signIn(account("reviewer", "Reviewer " + k));
      for (Exercise e : exercises) {
        HttpResponse<Buffer> r = await(rb.post("/api/v1/review/submissions/" + sid + "/exercises/" + e.id() + "/review/submit",
            new JsonObject().put("scores", scores(e.id(), 3)).put("recommendation", "yes")));
        assertEquals(200, r.statusCode(), r.bodyAsString());
      }
    }
    String admin = account("admin", "Ann Admin");
    driver.get(base + "/login");
    driver.findElement(By.id("email")).sendKeys(admin);
    driver.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/review"));

    driver.get(base + "/review/" + sid);
    page("decision page", tag + "-decision", true);
    String pseudonym = driver.findElement(By.tagName("h1")).getText();
    driver.findElement(By.cssSelector("input[name='decision'][value='advance']")).click();
    driver.findElement(By.id("rationale")).sendKeys("Strong analysis in every exercise.");
    driver.findElement(By.xpath("//button[normalize-space()='Record decision']")).click();
    acceptConfirm();
    Chromium.await(driver, d -> mainText().contains("Strong analysis in every exercise."));
    assertTrue(driver.findElement(By.tagName("main")).getText().contains("advance"));
    assertFalse(driver.getPageSource().contains(name), "identity hidden until revealed");

    step("before: the export");
    // the export (the address; a button for it is defect 4 of issue 9)
    String csv = (String) driver.executeAsyncScript("var done = arguments[0];"
        + "fetch('/api/v1/admin/export.csv', {credentials: 'same-origin'}).then(function (r) { return r.text(); }).then(done, function (e) { done('ERROR ' + e); });");
    String header = csv.lines().findFirst().orElse("");
    assertTrue(header.contains("pseudonym") && header.contains("name") && header.contains("email"), header);
    String row = csv.lines().filter(l -> l.contains(pseudonym)).findFirst().orElse("");
    assertTrue(row.contains("advance") && row.contains(email), csv);

    step("before: reveal the identity");
    // reveal the identity
    WebElement reveal = driver.findElement(By.xpath("//a[starts-with(normalize-space(), 'Reveal')]"));
    assertTrue(reveal.getAttribute("href").endsWith("/review/" + sid + "?reveal=confirm"), reveal.getAttribute("href"));
    driver.get(reveal.getAttribute("href"));
    // the confirmation step is a page of its own (a GET); the admin's export above has already revealed the identity
    // (each filled row is an identity.revealed entry), so the page may show it at once instead of asking
    List<WebElement> yes = driver.findElements(By.xpath("//button[normalize-space()='Yes, reveal the identity']"));
    if (!yes.isEmpty()) {
      yes.get(0).click();
    }
    Chromium.await(driver, d -> mainText().contains(name));
    assertTrue(driver.findElement(By.tagName("main")).getText().contains(email));
    page("decision page, revealed", tag + "-revealed", false);
    driver.get(base + "/admin/audit");
    page("audit log", tag + "-audit", false);
    driver.get(base + "/admin/accounts");
    page("accounts", tag + "-accounts", false);
  }

  // ------------------------------------------------------------------ no page scrolls sideways at 1024 px

  @ParameterizedTest(name = "at {0} px")
  @CsvSource({"1024", "390"})
  @DisplayName("no candidate or reviewer page scrolls sideways, with every evidence viewer loaded")
  void noSidewaysScroll(int width) {
    size(width, 768);
    Created inv = app.invite("Wide Check", "wide" + counter.incrementAndGet() + "@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    assertNoHorizontalScroll(driver, "candidate overview");
    for (Exercise e : exercises) {
      driver.get(base + "/candidate/exercises/" + e.id());
      loadEvidence();
      assertNoHorizontalScroll(driver, "candidate exercise " + e.id());
    }
    driver.get(base + "/candidate/review");
    assertNoHorizontalScroll(driver, "candidate review");

    driver.manage().deleteAllCookies();
    String sid = submission();
    String me = account("reviewer", "Wendy Wide");
    driver.get(base + "/login");
    assertNoHorizontalScroll(driver, "sign-in");
    driver.findElement(By.id("email")).sendKeys(me);
    driver.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/review"));
    assertNoHorizontalScroll(driver, "review queue");
    driver.get(base + "/review/" + sid);
    assertNoHorizontalScroll(driver, "submission page");
    for (Exercise e : exercises) {
      driver.get(base + "/review/" + sid + "/" + e.id());
      loadEvidence();
      assertNoHorizontalScroll(driver, "scoring page " + e.id());
    }
    // pages the journeys do not pass through: scanned here too
    driver.get(base + "/review/calibration");
    assertNoHorizontalScroll(driver, "calibration");
    axe(driver, "calibration at " + width + " px");
    driver.findElement(By.cssSelector("main a[href^='/review/calibration/']")).click();
    Chromium.await(driver, d -> d.getCurrentUrl().matches(".*/review/calibration/[^/]+/[^/]+$"));
    assertNoHorizontalScroll(driver, "calibration answer");
    axe(driver, "calibration answer at " + width + " px");
    driver.get(base + "/rubrics/" + EX);
    assertNoHorizontalScroll(driver, "rubric");
    axe(driver, "rubric at " + width + " px");
  }

  // ------------------------------------------------------------------ helpers

  static long t0 = System.nanoTime();

  /** Logs the time since the previous step (in the test's output file), to see where a journey spends its time. */
  /** The invitation's trail events as "kind evidence detail" (zoom events as "zoom" alone, their range varies). */
  static List<String> trail(Created inv) {
    List<String> out = new java.util.ArrayList<>();
    app.sql("select kind, evidence, detail from trail_events where invitation_id = $1 order by at, id", inv.id())
        .forEach(r -> out.add("zoom".equals(r.getString("kind")) ? "zoom"
            : (r.getString("kind") + " " + r.getInteger("evidence") + " " + r.getString("detail")).strip()));
    return out;
  }

  static void step(String what) {
    long now = System.nanoTime();
    System.out.printf("%6d ms  %s%n", (now - t0) / 1_000_000, what);
    t0 = now;
  }

  static void size(int width, int height) {
    Chromium.viewport(driver, width, height);
  }

  /** Scans, photographs and (at phone width) checks for sideways scroll. */
  static void page(String name, String file, boolean scan) {
    Chromium.await(driver, d -> "complete".equals(js(d, "return document.readyState;")));
    axe(driver, name + " at " + Chromium.size(driver).getWidth() + " px");
    screenshot(driver, file);
    if (Chromium.size(driver).getWidth() < 1024) {
      assertNoHorizontalScroll(driver, name);
    }
  }

  /** Brings every evidence viewer near the viewport so that it loads, and waits until all have loaded. */
  static void loadEvidence() {
    int n = driver.findElements(By.cssSelector("section.evidence[data-kind]")).size();
    for (int i = 0; i < n; i++) {
      js(driver, "document.querySelectorAll('section.evidence[data-kind]')[arguments[0]].scrollIntoView({block: 'center'});", i);
      int k = i;
      Chromium.await(driver, d -> (Boolean) js(d, "var s = document.querySelectorAll('section.evidence[data-kind]')[arguments[0]];"
          + " return !!s.querySelector('.ev-viewer, .ev-error') && !s.querySelector('[aria-busy]');", k));
    }
    js(driver, "window.scrollTo(0, 0); document.querySelectorAll('.pane').forEach(function (p) { p.scrollTop = 0; });");
  }

  static void scrollTo(WebElement e) {
    js(driver, "arguments[0].scrollIntoView({block: 'center'});", e);
  }

  static String status() {
    try {
      return driver.findElement(By.id("save-status")).getText();
    } catch (StaleElementReferenceException e) {
      return "";
    }
  }

  /** The text of the page's main element, "" while the page is being replaced. */
  static String mainText() {
    try {
      return driver.findElement(By.tagName("main")).getText();
    } catch (org.openqa.selenium.WebDriverException e) { // stale, missing, or "does not belong to the document" mid-navigation
      return "";
    }
  }

  static void waitSaved() {
    Chromium.await(driver, d -> status().startsWith("Saved") || status().contains(" Saved "));
  }

  static WebElement area(String section) {
    return driver.findElement(By.id("s-" + section));
  }

  static void type(String section, String text) {
    WebElement a = area(section);
    scrollTo(a);
    a.click();
    a.sendKeys(Keys.END, text);
  }

  static void keys(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  /** Presses Tab until the focus is on an element matching the selector (as a keyboard user would). */
  static void tabTo(String selector) {
    for (int i = 0; i < 600; i++) {
      if ((Boolean) js(driver, "return document.activeElement.matches(arguments[0]);", selector)) {
        return;
      }
      keys(Keys.TAB);
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  static void acceptConfirm() {
    try {
      Alert a = driver.switchTo().alert();
      a.accept();
    } catch (NoAlertPresentException e) {
      // no confirmation asked
    }
  }

  /** Cuts the page off from the server (Chrome's network emulation) or reconnects it. */
  static void offline(boolean off) {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", off, "latency", 0,
        "downloadThroughput", -1, "uploadThroughput", -1));
  }

  static String storedText(Created inv, String section) {
    return app.one("select sections ->> $2 from answers where invitation_id = $1 and exercise_id = $3", inv.id(), section, EX)
        .map(r -> r.getString(0)).orElse("");
  }

  static List<Criterion> rubric(String exercise) {
    return exercises.stream().filter(e -> e.id().equals(exercise)).findFirst().orElseThrow().rubric();
  }

  static JsonObject scores(String exercise, int level) {
    JsonObject s = new JsonObject();
    rubric(exercise).forEach(c -> s.put(c.id(), new JsonObject().put("level", level).put("note", "level " + level)));
    return s;
  }

  static String account(String role, String name) {
    String email = role + counter.incrementAndGet() + "@example.com";
    await(app.app.accounts.add(name, email, PASSWORD, role));
    return email;
  }

  static Browser signIn(String email) {
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    HttpResponse<Buffer> r = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertEquals(303, r.statusCode(), r.bodyAsString());
    return b;
  }

  static String submission() {
    return submission("Sam Submitted", "sam" + counter.incrementAndGet() + "@example.com");
  }

  /** A candidate who answers every exercise and submits; returns the submission id. */
  static String submission(String name, String email) {
    Created c = app.invite(name, email);
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    for (Exercise e : exercises) {
      JsonObject sections = new JsonObject();
      e.sections().forEach(s -> sections.put(s.id(), "Answer to " + s.title() + ": the pool was exhausted at **14:05**."));
      HttpResponse<Buffer> r = await(cand.put("/api/v1/candidate/answers/" + e.id(), new JsonObject().put("rev", 1).put("sections", sections)));
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }
}
