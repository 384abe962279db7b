package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Level;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Feedback to candidates (issue 24, item 7) in a real browser: nothing before release; the recruiter releases it from
 * the candidate's page after the decision; the candidate then reads descriptors and comments, at 1366x768 and 390x844.
 */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
class FeedbackBrowserTest {
  static final String EX = "incident-postmortem";
  static final String COMMENT = "Lead with the customer impact, then the timeline.";
  static TestApp app;
  static Vertx vertx;
  static ChromeDriver driver;
  static ChromeDriver staff;
  static String base;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    base = "http://localhost:" + app.port;
    driver = Chromium.start(1366, 768);
    staff = Chromium.start(1366, 768);
  }

  @AfterAll
  static void stop() throws Exception {
    for (ChromeDriver d : new ChromeDriver[] {driver, staff}) {
      if (d != null) {
        d.quit();
      }
    }
    if (app != null) {
      app.close();
      await(vertx.close());
    }
  }

  /** The page's main text, read in one script call: a page replaced in between (after a POST's redirect) cannot leave a stale element. */
  static String main(ChromeDriver d) {
    Object text = d.executeScript("var m = document.querySelector('main'); return m ? m.innerText : '';");
    return text == null ? "" : text.toString();
  }

  @Test
  @DisplayName("the candidate sees nothing before release and the released feedback after the decision, at 1366 and 390 px, axe clean")
  void feedbackAfterRelease() {
    Exercise ex = app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise();
    Created inv = app.invite("Fay Feedback", "fay@example.com");
    ComplianceBrowserTest.app = app;
    ComplianceBrowserTest.driver = driver;
    ComplianceBrowserTest.base = base;
    try {
      ComplianceBrowserTest.submitInBrowser(inv);
    } finally {
      ComplianceBrowserTest.app = null;
      ComplianceBrowserTest.driver = null;
      ComplianceBrowserTest.base = null;
    }
    String sid = app.one("select id::text as id from submissions where invitation_id = $1", inv.id()).orElseThrow().getString("id");

    // from the receipt, the link to feedback: not available yet
    driver.findElement(By.linkText("Feedback on your answers")).click();
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate/feedback"));
    assertTrue(main(driver).contains("not available"), main(driver));
    Chromium.axe(driver, "candidate feedback, not released");

    // two reviews, one with a comment for the candidate, and a decision
    for (int i = 0; i < 2; i++) {
      Browser reviewer = app.signIn(vertx, app.account("reviewer"));
      JsonObject scores = new JsonObject();
      for (Criterion c : ex.rubric()) {
        scores.put(c.id(), new JsonObject().put("level", 3).put("note", "seen"));
      }
      JsonObject body = new JsonObject().put("scores", scores).put("recommendation", "yes");
      if (i == 0) {
        body.put("for_candidate", COMMENT);
      }
      assertEquals(200, await(reviewer.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit", body)).statusCode());
    }
    Browser admin = app.signIn(vertx, app.account("admin"));
    assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject()
        .put("decision", "advance").put("rationale", "Clear.").put("confirmIncomplete", true))).statusCode());
    driver.navigate().refresh();
    assertTrue(main(driver).contains("not available"), "decided but not released: still nothing");
    assertFalse(main(driver).contains(COMMENT));

    // the recruiter releases it from the candidate's page
    ComplianceBrowserTest.base = base;
    try {
      ComplianceBrowserTest.signIn(staff, app.account("recruiter"));
    } finally {
      ComplianceBrowserTest.base = null;
    }
    staff.get(base + "/candidates/" + inv.id());
    staff.findElement(By.cssSelector("form[action$='/release-feedback'] input[name='confirm']")).click();
    staff.findElement(By.xpath("//button[normalize-space()='Release feedback']")).click();
    Chromium.await(staff, d -> main(staff).contains("Feedback is released"));

    Level three = ex.rubric().get(0).levels().stream().filter(l -> l.score() == 3).findFirst().orElseThrow();
    for (int[] size : new int[][] {{1366, 768}, {390, 844}}) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/candidate/feedback");
      String text = main(driver);
      assertTrue(text.contains(COMMENT), text);
      assertTrue(text.contains(three.descriptor()), text);
      assertFalse(text.contains(three.anchor()), "no anchor");
      assertTrue(driver.findElement(By.linkText("Download your answers and this feedback")).isDisplayed());
      Chromium.assertNoHorizontalScroll(driver, "candidate feedback");
      Chromium.axe(driver, "candidate feedback at " + size[0]);
      Chromium.screenshot(driver, "candidate-feedback-" + size[0]);
    }
    Chromium.viewport(driver, 1366, 768);
  }
}
