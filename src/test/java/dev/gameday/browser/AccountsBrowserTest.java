package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * Account administration in two real browsers at once: an admin's and the account holder's (separate Chromium
 * instances, so separate cookie jars), as in an office where one person disables another's access.
 */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
class AccountsBrowserTest {
  static TestApp app;
  static Vertx vertx;
  static ChromeDriver admin;
  static ChromeDriver holder;
  static String base;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    base = "http://localhost:" + app.port;
    admin = Chromium.start(1366, 768);
    holder = Chromium.start(1366, 768);
  }

  @AfterAll
  static void stop() throws Exception {
    for (ChromeDriver d : new ChromeDriver[] {admin, holder}) {
      if (d != null) {
        d.quit();
      }
    }
    if (app != null) {
      app.close();
      await(vertx.close());
    }
  }

  static void signIn(ChromeDriver d, String email, String landing) {
    d.manage().deleteAllCookies();
    d.get(base + "/login");
    d.findElement(By.id("email")).sendKeys(email);
    d.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(d, x -> x.getCurrentUrl().endsWith(landing));
  }

  static WebElement row(String email) {
    return admin.findElement(By.xpath("//table[caption='Reviewers, recruiters and admins']//tr[td[normalize-space()='" + email + "']]"));
  }

  static String heading(ChromeDriver d) {
    return d.findElement(By.tagName("h1")).getText();
  }

  @Test
  @DisplayName("an admin disables an account in one browser: the live session in the other browser ends at its next page")
  void disableEndsLiveSession() {
    signIn(admin, app.account("admin"), "/review");
    String email = app.account("reviewer");
    signIn(holder, email, "/review");
    holder.get(base + "/review/calibration");
    assertTrue(holder.getCurrentUrl().endsWith("/review/calibration"));

    admin.get(base + "/admin/accounts");
    Chromium.axe(admin, "admin accounts");
    row(email).findElement(By.xpath(".//button[normalize-space()='Disable']")).click();
    admin.switchTo().alert().accept();
    Chromium.await(admin, d -> d.getCurrentUrl().endsWith("/admin/accounts?done=disabled"));
    assertTrue(admin.getPageSource().contains("The account is disabled"));
    assertTrue(row(email).getText().contains("disabled"), row(email).getText());

    holder.navigate().refresh();
    String page = holder.findElement(By.tagName("main")).getText();
    assertTrue(page.contains("not signed in") || page.contains("Sign in"), page);
    holder.get(base + "/login");
    holder.findElement(By.id("email")).sendKeys(email);
    holder.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(holder, d -> d.findElement(By.tagName("main")).getText().contains("not right"));
  }

  @Test
  @DisplayName("an admin makes a reviewer a recruiter: the holder's very next request has the new role")
  void roleChangeOnNextRequest() {
    signIn(admin, app.account("admin"), "/review");
    String email = app.account("reviewer");
    signIn(holder, email, "/review");
    holder.get(base + "/candidates");
    assertTrue(holder.findElement(By.tagName("main")).getText().contains("Only recruiters and admins"), "a reviewer never sees candidates");

    admin.get(base + "/admin/accounts");
    new Select(row(email).findElement(By.tagName("select"))).selectByValue("recruiter");
    row(email).findElement(By.xpath(".//button[normalize-space()='Change role']")).click();
    Chromium.await(admin, d -> d.getCurrentUrl().endsWith("/admin/accounts?done=role"));

    holder.get(base + "/candidates");
    assertTrue(heading(holder).contains("Candidates"), heading(holder));
    holder.get(base + "/review");
    assertTrue(holder.findElement(By.tagName("main")).getText().contains("may not"), "a recruiter never reaches review");
  }

  @Test
  @DisplayName("a password reset link an admin passes on works once in the holder's browser")
  void resetLinkWorksOnce() {
    signIn(admin, app.account("admin"), "/review");
    String email = app.account("reviewer");
    admin.get(base + "/admin/accounts");
    row(email).findElement(By.xpath(".//button[normalize-space()='Reset password']")).click();
    Chromium.await(admin, d -> d.getCurrentUrl().endsWith("/admin/accounts?done=reset_link"));
    String link = admin.findElement(By.cssSelector(".notice code.hash")).getText();
    assertTrue(link.startsWith(base + "/password/reset/"), link);

    holder.manage().deleteAllCookies();
    holder.get(link);
    Chromium.await(holder, d -> d.getCurrentUrl().endsWith("/password/reset"));
    Chromium.axe(holder, "choose a new password");
    holder.findElement(By.id("password")).sendKeys("a brand new passphrase");
    holder.findElement(By.id("password2")).sendKeys("a brand new passphrase", Keys.ENTER);
    Chromium.await(holder, d -> d.getCurrentUrl().endsWith("/login?done=password"));
    holder.findElement(By.id("email")).sendKeys(email);
    holder.findElement(By.id("password")).sendKeys("a brand new passphrase", Keys.ENTER);
    Chromium.await(holder, d -> d.getCurrentUrl().endsWith("/review"));
    holder.findElement(By.linkText("Person " + email.replaceAll("\\D", ""))).click();
    Chromium.await(holder, d -> d.getCurrentUrl().endsWith("/account"));
    assertTrue(holder.findElement(By.tagName("main")).getText().contains("this session"));
    Chromium.axe(holder, "your account");
    holder.get(base + "/password/forgot");
    Chromium.axe(holder, "forgot password");
    holder.get(link);
    assertTrue(heading(holder).contains("not valid"), "the link works once: " + heading(holder));
  }
}
