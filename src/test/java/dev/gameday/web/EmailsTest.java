package dev.gameday.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Issue 27, defect 8: addresses are checked as a mail library parses them; names are normalised. */
class EmailsTest {
  @ParameterizedTest
  @ValueSource(strings = {"a@b..com", "a@.b.com", "a,b@c.com", "<a@b.com>", "Ada <a@b.com>", "a@b.com.", "a@-b.com",
      "a@b-.com", "a b@c.com", "\"a b\"@c.com", "a@b", "a@[127.0.0.1]", "a@b.com\r\nBcc: x@y.com", "a@b.com\n", ".a@b.com",
      "a.@b.com", "a..b@c.com", "a@b.com, c@d.com", "a@b.c_m", "(comment)a@b.com", "a@b.com (comment)", "a@b@c.com", ""})
  @DisplayName("refused: what a strict parser or a dot-atom domain does not accept")
  void refused(String address) {
    assertFalse(Emails.valid(address), address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ada@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@xn--bcher-kva.example",
      "UPPER@EXAMPLE.COM", "a_b-c@d-e.example"})
  @DisplayName("accepted: ordinary addresses")
  void accepted(String address) {
    assertTrue(Emails.valid(address), address);
  }

  @Test
  @DisplayName("names: control characters and line breaks become spaces, whitespace collapses, at most 200 characters")
  void names() {
    assertEquals("Ada Bcc: evil@example.com", Emails.name("Ada\r\nBcc: evil@example.com"));
    assertEquals("Ada Lovelace", Emails.name("  Ada \t\u0000 Lovelace\u2028 "));
    assertEquals("Ada", Emails.name("Ada\u0085\u200B"));
    assertEquals(200, Emails.name("x".repeat(300)).length());
    assertEquals("", Emails.name("\r\n\t"));
    assertEquals("Zoë 😀", Emails.name("Zoë 😀"));
    // a cut never splits a surrogate pair
    String cut = Emails.name("a".repeat(199) + "😀");
    assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)), cut);
  }
}
