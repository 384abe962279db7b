package dev.gameday.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TOTP codes and their check: RFC 6238 Appendix B, the ±1 step window, replay. */
class TotpTest {
  static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest(name = "T = {0}: {1}")
  @CsvSource({"59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
      "2000000000, 69279037", "20000000000, 65353130"})
  @DisplayName("RFC 6238 Appendix B (SHA1): the 8-digit codes of the test secret at each test time")
  void rfcVectors(long time, String expected) {
    assertEquals(expected, Totp.code(RFC_SECRET, Totp.step(time), 8, "HmacSHA1"));
    // the 6-digit code is the same number modulo 10^6
    assertEquals(expected.substring(2), Totp.code(RFC_SECRET, Totp.step(time)));
  }

  @Test
  @DisplayName("a code verifies in its own step and one step either side, not two steps away")
  void window() {
    long now = 1_700_000_015L;
    long step = Totp.step(now);
    assertEquals(step, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step), now, null));
    assertEquals(step - 1, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now, null));
    assertEquals(step + 1, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now, null));
    assertEquals(-1, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), now, null));
    assertEquals(-1, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), now, null));
    assertEquals(step, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step).replaceAll("(...)(...)", "$1 $2"), now, null),
        "a space in the middle, as apps show it, is fine");
  }

  @Test
  @DisplayName("replay: a step at or before the last accepted one is refused; a later step in the window is not")
  void replay() {
    long now = 1_700_000_015L;
    long step = Totp.step(now);
    String code = Totp.code(RFC_SECRET, step);
    assertEquals(-1, Totp.verify(RFC_SECRET, code, now, step), "the same code again");
    assertEquals(-1, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now, step), "an older code");
    assertEquals(step + 1, Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now, step));
  }

  @Test
  @DisplayName("malformed codes are refused without error")
  void malformed() {
    long now = 1_700_000_015L;
    for (String bad : new String[] {null, "", "12345", "1234567", "abcdef", "１２３４５６"}) {
      assertEquals(-1, Totp.verify(RFC_SECRET, bad, now, null), String.valueOf(bad));
    }
  }

  @Test
  @DisplayName("base32 follows RFC 4648 (its test vectors, unpadded) and round-trips a secret")
  void base32() {
    assertEquals("MZXW6YTBOI", Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("MZXW6", Totp.base32("foo".getBytes(StandardCharsets.US_ASCII)));
    byte[] secret = Totp.newSecret();
    assertEquals(20, secret.length);
    assertArrayEquals(secret, Totp.fromBase32(Totp.grouped(secret).toLowerCase()));
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SECRET));
  }

  @Test
  @DisplayName("recovery codes: 10 base32 characters, typed with or without dash, any case")
  void recovery() {
    String c = Totp.newRecoveryCode();
    assertTrue(c.matches("[a-z2-7]{5}-[a-z2-7]{5}"), c);
    assertEquals(c.replace("-", ""), Totp.normaliseRecovery(" " + c.toUpperCase() + " "));
    assertNull(Totp.normaliseRecovery("123456"));
    assertNotNull(Totp.normaliseRecovery("abcde fghij"));
  }

  @Test
  @DisplayName("the otpauth URI names issuer, account and secret; the QR code is an SVG data URL")
  void uriAndQr() {
    String uri = Totp.uri("Gameday", "a b@example.com", RFC_SECRET);
    assertEquals("otpauth://totp/Gameday:a%20b%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Gameday"
        + "&algorithm=SHA1&digits=6&period=30", uri);
    assertTrue(Totp.qrDataUrl(uri).startsWith("data:image/svg+xml;base64,"));
  }
}
