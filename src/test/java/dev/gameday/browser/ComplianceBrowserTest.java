package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 26 in a real browser: a candidate's privacy page (voluntary questions answered or skipped, their data, asking
 * for erasure), the recruiter's confirmation, and the compliance role's report with its charts.
 */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
class ComplianceBrowserTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static ChromeDriver driver;
  static ChromeDriver staff;
  static String base;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    base = "http://localhost:" + app.port;
    driver = Chromium.start(1366, 768);
    staff = Chromium.start(1366, 768);
  }

  @AfterAll
  static void stop() throws Exception {
    for (ChromeDriver d : new ChromeDriver[] {driver, staff}) {
      if (d != null) {
        d.quit();
      }
    }
    if (app != null) {
      app.close();
      await(vertx.close());
    }
  }

  static void signIn(ChromeDriver d, String email) {
    d.manage().deleteAllCookies();
    d.get(base + "/login");
    d.findElement(By.id("email")).sendKeys(email);
    d.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(d, x -> !x.getCurrentUrl().contains("/login"));
  }

  static void acceptConfirm(ChromeDriver d) {
    Chromium.await(d, x -> {
      try {
        x.switchTo().alert().accept();
        return true;
      } catch (org.openqa.selenium.NoAlertPresentException e) {
        return false;
      }
    });
  }

  static String main(ChromeDriver d) {
    return d.findElement(By.tagName("main")).getText();
  }

  /** Submits one answer in the browser (the page's own API call, with its CSRF header) and submits on the review page. */
  static void submitInBrowser(Created inv) {
    driver.manage().deleteAllCookies();
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    Object status = ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("""
        var done = arguments[arguments.length - 1];
        var xsrf = (document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/) || [])[1];
        fetch('/api/v1/candidate/answers/%s', {method: 'PUT', headers: {'Content-Type': 'application/json',
          'X-XSRF-TOKEN': decodeURIComponent(xsrf || '')}, body: JSON.stringify({rev: 1, sections: {summary: 'The pool was exhausted.'}})})
          .then(function (r) { done(r.status); }, function (e) { done(String(e)); });""".formatted(EX));
    assertEquals(200L, status, "the answer is saved");
    driver.get(base + "/candidate/review");
    driver.findElement(By.cssSelector("#submit-form button[type='submit']")).click();
    acceptConfirm(driver);
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate/receipt"));
  }

  @Test
  @DisplayName("two candidates submit, one answers the voluntary questions and one skips them, both download their data and ask"
      + " for erasure; the recruiter confirms; nothing about them remains in any table")
  void candidatesPrivacyAndErasure() {
    for (boolean answers : new boolean[] {true, false}) {
      String email = (answers ? "answers" : "skips") + "@example.com";
      Created inv = app.invite(answers ? "Ann Answers" : "Sid Skips", email);
      submitInBrowser(inv);
      driver.get(base + "/candidate/privacy");
      Chromium.axe(driver, "candidate privacy");
      if (answers) {
        driver.findElement(By.cssSelector("input[name='sex'][value='female']")).click();
        driver.findElement(By.cssSelector("input[name='race'][value='hispanic_latino']")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Save my answers']")).click();
        Chromium.await(driver, d -> d.getCurrentUrl().contains("saved=1"));
        assertTrue(main(driver).contains("your answers are saved"), main(driver));
      } else {
        driver.findElement(By.linkText("Skip")).click();
        Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate/receipt"));
        driver.get(base + "/candidate/privacy");
      }
      long id = app.one("select id from invitations where candidate_email = $1", email).orElseThrow().getLong(0);
      assertEquals(answers ? 1 : 0, app.sql("select 1 from self_identification where invitation_id = $1", id).size());
      // the download, as the link fetches it with the browser's session
      String data = (String) ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("""
          var done = arguments[arguments.length - 1];
          var a = document.querySelector('a[href="/candidate/privacy/data.json"]');
          fetch(a.getAttribute('href')).then(function (r) { return r.text(); }).then(done, function (e) { done(String(e)); });""");
      JsonObject doc = new JsonObject(data);
      assertEquals(email, doc.getJsonObject("invitation").getString("email"));
      assertEquals(answers ? "hispanic_latino" : null, doc.getJsonObject("selfIdentification") == null ? null
          : doc.getJsonObject("selfIdentification").getString("race"));
      driver.findElement(By.xpath("//button[normalize-space()='Ask for erasure']")).click();
      acceptConfirm(driver);
      Chromium.await(driver, d -> main((ChromeDriver) d).contains("You asked for your personal data to be erased"));

      signIn(staff, app.account("recruiter"));
      staff.get(base + "/candidates/" + id);
      assertTrue(main(staff).contains("asked for erasure"), main(staff));
      staff.findElement(By.id("reason")).sendKeys("The candidate asked.");
      staff.findElement(By.xpath("//form[contains(@action, '/erase')]//button[normalize-space()='Erase']")).click();
      acceptConfirm(staff);
      Chromium.await(staff, d -> main((ChromeDriver) d).contains("erased"));

      assertEquals(0, app.sql("select 1 from self_identification where invitation_id = $1", id).size());
      List<String> holding = new ArrayList<>();
      for (var t : app.sql("select table_name from information_schema.tables where table_schema = current_schema()"
          + " and table_type = 'BASE TABLE'")) {
        String table = t.getString(0);
        long n = app.one("select count(*) from " + table + " x where x::text ilike $1", "%" + email + "%").orElseThrow().getLong(0);
        if (n > 0) {
          holding.add(table + " (" + n + ")");
        }
      }
      assertEquals(List.of(), holding, "tables still holding " + email);
    }
  }

  @Test
  @DisplayName("the compliance role's report at 1366 and 390 px: axe finds nothing serious, each stage's chart is drawn")
  void reportPage() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    for (int i = 0; i < 12; i++) {
      Created c = app.invite("Chart " + i, "chart" + i + "@example.com");
      Browser b = new Browser(vertx, app.port);
      await(b.get("/i/" + c.token()));
      await(b.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
          .put("sections", new JsonObject().put("summary", "The pool was exhausted."))));
      String sid = await(b.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
      String page = await(b.get("/candidate/privacy")).bodyAsString();
      int at = page.indexOf("name=\"_csrf\" value=\"");
      String csrf = page.substring(at + 20, page.indexOf('"', at + 20));
      assertEquals(303, await(b.postForm("/candidate/privacy/self-id", MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf)
          .add("sex", i % 2 == 0 ? "female" : "male").add("race", "white").add("disability", "no")
          .add("veteran", "not_protected_veteran"))).statusCode());
      assertEquals(200, await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject()
          .put("decision", i % 3 == 0 ? "decline" : "advance").put("rationale", "Reasons.").put("confirmIncomplete", true)))
          .statusCode());
    }
    signIn(staff, app.account("compliance"));
    for (int[] size : new int[][] {{1366, 768}, {390, 844}}) {
      Chromium.viewport(staff, size[0], size[1]);
      staff.get(base + "/compliance?track=sre-senior&category=sex");
      Chromium.await(staff, d -> !d.findElements(By.cssSelector("figure[data-impact-chart] .uplot canvas")).isEmpty());
      @SuppressWarnings("unchecked")
      Map<String, Object> chart = (Map<String, Object>) Chromium.js(staff, """
          var f = document.querySelector('figure[data-impact-chart]'), c = f.querySelector('.uplot canvas');
          return {figures: document.querySelectorAll('figure[data-impact-chart]').length,
                  drawn: document.querySelectorAll('figure[data-impact-chart] .uplot').length,
                  width: c.getBoundingClientRect().width, figure: f.getBoundingClientRect().width,
                  legend: f.querySelector('.u-legend') ? f.querySelector('.u-legend').textContent : ''};""");
      assertEquals(chart.get("figures"), chart.get("drawn"), "every stage's chart is drawn: " + chart);
      assertTrue(((Number) chart.get("width")).doubleValue() > 100, "the chart has a size: " + chart);
      assertTrue(((Number) chart.get("width")).doubleValue() <= ((Number) chart.get("figure")).doubleValue() + 1,
          "the chart fits its figure: " + chart);
      assertTrue(String.valueOf(chart.get("legend")).contains("Selection rate"), "the legend names the series: " + chart);
      Chromium.screenshot(staff, "compliance-" + size[0]);
      Chromium.axe(staff, "compliance report " + size[0]);
      Chromium.assertNoHorizontalScroll(staff, "compliance report");
    }
  }
}
