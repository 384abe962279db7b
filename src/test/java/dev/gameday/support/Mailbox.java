package dev.gameday.support;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/** What a test's GreenMail server received, waited for: emails arrive through the outbox a moment after the action. */
public final class Mailbox {
  private Mailbox() {
  }

  /**
   * The emails to {@code address} (any case) whose subject starts with {@code subjectStart}: as soon as there are
   * {@code atLeast} (at most 20 s), or, for {@code atLeast} 0, what arrived within 3 s (to show that none came).
   */
  public static List<MimeMessage> received(GreenMail smtp, String address, String subjectStart, int atLeast) throws InterruptedException {
    long until = System.currentTimeMillis() + (atLeast == 0 ? 3_000 : 20_000);
    while (true) {
      List<MimeMessage> found = Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
        try {
          return m.getSubject().startsWith(subjectStart)
              && Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address));
        } catch (Exception e) {
          return false;
        }
      }).toList();
      if (atLeast > 0 && found.size() >= atLeast || System.currentTimeMillis() > until) {
        return found;
      }
      Thread.sleep(100);
    }
  }
}
