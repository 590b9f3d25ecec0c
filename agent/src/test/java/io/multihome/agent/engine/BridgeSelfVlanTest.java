package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Rtnl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hint a DHCP verification failure gets on a VLAN-filtering bridge whose own VLAN no port
 * carries (kubernetes-nmstate's linux-bridge-vlan.yaml: br1 with DHCP, eth1 a trunk with native
 * VLAN 100), on made-up node states.
 */
class BridgeSelfVlanTest {
  private final List<NodeLink> links = new ArrayList<>();
  private final Map<Integer, List<BridgeVlan>> vlans = new HashMap<>();

  private void link(int index, String name, LinkKind kind, Integer master) {
    var l =
        new Link(
            index,
            name,
            kind,
            Rtnl.IFF_UP,
            1500,
            HwAddr.parse("02:00:00:00:00:0" + index),
            master,
            null,
            null,
            Link.OperState.UP,
            1000,
            master == null ? null : "bridge",
            null,
            null,
            List.of());
    links.add(new NodeLink(l, null, false, null));
  }

  private static LinkKind.Bridge bridge(boolean filtering, Integer defaultPvid) {
    return new LinkKind.Bridge(
        0, 1500, 200, 2000, 32768, 30000, filtering, null, defaultPvid, true, null, null, null);
  }

  private String hint() {
    return BridgeSelfVlan.unreachable(
        new Snapshot(links, List.of(), List.of(), List.of(), vlans), "br1");
  }

  @Test
  void aTrunkWithAnotherNativeVlanLeavesTheBridgesOwnFramesNowhere() {
    link(1, "br1", bridge(true, 1), null);
    link(2, "eth1", new LinkKind.Other(""), 1);
    vlans.put(1, List.of(BridgeVlan.of(1).asPvid().asUntagged()));
    vlans.put(
        2,
        List.of(
            BridgeVlan.of(100).asPvid().asUntagged(),
            BridgeVlan.of(101),
            BridgeVlan.range(200, 500)));

    assertThat(hint())
        .isEqualTo(
            "br1 sends its own frames in VLAN 1 (its PVID), which none of its ports [eth1]"
                + " carries: nothing it sends leaves the bridge, so no DHCP server can answer");
  }

  @Test
  void aPortInTheBridgesVlanOrARangeHoldingItMeansNoHint() {
    link(1, "br1", bridge(true, 250), null);
    link(2, "eth1", new LinkKind.Other(""), 1);
    vlans.put(2, List.of(BridgeVlan.of(100).asPvid().asUntagged(), BridgeVlan.range(200, 500)));

    assertThat(hint()).isNull();
  }

  @Test
  void withoutVlanFilteringOrForAnotherKindThereIsNoHint() {
    link(1, "br1", bridge(false, 1), null);
    link(2, "eth1", new LinkKind.Other(""), 1);
    vlans.put(2, List.of(BridgeVlan.of(100).asPvid().asUntagged()));
    assertThat(hint()).isNull();

    links.clear();
    link(1, "br1", new LinkKind.Other(""), null);
    assertThat(hint()).isNull();
  }

  @Test
  void aBridgeWithoutADefaultPvidIsInNoVlan() {
    link(1, "br1", bridge(true, 0), null);
    link(2, "eth1", new LinkKind.Other(""), 1);

    assertThat(hint()).contains("br1 itself is in no VLAN");
  }
}
