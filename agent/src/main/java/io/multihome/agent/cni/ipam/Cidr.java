package io.multihome.agent.cni.ipam;

/**
 * A network in CIDR form, normalised to its network address as Go's {@code net.ParseCIDR} does:
 * {@code 198.18.70.5/24} is the network {@code 198.18.70.0/24}; {@link #address()} keeps the
 * address as written.
 */
public record Cidr(Ip address, int prefix) {

  public Cidr {
    if (prefix < 0 || prefix > address.bits()) {
      throw new IllegalArgumentException(
          "prefix length " + prefix + " out of 0.." + address.bits());
    }
  }

  /** {@code ADDR/LEN}; a bare address with {@code allowBare} is a host route (/32, /128). */
  public static Cidr parse(String text, boolean allowBare) {
    String t = text.strip();
    int slash = t.indexOf('/');
    if (slash < 0) {
      if (!allowBare) {
        throw new IllegalArgumentException("\"" + text + "\" is not in CIDR notation (ADDR/LEN)");
      }
      Ip ip = Ip.parse(t);
      return new Cidr(ip, ip.bits());
    }
    Ip ip;
    try {
      ip = Ip.parse(t.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a valid CIDR: bad address");
    }
    String len = t.substring(slash + 1);
    if (!len.matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException("\"" + text + "\" is not a valid CIDR: bad prefix length");
    }
    int prefix = Integer.parseInt(len);
    if (prefix > ip.bits()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a valid CIDR: prefix length over " + ip.bits());
    }
    return new Cidr(ip, prefix);
  }

  public Ip network() {
    return address.masked(prefix);
  }

  public Ip last() {
    return address.lastOf(prefix);
  }

  public boolean contains(Ip ip) {
    return ip.sameFamily(address) && ip.masked(prefix).equals(network());
  }

  /** The network as Go's {@code (*net.IPNet).String()} writes it, e.g. {@code 2001:db8::/64}. */
  @Override
  public String toString() {
    return network() + "/" + prefix;
  }
}
