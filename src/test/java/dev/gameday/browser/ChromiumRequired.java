package dev.gameday.browser;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a browser test class, before anything starts (no Postgres, no server), where Debian's Chromium or ChromeDriver
 * is missing; the reason names the packages to install.
 */
final class ChromiumRequired implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return Chromium.present() ? ConditionEvaluationResult.enabled("Chromium and ChromeDriver found")
        : ConditionEvaluationResult.disabled(Chromium.missingMessage());
  }
}
