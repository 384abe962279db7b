package dev.gameday.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The review queue's pager (issue 28: keyset paging) in a browser, keyboard only, at 1366x768 and 390x844: Older
 * shows the next 50 items, Newer brings back the first page; axe-core finds no serious problem and no page scrolls
 * sideways.
 */
class QueuePagerBrowserTest extends BrowserTest {
  static final int[][] SIZES = {{1366, 768}, {390, 844}};

  @BeforeAll
  static void queueOfTwoPages() {
    // 11 submissions of 5 exercises: 55 items, two pages (each row named by its exercise link, one per item)
    for (int i = 0; i < 11; i++) {
      app.submitted(vertx, "Pager Candidate " + i);
    }
    signInByForm(app.account("reviewer"));
  }

  static List<String> rows() {
    List<String> out = new ArrayList<>();
    driver.findElements(By.cssSelector("table tbody tr td[data-label=Exercise] a")).forEach(a -> out.add(a.getAttribute("href")));
    return out;
  }

  @Test
  @DisplayName("Older and Newer by keyboard: the second page holds the rest, Newer returns to the first; 1366 and 390 px, axe clean")
  void olderAndNewer() {
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/review?status=all");
      List<String> first = rows();
      assertEquals(50, first.size(), "a full first page");
      assertTrue(driver.findElements(By.xpath("//nav[contains(@class, 'pager')]/a[contains(., 'Newer')]")).isEmpty(),
          "no Newer on the first page");
      Chromium.js(driver, "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
      // the links are above the list as well: a keyboard reaches them before the first row, not after fifty
      tabTo("nav.pager a[href*='after=']");
      assertEquals(Boolean.TRUE, Chromium.js(driver, "return !!document.activeElement.closest('nav.pager-top');"),
          "Tab reaches Older above the list first");
      press(Keys.ENTER);
      Chromium.await(driver, d -> d.getCurrentUrl().contains("after="));
      List<String> second = rows();
      assertEquals(5, second.size(), "the five items left: " + second);
      assertTrue(second.stream().noneMatch(first::contains), "the second page holds none of the first page's items");
      assertTrue(driver.findElements(By.xpath("//nav[contains(@class, 'pager')]/a[contains(., 'Older')]")).isEmpty(),
          "no Older on the last page");
      Chromium.axe(driver, "/review second page at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/review second page at " + size[0]);
      Chromium.screenshot(driver, "review-queue-older-" + size[0]);
      Chromium.js(driver, "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
      tabTo("nav.pager a[href*='before=']");
      press(Keys.ENTER);
      Chromium.await(driver, d -> d.getCurrentUrl().contains("before="));
      assertEquals(first, rows(), "Newer shows the first page again");
      assertTrue(driver.findElements(By.xpath("//nav[contains(@class, 'pager')]/a[contains(., 'Newer')]")).isEmpty(),
          "and, being the first page, no Newer");
    }
  }
}
