package dev.gameday.review;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PersonalDetailsTest {
  static String mask(String text) {
    return PersonalDetails.mask(text, "Zebulon  Plantedname", "zebulon.planted@example.com");
  }

  @Test
  @DisplayName("the name in full (any case, any spacing), its parts as written, the email, other emails, phones and profile links")
  void masks() {
    assertEquals("I am [name removed], reach me at [email removed] or [email removed].",
        mask("I am zebulon   PLANTEDNAME, reach me at Zebulon.Planted@example.com or zp@home.example."));
    assertEquals("[name removed] wrote this; [name removed] too.", mask("Zebulon wrote this; PLANTEDNAME too."));
    assertEquals("Call [phone removed] or [phone removed] or [phone removed].",
        mask("Call +44 20 7946 0958 or (555) 123-4567 or 555-123-4567."));
    assertEquals("See [profile link removed] and [profile link removed].",
        mask("See https://www.linkedin.com/in/zplanted and github.com/zplanted/dotfiles."));
  }

  @Test
  @DisplayName("what an SRE answer is made of stays: dates, times, addresses, versions, counts, other words")
  void leavesEvidenceAlone() {
    String text = "At 2026-11-20 14:03:07 UTC pool 10.0.12.7:5432 hit 200/200 after v2.31.0; p99 1,234 ms; 12 345 678 requests;"
        + " see https://status.example.com/incidents/42 and docs.github.io. Zebulons and planted names stay.";
    assertEquals(text, mask(text));
  }
}
