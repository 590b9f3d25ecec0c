package io.multihome.sriov.sysfs;

/**
 * A network interface as sysfs shows it under {@code class/net/<name>}.
 *
 * @param linkType ARPHRD type from {@code type}: 1 Ethernet, 32 InfiniBand
 * @param speedMbps -1 when unknown (link down or not reported)
 */
public record NetdevRecord(
    String name, int mtu, String mac, String operState, int linkType, int speedMbps) {
  public static final int ARPHRD_ETHER = 1;
  public static final int ARPHRD_INFINIBAND = 32;

  /** Upstream's wording for the link type in the node state status. */
  public String linkTypeName() {
    return linkType == ARPHRD_INFINIBAND ? "IB" : "ETH";
  }
}
