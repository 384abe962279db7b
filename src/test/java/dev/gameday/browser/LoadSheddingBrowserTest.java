package dev.gameday.browser;

import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.web.LoadShedding;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Issue 28: the exercise page rides out a period in which the server sheds autosaves (every slot held by the test,
 * as a storm of other candidates would): it says "Saving delayed" without alarm, keeps the text in the browser,
 * retries after Retry-After, and once the server accepts again the database holds everything typed meanwhile.
 */
class LoadSheddingBrowserTest extends BrowserTest {
  static final String EX = "incident-postmortem";

  String stored(Created inv) {
    return app.one("select sections ->> 'summary' from answers where invitation_id = $1 and exercise_id = $2", inv.id(), EX)
        .map(r -> r.getString(0)).orElse("");
  }

  String status() {
    return driver.findElement(By.id("save-status-text")).getText();
  }

  double shed() {
    return app.app.ops.registry.counter("gameday.autosaves", "outcome", "unavailable", "reason", "overloaded").count();
  }

  @Test
  @DisplayName("saves shed for a while: 'Saving delayed' (not an error), text kept in the browser, everything saved afterwards")
  void ridesOutShedding() {
    Created inv = app.invite("Storm Candidate", "storm@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/" + EX);
    Chromium.await(driver, d -> !status().contains("Loading"));

    LoadShedding shedding = LoadShedding.of(app.app.vertx);
    int held = 0;
    while (shedding.tryAcquire()) {
      held++;
    }
    try {
      WebElement area = driver.findElement(By.id("s-summary"));
      area.click();
      area.sendKeys("Typed while the server is busy.");
      Chromium.await(driver, d -> status().startsWith("Saving delayed"));
      assertTrue(status().contains("your work is kept in this browser"), status());
      String cls = driver.findElement(By.id("save-status")).getAttribute("class");
      assertFalse(cls.contains("error") || cls.contains("warning"), "not shown as an error: " + cls);
      assertFalse((Boolean) js(driver, "var b = document.getElementById('save-retry'); return !!b && !b.hidden;"),
          "no Retry now button: the candidate has nothing to do");
      Chromium.screenshot(driver, "saving-delayed");

      area.sendKeys(" And more while it sheds.");
      double before = shed();
      Chromium.await(driver, d -> shed() >= before + 1); // the page retried after Retry-After and was shed again
      Chromium.await(driver, d -> status().startsWith("Saving delayed"));
      String local = (String) js(driver, "var f = document.getElementById('answer');"
          + " return localStorage.getItem('gameday:' + f.dataset.scope + ':' + f.dataset.exercise);");
      assertTrue(local.contains("Typed while the server is busy. And more while it sheds."), local);
      assertEquals("", stored(inv), "nothing reached the database while every slot was held");
    } finally {
      for (int i = 0; i < held; i++) {
        shedding.release();
      }
    }
    // the storm passes: the next retry (within Retry-After plus jitter) saves everything, in one revision
    Chromium.await(driver, d -> stored(inv).equals("Typed while the server is busy. And more while it sheds."));
    Chromium.await(driver, d -> status().startsWith("Saved"));
    assertEquals(1L, app.one("select rev from answers where invitation_id = $1 and exercise_id = $2", inv.id(), EX)
        .map(r -> r.getLong(0)).orElse(0L), "the shed attempts stored nothing: one accepted save holds it all");
  }
}
