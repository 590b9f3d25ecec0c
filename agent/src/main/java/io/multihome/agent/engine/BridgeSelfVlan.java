package io.multihome.agent.engine;

import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.LinkKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Why DHCP on a VLAN-filtering bridge can get no answer: the bridge's own frames are in its PVID
 * (its {@code vlan-default-pvid}, 1 unless set), and when none of its ports carries that VLAN no
 * frame of it leaves the bridge. kubernetes-nmstate's linux-bridge-vlan.yaml asks exactly that
 * (DHCP on br1, its one port a trunk with native VLAN 100): nmstate applies it and the bridge never
 * gets an address; multihome waits for the lease, rolls back and says this.
 */
final class BridgeSelfVlan {
  private BridgeSelfVlan() {}

  /** The reason for {@code name} on {@code now}, or null when its own VLAN reaches a port. */
  static String unreachable(Snapshot now, String name) {
    var bridge = now.byName().get(name);
    if (bridge == null
        || !(bridge.link().kind() instanceof LinkKind.Bridge b)
        || !Boolean.TRUE.equals(b.vlanFiltering())) {
      return null;
    }
    int own = ownPvid(now, bridge.link().index(), b);
    if (own == 0) {
      return name + " itself is in no VLAN (vlan-default-pvid 0): its own frames never leave it";
    }
    var ports = new ArrayList<String>();
    for (var l : now.links()) {
      if (Integer.valueOf(bridge.link().index()).equals(l.link().masterIndex())) {
        if (carries(now.vlans().getOrDefault(l.link().index(), List.of()), own)) {
          return null;
        }
        ports.add(l.name());
      }
    }
    return name
        + " sends its own frames in VLAN "
        + own
        + " (its PVID), which none of its ports "
        + ports
        + " carries: nothing it sends leaves the bridge, so no DHCP server can answer";
  }

  /** The bridge's own PVID as the kernel lists it, else its default PVID. */
  private static int ownPvid(Snapshot now, int index, LinkKind.Bridge b) {
    for (var v : now.vlans().getOrDefault(index, List.of())) {
      if (v.pvid()) {
        return v.vid();
      }
    }
    return b.defaultPvid() == null ? 1 : b.defaultPvid();
  }

  private static boolean carries(List<BridgeVlan> vlans, int vid) {
    return vlans.stream().anyMatch(v -> v.vid() <= vid && vid <= v.vidEnd());
  }
}
