package dev.gameday.browser;

import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 defect 4 (2.2.1), its first part: the exercise page shows the working time left, computed by the server
 * (so it survives reloads), and warns in a live region at 10 and at 2 minutes left.
 */
class TimeLeftTest extends BrowserTest {
  String text(String id) {
    return (String) js(driver, "var e = document.getElementById(arguments[0]); return e ? e.textContent : '';", id);
  }

  @Test
  @DisplayName("defect 4: time left shown from the server's clock; live warnings at 10 and 2 minutes left")
  void timeLeftAndWarnings() {
    driver.manage().deleteAllCookies();
    Created inv = app.invite("Timed Candidate", "timed@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    // the assessment closes in 2 minutes and 20 seconds (the server's now, not the browser's)
    app.sql("update invitations set closes_at = now() + interval '140 seconds', deadline = now() + interval '140 seconds' where id = $1", inv.id());
    driver.get(base + "/candidate/exercises/incident-postmortem");
    Chromium.await(driver, d -> text("time-left").matches("(?s).*\\b(2|3) min.*left.*"));
    // less than 10 minutes on opening: said at once; then crossing 2 minutes: said again
    Chromium.await(driver, d -> text("time-warning").contains("10 minutes"));
    new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(60))
        .until(d -> text("time-warning").contains("2 minutes"));
    assertTrue((Boolean) js(driver, "return document.getElementById('time-warning').getAttribute('role') === 'alert'"
        + " || document.getElementById('time-warning').getAttribute('role') === 'status';"), "a live region");
    // a reload keeps the count: it comes from the server again
    driver.navigate().refresh();
    Chromium.await(driver, d -> text("time-left").matches("(?s).*\\b(1|2) min.*left.*"));
    Chromium.axe(driver, "exercise page with 2 minutes left");
  }

  @Test
  @DisplayName("defect 4: \"Ask for more time\" works from the keyboard alone and says so in a live region")
  void askForMoreTimeByKeyboard() {
    driver.manage().deleteAllCookies();
    Created inv = app.invite("Keyboard Asker", "keyboard.asker@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/incident-postmortem");
    org.openqa.selenium.WebElement reason = driver.findElement(org.openqa.selenium.By.id("more-time-reason"));
    reason.sendKeys("Screen magnifier");
    // from the reason, Tab reaches the button; Enter sends the form
    reason.sendKeys(org.openqa.selenium.Keys.TAB);
    assertTrue((Boolean) js(driver, "var a = document.activeElement; return a.tagName === 'BUTTON' && a.textContent.trim() === 'Ask for more time';"),
        "Tab from the reason reaches the button");
    driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
    Chromium.await(driver, d -> d.getPageSource().contains("Your request for more time was sent"));
    assertTrue((Boolean) js(driver, "var n = document.querySelector('.more-time [role=status]'); return !!n && n.textContent.indexOf('was sent') >= 0;"),
        "the result is in a live region");
    assertTrue(app.one("select time_requested_at is not null as open from invitations where id = $1", inv.id()).orElseThrow().getBoolean("open"));
    Chromium.axe(driver, "exercise page after asking for more time");
  }
}
