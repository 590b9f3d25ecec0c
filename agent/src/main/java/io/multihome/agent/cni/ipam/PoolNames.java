package io.multihome.agent.cni.ipam;

/**
 * Object names exactly as whereabouts derives them ({@code IPPoolName}, {@code NormalizeIP} in its
 * kubernetes storage), so the same network reads and writes the same IPPool and
 * OverlappingRangeIPReservation objects under either implementation.
 */
public final class PoolNames {
  private PoolNames() {}

  /** {@code 198.18.70.0/24} → {@code 198.18.70.0-24}; named: {@code net-198.18.70.0-24}. */
  public static String pool(String networkName, String rangeCidr) {
    String normalized = rangeCidr;
    if (normalized.endsWith(":")) {
      normalized = normalized + "0";
    }
    normalized = normalized.replace(':', '-').replace('/', '-');
    return networkName == null || networkName.isEmpty()
        ? normalized
        : networkName + "-" + normalized;
  }

  /** {@code 2001:db8::5} → {@code 2001-db8--5}; named: {@code net-2001-db8--5}. */
  public static String reservation(String networkName, Ip ip) {
    String text = ip.toString();
    if (text.endsWith(":")) {
      text = text + "0";
    }
    text = text.replace(':', '-');
    return networkName == null || networkName.isEmpty() ? text : networkName + "-" + text;
  }
}
