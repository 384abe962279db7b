package dev.gameday.browser;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.account.Totp;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** Two-factor enrolment and sign-in in a real browser, with codes computed from the secret the page shows. */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
class TwoFactorBrowserTest {
  static TestApp app;
  static Vertx vertx;
  static ChromeDriver d;
  static String base;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db, Path.of("exercises"), c -> c.withStaff(new Config.Staff(120, 12, List.of("recruiter"))));
    vertx = Vertx.vertx();
    base = "http://localhost:" + app.port;
    d = Chromium.start(1366, 768);
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.quit();
    }
    if (app != null) {
      app.close();
      await(vertx.close());
    }
  }

  static void password(String email, String landing) {
    d.manage().deleteAllCookies();
    d.get(base + "/login");
    d.findElement(By.id("email")).sendKeys(email);
    d.findElement(By.id("password")).sendKeys(TestApp.PASSWORD, Keys.ENTER);
    Chromium.await(d, x -> x.getCurrentUrl().endsWith(landing));
  }

  @Test
  @DisplayName("a recruiter (role requires two-factor) is sent to enrolment, enrols with the QR page's secret, then signs in with a code")
  void enrolAndSignIn() {
    String email = app.account("recruiter");
    password(email, "/account/2fa");
    d.get(base + "/candidates");
    assertTrue(d.getCurrentUrl().endsWith("/account/2fa"), "nothing else until enrolled: " + d.getCurrentUrl());
    assertTrue(d.getPageSource().contains("Your role must use two-factor authentication"));
    Chromium.axe(d, "two-factor off");

    d.findElement(By.xpath("//button[normalize-space()='Set up two-factor authentication']")).click();
    Chromium.await(d, x -> !x.findElements(By.id("secret")).isEmpty());
    WebElement qr = d.findElement(By.cssSelector("img.qr"));
    assertTrue(((Number) d.executeScript("return arguments[0].naturalWidth", qr)).intValue() > 0, "the QR code's SVG renders");
    assertTrue(qr.getAttribute("alt").contains("QR code"));
    Chromium.axe(d, "two-factor enrolment");
    byte[] secret = Totp.fromBase32(d.findElement(By.id("secret")).getText());
    d.findElement(By.id("code")).sendKeys(Totp.code(secret, Totp.step(System.currentTimeMillis() / 1000)), Keys.ENTER);
    Chromium.await(d, x -> x.getCurrentUrl().endsWith("/account/2fa?done=enabled"));
    List<WebElement> codes = d.findElements(By.cssSelector(".recovery-codes li"));
    assertEquals(10, codes.size());
    Chromium.axe(d, "two-factor recovery codes");
    d.get(base + "/candidates");
    assertTrue(d.getCurrentUrl().endsWith("/candidates"), "enrolled: the rest of the app opens");

    password(email, "/login/code");
    Chromium.axe(d, "sign-in code");
    d.findElement(By.id("code")).sendKeys("000000", Keys.ENTER);
    Chromium.await(d, x -> x.getCurrentUrl().contains("problem=wrong_code"));
    assertTrue(d.findElement(By.cssSelector("[role=alert]")).getText().contains("not right"));
    Chromium.axe(d, "sign-in code, wrong");
    // the step after the enrolment's: the enrolment's own code is spent
    d.findElement(By.id("code")).sendKeys(Totp.code(secret, Totp.step(System.currentTimeMillis() / 1000) + 1), Keys.ENTER);
    Chromium.await(d, x -> x.getCurrentUrl().endsWith("/candidates"));
  }
}
