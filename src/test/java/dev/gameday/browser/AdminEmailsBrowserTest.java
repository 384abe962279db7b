package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** Issue 21's admin pages (per-track emails with a preview, a webhook's Send test event) at 1366x768 and 390x844, axe clean. */
class AdminEmailsBrowserTest extends BrowserTest {
  static final int[][] SIZES = {{1366, 768}, {390, 844}};
  static long webhook;

  @BeforeAll
  static void signIn() {
    String admin = app.account("admin");
    Browser b = app.signIn(vertx, admin);
    webhook = await(b.post("/api/v1/admin/webhooks", new JsonObject().put("url", "https://hooks.example.com/gameday")
        .put("events", new JsonArray().add("decision.recorded")))).bodyAsJsonObject().getLong("id");
    driver.get(base + "/login");
    driver.findElement(By.id("email")).sendKeys(admin);
    driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> !d.getCurrentUrl().contains("/login"));
  }

  @Test
  @DisplayName("/admin/emails, an email's page with its preview, and a webhook's page with Send test event: axe clean, no sideways scroll")
  void pages() {
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/admin/emails");
      Chromium.axe(driver, "/admin/emails at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/admin/emails");
      driver.get(base + "/admin/emails/sre-senior/invitation");
      driver.findElement(By.cssSelector("button[value=preview]")).click();
      Chromium.await(driver, d -> !d.findElements(By.id("preview-h")).isEmpty());
      assertTrue(driver.findElement(By.cssSelector(".email-body")).getText().contains("Ada Lovelace"));
      Chromium.axe(driver, "an email's preview at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "an email's preview");
      Chromium.screenshot(driver, "issue21-track-email-" + size[0]);
      driver.get(base + "/admin/webhooks/" + webhook);
      driver.findElement(By.xpath("//button[normalize-space()='Send test event']")).click();
      Chromium.await(driver, d -> d.findElement(By.tagName("main")).getText().contains("A test event (ping) is queued"));
      Chromium.axe(driver, "a webhook after Send test event at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "a webhook's page");
    }
    Chromium.viewport(driver, 1366, 768);
  }
}
