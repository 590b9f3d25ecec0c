package io.multihome.agent.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address with a prefix length, e.g. 198.18.0.1/24 or 2001:db8::1/64. */
public record IpPrefix(InetAddress address, int length) {
  public IpPrefix {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("prefix length " + length + " out of 0.." + max);
    }
  }

  /** Parses {@code ADDR[/LEN]} (a host prefix when LEN is absent); never does a DNS lookup. */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    InetAddress a = parseAddress(slash < 0 ? text : text.substring(0, slash));
    int max = a instanceof Inet4Address ? 32 : 128;
    if (slash < 0) {
      return new IpPrefix(a, max);
    }
    try {
      return new IpPrefix(a, Integer.parseInt(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("prefix: invalid length in '" + text + "'");
    }
  }

  /** Parses a numeric IPv4/IPv6 literal; rejects anything that would need name resolution. */
  public static InetAddress parseAddress(String text) {
    if (text.isEmpty()
        || !text.matches("[0-9a-fA-F:.]+")
        || !(text.contains(".") || text.contains(":"))) {
      throw new IllegalArgumentException("address: invalid '" + text + "'");
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address: invalid '" + text + "'");
    }
  }

  public int family() {
    return address instanceof Inet4Address ? Rtnl.AF_INET : Rtnl.AF_INET6;
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + length;
  }
}
