package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** Issue 21 ("In real hands"): the defects that show on screen, at 1366x768 and on a 390x844 phone. */
class InRealHandsBrowserTest extends BrowserTest {
  static final int[][] SIZES = {{1366, 768}, {390, 844}};
  static String adminEmail;
  static String sid;

  @BeforeAll
  static void data() {
    adminEmail = app.account("admin");
    Browser admin = app.signIn(vertx, adminEmail);
    await(admin.post("/api/v1/admin/webhooks", new JsonObject().put("url", "https://hooks.example.com/a-rather-long/path/for-gameday")
        .put("events", new JsonArray().add("submission.created").add("decision.recorded"))));
    app.sql("update webhook_endpoints set disabled_at = now()"); // nowhere: nothing is sent
    await(app.app.apiTokens.create("setup", "Greenhouse production integration", List.of("invitations:read", "invitations:write"), 365));
    Created c = app.invite("Tess Table", "tess@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/incident-postmortem", new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool ran dry."))));
    sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    app.invite("Olga Open", "olga@example.com");
    Chromium.viewport(driver, 1366, 768);
    driver.get(base + "/login");
    driver.findElement(By.id("email")).sendKeys(adminEmail);
    driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/review"));
  }

  static void zone(String tz) {
    driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", tz));
  }

  @Test
  @DisplayName("defect 4: at 390 px the tables of /admin/tokens, /admin/webhooks and the review queue stack or scroll in a labelled region; no cell is crushed")
  void narrowTables() {
    for (int[] size : SIZES) {
      Chromium.viewport(driver, size[0], size[1]);
      for (String page : List.of("/admin/tokens", "/admin/webhooks", "/review?status=all")) {
        driver.get(base + page);
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) js(driver, """
            var out = [];
            document.querySelectorAll('main table').forEach(function (t, n) {
              var cells = t.querySelectorAll('tbody td');
              var stacked = cells.length > 0 && getComputedStyle(cells[0]).display !== 'table-cell';
              var region = t.closest('.table-scroll');
              var labelled = region && region.getAttribute('tabindex') === '0' && region.getAttribute('role') === 'region'
                  && region.getAttribute('aria-label');
              if (window.innerWidth < 500 && !stacked && !labelled) { out.push('table ' + n + ' neither stacks nor scrolls in a focusable, labelled region'); }
              cells.forEach(function (td) {
                var text = td.textContent.trim();
                if (text.length > 8 && td.getBoundingClientRect().width < 64) { out.push('crushed (' + Math.round(td.getBoundingClientRect().width) + ' px): ' + text.slice(0, 30)); }
              });
            });
            if (document.documentElement.scrollWidth > window.innerWidth + 1) { out.push('the page scrolls sideways'); }
            return out;""");
        assertEquals(List.of(), problems, page + " at " + size[0] + " px");
        Chromium.screenshot(driver, "issue21-" + page.replaceAll("[^a-z]+", "-") + size[0]);
      }
    }
    Chromium.viewport(driver, 1366, 768);
  }

  @Test
  @DisplayName("defect 7: every time reads one way, in the viewer's zone with its name; deadlines also say how far away they are")
  void oneTimeFormat() {
    for (String tz : List.of("Europe/Berlin", "America/New_York")) {
      zone(tz);
      for (int[] size : SIZES) {
        Chromium.viewport(driver, size[0], size[1]);
        for (String page : List.of("/candidates", "/admin/tokens", "/review/" + sid, "/admin/audit")) {
          driver.get(base + page);
          @SuppressWarnings("unchecked")
          List<String> texts = (List<String>) js(driver,
              "return Array.from(document.querySelectorAll('main time[datetime]')).map(function (t) { return t.textContent; });");
          assertTrue(!texts.isEmpty(), page);
          for (String t : texts) {
            assertTrue(t.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d (CET|CEST|GMT\\+1|EST|EDT|GMT-5)( \\((in|\\d).*\\))?"),
                page + " in " + tz + ": '" + t + "'");
          }
        }
        driver.get(base + "/candidates");
        String deadline = driver.findElement(By.cssSelector("td[data-label='Deadline'] time")).getText();
        assertTrue(deadline.matches(".* \\(in [67] days\\)"), "a deadline says how far away it is: " + deadline);
      }
    }
    zone("UTC");
    Chromium.viewport(driver, 1366, 768);
  }

  @Test
  @DisplayName("acceptance: the recruiter list at 1366x768 fits the window and lists the candidates; its screenshot for the README")
  void recruiterListScreenshot() {
    Chromium.viewport(driver, 1366, 768);
    driver.get(base + "/candidates");
    String names = driver.findElement(By.tagName("main")).getText();
    assertTrue(names.contains("Tess Table") && names.contains("Olga Open"), "both candidates listed: " + names);
    Chromium.assertNoHorizontalScroll(driver, "/candidates at 1366 px");
    js(driver, "window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();");
    Chromium.docsScreenshot(driver, "recruiter-candidates-1366");
  }

  @Test
  @DisplayName("defect 5: Submit review asks first; dismissing the question submits nothing")
  void submitAsks() {
    driver.get(base + "/review/" + sid + "/incident-postmortem");
    driver.findElements(By.cssSelector("fieldset.criterion[data-criterion]")).forEach(fs ->
        js(driver, "arguments[0].querySelector('input[type=radio][value=\"3\"]').click();", fs));
    js(driver, "document.querySelector('input[name=recommendation][value=yes]').click();");
    js(driver, "document.querySelector('button[value=submit]').click();");
    Alert a = Chromium.await(driver, d -> {
      try {
        return d.switchTo().alert();
      } catch (org.openqa.selenium.NoAlertPresentException e) {
        return null;
      }
    });
    assertTrue(a.getText().contains("final"), a.getText());
    a.dismiss();
    assertEquals(0L, app.one("select count(*) as n from reviews where submission_id = $1::uuid and state = 'submitted'", sid)
        .orElseThrow().getLong("n"));
  }

  @Test
  @DisplayName("features: keys 1-4 set the focused criterion's level; a secret shown once has a Copy button that copies it")
  void keysAndCopy() {
    driver.get(base + "/review/" + sid + "/incident-postmortem");
    org.openqa.selenium.WebElement first = driver.findElement(By.cssSelector("fieldset.criterion[data-criterion] input[type=radio]"));
    js(driver, "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", first);
    driver.switchTo().activeElement().sendKeys("3");
    assertEquals("3", js(driver, "var fs = document.querySelector('fieldset.criterion[data-criterion]');"
        + " var c = fs.querySelector('input[type=radio]:checked'); return c && c.value;"));
    driver.switchTo().activeElement().sendKeys("1");
    assertEquals("1", js(driver, "return document.querySelector('fieldset.criterion[data-criterion] input[type=radio]:checked').value;"));

    driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", base,
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    driver.get(base + "/admin/tokens");
    driver.findElement(By.id("token-name")).sendKeys("Copy test");
    driver.findElement(By.cssSelector("input[name=scope][value='invitations:read']")).click();
    driver.findElement(By.xpath("//button[normalize-space()='Create token']")).click();
    org.openqa.selenium.WebElement copy = Chromium.await(driver, d -> d.findElement(By.cssSelector("button.copy")));
    String secret = driver.findElement(By.cssSelector(".notice code.hash")).getText();
    assertTrue(copy.isDisplayed());
    copy.click();
    Chromium.await(driver, d -> copy.getText().equals("Copied"));
    Object pasted = driver.executeAsyncScript("var done = arguments[0]; navigator.clipboard.readText().then(done, function (e) { done('ERROR ' + e); });");
    assertEquals(secret, pasted);
  }
}
