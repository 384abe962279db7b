package dev.gameday.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.168.1.5 ,2001:db8::/32");

  @Test
  @DisplayName("GAMEDAY_TRUSTED_PROXIES: none by default; addresses and CIDR blocks; a bad entry fails start-up clearly")
  void config() {
    assertTrue(Config.fromEnvironment(Map.of()).trustedProxies().isEmpty());
    Config c = Config.fromEnvironment(Map.of("GAMEDAY_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"));
    assertTrue(c.trustedProxies().trusts("127.0.0.1"));
    assertTrue(c.trustedProxies().trusts("10.200.3.4"));
    assertFalse(c.trustedProxies().trusts("11.0.0.1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnvironment(Map.of("GAMEDAY_TRUSTED_PROXIES", "proxy.internal"))).getMessage().contains("GAMEDAY_TRUSTED_PROXIES"));
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/x"));
  }

  @Test
  @DisplayName("CIDR matching for IPv4 and IPv6, IPv4-mapped IPv6 counts as IPv4")
  void matching() {
    assertTrue(PROXIES.trusts("10.255.255.255"));
    assertTrue(PROXIES.trusts("::ffff:10.1.2.3"));
    assertTrue(PROXIES.trusts("192.168.1.5"));
    assertFalse(PROXIES.trusts("192.168.1.6"));
    assertTrue(PROXIES.trusts("2001:db8:1::7"));
    assertFalse(PROXIES.trusts("2001:db9::1"));
    assertFalse(PROXIES.trusts("not-an-ip"));
    assertTrue(TrustedProxies.parse("192.168.0.0/23").trusts("192.168.1.200"));
    assertFalse(TrustedProxies.parse("192.168.0.0/23").trusts("192.168.2.1"));
  }

  @Test
  @DisplayName("X-Forwarded-For counts only from a trusted peer, and then its right-most untrusted address")
  void clientAddress() {
    assertEquals("203.0.113.9", PROXIES.clientAddress("203.0.113.9", List.of("1.1.1.1")), "an untrusted peer's header is ignored");
    assertEquals("203.0.113.9", TrustedProxies.NONE.clientAddress("203.0.113.9", List.of("1.1.1.1")));
    assertEquals("10.0.0.1", PROXIES.clientAddress("10.0.0.1", List.of()), "no header: the proxy itself");
    assertEquals("198.51.100.4", PROXIES.clientAddress("10.0.0.1", List.of("6.6.6.6, 198.51.100.4")),
        "the client's own entries to the left are ignored");
    assertEquals("198.51.100.4", PROXIES.clientAddress("10.0.0.1", List.of("6.6.6.6, 198.51.100.4, 192.168.1.5")),
        "a chain of trusted proxies is skipped");
    assertEquals("198.51.100.4", PROXIES.clientAddress("10.0.0.1", List.of("6.6.6.6", "198.51.100.4")), "several headers in order");
    assertEquals("192.168.1.5", PROXIES.clientAddress("10.0.0.1", List.of("garbage, 192.168.1.5")),
        "a malformed entry stops at the last trusted hop");
    assertEquals("10.0.0.9", PROXIES.clientAddress("10.0.0.1", List.of("10.0.0.9")), "all trusted: the left-most");
    assertEquals("2001:db9:0:0:0:0:0:1", PROXIES.clientAddress("::ffff:10.0.0.1", List.of("2001:db9::1")));
  }
}
