package dev.gameday.browser;

import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Issue 21: while a save waits for its retry, the save status shows a "Retry now" button that a keyboard reaches and
 * that sends the kept answer. The network is cut with CDP: offline (the browser knows) and blocked saves (it does not,
 * so no "online" event sends the text in the button's place).
 */
class RetryNowBrowserTest extends BrowserTest {
  static final String EX = "incident-postmortem";

  @AfterEach
  void normal() {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
    offline(false);
  }

  void offline(boolean off) {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", off, "latency", 0,
        "downloadThroughput", -1, "uploadThroughput", -1));
  }

  String stored(Created inv) {
    return app.one("select sections ->> 'summary' from answers where invitation_id = $1 and exercise_id = $2", inv.id(), EX)
        .map(r -> r.getString(0)).orElse("");
  }

  boolean retryShown() {
    return (Boolean) js(driver, "var b = document.getElementById('save-retry'); return !!b && !b.hidden && b.offsetWidth > 0;");
  }

  @Test
  @DisplayName("offline, then with saves blocked: 'Retry now' shows, is at least 24x24 px and keyboard reachable; Enter on it saves")
  void retryNow() {
    Created inv = app.invite("Retry Candidate", "retry@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/" + EX);
    Chromium.await(driver, d -> !driver.findElement(By.id("save-status-text")).getText().contains("Loading"));
    assertFalse(retryShown(), "no button while nothing waits");

    offline(true);
    WebElement area = driver.findElement(By.id("s-summary"));
    area.click();
    area.sendKeys("Typed while offline.");
    Chromium.await(driver, d -> retryShown());
    assertTrue(driver.findElement(By.id("save-status-text")).getText().contains("offline"));
    @SuppressWarnings("unchecked")
    Map<String, Object> box = (Map<String, Object>) js(driver, "var r = document.getElementById('save-retry').getBoundingClientRect();"
        + " return {w: r.width, h: r.height};");
    assertTrue(((Number) box.get("w")).doubleValue() >= 24 && ((Number) box.get("h")).doubleValue() >= 24, "target size " + box);

    // back on the network, but saves still fail: only the button (or the backoff) can send now
    driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/v1/candidate/answers/*")));
    offline(false);
    Chromium.await(driver, d -> retryShown() && !stored(inv).contains("Typed while offline."));
    driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
    // keyboard: from the answer box, Shift+Tab backwards until the button has the focus
    area.click();
    for (int i = 0; i < 12 && !"save-retry".equals(js(driver, "return document.activeElement.id;")); i++) {
      new org.openqa.selenium.interactions.Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
    }
    assertEquals("save-retry", js(driver, "return document.activeElement.id;"), "Shift+Tab from the answer reaches Retry now");
    new org.openqa.selenium.interactions.Actions(driver).sendKeys(Keys.ENTER).perform();
    Chromium.await(driver, d -> stored(inv).contains("Typed while offline."));
    Chromium.await(driver, d -> !retryShown());
    assertEquals("s-summary", js(driver, "return document.activeElement.id;"), "the focus goes back to the answer, not the page");
  }
}
