package dev.gameday;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the node tests of the pages' scripts (src/test/js) with node's built-in runner; skipped without node. */
class PageScriptsTest {
  @Test
  @DisplayName("the page scripts' node tests pass (local times name their zone; save status messages)")
  void nodeTests() throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("node", "--test", "src/test/js/").redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "node is not installed (Debian package: nodejs); the page-script tests are skipped");
      return;
    }
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertEquals(0, done ? p.exitValue() : -1, out);
  }
}
