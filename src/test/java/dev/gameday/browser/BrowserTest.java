package dev.gameday.browser;

import static dev.gameday.Gameday.await;

import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The set-up a browser test class shares: the whole application on the test Postgres and one headless Chromium at
 * 1366x768 for the class. Skipped, with a message naming the Debian packages, where Chromium is absent.
 */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
abstract class BrowserTest {
  static TestApp app;
  static Vertx vertx;
  static ChromeDriver driver;
  static String base;

  @BeforeAll
  static void startBrowserApp(TestDatabase db) throws Exception {
    Chromium.assume();
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    base = "http://localhost:" + app.port;
    driver = Chromium.start(1366, 768);
  }

  @AfterAll
  static void stopBrowserApp() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (app != null) {
      app.close();
      await(vertx.close());
    }
    driver = null;
    app = null;
    vertx = null;
    base = null;
  }

  /** Signs in at /login as {@code email} with {@link TestApp#PASSWORD}, from a browser without cookies. */
  static void signInByForm(String email) {
    driver.manage().deleteAllCookies();
    driver.get(base + "/login");
    driver.findElement(org.openqa.selenium.By.id("email")).sendKeys(email);
    driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(TestApp.PASSWORD, org.openqa.selenium.Keys.ENTER);
    Chromium.await(driver, d -> !d.getCurrentUrl().contains("/login"));
  }

  /** Presses Tab until the focused element matches {@code selector} ({@link Chromium#tabTo}). */
  static WebElement tabTo(String selector) {
    return Chromium.tabTo(driver, selector);
  }

  /** Types {@code keys} into whatever has the focus. */
  static void press(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }
}
