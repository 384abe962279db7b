package dev.gameday.browser;

import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * Issue 21 on the candidate's exercise page: on a 390x844 phone, jump links to the brief, the evidence and the answer
 * near the top, a jump that the sticky status does not cover, and a log viewer that shows the messages (defect 3); at
 * 1366x768 one page scroll, with scrolling panes only where content is long (defect 9).
 */
class ExercisePageLayoutTest extends BrowserTest {
  static final String EX = "incident-postmortem";

  void signIn(String who) {
    driver.manage().deleteAllCookies();
    var inv = app.invite(who + " Candidate", who + "@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/" + EX);
  }

  @Test
  @DisplayName("issue 21 defect 3: at 390 px, jump links in the first screen; the answer a jump away, uncovered; log messages shown")
  void phone() {
    Chromium.viewport(driver, 390, 844);
    try {
      signIn("phone");
      @SuppressWarnings("unchecked")
      Map<String, Object> jump = (Map<String, Object>) js(driver, "window.scrollTo(0, 0); var out = {};"
          + " document.querySelectorAll('nav.jump a').forEach(function (a) { var r = a.getBoundingClientRect();"
          + " out[a.textContent.trim()] = r.bottom <= innerHeight && r.top >= 0 && !!document.getElementById(a.hash.slice(1)); }); return out;");
      assertEquals(Map.of("Brief", true, "Evidence", true, "Your answer", true), jump, "jump links in the first screen, to targets");
      driver.findElement(By.cssSelector("nav.jump a[href='#answer-h']")).click();
      Chromium.await(driver, d -> (Boolean) js(d, "return location.hash === '#answer-h';"));
      @SuppressWarnings("unchecked")
      Map<String, Object> at = (Map<String, Object>) js(driver, "var h = document.getElementById('answer-h').getBoundingClientRect();"
          + " var t = document.querySelector('#answer textarea').getBoundingClientRect(); var cover = 0;"
          + " document.querySelectorAll('body *').forEach(function (e) { var s = getComputedStyle(e);"
          + " if (!(s.position === 'fixed' || (s.position === 'sticky' && s.top !== 'auto'))) return; var q = e.getBoundingClientRect();"
          + " if (q.right > h.left && q.left < h.right && q.bottom > h.top && q.top < h.bottom) cover++; });"
          + " return {top: h.top, covered: cover, textareaTop: t.top};");
      assertEquals(0L, ((Number) at.get("covered")).longValue(), "the answer heading is not under a sticky bar: " + at);
      assertTrue(((Number) at.get("top")).doubleValue() >= 0 && ((Number) at.get("textareaTop")).doubleValue() < 844,
          "the answer heading and its first box are on screen after the jump: " + at);
      // the log viewer shows the message, not only the line number and time
      js(driver, "document.querySelector(\"section.evidence[data-kind='log']\").setAttribute('data-test', 'log');");
      js(driver, "document.querySelector(\"[data-test='log']\").scrollIntoView({block: 'center'});");
      Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"[data-test='log'] .ev-row .ev-text\");"));
      @SuppressWarnings("unchecked")
      Map<String, Object> log = (Map<String, Object>) js(driver, "var v = document.querySelector(\"[data-test='log'] .ev-scroll\").getBoundingClientRect();"
          + " var t = document.querySelector(\"[data-test='log'] .ev-row .ev-text\"), line = t.textContent;"
          + " var range = document.createRange(); var m = /(INFO|WARN|ERROR|DEBUG)\\s+/.exec(line); var node = t, off = m ? m.index + m[0].length : 0;"
          + " var walker = document.createTreeWalker(t, NodeFilter.SHOW_TEXT); var n, seen = 0, r = null;"
          + " while ((n = walker.nextNode())) { if (seen + n.length > off) { range.setStart(n, off - seen); range.setEnd(n, Math.min(n.length, off - seen + 1)); r = range.getBoundingClientRect(); break; } seen += n.length; }"
          + " return {viewLeft: v.left, viewRight: v.right, messageLeft: r ? r.left : -1, textRight: t.getBoundingClientRect().right};");
      double right = ((Number) log.get("viewRight")).doubleValue();
      double msg = ((Number) log.get("messageLeft")).doubleValue();
      assertTrue(msg >= ((Number) log.get("viewLeft")).doubleValue() && msg < right - 8
          && ((Number) log.get("textRight")).doubleValue() <= right + 1,
          "the message starts inside the viewer and the whole line is readable without scrolling sideways: " + log);
      Chromium.assertNoHorizontalScroll(driver, "exercise page at 390 px");
      Chromium.axe(driver, "exercise page at 390 px after the jump");
    } finally {
      Chromium.viewport(driver, 1366, 768);
    }
  }

  @Test
  @DisplayName("issue 21: the exercise menu, keyboard only, at 390 and 1366 px: opens, marks the current exercise, goes to another; no sideways scroll; axe clean")
  void exerciseMenu() {
    for (int[] size : new int[][] {{390, 844}, {1366, 768}}) {
      Chromium.viewport(driver, size[0], size[1]);
      try {
        signIn("menu" + size[0]);
        js(driver, "window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();");
        tabTo("nav.exercise-menu summary").sendKeys(Keys.ENTER);
        Chromium.await(driver, d -> (Boolean) js(d, "return document.querySelector('nav.exercise-menu details').open;"));
        @SuppressWarnings("unchecked")
        Map<String, Object> menu = (Map<String, Object>) js(driver, "var links = document.querySelectorAll('nav.exercise-menu li a');"
            + " var cur = document.querySelectorAll('nav.exercise-menu a[aria-current=page]');"
            + " var last = links[links.length - 1].getBoundingClientRect();"
            + " return {links: links.length, current: cur.length === 1 ? cur[0].getAttribute('href') : null,"
            + " lastOnScreen: last.bottom <= innerHeight, label: document.querySelector('nav.exercise-menu').getAttribute('aria-label')};");
        assertEquals("/candidate/exercises/" + EX, menu.get("current"), "the current exercise is marked: " + menu);
        assertTrue(((Number) menu.get("links")).longValue() >= 3, "every exercise and the review page: " + menu);
        assertEquals(Boolean.TRUE, menu.get("lastOnScreen"), "the open menu fits the first screen: " + menu);
        Chromium.assertNoHorizontalScroll(driver, "exercise page with its menu open at " + size[0] + " px");
        Chromium.axe(driver, "exercise page with its menu open at " + size[0] + " px");
        if (size[0] == 390) {
          Chromium.docsScreenshot(driver, "candidate-exercise-390");
        }
        // the next exercise in the menu, by keyboard: Tab past the current one, Enter
        String target = (String) js(driver, "var a = document.querySelector('nav.exercise-menu a[aria-current=page]').parentElement"
            + ".nextElementSibling.querySelector('a'); return a.getAttribute('href');");
        tabTo("nav.exercise-menu a[href='" + target + "']").sendKeys(Keys.ENTER);
        Chromium.await(driver, d -> d.getCurrentUrl().endsWith(target));
        assertEquals(target, js(driver, "return document.querySelector('nav.exercise-menu a[aria-current=page]').getAttribute('href');"));
      } finally {
        Chromium.viewport(driver, 1366, 768);
      }
    }
  }

  @Test
  @DisplayName("issue 21: the review page says what the receipt holds, then offers it after submission, at 390 and 1366 px; axe clean")
  void reviewPageReceipt() {
    signIn("reviewer-page");
    for (int[] size : new int[][] {{390, 844}, {1366, 768}}) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/candidate/review");
      assertTrue(driver.findElement(By.id("receipt-promise")).getText().contains("receipt number"));
      Chromium.assertNoHorizontalScroll(driver, "review page at " + size[0] + " px");
      Chromium.axe(driver, "review page before submission at " + size[0] + " px");
    }
    Chromium.viewport(driver, 1366, 768);
    driver.findElement(By.cssSelector("#submit-form button[type=submit]")).click();
    Chromium.await(driver, d -> {
      try {
        d.switchTo().alert().accept(); // "Submit your answers now?"
        return true;
      } catch (org.openqa.selenium.NoAlertPresentException e) {
        return false;
      }
    });
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate/receipt"));
    for (int[] size : new int[][] {{390, 844}, {1366, 768}}) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/candidate/review");
      assertEquals("Your submission", driver.findElement(By.tagName("h1")).getText());
      assertEquals("Your submission", driver.findElement(By.cssSelector("header.site nav[aria-label=Assessment] a[href='/candidate/review']")).getText());
      assertTrue(driver.findElement(By.cssSelector(".receipt-box a[href='/candidate/receipt.txt']")).isDisplayed());
      Chromium.assertNoHorizontalScroll(driver, "review page after submission at " + size[0] + " px");
      Chromium.axe(driver, "review page after submission at " + size[0] + " px");
    }
    Chromium.viewport(driver, 1366, 768);
  }

  @Test
  @DisplayName("issue 21 defect 9: at 1366x768 one page scroll; no scrolling box inside another")
  void onePageScroll() {
    signIn("scrolls");
    js(driver, "document.querySelectorAll(\"section.evidence\").forEach(function (s) { s.scrollIntoView(); });");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector('.ev-row .ev-text');"));
    @SuppressWarnings("unchecked")
    List<String> nested = (List<String>) js(driver, "function scrolls(e) { var s = getComputedStyle(e);"
        + " return ((s.overflowY === 'auto' || s.overflowY === 'scroll') && e.scrollHeight > e.clientHeight + 1); }"
        + " function name(e) { return e.tagName.toLowerCase() + '.' + String(e.className).trim().replace(/\\s+/g, '.'); }"
        + " var out = []; document.querySelectorAll('main *').forEach(function (e) { if (e.tagName === 'TEXTAREA' || !scrolls(e)) return;"
        + " for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) if (scrolls(a)) { out.push(name(e) + ' inside ' + name(a)); break; } });"
        + " return out;");
    assertEquals(List.of(), nested, "scrolling boxes inside scrolling boxes");
    @SuppressWarnings("unchecked")
    List<String> panes = (List<String>) js(driver, "return Array.prototype.filter.call(document.querySelectorAll('.pane'), function (p) {"
        + " var s = getComputedStyle(p); return s.overflowY === 'auto' || s.overflowY === 'scroll'; }).map(function (p) { return p.className; });");
    assertEquals(List.of(), panes, "panes that scroll on their own");
  }
}
