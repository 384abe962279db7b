package dev.gameday.integration;

import java.net.Inet4Address;
import java.net.Inet6Address;
import dev.gameday.web.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The one egress policy for every address Gameday connects to on someone's behalf (webhook receivers, the Greenhouse
 * completion callback). An address is refused when it is loopback, unspecified, link-local (cloud metadata services
 * such as 169.254.169.254 live there), private (RFC 1918, IPv6 unique local, which holds AWS's fd00:ec2::254),
 * shared/CGNAT (100.64.0.0/10, which holds Alibaba's metadata 100.100.100.200), multicast, broadcast, reserved,
 * benchmarking or documentation space, or an IPv6 form that embeds an IPv4 address (IPv4-mapped, IPv4-compatible,
 * NAT64, 6to4, Teredo) of any of those: unless it lies in a range an admin allowed ({@code GAMEDAY_EGRESS_ALLOW}).
 * The check is made on the resolved address, and the connection is made to that very address (see {@link Outbound}),
 * so a DNS answer that changes between the check and the connection cannot switch it.
 */
public final class Egress {
  /** Nothing allowed beyond the public internet. */
  public static final Egress DEFAULT = new Egress(List.of(), "");

  private static final List<Cidr> REFUSED = networks(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
      "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
      "224.0.0.0/4", "240.0.0.0/4",
      "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

  private final List<Cidr> allowed;
  private final String text;

  private Egress(List<Cidr> allowed, String text) {
    this.allowed = allowed;
    this.text = text;
  }

  /** {@code GAMEDAY_EGRESS_ALLOW}: comma-separated addresses or CIDR ranges that are allowed although refused above. */
  public static Egress parse(String csv) {
    if (csv == null || csv.isBlank()) {
      return DEFAULT;
    }
    List<Cidr> out = new ArrayList<>();
    for (String raw : csv.split(",")) {
      String item = raw.strip();
      if (!item.isEmpty()) {
        out.add(network(item, "GAMEDAY_EGRESS_ALLOW"));
      }
    }
    return new Egress(List.copyOf(out), csv.strip());
  }

  private static List<Cidr> networks(String... cidrs) {
    List<Cidr> out = new ArrayList<>();
    for (String c : cidrs) {
      out.add(network(c, "built-in"));
    }
    return List.copyOf(out);
  }

  private static Cidr network(String item, String what) {
    return Cidr.parse(item, what, "range");
  }

  /** An IP literal's bytes (an IPv4-mapped IPv6 literal as its IPv4 bytes), or null; never a DNS lookup. */
  static byte[] literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return null;
    }
    String bare = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    return Cidr.literal(bare);
  }

  public boolean permits(InetAddress address) {
    byte[] ip = address.getAddress();
    for (Cidr n : allowed) {
      if (n.contains(ip)) {
        return true;
      }
    }
    byte[] v4 = embeddedIpv4(address);
    if (v4 != null) {
      for (Cidr n : allowed) {
        if (n.contains(v4)) {
          return true;
        }
      }
    }
    return !refused(ip) && (v4 == null || !refused(v4));
  }

  private static boolean refused(byte[] ip) {
    if (ip.length == 16 && (ip[0] & 0xff) == 0x20 && (ip[1] & 0xff) == 0x01 && ip[2] == 0 && ip[3] == 0) {
      return true; // Teredo 2001::/32: tunnels to an address we cannot check
    }
    for (Cidr n : REFUSED) {
      if (n.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  /** The IPv4 address an IPv6 address carries (mapped ::ffff:0:0/96, compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16). */
  static byte[] embeddedIpv4(InetAddress address) {
    if (address instanceof Inet4Address) {
      return null;
    }
    byte[] b = address.getAddress();
    if (!(address instanceof Inet6Address) || b.length != 16) {
      return null;
    }
    boolean zeros80 = true;
    for (int i = 0; i < 10; i++) {
      zeros80 &= b[i] == 0;
    }
    boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = zeros80 && b[10] == 0 && b[11] == 0;
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    if (mapped || compatible || nat64) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return new byte[] {b[2], b[3], b[4], b[5]};
    }
    return null;
  }

  /** Whether any range is allowed beyond the default policy. */
  public boolean isDefault() {
    return allowed.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Egress e && e.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
