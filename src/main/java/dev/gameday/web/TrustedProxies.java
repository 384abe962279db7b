package dev.gameday.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code GAMEDAY_TRUSTED_PROXIES}: IP addresses or CIDR
 * blocks, comma-separated; none by default). A client can write any {@code X-Forwarded-For} it likes, so the header
 * counts only when the socket peer is one of these, and then only its right-most address that is not itself a
 * trusted proxy: the one our own proxy wrote. Addresses are parsed as literals only, never looked up in DNS.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

  private final List<Cidr> networks;
  private final String text;

  private TrustedProxies(List<Cidr> networks, String text) {
    this.networks = networks;
    this.text = text;
  }

  /** Parses {@code 10.0.0.1, 10.1.0.0/16, ::1}; a blank value means none. */
  public static TrustedProxies parse(String csv) {
    if (csv == null || csv.isBlank()) {
      return NONE;
    }
    List<Cidr> out = new ArrayList<>();
    for (String raw : csv.split(",")) {
      String item = raw.strip();
      if (item.isEmpty()) {
        continue;
      }
      out.add(Cidr.parse(item, "GAMEDAY_TRUSTED_PROXIES", "block"));
    }
    return new TrustedProxies(List.copyOf(out), csv.strip());
  }

  public boolean isEmpty() {
    return networks.isEmpty();
  }

  public boolean trusts(String address) {
    byte[] ip = ip(address);
    return ip != null && trusts(ip);
  }

  private boolean trusts(byte[] ip) {
    for (Cidr n : networks) {
      if (n.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client's address: the socket peer, unless the peer is a trusted proxy; then, walking {@code X-Forwarded-For}
   * (every header, in order) from the right, the first address that is not a trusted proxy. An entry that is not an
   * IP address stops the walk at the last hop that was trusted; if every hop is trusted, the left-most one.
   */
  public String clientAddress(String peer, List<String> forwardedFor) {
    byte[] peerIp = ip(peer);
    if (peerIp == null) {
      return peer == null ? "unknown" : peer;
    }
    String current = text(peerIp);
    if (networks.isEmpty() || !trusts(peerIp) || forwardedFor == null || forwardedFor.isEmpty()) {
      return current;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] ip = ip(hops.get(i));
      if (ip == null) {
        return current;
      }
      current = text(ip);
      if (!trusts(ip)) {
        return current;
      }
    }
    return current;
  }

  /** An IP literal as bytes (IPv4-mapped IPv6 as IPv4), or null; never a DNS lookup. */
  static byte[] ip(String s) {
    return Cidr.literal(s);
  }

  private static String text(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedProxies t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
