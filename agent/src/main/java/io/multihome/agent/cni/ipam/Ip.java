package io.multihome.agent.cni.ipam;

import io.multihome.agent.netlink.IpPrefix;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as a number, so range arithmetic (offsets, next address, masks) is plain
 * {@link BigInteger} math. {@link #toString()} writes what Go's {@code net.IP.String()} writes
 * (dotted quad, RFC 5952 for IPv6): pool and reservation names are derived from it and must match
 * the ones whereabouts created.
 */
public record Ip(boolean v6, BigInteger value) implements Comparable<Ip> {

  public Ip {
    if (value.signum() < 0 || value.bitLength() > (v6 ? 128 : 32)) {
      throw new IllegalArgumentException("address value out of range: " + value);
    }
  }

  /**
   * A numeric literal; never a name lookup. IPv4-mapped IPv6 reads as IPv4, as Go reads it, and an
   * IPv4 part may carry leading zeros ({@code 00192.168.1.5}), read as decimal: whereabouts parses
   * with {@code ParseIPSloppy}, so NADs written like that work there.
   */
  public static Ip parse(String text) {
    String t = text.strip();
    if (t.matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+")) {
      long v = 0;
      for (String part : t.split("\\.")) {
        String digits = part.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 3 || Integer.parseInt(digits) > 255) {
          throw new IllegalArgumentException("address: invalid '" + text + "'");
        }
        v = (v << 8) | Integer.parseInt(digits);
      }
      return new Ip(false, BigInteger.valueOf(v));
    }
    return of(IpPrefix.parseAddress(t));
  }

  public static Ip of(InetAddress a) {
    return new Ip(!(a instanceof Inet4Address), new BigInteger(1, a.getAddress()));
  }

  public int bits() {
    return v6 ? 128 : 32;
  }

  public Ip plus(BigInteger offset) {
    return new Ip(v6, value.add(offset));
  }

  public Ip next() {
    return plus(BigInteger.ONE);
  }

  public Ip previous() {
    return new Ip(v6, value.subtract(BigInteger.ONE));
  }

  /** This address with the low {@code bits - prefix} bits cleared. */
  public Ip masked(int prefix) {
    BigInteger host = BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE);
    return new Ip(v6, value.andNot(host));
  }

  /** This address with the low {@code bits - prefix} bits set (the "broadcast" address). */
  public Ip lastOf(int prefix) {
    BigInteger host = BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE);
    return new Ip(v6, value.or(host));
  }

  public boolean sameFamily(Ip other) {
    return v6 == other.v6;
  }

  public InetAddress toInetAddress() {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[v6 ? 16 : 4];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
    }
  }

  @Override
  public int compareTo(Ip o) {
    if (v6 != o.v6) {
      return v6 ? 1 : -1;
    }
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    if (!v6) {
      long v = value.longValue();
      return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = value.shiftRight(16 * (7 - i)).intValue() & 0xffff;
    }
    // RFC 5952: the longest run (first on ties) of two or more zero words becomes "::".
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && words[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    var out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(words[i]));
    }
    return out.toString();
  }
}
