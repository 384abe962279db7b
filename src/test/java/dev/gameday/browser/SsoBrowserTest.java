package dev.gameday.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.account.SsoConfig;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import java.nio.file.Path;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** Single sign-on in a real browser, through mock-oauth2-server's own login form (its interactive mode). */
@ExtendWith({ChromiumRequired.class, PostgresExtension.class})
class SsoBrowserTest {
  static MockOAuth2Server provider;
  static TestApp app;
  static ChromeDriver d;
  static String base;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    Chromium.assume();
    provider = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\": true}"));
    provider.start();
    app = TestApp.start(db, Path.of("exercises"), c -> c.withSso(SsoConfig.parse(provider.issuerUrl("default").toString(),
        "gameday-browser", null, null, null)));
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
    }
    if (provider != null) {
      provider.shutdown();
    }
  }

  @Test
  @DisplayName("the sign-in page's single sign-on link, used with the keyboard, signs a reviewer in through the provider's form")
  void signInWithSingleSignOn() {
    String email = app.account("reviewer");
    d.get(base + "/login?next=/account");
    Chromium.axe(d, "sign-in page with single sign-on");
    WebElement link = d.findElement(By.linkText("Sign in with single sign-on"));
    assertEquals("a", link.getTagName(), "a real link: focusable, announced as a link");
    link.sendKeys(Keys.ENTER);
    Chromium.await(d, x -> !x.findElements(By.name("username")).isEmpty());
    assertTrue(d.getCurrentUrl().startsWith(provider.baseUrl().toString()), d.getCurrentUrl());
    d.findElement(By.name("username")).sendKeys("sam");
    WebElement claims = d.findElement(By.name("claims"));
    claims.clear();
    claims.sendKeys("{\"email\": \"" + email + "\", \"email_verified\": true}");
    d.findElement(By.cssSelector("input[type=submit]")).click();
    Chromium.await(d, x -> x.getCurrentUrl().equals(base + "/account"));
    assertTrue(d.getPageSource().contains(email), "signed in as " + email);

    // and an unverified address: a readable refusal, with the way back
    d.manage().deleteAllCookies();
    d.get(base + "/login");
    d.findElement(By.linkText("Sign in with single sign-on")).sendKeys(Keys.ENTER);
    Chromium.await(d, x -> !x.findElements(By.name("username")).isEmpty());
    d.findElement(By.name("username")).sendKeys("sam");
    claims = d.findElement(By.name("claims"));
    claims.clear();
    claims.sendKeys("{\"email\": \"" + email + "\", \"email_verified\": false}");
    d.findElement(By.cssSelector("input[type=submit]")).click();
    Chromium.await(d, x -> x.getPageSource().contains("Email address not verified"));
    assertTrue(d.getCurrentUrl().startsWith(base + "/login/sso/callback"), d.getCurrentUrl());
    Chromium.axe(d, "single sign-on refused");
    assertTrue(d.findElement(By.linkText("Back to sign-in")).isDisplayed());
  }
}
