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
 * Issue 20 on the candidate's exercise page: the save status announces states, not keystrokes (defect 5); one h1
 * (6); focus not obscured at 320 px (7); forced colours (8); target size (10). Issue 21: the page on a phone (3) and
 * one page scroll at 1366x768 (9).
 */
class ExercisePageA11yTest extends BrowserTest {
  static final String EX = "incident-postmortem";

  Created signIn(String who) {
    driver.manage().deleteAllCookies();
    Created inv = app.invite(who + " Candidate", who + "@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/" + EX);
    Chromium.await(driver, d -> !status().contains("Loading"));
    return inv;
  }

  @AfterEach
  void normal() {
    offline(false);
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    Chromium.viewport(driver, 1366, 768);
  }

  String status() {
    return (String) js(driver, "var s = document.getElementById('save-status'); return s ? s.textContent : '';");
  }

  void offline(boolean off) {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", off, "latency", 0,
        "downloadThroughput", -1, "uploadThroughput", -1));
  }

  String stored(Created inv, String section) {
    return app.one("select sections ->> $2 from answers where invitation_id = $1 and exercise_id = $3", inv.id(), section, EX)
        .map(r -> r.getString(0)).orElse("");
  }

  @SuppressWarnings("unchecked")
  List<String> announcements() {
    return (List<String>) js(driver, "return window.__ann.slice();");
  }

  @Test
  @DisplayName("defect 5: the save status announces changes of state, at most once a save, never a keystroke")
  void saveAnnouncements() {
    Created inv = signIn("announce");
    // every live region of the answer pane, recorded as a screen reader would hear it
    js(driver, "window.__ann = []; document.querySelectorAll('.pane-write [role=status], .pane-write [role=alert],"
        + " .pane-write [aria-live]:not([aria-live=off])').forEach(function (el) { new MutationObserver(function () {"
        + " var t = el.textContent.trim(); if (t) window.__ann.push(t); }).observe(el, {childList: true, characterData: true, subtree: true}); });");
    WebElement area = driver.findElement(By.id("s-summary"));
    area.click();
    area.sendKeys("Thirty-two keystrokes of typing.");
    Chromium.await(driver, d -> stored(inv, "summary").contains("Thirty-two keystrokes of typing."));
    Chromium.await(driver, d -> status().startsWith("Saved"));
    List<String> heard = announcements();
    assertTrue(heard.size() <= 1, "one save, at most one announcement: " + heard);
    assertTrue(heard.stream().noneMatch(t -> t.contains("Unsaved")), "typing is not announced: " + heard);
    // offline: the change of state is announced once, however much is typed
    offline(true);
    js(driver, "window.__ann.length = 0;");
    area.sendKeys(" Typed offline.");
    Chromium.await(driver, d -> status().contains("offline") || status().contains("Not saved"));
    area.sendKeys(" More typed offline.");
    heard = announcements();
    assertEquals(1, heard.stream().filter(t -> t.contains("offline") || t.contains("Not saved")).count(), "offline once: " + heard);
    assertTrue(heard.size() <= 2, "no announcement per keystroke: " + heard);
  }

  @Test
  @DisplayName("defect 6: one h1 on the exercise page, with the exercise's Markdown and a previewed answer below it")
  void oneH1() {
    signIn("headings");
    assertEquals(1L, js(driver, "return document.querySelectorAll('h1').length;"), "h1 elements on the exercise page");
    assertEquals(0L, js(driver, "return document.querySelectorAll('main .prose h2, main .prose h1').length;"),
        "Markdown headings sit below the page's own h1 and h2");
    WebElement area = driver.findElement(By.id("s-summary"));
    area.click();
    area.sendKeys(Keys.END, "\n# My own heading\n\nText.");
    driver.findElement(By.cssSelector(".answer-section[data-section='summary'] .mode[data-mode='preview']")).click();
    Chromium.await(driver, d -> (Boolean) js(d, "var p = document.querySelector(\".answer-section[data-section='summary'] .preview\");"
        + " return !p.hidden && p.textContent.indexOf('My own heading') >= 0;"));
    assertEquals(1L, js(driver, "return document.querySelectorAll('h1').length;"), "h1 elements with a previewed answer");
  }

  @Test
  @DisplayName("defect 7: at 400% zoom (320 px) the sticky status covers only a strip and never a focused control")
  void focusNotObscured() {
    signIn("obscured");
    Chromium.viewport(driver, 320, 256);
    offline(true);
    WebElement area = driver.findElement(By.id("s-summary"));
    js(driver, "arguments[0].scrollIntoView({block: 'center'});", area);
    area.click();
    area.sendKeys("Offline text, so that the status is long.");
    Chromium.await(driver, d -> status().contains("offline"));
    // from the last answer box back to the first, as a keyboard user would go
    js(driver, "var all = document.querySelectorAll('#answer textarea'); all[all.length - 1].focus();");
    for (int i = 0; i < 16; i++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) js(driver, "var f = document.activeElement, r = f.getBoundingClientRect();"
          + " var worst = 0, bar = 0; document.querySelectorAll('body *').forEach(function (e) { var s = getComputedStyle(e);"
          + " if (!(s.position === 'fixed' || (s.position === 'sticky' && s.top !== 'auto')) || e.contains(f) || f.contains(e)) return;"
          + " var q = e.getBoundingClientRect(); if (q.bottom <= 0 || q.top >= innerHeight) return; bar = Math.max(bar, q.height);"
          + " var w = Math.max(0, Math.min(q.right, r.right) - Math.max(q.left, r.left)), hh = Math.max(0, Math.min(q.bottom, r.bottom) - Math.max(q.top, r.top));"
          + " var vis = Math.max(1, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)) * r.width;"
          + " worst = Math.max(worst, w * hh / vis); });"
          + " return {el: f.tagName + '#' + f.id + '.' + f.className, covered: worst, bar: bar};");
      double covered = ((Number) m.get("covered")).doubleValue();
      double bar = ((Number) m.get("bar")).doubleValue();
      assertTrue(covered < 0.99, "the focused " + m.get("el") + " is hidden by a sticky bar");
      assertTrue(bar <= 256 * 0.25, "a sticky bar " + bar + " px tall covers more than a strip of 256 px");
      new org.openqa.selenium.interactions.Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
    }
    Chromium.axe(driver, "exercise page at 320 px offline");
  }

  @Test
  @DisplayName("defect 8: forced colours: the selected Write/Preview tab differs without colour; chart axis text is CanvasText")
  void forcedColours() {
    signIn("forced");
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "forced-colors", "value", "active"))));
    @SuppressWarnings("unchecked")
    List<String> styles = (List<String>) js(driver, "return Array.prototype.map.call(document.querySelectorAll(\".answer-section[data-section='summary'] .mode\"),"
        + " function (b) { var s = getComputedStyle(b); return [s.fontWeight, s.textDecorationLine, s.borderBottomWidth, s.borderTopWidth,"
        + " s.outlineStyle, s.outlineWidth, s.borderBottomStyle].join('|'); });");
    assertEquals(2, styles.size());
    assertFalse(styles.get(0).equals(styles.get(1)), "Write (selected) and Preview differ in more than colour: " + styles);
    String chart = "section.evidence[data-kind='csv'][data-name='edge-metrics.csv']";
    js(driver, "document.querySelector(\"" + chart + "\").scrollIntoView({block: 'start'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + chart + " canvas\");"));
    @SuppressWarnings("unchecked")
    Map<String, Object> px = (Map<String, Object>) js(driver, "var d = document.createElement('div'); d.style.color = 'CanvasText';"
        + " document.body.appendChild(d); var want = getComputedStyle(d).color.match(/\\d+/g).map(Number); d.remove();"
        + " var c = document.querySelector(\"" + chart + " canvas\"), g = c.getContext('2d');"
        + " var data = g.getImageData(0, 0, Math.round(c.width * 0.08), c.height).data, best = null, hits = 0;"
        + " for (var i = 0; i < data.length; i += 4) { if (data[i + 3] < 250) continue;"
        + " var dist = Math.abs(data[i] - want[0]) + Math.abs(data[i + 1] - want[1]) + Math.abs(data[i + 2] - want[2]);"
        + " if (dist <= 12) hits++; if (!best || dist < best) best = dist; }"
        + " return {want: want.join(','), hits: hits, nearest: best};");
    assertTrue(((Number) px.get("hits")).longValue() > 20, "y-axis text drawn in CanvasText (" + px + ")");
    @SuppressWarnings("unchecked")
    List<String> markers = (List<String>) js(driver, "return Array.prototype.map.call(document.querySelectorAll(\"" + chart
        + " .u-legend .u-marker\"), function (m) { var s = getComputedStyle(m); return s.borderTopColor + ' ' + s.borderTopStyle"
        + " + ' ' + s.backgroundColor + ' ' + s.backgroundImage; });");
    String canvas = (String) js(driver, "return getComputedStyle(document.body).backgroundColor;");
    assertTrue(markers.size() >= 2, "legend swatches: " + markers);
    assertTrue(markers.stream().allMatch(m -> !m.startsWith(canvas + " ")), "swatches visible against Canvas " + canvas + ": " + markers);
  }

  @Test
  @DisplayName("defect 10: every control on the exercise page is at least 24x24 px or spaced as 2.5.8 allows")
  void targetSize() {
    signIn("targets");
    js(driver, "document.querySelector(\"section.evidence[data-kind='csv']\").scrollIntoView({block: 'center'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector('.u-over');"));
    js(driver, "document.querySelector(\"section.evidence[data-kind='log']\").scrollIntoView({block: 'center'});");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector('.ev-row .ev-ln');"));
    @SuppressWarnings("unchecked")
    List<String> small = (List<String>) js(driver, "var sel = 'a[href], button, input, select, textarea, summary, [tabindex=\"0\"], .u-legend .u-series';"
        + " var all = Array.prototype.filter.call(document.querySelectorAll(sel), function (e) { var r = e.getBoundingClientRect();"
        + " if (r.width === 0 || r.height === 0 || e.closest('.ev-sr, [hidden]')) return false;"
        // inline links in a sentence are excepted by 2.5.8
        + " if (e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.parentElement.textContent.trim().length > e.textContent.trim().length + 2) return false;"
        + " return true; });"
        + " var rects = all.map(function (e) { return e.getBoundingClientRect(); }); var out = [];"
        + " all.forEach(function (e, i) { var r = rects[i]; if (r.width >= 23.9 && r.height >= 23.9) return;"
        + " var cx = r.left + r.width / 2, cy = r.top + r.height / 2;"
        + " var clash = rects.some(function (q, j) { if (j === i || all[j].contains(e) || e.contains(all[j])) return false;"
        + " var dx = Math.max(q.left - cx, 0, cx - q.right), dy = Math.max(q.top - cy, 0, cy - q.bottom);"
        + " var other = (q.width < 23.9 || q.height < 23.9) ? 24 : 12; return Math.sqrt(dx * dx + dy * dy) < other; });"
        + " if (clash) out.push(e.tagName.toLowerCase() + '.' + String(e.className).trim().replace(/\\s+/g, '.') + ' \"' + (e.textContent || e.value || '').trim().slice(0, 20) + '\" '"
        + " + Math.round(r.width) + 'x' + Math.round(r.height)); });"
        + " return out.filter(function (x, k) { return out.indexOf(x) === k; }).slice(0, 30);");
    assertEquals(List.of(), small, "controls under 24x24 px too close to another");
  }
}
