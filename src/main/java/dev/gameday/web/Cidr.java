package dev.gameday.web;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address range ({@code 10.0.0.0/8}, {@code ::1}): the one parser and matcher behind the trusted proxies
 * ({@code GAMEDAY_TRUSTED_PROXIES}) and the egress policy ({@code GAMEDAY_EGRESS_ALLOW} and its built-in ranges).
 */
public record Cidr(byte[] address, int prefix) {

  public boolean contains(byte[] ip) {
    if (ip.length != address.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (ip[i] != address[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (ip[full] & mask) == (address[full] & mask);
  }

  /**
   * An address or {@code address/prefix}; an IllegalArgumentException naming {@code what} (the variable) and
   * calling the item a CIDR {@code noun} otherwise.
   */
  public static Cidr parse(String item, String what, String noun) {
    int slash = item.indexOf('/');
    byte[] ip = literal(slash < 0 ? item : item.substring(0, slash));
    if (ip == null) {
      throw new IllegalArgumentException(what + ": '" + item + "' is not an IP address or CIDR " + noun);
    }
    int prefix = ip.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(item.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > ip.length * 8) {
        throw new IllegalArgumentException(what + ": '" + item + "' has a prefix length out of range");
      }
    }
    return new Cidr(ip, prefix);
  }

  /** An IP literal as bytes (IPv4-mapped IPv6 as IPv4), or null; never a DNS lookup. */
  public static byte[] literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return null;
    }
    byte[] b = NetUtil.createByteArrayFromIpAddressString(s);
    if (b == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(b).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
