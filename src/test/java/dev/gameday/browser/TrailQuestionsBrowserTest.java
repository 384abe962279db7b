package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.AiAssistance;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.support.Browser;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Issue 25's pages in a real browser, at 1366 and 390 px, keyboard only, axe clean: the start page with the disclosure
 * and the track's AI rule, the exercise page's "AI assistance" section (typed and saved by keyboard), and the
 * reviewer's item page with its questions for the interview after the review is submitted.
 */
class TrailQuestionsBrowserTest extends BrowserTest {
  static final String EX = "incident-postmortem";
  static final int[][] SIZES = {{1366, 768}, {390, 844}};

  static WebElement tabTo(String selector) {
    for (int i = 0; i < 300; i++) {
      new Actions(driver).sendKeys(Keys.TAB).perform();
      if (Boolean.TRUE.equals(Chromium.js(driver, "return document.activeElement && document.activeElement.matches(arguments[0]);", selector))) {
        return driver.switchTo().activeElement();
      }
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  static String main() {
    Object text = driver.executeScript("var m = document.querySelector('main'); return m ? m.innerText : '';");
    return text == null ? "" : text.toString();
  }

  @Test
  @DisplayName("start page: the disclosure before the exercises and the AI rule; exercise page: the AI section typed into and saved by keyboard")
  void candidatePages() {
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      Created inv = app.invite("Cleo " + size[0], "cleo" + size[0] + "@example.com");
      driver.manage().deleteAllCookies();
      driver.get(base + "/i/" + inv.token());
      Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
      String text = main();
      assertTrue(text.contains("What we do not record"), text);
      assertTrue(text.indexOf("What we record") < text.indexOf("The exercises"), "the disclosure comes first");
      assertTrue(driver.findElement(By.cssSelector(".ai-rule[data-rule='declared']")).isDisplayed());
      Chromium.assertNoHorizontalScroll(driver, "start page at " + size[0]);
      Chromium.axe(driver, "start page at " + size[0]);
      Chromium.screenshot(driver, "start-disclosure-" + size[0]);

      // keyboard only: from the start page to the exercise, then into the AI section
      tabTo("a[href='/candidate/exercises/" + EX + "']").sendKeys(Keys.ENTER);
      Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate/exercises/" + EX));
      Chromium.await(driver, d -> main().contains("Saved") || main().contains("Nothing saved yet") || !main().contains("Loading your saved answer"));
      WebElement area = tabTo("#s-" + AiAssistance.SECTION_ID);
      String typed = "Prompt " + size[0] + ": list the errors in registry-api.log";
      area.sendKeys(typed);
      Chromium.await(driver, d -> app.one("select 1 from answers where invitation_id = $1 and sections ->> $2 = $3",
          inv.id(), AiAssistance.SECTION_ID, typed).isPresent());
      assertTrue(driver.findElement(By.cssSelector("label[for='s-" + AiAssistance.SECTION_ID + "']")).isDisplayed());
      Chromium.assertNoHorizontalScroll(driver, "exercise page at " + size[0]);
      Chromium.axe(driver, "exercise page with the AI section at " + size[0]);
      Chromium.screenshot(driver, "exercise-ai-section-" + size[0]);
    }
    Chromium.viewport(driver, 1366, 768);
  }

  @Test
  @DisplayName("reviewer item page: no questions while scoring; after submitting, the paste question with its basis, reachable by keyboard")
  void reviewerQuestions() {
    Exercise ex = app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise();
    Created inv = app.invite("Pat Paste", "pat@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + inv.token()));
    String pasted = "First lines. " + "A block written somewhere else entirely. ".repeat(30);
    assertEquals(200, await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", pasted)))).statusCode());
    app.sql("delete from answer_section_history where invitation_id = $1", inv.id());
    OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(20);
    app.sql("insert into answer_section_history (invitation_id, exercise_id, section_id, rev, text, started_at, saved_at) "
        + "values ($1, $2, 'summary', 1, 'First lines. ', $3, $3), ($1, $2, 'summary', 2, $4, $5, $5)",
        inv.id(), EX, t, pasted, t.plusMinutes(8));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");

    String email = app.account("reviewer");
    signInByForm(email);
    driver.get(base + "/review/" + sid + "/" + EX);
    assertTrue(driver.findElements(By.id("questions-h")).isEmpty(), "no questions before the review is submitted");

    Browser api = app.signIn(vertx, email);
    JsonObject scores = new JsonObject();
    for (Criterion c : ex.rubric()) {
      scores.put(c.id(), new JsonObject().put("level", 2).put("note", "read"));
    }
    assertEquals(200, await(api.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit",
        new JsonObject().put("scores", scores).put("recommendation", "no"))).statusCode());
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/review/" + sid + "/" + EX);
      WebElement section = driver.findElement(By.cssSelector(".trail-questions"));
      assertTrue(section.isDisplayed());
      String text = section.getText();
      assertTrue(text.contains("Questions for the interview") && text.contains("that arrived in a single save at"), text);
      // keyboard: Tab moves past the questions to the aggregate table that follows them (nothing traps the focus)
      tabTo(".table-scroll[aria-label='Aggregate']");
      Chromium.assertNoHorizontalScroll(driver, "reviewer item at " + size[0]);
      Chromium.axe(driver, "reviewer item with questions at " + size[0]);
      Chromium.screenshot(driver, "review-questions-" + size[0]);
    }
    Chromium.viewport(driver, 1366, 768);
  }
}
