package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.LinkKind.Bond;
import io.multihome.agent.netlink.LinkKind.BondMode;
import io.multihome.agent.netlink.LinkKind.Bridge;
import io.multihome.agent.netlink.LinkKind.Dummy;
import io.multihome.agent.netlink.LinkKind.Veth;
import io.multihome.agent.netlink.LinkKind.Vlan;
import io.multihome.testkit.KernelTier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Kinds this kernel may lack; each test is skipped naming the missing feature. */
@Tag("kernel-vm")
@Timeout(120)
class OptionalKindsKernelTest {
  private ThrowawayNetns ns;
  private KernelFeatures features;

  @BeforeEach
  void setUp() {
    ns = new ThrowawayNetns();
    features = KernelFeatures.probe(ns.nl);
    System.out.println("kernel lacks: " + features.missing());
    assertThat(ns.nl.links().list()).extracting(Link::name).containsExactly("lo");
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  @Test
  void vlanOnVeth() {
    KernelTier.require(features.vlan(), "kernel lacks 802.1q VLAN devices (CONFIG_VLAN_8021Q)");
    var links = ns.nl.links();
    links.add(LinkSpec.of("veth0", Veth.peer("veth1")));
    int parent = links.get("veth0").index();
    links.add(LinkSpec.of("veth0.10", new Vlan(10, 0x88a8)).withParent(parent));
    Link vlan = links.get("veth0.10");
    assertThat(vlan.kind()).isEqualTo(new Vlan(10, 0x88a8));
    assertThat(vlan.parentIndex()).isEqualTo(parent);
  }

  @Test
  void dummy() {
    KernelTier.require(features.dummy(), "kernel lacks dummy devices (CONFIG_DUMMY)");
    ns.nl.links().add(LinkSpec.of("d0", new Dummy()).withMtu(1400));
    assertThat(ns.nl.links().get("d0").kind()).isEqualTo(new Dummy());
    assertThat(ns.nl.links().get("d0").mtu()).isEqualTo(1400);
  }

  @Test
  void bondWithOptions() {
    KernelTier.require(features.bond(), "kernel lacks bonding (CONFIG_BONDING)");
    var bond = new Bond(BondMode.ACTIVE_BACKUP, 100, 200, 200, null, 1, null);
    ns.nl.links().add(LinkSpec.of("bond0", bond));
    var got = (Bond) ns.nl.links().get("bond0").kind();
    assertThat(got.mode()).isEqualTo(BondMode.ACTIVE_BACKUP);
    assertThat(got.miimon()).isEqualTo(100);
    assertThat(got.minLinks()).isEqualTo(1);
  }

  @Test
  void bridgePortVlans() {
    KernelTier.require(
        features.bridgeVlanFiltering(),
        "kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)");
    var links = ns.nl.links();
    var br = new Bridge(null, null, null, null, null, null, true, null, null, null);
    links.add(LinkSpec.of("br0", br));
    links.add(LinkSpec.of("veth0", Veth.peer("veth1")));
    links.setMaster("veth0", "br0");
    int port = links.get("veth0").index();
    ns.nl.bridgeVlans().add(port, BridgeVlan.of(10).asPvid().asUntagged(), false);
    ns.nl.bridgeVlans().add(port, BridgeVlan.range(20, 30), false);
    assertThat(ns.nl.bridgeVlans().list().get(port))
        .contains(BridgeVlan.of(10).asPvid().asUntagged(), BridgeVlan.range(20, 30));
    ns.nl.bridgeVlans().delete(port, BridgeVlan.range(20, 30), false);
    assertThat(ns.nl.bridgeVlans().list().get(port)).doesNotContain(BridgeVlan.range(20, 30));
  }
}
