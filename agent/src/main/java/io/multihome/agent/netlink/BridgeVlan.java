package io.multihome.agent.netlink;

/**
 * A VLAN (or range {@code vid..vidEnd}) on a bridge port or the bridge itself, as in {@code bridge
 * vlan add dev PORT vid 10[-20] [pvid] [untagged]}.
 */
public record BridgeVlan(int vid, int vidEnd, boolean pvid, boolean untagged) {
  public BridgeVlan {
    if (vid < 1 || vid > 4094 || vidEnd < vid || vidEnd > 4094) {
      throw new IllegalArgumentException("vlan.vid: invalid range " + vid + ".." + vidEnd);
    }
    if (pvid && vidEnd != vid) {
      throw new IllegalArgumentException("vlan.pvid: a range cannot be the PVID");
    }
  }

  public static BridgeVlan of(int vid) {
    return new BridgeVlan(vid, vid, false, false);
  }

  public static BridgeVlan range(int from, int to) {
    return new BridgeVlan(from, to, false, false);
  }

  public BridgeVlan asPvid() {
    return new BridgeVlan(vid, vidEnd, true, untagged);
  }

  public BridgeVlan asUntagged() {
    return new BridgeVlan(vid, vidEnd, pvid, true);
  }
}
