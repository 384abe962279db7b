package dev.gameday.browser;

import static dev.gameday.browser.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, beyond the minimum: the exercise page as a screen reader gets it, from Chrome's accessibility tree (CDP
 * Accessibility.getFullAXTree): the chart, its readout, log lines, the Write/Preview buttons and the save status.
 */
class AccessibilityTreeTest extends BrowserTest {
  @SuppressWarnings("unchecked")
  static List<String> tree() {
    Map<String, Object> res = driver.executeCdpCommand("Accessibility.getFullAXTree", Map.of());
    List<String> out = new ArrayList<>();
    for (Map<String, Object> n : (List<Map<String, Object>>) res.get("nodes")) {
      if (Boolean.TRUE.equals(n.get("ignored"))) {
        continue;
      }
      Object role = n.get("role") == null ? null : ((Map<String, Object>) n.get("role")).get("value");
      Object name = n.get("name") == null ? null : ((Map<String, Object>) n.get("name")).get("value");
      String pressed = "";
      for (Map<String, Object> prop : (List<Map<String, Object>>) n.getOrDefault("properties", List.of())) {
        if ("pressed".equals(prop.get("name"))) {
          pressed = " [pressed=" + ((Map<String, Object>) prop.get("value")).get("value") + "]";
        }
      }
      out.add(role + " | " + (name == null ? "" : name) + pressed);
    }
    return out;
  }

  static boolean has(List<String> t, String role, String nameRegex) {
    return t.stream().anyMatch(s -> s.matches("(?s)(?i)(" + role + ") \\| " + nameRegex));
  }

  @Test
  @DisplayName("the accessibility tree names the chart, its readout, log lines, the Write/Preview buttons and the save status")
  void namesAndRoles() {
    driver.manage().deleteAllCookies();
    var inv = app.invite("Tree Candidate", "tree@example.com");
    driver.get(base + "/i/" + inv.token());
    Chromium.await(driver, d -> d.getCurrentUrl().endsWith("/candidate"));
    driver.get(base + "/candidate/exercises/incident-postmortem");
    String chart = "section.evidence[data-name='edge-metrics.csv']";
    js(driver, "document.querySelector(\"" + chart + "\").scrollIntoView();");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector(\"" + chart + " .u-over\");"));
    js(driver, "var c = document.querySelector(\"" + chart + " .ev-chart\"); c.focus(); c.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));");
    js(driver, "document.querySelector(\"section.evidence[data-kind='log']\").scrollIntoView();");
    Chromium.await(driver, d -> (Boolean) js(d, "return !!document.querySelector('.ev-row .ev-ln');"));
    // the log viewers draw their lines as they come into view: on a busy machine another log file (one whose first
    // lines are its header) can be drawn before the timestamped one, so wait until the tree names a timestamped line
    Chromium.await(driver, d -> has(tree(), "button", "Cite line 1: 2026-.*"));
    List<String> t = tree();
    assertTrue(has(t, "application", "Requests chart\\. Arrow keys.*"), "the chart: " + sample(t, "chart"));
    // a status region's text is read from its content (a status has no name of its own)
    assertTrue(has(t, "status", ".*") && has(t, "StaticText", ".*\\d\\d:\\d\\d:\\d\\d UTC: requests_per_s .*"),
        "the chart's readout: " + sample(t, "requests_per_s"));
    assertTrue(has(t, "button", "Cite line 1: 2026-.*"), "log lines: " + sample(t, "Cite line"));
    assertTrue(has(t, "button|togglebutton", "Write \\[pressed=true\\]") && has(t, "button|togglebutton", "Preview \\[pressed=false\\]"),
        "Write and Preview, the selected one pressed: " + sample(t, "Write") + sample(t, "Preview"));
  }

  static String sample(List<String> t, String word) {
    return t.stream().filter(s -> s.contains(word)).limit(5).toList().toString();
  }
}
