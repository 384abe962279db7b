package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Reviewer qualification in a real browser, with the library as shipped (sre-senior requires it): a reviewer who has
 * not calibrated reads on the scoring page, before submitting, that the review will be practice, follows the link to
 * the calibration page by keyboard alone and reads what is left; an admin reads every reviewer's standing. At 1366
 * and 390 px, axe clean, no sideways scroll; the queue says which tracks' reviews are practice.
 */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
class QualificationBrowserTest {
  static final int[][] SIZES = {{1366, 768}, {390, 844}};
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static ChromeDriver driver;
  static String base;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db, Path.of("exercises"));
    vertx = Vertx.vertx();
    base = "http://localhost:" + app.port;
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

  static void signIn(String email) {
    driver.manage().deleteAllCookies();
    driver.get(base + "/login");
    driver.findElement(By.id("email")).sendKeys(email);
    driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> !d.getCurrentUrl().contains("/login"));
  }

  static String submitted(String tag) {
    var c = app.invite(tag + " Candidate", tag.toLowerCase() + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool was exhausted after the release."))));
    return await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  static String main() {
    return (String) js(driver, "return document.querySelector('main').innerText;");
  }

  @Test
  @DisplayName("an uncalibrated reviewer is told before submitting that the review is practice, and by keyboard reaches what is left")
  void practiceSaidBeforeSubmitting() {
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      String sid = submitted("Qual" + size[0]);
      signIn(app.account("reviewer"));
      driver.get(base + "/review");
      assertTrue(main().contains("you are not yet qualified to review Senior Service Reliability Engineer"), main());
      Chromium.assertNoHorizontalScroll(driver, "queue with the practice notice");
      Chromium.axe(driver, "queue with the practice notice at " + size[0]);
      driver.get(base + "/review/" + sid + "/" + EX);
      String page = main();
      assertTrue(page.contains("Practice review:"), page);
      assertTrue(page.contains("will be marked practice when you submit it"), page);
      Chromium.assertNoHorizontalScroll(driver, "scoring page with the practice notice");
      Chromium.axe(driver, "scoring page with the practice notice at " + size[0]);
      Chromium.screenshot(driver, "qualification-scoring-" + size[0]);

      js(driver, "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
      Chromium.tabTo(driver, ".practice-ahead a").sendKeys(Keys.ENTER);
      Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/review/calibration"));
      String cal = main();
      assertTrue(cal.contains("Qualification"), cal);
      assertTrue(cal.contains("Senior Service Reliability Engineer: not yet qualified"), cal);
      assertTrue(cal.contains("At least 10 criteria must be scored: score 10 more"), cal);
      Chromium.assertNoHorizontalScroll(driver, "calibration page with qualification");
      Chromium.axe(driver, "calibration page with qualification at " + size[0]);
      Chromium.screenshot(driver, "qualification-calibration-" + size[0]);
    }
  }

  @Test
  @DisplayName("an admin reads every reviewer's standing per track on the calibration page")
  void adminTable() {
    String reviewer = app.account("reviewer");
    signIn(app.account("admin"));
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/review/calibration");
      WebElement table = driver.findElement(By.xpath("//table[caption[contains(., \"Every reviewer's qualification per track\")]]"));
      String person = "Person " + reviewer.replaceAll("\\D", "");
      WebElement row = table.findElement(By.xpath(".//tr[td[normalize-space()='" + person + "']]"));
      assertEquals("practice", row.findElements(By.tagName("td")).get(4).getText());
      Chromium.assertNoHorizontalScroll(driver, "calibration page, admin");
      Chromium.axe(driver, "calibration page, admin, at " + size[0]);
      Chromium.screenshot(driver, "qualification-admin-" + size[0]);
    }
  }
}
