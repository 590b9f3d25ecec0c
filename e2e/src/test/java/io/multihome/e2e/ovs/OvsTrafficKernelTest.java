package io.multihome.e2e.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Traffic through bridges the engine configured, on Open vSwitch's userspace datapath here (kernel
 * datapath in the VM tier): access ports reach only their own VLAN, a patch port pair joins two
 * bridges, a trunk carries tagged frames, an OVS bond forwards.
 */
@Tag("kernel-vm")
class OvsTrafficKernelTest extends OvsEngineTestBase {
  @Override
  int nics() {
    return 0;
  }

  @Test
  void accessPortsReachEachOtherOnlyOnTheSameTag() throws Exception {
    var a = node.pod("v1", "198.18.9.1/24");
    var b = node.pod("v2", "198.18.9.2/24");
    var c = node.pod("v3", "198.18.9.3/24");
    mustApply(
        """
        interfaces:
        - name: br-vlan
          type: ovs-bridge
          state: up
          bridge:
            options: {datapath: %s, stp: false}
            port:
            - {name: v1, vlan: {mode: access, tag: 10}}
            - {name: v2, vlan: {mode: access, tag: 10}}
            - {name: v3, vlan: {mode: access, tag: 20}}
        """
            .formatted(DP));
    assertThat(node.ovs.vsctl("get", "Port", "v1", "tag").strip()).isEqualTo("10");
    assertThat(OvsNode.ping(a, "198.18.9.2")).as("same tag 10").isTrue();
    assertThat(OvsNode.ping(a, "198.18.9.3")).as("tag 10 to tag 20").isFalse();
    assertThat(OvsNode.ping(c, "198.18.9.2")).as("tag 20 to tag 10").isFalse();

    // Moving v3 to tag 10 (only its vlan changes) joins it.
    mustApply(
        """
        interfaces:
        - name: br-vlan
          type: ovs-bridge
          bridge:
            port:
            - {name: v1}
            - {name: v2}
            - {name: v3, vlan: {mode: access, tag: 10}}
        """);
    assertThat(node.ovs.vsctl("get", "Port", "v1", "tag").strip())
        .as("vlan left out is kept")
        .isEqualTo("10");
    assertThat(OvsNode.ping(c, "198.18.9.2")).isTrue();
    assertThat(OvsNode.ping(b, "198.18.9.1")).isTrue();
  }

  @Test
  void patchPortsJoinTwoBridges() throws Exception {
    var a = node.pod("pa", "198.18.10.1/24");
    node.pod("pb", "198.18.10.2/24");
    // nmstate's examples/ovsbridge_patch_create.yml with a host port on each bridge, and STP's
    // timers at OVS's minimums (forward delay 4 s, max age 6 s; defaults 15 s and 20 s): with the
    // defaults the ping came after 25 s here and 60 s in the kernel-VM tier, the end of the wait.
    mustApply(
        """
        interfaces:
        - {name: patch0, type: ovs-interface, state: up, patch: {peer: patch1}}
        - name: ovs-br0
          type: ovs-bridge
          state: up
          ovs-db: {other_config: {stp-forward-delay: "4", stp-max-age: "6"}}
          bridge:
            options: {stp: {enabled: true}, datapath: %1$s}
            port: [{name: patch0}, {name: pa}]
        - {name: patch1, type: ovs-interface, state: up, patch: {peer: patch0}}
        - name: ovs-br1
          type: ovs-bridge
          state: up
          ovs-db: {other_config: {stp-forward-delay: "4", stp-max-age: "6"}}
          bridge:
            options: {stp: {enabled: true}, datapath: %1$s}
            port: [{name: patch1}, {name: pb}]
        """
            .formatted(DP));
    assertThat(node.ovs.vsctl("get", "Interface", "patch0", "options:peer").strip())
        .isEqualTo("patch1");
    assertThat(node.ns.hasLink("patch0")).as("a patch port has no kernel device").isFalse();
    // STP on both bridges: ports forward after the listening/learning delays.
    assertThat(node.ovs.vsctl("get", "Bridge", "ovs-br0", "other_config:stp-forward-delay").strip())
        .isEqualTo("\"4\"");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofSeconds(1))
        .until(() -> OvsNode.ping(a, "198.18.10.2"));
    var shown = StateWriter.toYaml(engine.show(n -> n.startsWith("patch")));
    assertThat(shown).contains("peer: patch1").contains("peer: patch0");

    // nmstate's examples/ovsbridge_patch_delete.yml: untyped absent entries.
    mustApply("interfaces: [{name: ovs-br0, state: absent}, {name: ovs-br1, state: absent}]");
    assertThat(node.ovs.vsctl("list-br")).isEmpty();
  }

  @Test
  void aTrunkPortCarriesTaggedFramesAndANativeVlanUntagged() throws Exception {
    // 802.1q devices are missing on this kernel: the trunk's far end is an OVS internal port
    // on a second bridge, whose own access port tags and untags.
    var a = node.pod("t1", "198.18.11.1/24");
    var b = node.pod("t2", "198.18.11.2/24");
    mustApply(
        """
        interfaces:
        - {name: tr0, type: ovs-interface, state: up, patch: {peer: tr1}}
        - {name: tr1, type: ovs-interface, state: up, patch: {peer: tr0}}
        - name: br-a
          type: ovs-bridge
          bridge:
            options: {datapath: %1$s}
            port:
            - {name: t1, vlan: {mode: access, tag: 30}}
            - {name: tr0, vlan: {mode: trunk, trunk-tags: [{id: 30}, {id-range: {min: 100, max: 102}}]}}
        - name: br-b
          type: ovs-bridge
          bridge:
            options: {datapath: %1$s}
            port:
            - {name: t2, vlan: {mode: access, tag: 30}}
            - {name: tr1, vlan: {mode: trunk, tag: 7, enable-native: true, trunk-tags: [{id: 30}]}}
        """
            .formatted(DP));
    assertThat(node.ovs.vsctl("get", "Port", "tr0", "trunks").strip())
        .isEqualTo("[30, 100, 101, 102]");
    assertThat(node.ovs.vsctl("get", "Port", "tr1", "vlan_mode").strip())
        .isEqualTo("native-untagged");
    assertThat(OvsNode.ping(a, "198.18.11.2")).isTrue();
    var shown = StateWriter.toYaml(engine.show(n -> n.equals("br-a")));
    assertThat(shown).contains("min: 100").contains("max: 102").contains("mode: trunk");
  }

  @Test
  void anOvsBondOfTwoVethsForwards() throws Exception {
    // The userspace datapath runs OVS bonds too (probed here): a host whose two NICs are
    // bridged on its side reaches a host behind an access port through balance-slb.
    var far = node.pod("h1", "198.18.12.1/24");
    var bonded = node.pod("m1", "198.18.12.2/24");
    node.ns.ip("link", "add", "m2", "type", "veth", "peer", "name", "e1", "netns", bonded.name());
    node.ns.ip("link", "set", "m2", "up");
    // On the host, e0 and e1 in a Linux bridge carrying its address (active-backup peer).
    bonded.ip("addr", "flush", "dev", "e0");
    bonded.ip("link", "add", "hb", "type", "bridge");
    bonded.ip("link", "set", "e0", "master", "hb");
    bonded.ip("link", "set", "e1", "master", "hb");
    bonded.ip("link", "set", "e1", "up");
    bonded.ip("addr", "add", "198.18.12.2/24", "dev", "hb");
    bonded.ip("link", "set", "hb", "up");
    mustApply(
        """
        interfaces:
        - name: br-bond
          type: ovs-bridge
          bridge:
            options: {datapath: %s}
            port:
            - {name: h1}
            - name: bond0
              link-aggregation:
                mode: active-backup
                bond-updelay: 0
                port: [{name: m1}, {name: m2}]
        """
            .formatted(DP));
    var bond = node.ovs.appctl("bond/show", "bond0");
    assertThat(bond)
        .contains("bond_mode: active-backup")
        .contains("member m1")
        .contains("member m2");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(() -> OvsNode.ping(far, "198.18.12.2"));
    var shown = StateWriter.toYaml(engine.show(n -> n.equals("br-bond")));
    assertThat(shown).contains("mode: active-backup").contains("name: m1").contains("name: m2");
  }
}
