package io.multihome.controller.cno;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * What Go's standard library would print, for configurations that must match the CNO's byte for
 * byte: {@code net.ParseIP}/{@code ParseCIDR} (literals only, never a DNS lookup), {@code
 * net.IP.String()} (RFC 5952 for IPv6) and {@code encoding/json} string quoting (which escapes
 * {@code <}, {@code >}, {@code &} and U+2028/U+2029).
 */
final class GoText {
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  private GoText() {}

  /** {@code net.ParseIP}: the address, or null when {@code text} is not an IP literal. */
  static InetAddress parseIp(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (IPV4.matcher(text).matches()) {
      return literal(text);
    }
    if (text.indexOf(':') < 0 || text.indexOf('%') >= 0 || text.startsWith("[")) {
      return null;
    }
    return literal(text);
  }

  /** {@code net.ParseCIDR}: the network (address masked) and prefix, or null when invalid. */
  static Cidr parseCidr(String text) {
    if (text == null) {
      return null;
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      return null;
    }
    InetAddress ip = parseIp(text.substring(0, slash));
    String bits = text.substring(slash + 1);
    if (ip == null || !bits.matches("[0-9]{1,3}")) {
      return null;
    }
    int prefix = Integer.parseInt(bits);
    byte[] raw = ip.getAddress();
    if (prefix > raw.length * 8) {
      return null;
    }
    for (int i = 0; i < raw.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      raw[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return new Cidr(InetAddress.getByAddress(raw), prefix);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** A network as {@code net.IPNet.String()} prints it. */
  record Cidr(InetAddress network, int prefix) {
    @Override
    public String toString() {
      return ipString(network) + "/" + prefix;
    }
  }

  /** {@code net.IP.String()}: dotted IPv4, RFC 5952 IPv6 (lowercase, longest zero run as ::). */
  static String ipString(InetAddress ip) {
    if (!(ip instanceof Inet6Address)) {
      return ip.getHostAddress();
    }
    byte[] b = ip.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    var out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  /** A JSON string literal as Go's {@code json.Marshal} writes it. */
  static String quote(String s) {
    var out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static InetAddress literal(String text) {
    try {
      // Only literals reach here (digits and dots, or a colon): no name resolution happens.
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
