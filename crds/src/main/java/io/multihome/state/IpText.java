package io.multihome.state;

/**
 * Strict parsing of IP address literals as nmstate writes them (no host names, no leading zeros in
 * IPv4 octets). Returns the address bytes, or null when the text is not an address.
 */
public final class IpText {

  private IpText() {}

  /** The address bytes of a strict IPv4/IPv6 literal, or null; never resolves names. */
  public static byte[] bytes(String s) {
    return parse(s);
  }

  /** 4 bytes for IPv4, 16 for IPv6, or null. */
  static byte[] parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    return s.indexOf(':') >= 0 ? v6(s) : v4(s);
  }

  static byte[] v4(String s) {
    var parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    var out = new byte[4];
    for (int i = 0; i < 4; i++) {
      var p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  static byte[] v6(String s) {
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
      return null;
    }
    var head = dc >= 0 ? s.substring(0, dc) : s;
    var tail = dc >= 0 ? s.substring(dc + 2) : "";
    var headGroups = groups(head);
    var tailGroups = groups(tail);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if (dc < 0 ? total != 8 : total > 7) {
      return null;
    }
    var out = new byte[16];
    for (int i = 0; i < headGroups.length; i++) {
      out[2 * i] = (byte) (headGroups[i] >> 8);
      out[2 * i + 1] = (byte) headGroups[i];
    }
    int offset = 8 - tailGroups.length;
    for (int i = 0; i < tailGroups.length; i++) {
      out[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
      out[2 * (offset + i) + 1] = (byte) tailGroups[i];
    }
    return out;
  }

  /** 16-bit groups of one side of {@code ::}; a trailing dotted quad counts as two groups. */
  private static int[] groups(String side) {
    if (side.isEmpty()) {
      return new int[0];
    }
    var parts = side.split(":", -1);
    int n = parts.length;
    boolean quad = parts[n - 1].indexOf('.') >= 0;
    var out = new int[quad ? n + 1 : n];
    for (int i = 0; i < n; i++) {
      var p = parts[i];
      if (quad && i == n - 1) {
        var b = v4(p);
        if (b == null) {
          return null;
        }
        out[i] = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        out[i + 1] = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      try {
        out[i] = Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        return null;
      }
      if (p.charAt(0) == '+' || p.charAt(0) == '-') {
        return null;
      }
    }
    return out;
  }

  /**
   * Checks {@code text} as {@code address/prefix} (or a bare address, taken as a host route) and
   * returns a problem message, or null when valid. {@code family} 4 or 6 restricts it; 0 allows
   * both.
   */
  static String checkNetwork(String text, int family) {
    int slash = text.indexOf('/');
    var addr = slash < 0 ? text : text.substring(0, slash);
    var bytes = parse(addr);
    if (bytes == null) {
      return "'" + text + "' is not an IP network (expected address/prefix-length)";
    }
    int fam = bytes.length == 4 ? 4 : 6;
    if (family != 0 && fam != family) {
      return "'" + text + "' is an IPv" + fam + " network, expected IPv" + family;
    }
    if (slash >= 0) {
      var len = text.substring(slash + 1);
      int max = fam == 4 ? 32 : 128;
      if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > max) {
        return "prefix length '" + len + "' of '" + text + "' is outside 0.." + max;
      }
    }
    return null;
  }

  static int family(String addr) {
    var b = parse(addr);
    return b == null ? 0 : b.length == 4 ? 4 : 6;
  }
}
