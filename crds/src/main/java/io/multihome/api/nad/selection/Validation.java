package io.multihome.api.nad.selection;

import java.util.regex.Pattern;

/** Syntax checks shared by the annotation parser and the delegation code. No DNS look-ups. */
public final class Validation {

  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Pattern MAC48 = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");
  private static final Pattern GUID64 = Pattern.compile("([0-9a-fA-F]{2}:){7}[0-9a-fA-F]{2}");

  private Validation() {}

  /** Null when valid, else why not (NPWG §3.3: references are DNS-1123 labels). */
  public static String dnsLabelProblem(String value) {
    if (value.isEmpty()) {
      return "must not be empty";
    }
    if (value.length() > 63) {
      return "\"" + value + "\" is longer than 63 characters";
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      return "\""
          + value
          + "\" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending"
          + " with a letter or digit)";
    }
    return null;
  }

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** Null when valid, else why not: an object name (DNS-1123 subdomain, at most 253). */
  public static String dnsSubdomainProblem(String value) {
    if (value.isEmpty()) {
      return "must not be empty";
    }
    if (value.length() > 253) {
      return "\"" + value + "\" is longer than 253 characters";
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      return "\""
          + value
          + "\" is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', each part"
          + " starting and ending with a letter or digit)";
    }
    return null;
  }

  /**
   * Null when {@code value} is a MAC an interface can be given (NPWG: a 6-byte Ethernet address):
   * the kernel refuses multicast and all-zero addresses with EADDRNOTAVAIL, far from the pod.
   */
  public static String assignableMacProblem(String value) {
    if (!isMac48(value)) {
      return "\"" + value + "\" is not a 6-byte MAC address (aa:bb:cc:dd:ee:ff)";
    }
    if ((Integer.parseInt(value.substring(0, 2), 16) & 1) != 0) {
      return "\""
          + value
          + "\" is a multicast address (first octet odd); an interface needs unicast";
    }
    if (value.replace(":", "").matches("0+")) {
      return "\"" + value + "\" is the all-zero address";
    }
    return null;
  }

  /** Null when {@code value} is a usable Linux interface name (kernel dev_valid_name, IFNAMSIZ). */
  public static String ifnameProblem(String value) {
    if (value.isEmpty()) {
      return "must not be empty";
    }
    if (value.length() > 15) {
      return "\"" + value + "\" is longer than 15 characters (Linux IFNAMSIZ)";
    }
    if (value.equals(".") || value.equals("..")) {
      return "\"" + value + "\" is not a valid interface name";
    }
    for (char c : value.toCharArray()) {
      if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x21 || c > 0x7e) {
        return "\"" + value + "\" contains '" + c + "', not allowed in a Linux interface name";
      }
    }
    return null;
  }

  public static boolean isIp(String value) {
    if (IPV4.matcher(value).matches()) {
      return true;
    }
    return value.contains(":") && IPV6_CHARS.matcher(value).matches() && parsesAsIpv6(value);
  }

  private static boolean parsesAsIpv6(String value) {
    try {
      // Only ever called with a string of hex digits, ':' and '.', so this never resolves a name.
      java.net.InetAddress.getByName(value);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Null when {@code value} is an IP or IP/prefix, else why not. */
  public static String ipOrCidrProblem(String value) {
    int slash = value.indexOf('/');
    String ip = slash < 0 ? value : value.substring(0, slash);
    if (!isIp(ip)) {
      return "\"" + value + "\" is not an IP address (IPv4 or IPv6, optionally with /prefix)";
    }
    if (slash >= 0) {
      String prefix = value.substring(slash + 1);
      int max = ip.contains(":") ? 128 : 32;
      if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
        return "\"" + value + "\" has an invalid prefix length (0-" + max + ")";
      }
    }
    return null;
  }

  public static boolean isMac48(String value) {
    return MAC48.matcher(value).matches();
  }

  public static boolean isGuid64(String value) {
    return GUID64.matcher(value).matches();
  }

  /**
   * The canonical form of an address literal, as Go's {@code net.IP.String()} writes it (and so
   * Multus in network-status, kube-apiserver in Service cluster IPs): IPv6 in RFC 5952 form — lower
   * case, the longest run of two or more zero groups as {@code ::} — and an IPv4-mapped address as
   * dotted quad. Used to compare a requested IP with a result's address and to write addresses
   * others compare as text. Anything that is not a literal is returned as it is.
   */
  public static String canonicalIp(String ip) {
    if (!ip.contains(":") || !isIp(ip)) {
      return ip;
    }
    java.net.InetAddress address;
    try {
      address = java.net.InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      return ip;
    }
    if (!(address instanceof java.net.Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int runStart = -1;
    int runLength = 1; // a single zero group is written as 0 (RFC 5952 4.2.2)
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > runLength) {
        runStart = i;
        runLength = j - i;
      }
      i = j > i ? j : i + 1;
    }
    var out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == runStart) {
        out.append("::");
        i += runLength - 1;
      } else {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
          out.append(':');
        }
        out.append(Integer.toHexString(groups[i]));
      }
    }
    return out.toString();
  }
}
