package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;

/**
 * The evidence viewer as issue 9 found it. Defect 10: chart marker labels of deploys close together overlapped
 * (postmortem-review has markers three minutes apart). Defect 3: long log lines need a wrap toggle.
 */
class EvidenceViewerTest extends BrowserTest {
  @ParameterizedTest(name = "at {0} px")
  @CsvSource({"390, 844", "1366, 768"})
  @DisplayName("marker labels never overlap, even for markers minutes apart")
  void labelsApart(int width, int height) {
    Chromium.viewport(driver, width, height);
    driver.manage().deleteAllCookies();
    Created inv = app.invite("Marker Candidate", "markers" + width + "@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/postmortem-review");
    int n = driver.findElements(By.cssSelector("section.evidence[data-kind='csv']")).size();
    assertTrue(n > 0, "the exercise has charts");
    for (int i = 0; i < n; i++) {
      js(driver, "document.querySelectorAll(\"section.evidence[data-kind='csv']\")[arguments[0]].scrollIntoView({block: 'center'});", i);
      int k = i;
      Chromium.await(driver, d -> (Boolean) js(d, "var s = document.querySelectorAll(\"section.evidence[data-kind='csv']\")[arguments[0]];"
          + " return !!s.querySelector('[data-marker-boxes]');", k));
    }
    @SuppressWarnings("unchecked")
    List<String> all = (List<String>) js(driver, "return Array.prototype.map.call(document.querySelectorAll('[data-marker-boxes]'),"
        + " function (e) { return e.getAttribute('data-marker-boxes'); });");
    int labels = 0;
    for (String boxes : all) {
      JsonArray placed = new JsonArray(boxes);
      List<JsonObject> list = new ArrayList<>();
      placed.forEach(o -> list.add((JsonObject) o));
      labels += list.size();
      for (int a = 0; a < list.size(); a++) {
        for (int b = a + 1; b < list.size(); b++) {
          JsonObject p = list.get(a);
          JsonObject q = list.get(b);
          boolean sameRow = p.getInteger("row").equals(q.getInteger("row"));
          boolean apart = p.getInteger("to") <= q.getInteger("from") || q.getInteger("to") <= p.getInteger("from");
          assertFalse(sameRow && !apart, "labels overlap at " + width + " px: " + p + " and " + q);
        }
      }
    }
    assertTrue(labels >= 4, "markers drawn: " + labels);
  }

  @ParameterizedTest(name = "at {0} px")
  @CsvSource({"390, 844", "1024, 768"})
  @DisplayName("'Wrap long lines' wraps log lines inside the viewer: no sideways scroll, filters still apply")
  void wrapLongLines(int width, int height) {
    Chromium.viewport(driver, width, height);
    driver.manage().deleteAllCookies();
    Created inv = app.invite("Wrap Candidate", "wrap" + width + "@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/incident-postmortem");
    // the first log viewer only: every selector below is scoped to it (other logs on the page have rows too)
    js(driver, "document.querySelector(\"section.evidence[data-kind='log']\").setAttribute('data-test', 'first-log');");
    String log = "[data-test='first-log']";
    js(driver, "document.querySelector(\"" + log + "\").scrollIntoView({block: 'center'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + log + " .ev-row .ev-text\");"));
    String scroller = log + " .ev-scroll";
    // narrow viewers start wrapped (issue 21): unwrap first to see the difference
    if (driver.findElement(By.cssSelector(log + " .ev-wrap-toggle input")).isSelected()) {
      assertTrue(width < 500, "only a narrow viewer starts wrapped");
      driver.findElement(By.cssSelector(log + " .ev-wrap-toggle input")).click();
      Chromium.await(driver, d -> !(Boolean) js(d, "return document.querySelector(\"" + scroller + "\").classList.contains('ev-wrapped');"));
    }
    long before = (Long) js(driver, "var v = document.querySelector(\"" + scroller + "\"); return v.scrollWidth - v.clientWidth;");
    assertTrue(before > 0, "unwrapped, long lines scroll sideways inside the viewer");
    driver.findElement(By.cssSelector(log + " .ev-wrap-toggle input")).click();
    Chromium.await(driver, d -> (Boolean) js(d, "return document.querySelector(\"" + scroller + "\").classList.contains('ev-wrapped');"));
    long after = (Long) js(driver, "var v = document.querySelector(\"" + scroller + "\"); return v.scrollWidth - v.clientWidth;");
    assertTrue(after <= 1, "wrapped, nothing scrolls sideways: " + after);
    Boolean tall = (Boolean) js(driver, "var rows = document.querySelectorAll(\"" + scroller + " .ev-row\");"
        + " var lh = parseFloat(getComputedStyle(document.querySelector(\"" + scroller + "\")).getPropertyValue('--ev-lh'));"
        + " return Array.prototype.some.call(rows, function (r) { return r.getBoundingClientRect().height > lh * 1.5; });");
    assertTrue(tall, "a long line takes more than one row when wrapped");
    Chromium.assertNoHorizontalScroll(driver, "exercise page with wrapped log");
    long all = (Long) js(driver, "return document.querySelectorAll(\"" + scroller + " .ev-row\").length;");
    driver.findElement(By.cssSelector(log + " input[type='search']")).sendKeys("ERROR");
    Chromium.await(driver, d -> ((String) js(d, "return document.querySelector(\"" + log + " .ev-count\").textContent;"))
        .contains("ERROR"));
    assertTrue((Long) js(driver, "return document.querySelectorAll(\"" + scroller + " .ev-row\").length;") < all, "fewer lines");
    Boolean onlyMatches = (Boolean) js(driver, "return Array.prototype.every.call(document.querySelectorAll(\"" + scroller
        + " .ev-row .ev-text\"), function (t) { return t.textContent.toLowerCase().indexOf('error') >= 0; });");
    assertTrue(onlyMatches, "the filter applies to the wrapped view: " + js(driver, "return Array.prototype.filter.call("
        + "document.querySelectorAll(\"" + scroller + " .ev-row .ev-text\"), function (t) { return t.textContent.toLowerCase()"
        + ".indexOf('error') < 0; }).length + ' of ' + document.querySelectorAll(\"" + scroller + " .ev-row\").length + ' rows';"));
    Chromium.axe(driver, "exercise page with wrapped log at " + width);
  }
}
