package io.multihome.agent.netlink;

/**
 * A link to create: name and kind plus optional common attributes. {@code parentIndex} is the lower
 * device for vlan/macvlan/macvtap (IFLA_LINK).
 */
public record LinkSpec(
    String name,
    LinkKind kind,
    Integer parentIndex,
    Integer mtu,
    HwAddr mac,
    Integer masterIndex,
    boolean up,
    Integer txQueueLen) {

  public LinkSpec {
    LinkOps.checkName("name", name);
    if (kind == null) {
      throw new IllegalArgumentException("kind: required");
    }
    if (mtu != null && (mtu < 68 || mtu > 65535)) {
      throw new IllegalArgumentException("mtu: " + mtu + " out of 68..65535");
    }
  }

  public static LinkSpec of(String name, LinkKind kind) {
    return new LinkSpec(name, kind, null, null, null, null, false, null);
  }

  public LinkSpec withParent(int index) {
    return new LinkSpec(name, kind, index, mtu, mac, masterIndex, up, txQueueLen);
  }

  public LinkSpec withMtu(int m) {
    return new LinkSpec(name, kind, parentIndex, m, mac, masterIndex, up, txQueueLen);
  }

  public LinkSpec withMac(HwAddr m) {
    return new LinkSpec(name, kind, parentIndex, mtu, m, masterIndex, up, txQueueLen);
  }

  public LinkSpec withMaster(int index) {
    return new LinkSpec(name, kind, parentIndex, mtu, mac, index, up, txQueueLen);
  }

  public LinkSpec withUp(boolean u) {
    return new LinkSpec(name, kind, parentIndex, mtu, mac, masterIndex, u, txQueueLen);
  }

  public LinkSpec withTxQueueLen(int q) {
    return new LinkSpec(name, kind, parentIndex, mtu, mac, masterIndex, up, q);
  }

  /** For errors: {@code br0 (bridge)}. */
  String describe() {
    return name + " (" + kind.kind() + ")";
  }
}
