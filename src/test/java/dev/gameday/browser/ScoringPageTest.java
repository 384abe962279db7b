package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.Model.Criterion;
import dev.gameday.support.Browser;
import dev.gameday.support.TestApp;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Issue 9, defect 5: on the scoring page a draft saves in the background and says so, leaving with unsaved levels
 * asks first, and submitting an incomplete review lists every missing criterion at once and moves focus there.
 */
class ScoringPageTest extends BrowserTest {
  static final String EX = "incident-postmortem";

  @Test
  @DisplayName("drafts save in the background, unsaved work is guarded, an incomplete submit lists every missing criterion")
  void scoringPage() {
    Created inv = app.invite("Draft Candidate", "draft-candidate@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + inv.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The answer."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    await(app.app.accounts.add("Draft Reviewer", "draft-reviewer@example.com", TestApp.PASSWORD, "reviewer"));
    driver.get(base + "/login");
    driver.findElement(By.id("email")).sendKeys("draft-reviewer@example.com");
    driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD);
    driver.findElement(By.cssSelector("form button[type='submit']")).click();
    Chromium.await(driver, d -> d.getCurrentUrl().contains("/review"));
    List<Criterion> rubric = app.app.catalog.currentVersions().stream().filter(v -> v.exercise().id().equals(EX))
        .findFirst().orElseThrow().exercise().rubric();

    driver.get(base + "/review/" + sid + "/" + EX);
    WebElement level = driver.findElement(By.cssSelector("input[name='level." + rubric.get(0).id() + "'][value='3']"));
    js(driver, "arguments[0].scrollIntoView({block: 'center'});", level);
    level.click();
    assertEquals(Boolean.TRUE, js(driver, "var e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e);"
        + " return e.defaultPrevented;"), "leaving with an unsaved level asks first");
    Chromium.await(driver, d -> d.findElement(By.id("draft-status")).getText().startsWith("Draft saved"));
    assertEquals(Boolean.FALSE, js(driver, "var e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e);"
        + " return e.defaultPrevented;"), "nothing to guard once saved");
    assertTrue(driver.getCurrentUrl().endsWith("/review/" + sid + "/" + EX), "no reload");
    var stored = app.one("select scores from reviews where submission_id = $1::uuid and exercise_id = $2 and state = 'draft'", sid, EX);
    assertTrue(stored.isPresent(), "the draft is stored");
    assertEquals(3, stored.get().getJsonObject("scores").getJsonObject(rubric.get(0).id()).getInteger("level"));

    WebElement submit = driver.findElement(By.cssSelector("button[value='submit']"));
    js(driver, "arguments[0].scrollIntoView({block: 'center'});", submit);
    // pressed from the keyboard: a mouse click goes to a point on the screen, and once in CI (a fresh clone, the
    // machine loaded) the page stayed as it was for 20 s after it, as if the click had reached another element
    submit.sendKeys(Keys.ENTER);
    WebElement problems = driver.findElement(By.id("review-problems"));
    Chromium.await(driver, d -> problems.isDisplayed());
    String text = problems.getText();
    for (Criterion c : rubric.subList(1, rubric.size())) {
      assertTrue(text.contains(c.title()), "lists " + c.title() + ": " + text);
    }
    assertFalse(text.contains(rubric.get(0).title()), "not the criterion that has a level");
    assertTrue(text.contains("recommendation"), text);
    assertEquals("level." + rubric.get(1).id(), js(driver, "return document.activeElement.name;"), "focus on the first missing");
    assertTrue(app.one("select 1 from reviews where submission_id = $1::uuid and state = 'submitted'", sid).isEmpty(),
        "nothing submitted");
    Chromium.axe(driver, "scoring page with problems listed");
  }
}
