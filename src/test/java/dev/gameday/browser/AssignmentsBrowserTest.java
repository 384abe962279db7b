package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.TestApp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * Review assignments (issue 21) in a browser set to Berlin time, keyboard only, at 1366x768 and 390x844: an admin
 * ticks a reviewer, types the due date in their own time zone and assigns; the overview says when it is due; the
 * reviewer's queue lists it first. axe-core finds no serious problem and no page scrolls sideways.
 */
class AssignmentsBrowserTest extends BrowserTest {
  static final int[][] SIZES = {{1366, 768}, {390, 844}};
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static String reviewerEmail;
  static long reviewer;

  @BeforeAll
  static void signIn() {
    driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", BERLIN.getId()));
    reviewerEmail = app.account("reviewer");
    reviewer = app.one("select id from accounts where email = $1", reviewerEmail).orElseThrow().getLong("id");
    signInAs(app.account("admin"));
  }

  @AfterAll
  static void utcAgain() {
    if (driver != null) {
      driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
    }
  }

  static void signInAs(String email) {
    Chromium.viewport(driver, 1366, 768);
    driver.manage().deleteAllCookies();
    driver.get(base + "/login");
    driver.findElement(By.id("email")).sendKeys(email);
    driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> !d.getCurrentUrl().contains("/login"));
  }

  @Test
  @DisplayName("assign by keyboard with a due date in the admin's zone, read the overview, then the reviewer's queue: "
      + "at 1366 and 390 px, axe clean, no sideways scroll")
  void assignByKeyboard() {
    String[] sids = new String[SIZES.length];
    for (int n = 0; n < SIZES.length; n++) {
      int[] size = SIZES[n];
      Chromium.viewport(driver, size[0], size[1]);
      sids[n] = app.submitted(vertx, "Assign" + size[0] + " Candidate");
      driver.get(base + "/review/assignments/new?submission=" + sids[n]);
      assertTrue(driver.findElement(By.cssSelector("[data-zone-name]")).getText().contains("Europe/Berlin"),
          "the form names the zone the date is read in");
      Chromium.axe(driver, "/review/assignments/new at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/review/assignments/new");

      LocalDateTime due = LocalDateTime.now(BERLIN).plusDays(3).withHour(17).withMinute(30).truncatedTo(ChronoUnit.MINUTES);
      js(driver, "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
      tabTo("input[name=reviewer][value='" + reviewer + "']");
      press(Keys.SPACE);
      tabTo("#due");
      // Chromium's date-and-time field in en-US: month, day, year, hour, minute, AM/PM; typing moves on by itself
      press(due.format(DateTimeFormatter.ofPattern("MMddyyyy", Locale.ROOT)));
      press(Keys.TAB, "0530P");
      assertEquals(due.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")), js(driver, "return document.getElementById('due').value;"));
      Chromium.screenshot(driver, "issue21-assign-form-" + size[0]);
      tabTo("form.stack button[type=submit]");
      java.time.Instant sent = java.time.Instant.now();
      press(Keys.ENTER);
      Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/review/assignments")
          && d.findElement(By.tagName("main")).getText().contains("reviews assigned."));
      String sid = sids[n];
      OffsetDateTime stored = app.one("""
          select due_at from review_assignments where submission_id = $1::uuid and exercise_id = 'incident-postmortem'""", sid)
          .orElseThrow().getOffsetDateTime("due_at");
      assertEquals(due.atZone(BERLIN).toInstant(), stored.toInstant(), "the due date is the time typed, in Berlin");
      String row = (String) js(driver, "var a = document.querySelector('main a[href=\"/review/" + sid
          + "/incident-postmortem\"]'); return a.closest('tr').innerText;");
      // how far 17:30 in three days is depends on the time of day the test runs (from 00:20 in Berlin it is 3 days
      // 17 hours: "Due in 4 days"), so the words expected are the page's own rule's at the moment it was rendered
      java.time.Instant shown = java.time.Instant.now();
      assertTrue(row.contains(dev.gameday.review.Assignments.dueText(stored, sent))
          || row.contains(dev.gameday.review.Assignments.dueText(stored, shown)), row);
      assertTrue(row.contains("Due in 3 days") || row.contains("Due in 2 days") || row.contains("Due in 4 days"), row);
      assertTrue(row.contains("17:30 GMT+1"), "the due time in the reader's zone: " + row);
      Chromium.axe(driver, "/review/assignments at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/review/assignments");
      Chromium.screenshot(driver, "issue21-assignments-" + size[0]);
    }

    signInAs(reviewerEmail);
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      driver.get(base + "/review");
      String main = driver.findElement(By.tagName("main")).getText();
      int assigned = main.indexOf("Assigned to you");
      assertTrue(assigned >= 0 && assigned < main.indexOf("All answers"), main);
      for (String sid : sids) {
        assertEquals(1L, js(driver, "return document.querySelectorAll('#assigned-h ~ div a[href=\"/review/" + sid
            + "/incident-postmortem\"]').length;"), "assigned item listed first: " + sid);
      }
      Chromium.screenshot(driver, "issue21-assigned-queue-" + size[0]);
      Chromium.axe(driver, "/review with assignments at " + size[0]);
      Chromium.assertNoHorizontalScroll(driver, "/review with assignments");
    }
    Chromium.viewport(driver, 1366, 768);
  }
}
