package dev.gameday.browser;

import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Issue 20: the evidence tools with the keyboard alone and as a screen reader names them. Defect 1 (charts: focusable,
 * a keyboard cursor announcing time and value, +/- and Home, visible zoom buttons, Cite point on the keyboard's point,
 * all entering the trail like the mouse), defect 2 (Cite point's name contains its visible label), defect 3 (a log
 * line's Cite names the line's content) and defect 9 (a data table is one tab stop).
 */
class EvidenceKeyboardTest extends BrowserTest {
  static final String EX = "incident-postmortem";
  static final String CHART = "section.evidence[data-kind='csv'][data-name='edge-metrics.csv']";

  Created signIn(String who) {
    driver.manage().deleteAllCookies();
    Created inv = app.invite(who + " Candidate", who + "@example.com");
    // the library as written (seed 0): the assertions name the chart's first minutes, 12:00 onwards
    app.sql("update invitations set variant_seed = 0 where id = $1", inv.id());
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/" + EX);
    return inv;
  }

  WebElement active() {
    return driver.switchTo().activeElement();
  }

  String readout() {
    return (String) js(driver, "var r = document.querySelector(\"" + CHART + " .ev-readout\"); return r ? r.textContent : '';");
  }

  /** kind + " " + detail of the invitation's trail events for one evidence file. */
  static List<String> trail(Created inv, String evidence) {
    List<String> out = new ArrayList<>();
    app.sql("select kind, detail from trail_events where invitation_id = $1 and evidence = $2 order by at, id",
        inv.id(), Integer.parseInt(evidence)).forEach(r -> out.add(r.getString("kind") + " " + r.getString("detail")));
    return out;
  }

  @Test
  @DisplayName("defects 1 and 2: a chart is used by keyboard alone; Cite point's name contains its visible label")
  void chartByKeyboard() {
    Created inv = signIn("chartkeys");
    js(driver, "document.querySelector(\"" + CHART + "\").scrollIntoView({block: 'start'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + CHART + " .u-over\");"));
    String evidence = (String) js(driver, "return document.querySelector(\"" + CHART + "\").getAttribute('data-evidence');");
    // the first chart of the file: focusable, with visible zoom buttons beside Cite point and Reset zoom
    js(driver, "document.querySelector(\"" + CHART + "\").setAttribute('data-test', 'chart');");
    String fig = "[data-test='chart'] figure.ev-figure";
    List<String> buttons = new ArrayList<>();
    driver.findElements(By.cssSelector(fig + " .ev-chart-tools button")).forEach(b -> buttons.add(b.getText()));
    assertTrue(buttons.contains("Zoom in") && buttons.contains("Zoom out"), "visible zoom buttons: " + buttons);
    WebElement chart = driver.findElement(By.cssSelector(fig + " .ev-chart"));
    assertEquals("0", chart.getDomAttribute("tabindex"), "the chart is in the tab order");
    js(driver, "arguments[0].focus();", chart);
    assertEquals(chart, active(), "the chart takes focus");

    // arrow keys move a cursor between points; a live readout says time and value
    active().sendKeys(Keys.ARROW_RIGHT);
    Chromium.await(driver, d -> readout().contains("UTC"));
    String first = readout();
    assertTrue(first.matches("(?s).*\\d\\d:\\d\\d:\\d\\d UTC.*requests_per_s[^0-9]*[0-9].*"), "time and value: " + first);
    assertTrue((Boolean) js(driver, "var r = document.querySelector(\"" + CHART + " .ev-readout\");"
        + " return r.getAttribute('role') === 'status' || r.getAttribute('aria-live') === 'polite';"), "the readout is a live region");
    active().sendKeys(Keys.ARROW_RIGHT);
    active().sendKeys(Keys.ARROW_RIGHT);
    Chromium.await(driver, d -> !readout().equals(first));
    String third = readout();
    assertTrue(third.contains("12:02:00 UTC"), "two points on (a point a minute): " + third);

    // Cite point follows the keyboard's cursor; its accessible name begins with its visible text (2.5.3)
    WebElement citeBtn = driver.findElement(By.cssSelector(fig + " .ev-chart-tools button.ev-cite"));
    assertTrue(citeBtn.isEnabled(), "Cite point is enabled once the keyboard cursor is on a point");
    String visible = citeBtn.getText().trim().replaceAll("\\s+", " ");
    String name = citeBtn.getDomAttribute("aria-label");
    assertTrue(name == null || name.toLowerCase().startsWith(visible.toLowerCase()),
        "accessible name '" + name + "' contains the visible label '" + visible + "'");

    // + zooms in around the cursor, - zooms out, Home resets; each zoom enters the trail
    WebElement reset = driver.findElement(By.xpath("//*[@data-test='chart']//figure[1]//button[normalize-space()='Reset zoom']"));
    assertFalse(reset.isEnabled(), "not zoomed yet");
    js(driver, "arguments[0].focus();", chart);
    active().sendKeys("+");
    Chromium.await(driver, d -> reset.isEnabled());
    // a zoom enters the trail once it settles (as a drag does); flush() settles it now
    js(driver, "window.GamedayTrail.flush();");
    Chromium.await(driver, d -> trail(inv, evidence).stream().anyMatch(e -> e.startsWith("zoom ") && !e.contains("reset")));
    active().sendKeys("+");
    active().sendKeys("-");
    assertTrue(reset.isEnabled(), "still zoomed in after one of two zooms is undone");
    active().sendKeys(Keys.HOME);
    Chromium.await(driver, d -> !reset.isEnabled());
    js(driver, "window.GamedayTrail.flush();");
    Chromium.await(driver, d -> trail(inv, evidence).stream().anyMatch(e -> e.startsWith("zoom reset")));
    // the visible buttons do the same
    driver.findElement(By.xpath("//*[@data-test='chart']//figure[1]//button[normalize-space()='Zoom in']")).click();
    Chromium.await(driver, d -> reset.isEnabled());

    // Enter on the chart cites the keyboard cursor's point into the answer
    WebElement area = driver.findElement(By.cssSelector("#answer textarea"));
    js(driver, "arguments[0].focus();", area);
    js(driver, "arguments[0].focus();", chart);
    active().sendKeys(Keys.ENTER);
    Chromium.await(driver, d -> area.getDomProperty("value").contains("edge-metrics.csv` 2026-10-14T12:0"));
    String cited = area.getDomProperty("value");
    assertTrue(cited.contains("requests_per_s="), cited);

    // the trail holds the keyboard's zooms and the citation, exactly as for the mouse
    js(driver, "window.GamedayTrail.flush();");
    Chromium.await(driver, d -> trail(inv, evidence).stream().anyMatch(e -> e.startsWith("cite point 2026-10-14T12:0")));
    Chromium.axe(driver, "exercise page, chart used by keyboard");
  }

  @Test
  @DisplayName("defect 1: after a keyboard zoom, Cite point and Enter cite the very point the readout names")
  void zoomKeepsTheCitedPoint() {
    Created inv = signIn("zoomcite");
    js(driver, "document.querySelector(\"" + CHART + "\").scrollIntoView({block: 'start'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + CHART + " .u-over\");"));
    String evidence = (String) js(driver, "return document.querySelector(\"" + CHART + "\").getAttribute('data-evidence');");
    js(driver, "document.querySelector(\"" + CHART + "\").setAttribute('data-test', 'chart');");
    String fig = "[data-test='chart'] figure.ev-figure";
    WebElement chart = driver.findElement(By.cssSelector(fig + " .ev-chart"));
    js(driver, "arguments[0].focus();", chart);
    for (int i = 0; i < 3; i++) {
      active().sendKeys(Keys.ARROW_RIGHT);
    }
    Chromium.await(driver, d -> readout().contains("12:02:00 UTC"));
    active().sendKeys("+");
    WebElement reset = driver.findElement(By.xpath("//*[@data-test='chart']//figure[1]//button[normalize-space()='Reset zoom']"));
    Chromium.await(driver, d -> reset.isEnabled());
    assertTrue(readout().contains("12:02:00 UTC"), "the readout stays on the point: " + readout());
    WebElement citeBtn = driver.findElement(By.cssSelector(fig + " .ev-chart-tools button.ev-cite"));
    // on the old code the zoomed scale snapped uPlot's cursor to 12:01 while the readout still said 12:02
    Chromium.await(driver, d -> citeBtn.getText().contains("12:02:00"));
    js(driver, "arguments[0].focus();", chart);
    active().sendKeys(Keys.ENTER);
    js(driver, "window.GamedayTrail.flush();");
    Chromium.await(driver, d -> trail(inv, evidence).stream().anyMatch(e -> e.startsWith("cite point")));
    List<String> cites = trail(inv, evidence).stream().filter(e -> e.startsWith("cite point")).toList();
    assertEquals(1, cites.size(), cites.toString());
    assertTrue(cites.get(0).startsWith("cite point 2026-10-14T12:02:00Z"), "the point the readout named: " + cites);
    // the zoom enters the trail under the chart that was zoomed, not another chart of the file that followed it
    List<String> zooms = trail(inv, evidence).stream().filter(e -> e.startsWith("zoom ") && !e.contains("reset")).toList();
    assertFalse(zooms.isEmpty(), "the keyboard zoom is in the trail");
    String title = (String) js(driver, "return document.querySelector(\"" + fig + " .ev-chart\").getAttribute('aria-label').split(' chart.')[0];");
    assertTrue(zooms.stream().allMatch(z -> z.startsWith("zoom " + title + ":")), "zoomed '" + title + "': " + zooms);
  }

  /** kind + " " + detail of every zoom in the invitation's trail, whichever file. */
  static List<String> zooms(Created inv) {
    List<String> out = new ArrayList<>();
    app.sql("select kind, detail from trail_events where invitation_id = $1 and kind = 'zoom' order by at, id", inv.id())
        .forEach(r -> out.add(r.getString("kind") + " " + r.getString("detail")));
    return out;
  }

  @Test
  @DisplayName("a window resize, typing and scrolling never enter the trail as a zoom; a keyboard zoom still does")
  void redrawIsNoZoom() throws InterruptedException {
    Created inv = signIn("redraw");
    js(driver, "document.querySelector(\"" + CHART + "\").scrollIntoView({block: 'start'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + CHART + " .u-over\");"));
    js(driver, "document.querySelector(\"" + CHART + "\").setAttribute('data-test', 'chart');");
    String fig = "[data-test='chart'] figure.ev-figure";
    WebElement area = driver.findElement(By.cssSelector("#answer textarea"));
    js(driver, "arguments[0].focus();", area);
    area.sendKeys("The edge saturated first.");
    js(driver, "window.scrollBy(0, 400);");
    try {
      // the browser's viewport is pinned (Chromium.viewport), so a window resize is made by changing it; on the old
      // code the charts' redraw to the new width entered the trail as "Zoomed <file>: reset to the whole range"
      Chromium.viewport(driver, 900, 768);
      Chromium.await(driver, d -> (Long) js(d, "return window.innerWidth;") == 900L);
      Thread.sleep(300);
      Chromium.viewport(driver, 1366, 768);
      Chromium.await(driver, d -> (Long) js(d, "return window.innerWidth;") == 1366L);
      Thread.sleep(300);   // the redraw's hooks have run
      js(driver, "window.GamedayTrail.flush();");
      area.sendKeys(" Then the database.");
    } finally {
      Chromium.viewport(driver, 1366, 768);
    }
    // a real zoom by keyboard is still recorded, and is the only zoom in the trail
    WebElement chart = driver.findElement(By.cssSelector(fig + " .ev-chart"));
    js(driver, "arguments[0].focus();", chart);
    active().sendKeys(Keys.ARROW_RIGHT);
    active().sendKeys("+");
    WebElement reset = driver.findElement(By.xpath("//*[@data-test='chart']//figure[1]//button[normalize-space()='Reset zoom']"));
    Chromium.await(driver, d -> reset.isEnabled());
    js(driver, "window.GamedayTrail.flush();");
    Chromium.await(driver, d -> !zooms(inv).isEmpty());
    Thread.sleep(500);
    js(driver, "window.GamedayTrail.flush();");
    Thread.sleep(500);
    List<String> zooms = zooms(inv);
    assertEquals(1, zooms.size(), "only the candidate's own zoom: " + zooms);
    assertFalse(zooms.get(0).contains("reset"), "the keyboard zoom: " + zooms);
    // the autosave's time is in the page's one format (app.js): 24-hour, the zone named, not "Saved 02:38 PM"
    Chromium.await(driver, d -> d.findElement(By.id("save-status-text")).getText().startsWith("Saved"));
    String saved = driver.findElement(By.id("save-status-text")).getText();
    assertTrue(saved.matches("Saved \\d{2}:\\d{2} [A-Z][A-Za-z0-9+:-]*"), saved);
  }

  @Test
  @DisplayName("defect 2: Cite point's accessible name begins with its visible label (hovered with the mouse)")
  void citePointName() {
    signIn("citename");
    js(driver, "document.querySelector(\"" + CHART + "\").scrollIntoView({block: 'start'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + CHART + " .u-over\");"));
    WebElement over = driver.findElement(By.cssSelector(CHART + " .u-over"));
    new Actions(driver).moveToElement(over).moveByOffset(5, 0).perform();
    WebElement citeBtn = driver.findElement(By.xpath("//section[@data-name='edge-metrics.csv']//figure[1]//button[starts-with(normalize-space(), 'Cite point')]"));
    Chromium.await(driver, d -> citeBtn.isEnabled());
    String visible = citeBtn.getText().trim().replaceAll("\\s+", " ");
    String name = citeBtn.getDomAttribute("aria-label");
    assertTrue(name == null || name.toLowerCase().startsWith(visible.toLowerCase()),
        "accessible name '" + name + "' contains the visible label '" + visible + "'");
  }

  @Test
  @DisplayName("defect 3: a log line's Cite button is announced with the line's content")
  void logLineNames() {
    signIn("lognames");
    js(driver, "document.querySelector(\"section.evidence[data-kind='log']\").setAttribute('data-test', 'log');");
    js(driver, "document.querySelector(\"[data-test='log']\").scrollIntoView({block: 'center'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"[data-test='log'] .ev-row .ev-text\");"));
    @SuppressWarnings("unchecked")
    List<List<String>> rows = (List<List<String>>) js(driver, "return Array.prototype.slice.call(document.querySelectorAll("
        + "\"[data-test='log'] .ev-row\"), 0, 5).map(function (r) { return [r.querySelector('.ev-ln').getAttribute('aria-label'),"
        + " r.querySelector('.ev-ln').getAttribute('data-idx'), r.querySelector('.ev-text').textContent]; });");
    assertFalse(rows.isEmpty());
    for (List<String> r : rows) {
      String text = r.get(2).strip();
      String start = text.substring(0, Math.min(30, text.length()));
      assertTrue(r.get(0).startsWith("Cite line " + (Integer.parseInt(r.get(1)) + 1) + ": " + start),
          "'" + r.get(0) + "' names the line's content '" + start + "'");
    }
  }

  @Test
  @DisplayName("defect 9: a data table is one tab stop (arrows move between its rows); scrolling regions are focusable")
  void dataTableOneTabStop() {
    signIn("tablestop");
    js(driver, "document.querySelector(\"" + CHART + "\").scrollIntoView({block: 'start'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + CHART + " details.ev-table-details summary\");"));
    WebElement summary = driver.findElement(By.cssSelector(CHART + " details.ev-table-details summary"));
    js(driver, "arguments[0].focus();", summary);
    active().sendKeys(Keys.ENTER);
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + CHART + " .ev-table tbody button\");"));
    long stops = (Long) js(driver, "var w = document.querySelector(\"" + CHART + " .ev-table-wrap\");"
        + " var all = [w].concat(Array.prototype.slice.call(w.querySelectorAll('button, a[href], input, [tabindex]')));"
        + " return all.filter(function (e) { return e.tabIndex >= 0; }).length;");
    assertEquals(1, stops, "tab stops in the data table");
    // Tab from the summary enters the table once; ArrowDown moves to the next row; Tab leaves the table
    js(driver, "arguments[0].focus();", summary);
    active().sendKeys(Keys.TAB);
    assertTrue((Boolean) js(driver, "return !!document.activeElement.closest('.ev-table-wrap');"), "focus in the table");
    String row1 = (String) js(driver, "return document.activeElement.closest('tr') ? document.activeElement.closest('tr').rowIndex + '' : 'none';");
    active().sendKeys(Keys.ARROW_DOWN);
    String row2 = (String) js(driver, "return document.activeElement.closest('tr') ? document.activeElement.closest('tr').rowIndex + '' : 'none';");
    assertNotEquals(row1, row2, "ArrowDown moves to the next row");
    active().sendKeys(Keys.TAB);
    assertFalse((Boolean) js(driver, "return !!document.activeElement.closest('.ev-table-wrap');"), "one Tab leaves the table");
    // every region that scrolls can be scrolled by keyboard: it is focusable or holds something focusable
    @SuppressWarnings("unchecked")
    List<String> stuck = (List<String>) js(driver, "var out = []; document.querySelectorAll('body *').forEach(function (e) {"
        + " var s = getComputedStyle(e); var scrolls = ((s.overflowY === 'auto' || s.overflowY === 'scroll') && e.scrollHeight > e.clientHeight + 1)"
        + " || ((s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1);"
        + " if (!scrolls || e.tagName === 'TEXTAREA') return;"
        + " if (e.tabIndex >= 0 || e.querySelector('button:not([disabled]), a[href], input, select, textarea, [tabindex]')) return;"
        + " out.push(e.tagName + '.' + e.className); }); return out;");
    assertEquals(List.of(), stuck, "scrolling regions a keyboard cannot reach");
    Chromium.axe(driver, "exercise page with a data table open");
  }
}
