package dev.gameday.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium and ChromeDriver, headless, for the browser journeys. Both executables are named explicitly, so
 * Selenium Manager never looks for (or downloads) a browser or a driver. Where they are absent, {@link #assume()}
 * skips the calling tests with a message naming the Debian packages.
 */
final class Chromium {
  static final Path BROWSER = Path.of(System.getProperty("gameday.chromium", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("gameday.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Path AXE_REPORT = Path.of("target", "axe-report.txt");
  static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

  private Chromium() {
  }

  static boolean present() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  static String missingMessage() {
    return "browser tests skipped: " + BROWSER + " or " + DRIVER + " is missing (install the Debian packages "
        + "chromium chromium-driver: apt-get install chromium chromium-driver)";
  }

  /** For a test that needs the browser: skips it (a JUnit assumption) where Chromium is missing. */
  static void assume() {
    Assumptions.assumeTrue(present(), missingMessage());
  }

  static ChromeDriver start(int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--window-size=" + width + "," + height, "--lang=en-US", "--force-device-scale-factor=1");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    viewport(driver, width, height);
    return driver;
  }

  /** Makes the layout viewport exactly width x height CSS pixels (window.innerWidth == width). */
  static void viewport(ChromeDriver driver, int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  static <T> T await(WebDriver driver, Function<WebDriver, T> condition) {
    // A condition that reads an element while the page is being replaced (after a form POST's redirect) finds the old
    // page's element gone: that is "not yet", not a failure (AdminEmailsBrowserTest failed CI on it once).
    return new WebDriverWait(driver, Duration.ofSeconds(20)).pollingEvery(Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
  }

  /** Presses Tab until the focused element matches {@code selector} (as a keyboard user would); fails after 600 presses. */
  static org.openqa.selenium.WebElement tabTo(WebDriver driver, String selector) {
    for (int i = 0; i < 600; i++) {
      new org.openqa.selenium.interactions.Actions(driver).sendKeys(org.openqa.selenium.Keys.TAB).perform();
      if (Boolean.TRUE.equals(js(driver, "return document.activeElement && document.activeElement.matches(arguments[0]);", selector))) {
        return driver.switchTo().activeElement();
      }
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  static Object js(WebDriver driver, String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static void screenshot(ChromeDriver driver, String name) {
    screenshot(driver, SCREENSHOTS, name);
  }

  private static void screenshot(ChromeDriver driver, Path dir, String name) {
    try {
      Files.createDirectories(dir);
      File f = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(f.toPath(), dir.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the browser suite writes the screenshots the README and docs show (overwritten by each run). */
  static final Path DOCS_SCREENSHOTS = Path.of("docs", "screenshots");

  /** The current viewport as docs/screenshots/{name}.png, for the README (issue 21: produced by the suite, not by hand). */
  static void docsScreenshot(ChromeDriver driver, String name) {
    screenshot(driver, DOCS_SCREENSHOTS, name);
  }

  /**
   * Runs axe-core with the WCAG 2.2 AA tags on the current page: fails on any serious or critical violation; writes
   * every violation (any impact) to target/axe-report.txt.
   */
  static void axe(WebDriver driver, String page) {
    Results results = new AxeBuilder().withTags(WCAG_TAGS).analyze(driver);
    List<Rule> violations = results.getViolations();
    String all = violations.stream().map(v -> v.getImpact() + " " + v.getId() + " (" + v.getNodes().size() + "): "
        + v.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", ")))
        .collect(Collectors.joining("; "));
    try {
      Files.createDirectories(AXE_REPORT.getParent());
      Files.writeString(AXE_REPORT, page + " " + driver.getCurrentUrl().replaceAll("https?://[^/]+", "") + ": "
          + results.getPasses().size() + " rules passed, " + violations.size() + " violated"
          + (all.isEmpty() ? "" : ": " + all) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Rule> bad = violations.stream().filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact())).toList();
    if (!bad.isEmpty()) {
      fail("axe-core on " + page + " (" + driver.getCurrentUrl() + "): " + bad.stream().map(v -> v.getImpact() + " "
          + v.getId() + ": " + v.getHelp() + " at " + v.getNodes().stream().limit(5)
          .map(n -> n.getTarget() + " " + n.getFailureSummary()).collect(Collectors.joining(" | ")))
          .collect(Collectors.joining("\n")));
    }
  }

  /** No horizontal page scroll: the document is no wider than the viewport. */
  static void assertNoHorizontalScroll(WebDriver driver, String page) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) js(driver, "return {sw: document.documentElement.scrollWidth,"
        + " iw: window.innerWidth, widest: (function () { var w = null, best = 0;"
        + " document.querySelectorAll('body *').forEach(function (e) { var r = e.getBoundingClientRect();"
        + " if (r.right > best) { best = r.right; w = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : ''); } });"
        + " return w + ' right=' + Math.round(best); })()};");
    long sw = ((Number) m.get("sw")).longValue();
    long iw = ((Number) m.get("iw")).longValue();
    assertTrue(sw <= iw, page + " at " + iw + " px scrolls sideways: the page is " + sw + " px wide; widest: " + m.get("widest"));
  }

  static Dimension size(WebDriver driver) {
    Number w = (Number) js(driver, "return window.innerWidth;");
    Number h = (Number) js(driver, "return window.innerHeight;");
    return new Dimension(w.intValue(), h.intValue());
  }
}
