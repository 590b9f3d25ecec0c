package io.multihome.agent.engine;

import io.multihome.agent.netlink.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Addresses as people and nmstate write them: IPv6 in RFC 5952 form ({@code 2001:db8::1}). */
public final class Ips {
  private Ips() {}

  public static String text(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return a.getHostAddress();
    }
    byte[] b = a.getAddress();
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    var sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(w[i]));
    }
    return sb.toString();
  }

  static String text(IpPrefix p) {
    return text(p.address()) + "/" + p.length();
  }
}
