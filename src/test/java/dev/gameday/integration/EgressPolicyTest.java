package dev.gameday.integration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The egress policy's ranges (issue 27, defect 1), address by address. */
class EgressPolicyTest {
  static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByAddress(Egress.literal(literal));
  }

  @ParameterizedTest(name = "refused: {0}")
  @ValueSource(strings = {"127.0.0.1", "127.255.1.2", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "100.64.0.1", "100.100.100.200", "169.254.169.254", "169.254.0.1", "192.0.0.192", "224.0.0.1", "239.1.1.1",
      "255.255.255.255", "198.18.0.1", "::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
      "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001::1",
      "2001:db8::1"})
  void refused(String address) throws Exception {
    assertFalse(Egress.DEFAULT.permits(ip(address)), address);
  }

  @ParameterizedTest(name = "allowed: {0}")
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8",
      "64:ff9b::808:808"})
  void publicAddresses(String address) throws Exception {
    assertTrue(Egress.DEFAULT.permits(ip(address)), address);
  }

  @Test
  @DisplayName("GAMEDAY_EGRESS_ALLOW opens exactly the ranges it names, in either IPv6 spelling of an IPv4 address")
  void allowList() throws Exception {
    Egress e = Egress.parse("10.20.0.0/16, 127.0.0.1");
    assertTrue(e.permits(ip("10.20.3.4")));
    assertTrue(e.permits(ip("127.0.0.1")));
    assertTrue(e.permits(ip("::ffff:10.20.3.4")));
    assertFalse(e.permits(ip("10.21.0.1")));
    assertFalse(e.permits(ip("127.0.0.2")));
    assertFalse(e.permits(ip("169.254.169.254")));
    assertThrows(IllegalArgumentException.class, () -> Egress.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> Egress.parse("internal.example"));
  }
}
