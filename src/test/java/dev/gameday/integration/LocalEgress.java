package dev.gameday.integration;

import dev.gameday.Config;
import java.time.Duration;
import java.util.List;

/**
 * Tests' receivers listen on loopback, which the egress policy refuses: tests that need them allow loopback the way
 * an admin would (GAMEDAY_EGRESS_ALLOW), and list http://127.0.0.1 as the Greenhouse host, rather than weakening
 * the policy.
 */
final class LocalEgress {
  private LocalEgress() {
  }

  static Config allow(Config c) {
    return c.withIntegrations(new Config.Integrations(Egress.parse("127.0.0.0/8, ::1"),
        List.of("app.greenhouse.io", "http://127.0.0.1")));
  }

  /** Shortens a delivery's total deadline (10 s in production) so a test of it waits less. */
  static void deadline(Webhooks webhooks, Duration d) {
    webhooks.deadline(d);
  }
}
