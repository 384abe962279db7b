package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.TestApp;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Batch actions on /candidates (issue 21), by keyboard only, at 1366x768 and on a 390x844 phone: Tab to "Select all
 * on this page", Space, Tab to the days and the Extend button, Enter; the confirmation lists the candidates; Tab to
 * "Yes", Enter; the list shows each candidate's result. axe-core finds no serious problem on either page, and
 * neither scrolls sideways.
 */
class BatchActionsBrowserTest extends BrowserTest {
  static final int[][] SIZES = {{1366, 768}, {390, 844}};

  @BeforeAll
  static void signIn() {
    String recruiter = app.account("recruiter");
    Chromium.viewport(driver, 1366, 768);
    driver.get(base + "/login");
    driver.findElement(By.id("email")).sendKeys(recruiter);
    driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> !d.getCurrentUrl().contains("/login"));
  }

  @Test
  @DisplayName("select all on the page, extend by 3 days, confirm, read the result: keyboard only, at 1366 and 390 px, axe clean")
  void extendByKeyboard() {
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      String tag = "Kbd" + size[0];
      app.invite(tag + " Ada", tag.toLowerCase() + "ada@example.com");
      app.invite(tag + " Ben", tag.toLowerCase() + "ben@example.com");
      Created done = app.invite(tag + " Cyd", tag.toLowerCase() + "cyd@example.com");
      Browser cand = new Browser(vertx, app.port);
      await(cand.get("/i/" + done.token()));
      await(cand.put("/api/v1/candidate/answers/incident-postmortem", new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put("summary", "An answer."))));
      assertEquals(200, await(cand.post("/api/v1/candidate/submit", null)).statusCode());

      driver.get(base + "/candidates?q=" + tag);
      Chromium.axe(driver, "/candidates with checkboxes at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/candidates");
      assertEquals(List.of("Select " + tag + " Ada", "Select " + tag + " Ben", "Select " + tag + " Cyd"),
          js(driver, "return Array.from(document.querySelectorAll('#batch input.select-one')).map(function (c) {"
              + " return c.getAttribute('aria-label'); }).sort();"));
      js(driver, "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
      tabTo("#select-page");
      press(Keys.SPACE);
      assertEquals(3L, js(driver, "return document.querySelectorAll('#batch input.select-one:checked').length;"));
      WebElement days = tabTo("#b-days");
      days.sendKeys(Keys.chord(Keys.CONTROL, "a"), "3");
      tabTo("button[name=action][value=extend]");
      press(Keys.ENTER);

      Chromium.await(driver, d -> d.getCurrentUrl().contains("/candidates/batch"));
      Chromium.axe(driver, "batch confirmation at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/candidates/batch");
      String confirm = driver.findElement(By.tagName("main")).getText();
      assertTrue(confirm.contains("Extend the deadline of 3 candidates by 3 days?"), confirm);
      assertTrue(confirm.contains("already submitted"), confirm);
      Chromium.screenshot(driver, "issue21-batch-confirm-" + size[0]);
      tabTo("form.batch-confirm button[type=submit]");
      press(Keys.ENTER);

      Chromium.await(driver, d -> d.getCurrentUrl().contains("#batch-result"));
      String result = driver.findElement(By.id("batch-result")).getText();
      assertTrue(result.contains("Extended the deadline of 2 candidates by 3 days; skipped 1, as listed."), result);
      assertTrue(result.contains("This invitation is submitted; it cannot be extended."), result);
      Chromium.axe(driver, "/candidates with a batch result at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/candidates with a batch result");
      Chromium.screenshot(driver, "issue21-batch-result-" + size[0]);
      assertEquals(2L, app.one("select count(*) as n from audit_log where action = 'candidate.extended' and detail->>'days' = '3'"
          + " and subject in (select 'invitation:' || id from invitations where candidate_name like $1)", tag + " %").orElseThrow().getLong("n"));
    }
    Chromium.viewport(driver, 1366, 768);
  }

  @Test
  @DisplayName("a new link shown after a batch resend: selectable text, and a Copy button that copies it and says Copied in a live region")
  void copyLink() {
    app.invite("Copy Dee", "copydee@example.com");
    driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", base,
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    driver.get(base + "/candidates?q=Copy+Dee");
    driver.findElement(By.cssSelector("#batch input.select-one")).click();
    driver.findElement(By.cssSelector("button[name=action][value=resend]")).click();
    Chromium.await(driver, d -> d.getCurrentUrl().contains("/candidates/batch"));
    driver.findElement(By.cssSelector("form.batch-confirm button[type=submit]")).click();
    WebElement copy = Chromium.await(driver, d -> d.findElement(By.cssSelector("#batch-result button.copy")));
    String link = driver.findElement(By.cssSelector("#batch-result code.link-text")).getText();
    assertTrue(link.contains("/i/"), link);
    assertTrue(copy.isDisplayed());
    copy.click();
    Chromium.await(driver, d -> copy.getText().equals("Copied"));
    Chromium.await(driver, d -> "Copied the link of Copy Dee".equals(js(driver,
        "var s = document.getElementById('copy-status'); return s && s.getAttribute('role') === 'status' && s.textContent;")));
    Object pasted = driver.executeAsyncScript("var done = arguments[0]; navigator.clipboard.readText().then(done, function (e) { done('ERROR ' + e); });");
    assertEquals(link, pasted);
  }
}
