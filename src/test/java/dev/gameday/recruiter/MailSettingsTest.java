package dev.gameday.recruiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MailSettingsTest {
  @Test
  @DisplayName("smtp:// uses STARTTLS when offered, ?tls=required insists, smtps:// is TLS from the start")
  void urls() {
    MailConfig plain = Mailer.settings("smtp://ann%40corp:p%3Ass@mail.example:587");
    assertEquals("mail.example", plain.getHostname());
    assertEquals(587, plain.getPort());
    assertEquals(StartTLSOptions.OPTIONAL, plain.getStarttls());
    assertFalse(plain.isSsl());
    assertEquals("ann@corp", plain.getUsername());
    assertEquals("p:ss", plain.getPassword());
    assertEquals(LoginOption.REQUIRED, plain.getLogin());
    assertEquals(StartTLSOptions.REQUIRED, Mailer.settings("smtp://u:p@mail.example:587?tls=required").getStarttls());
    MailConfig tls = Mailer.settings("smtps://u:p@mail.example");
    assertTrue(tls.isSsl());
    assertEquals(465, tls.getPort());
    assertEquals(LoginOption.DISABLED, Mailer.settings("smtp://catcher:1025").getLogin());
  }

  @Test
  @DisplayName("a bad SMTP URL or sender fails at start-up with a message that never repeats the password")
  void bad() {
    for (String url : new String[] {"http://u:secretpw@mail.example", "smtp://u:secretpw@mail.example?tls=maybe", "smtp:///nohost"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Config.fromEnvironment(Map.of("GAMEDAY_SMTP_URL", url)));
      assertTrue(e.getMessage().startsWith("GAMEDAY_SMTP_URL"), e.getMessage());
      assertFalse(e.getMessage().contains("secretpw"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_MAIL_FROM", "nobody")));
    assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("GAMEDAY_RETENTION_DAYS", "soon")));
  }

  @Test
  @DisplayName("email and retention are off by default; GAMEDAY_MAIL_FROM may carry a display name")
  void defaults() {
    Config c = Config.fromEnvironment(Map.of());
    assertFalse(c.email());
    assertEquals(0, c.retentionDays());
    Config on = Config.fromEnvironment(Map.of("GAMEDAY_SMTP_URL", "smtp://mailpit:1025", "GAMEDAY_MAIL_FROM",
        "Gameday Hiring <hiring@example.com>", "GAMEDAY_RETENTION_DAYS", "180"));
    assertTrue(on.email());
    assertEquals("Gameday Hiring <hiring@example.com>", on.mailFrom());
    assertEquals(180, on.retentionDays());
  }
}
