package dev.gameday.browser;

import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.LabelledCsvTest;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/** A metrics CSV with label columns (pod, version) is drawn as a small dashboard on the candidate's exercise page. */
@ExtendWith(PostgresExtension.class)
class DashboardTest {
  @TempDir
  static Path tmp;
  static TestApp app;
  static ChromeDriver driver;
  static String base;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db, LabelledCsvTest.libraryWithPods(tmp, LabelledCsvTest.PODS_CSV, LabelledCsvTest.PODS_EVIDENCE));
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
    }
  }

  /** The lines drawn on the file's chart (uPlot's legend rows, less the time). */
  static List<String> lines(WebElement section) {
    List<String> out = new ArrayList<>();
    for (WebElement s : section.findElements(By.cssSelector(".u-legend .u-series"))) {
      out.add(s.findElement(By.cssSelector(".u-label")).getText());
    }
    return out.subList(1, out.size());
  }

  static List<String> trail(Created inv) {
    List<String> out = new ArrayList<>();
    app.sql("select kind, detail from trail_events where invitation_id = $1 order by at, id", inv.id())
        .forEach(r -> out.add(r.getString("kind") + " " + r.getString("detail")));
    return out;
  }

  @Test
  @DisplayName("lines group by a label, label values filter the lines and the data table, rows combine by mean or max; the trail records it")
  void dashboard() {
    Created inv = app.invite("Dana Dashboard", "dana@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/toil-automation");
    WebElement section = driver.findElement(By.cssSelector("section.evidence[data-name='pods.csv']"));
    js(driver, "arguments[0].scrollIntoView({block: 'start'});", section);
    Chromium.await(driver, d -> !section.findElements(By.cssSelector(".ev-chart")).isEmpty());
    assertEquals(List.of("p99_ms \u00b7 pod=api-1", "p99_ms \u00b7 pod=api-2", "p99_ms \u00b7 pod=api-3"), lines(section),
        "grouped by the first label at first: one line per pod");

    // show only two pods: the chart and the data table follow
    section.findElement(By.xpath(".//label[normalize-space()='api-3 3']")).click();
    Chromium.await(driver, d -> lines(section).size() == 2);
    WebElement summary = section.findElement(By.cssSelector(".ev-table-details summary"));
    assertTrue(summary.getText().contains("6 rows, only pod: api-1, api-2"), summary.getText());
    summary.click();
    // the table is built on the details' toggle event, which the browser fires a task after the click
    Chromium.await(driver, d -> !section.findElements(By.cssSelector(".ev-table tbody tr")).isEmpty());
    assertEquals(6, section.findElements(By.cssSelector(".ev-table tbody tr")).size());

    // one line for all pods shown, combined by mean, then by max
    new Select(section.findElement(By.cssSelector("select[id$='-group']"))).selectByValue("");
    Chromium.await(driver, d -> lines(section).equals(List.of("p99_ms")));
    // the chart's text summary is its description (its name says how to use it by keyboard)
    String mean = described(section.findElement(By.cssSelector(".ev-chart")));
    assertTrue(mean.contains("p99_ms from 185 to 190"), mean);
    new Select(section.findElement(By.cssSelector("select[id$='-combine']"))).selectByValue("max");
    Chromium.await(driver, d -> described(section.findElement(By.cssSelector(".ev-chart"))).contains("p99_ms from 188 to 195"));
    Chromium.axe(driver, "candidate exercise with a labelled CSV");
    Chromium.screenshot(driver, "dashboard-1366");

    Chromium.await(driver, d -> {
      List<String> t = trail(inv);
      return t.contains("filter pod: api-1, api-2") && t.contains("group by nothing, rows at the same time combined by max")
          && t.stream().anyMatch(e -> e.startsWith("table"));
    });
  }

  static String described(WebElement chart) {
    return (String) Chromium.js(driver, "return document.getElementById(arguments[0].getAttribute('aria-describedby').split(' ')[0]).textContent;", chart);
  }
}
