package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nmstate's Open vSwitch schema: upstream's own examples parse, validate (DPDK refused with its
 * reason) and round-trip; what OVS cannot hold is refused at its path.
 */
class OvsStateTest {
  static final Path UPSTREAM = Path.of("src/test/resources/nmstate-ovs");

  static List<Path> upstream() throws IOException {
    try (Stream<Path> files = Files.list(UPSTREAM)) {
      return files.sorted().toList();
    }
  }

  static List<String> problems(String yaml) throws IOException {
    var parsed = StateParser.parse(yaml);
    var out = new java.util.ArrayList<String>();
    parsed.problems().forEach(p -> out.add(p.toString()));
    StateValidator.validate(parsed.state()).forEach(p -> out.add(p.toString()));
    return out;
  }

  @ParameterizedTest
  @MethodSource("upstream")
  void upstreamExampleValidatesAndRoundTrips(Path file) throws IOException {
    var text = Files.readString(file);
    var found = problems(text);
    if (file.getFileName().toString().equals("ovsbridge_dpdk_create.yml")) {
      assertThat(found)
          .containsExactly(
              "interfaces[1].dpdk: DPDK ports are not supported: multihome runs Open vSwitch"
                  + " without DPDK (no poll-mode threads, hugepages or vfio binding); use a"
                  + " system or internal port");
    } else {
      assertThat(found).isEmpty();
    }
    // Refused or not, the document round-trips: the DPDK one's devargs "000:18:00.2" is written
    // quoted (YAML 1.1 reads it plain as a sexagesimal float).
    var first = StateParser.parse(text).state();
    var yaml = StateWriter.toYaml(first);
    var second = StateParser.parse(yaml);
    assertThat(second.problems()).isEmpty();
    assertThat(second.state()).isEqualTo(first);
    assertThat(yaml).doesNotContain("devargs: 000:18:00.2");
  }

  @Test
  void theModelHoldsEveryOvsField() throws IOException {
    var s =
        StateParser.parse(
                """
                interfaces:
                - name: br-ex
                  type: ovs-interface
                  ipv4: {enabled: true, address: [{ip: 198.18.1.1, prefix-length: 24}]}
                  ovs-db: {external_ids: {k: v}}
                - name: br-ex
                  type: ovs-bridge
                  description: the node's bridge
                  ovs-db: {external_ids: {owner: mh, gone: null}, other_config: {hwaddr: "02:00:00:00:00:01"}}
                  bridge:
                    allow-extra-patch-ports: true
                    options: {stp: {enabled: false}, rstp: "yes", mcast-snooping-enable: true,
                              fail-mode: secure, datapath: netdev}
                    port:
                    - name: br-ex
                    - name: eth1
                      vlan: {mode: access, tag: 10}
                    - name: bond0
                      vlan: {mode: trunk, tag: 5, enable-native: true, trunk-tags: [{id: 7}]}
                      link-aggregation:
                        mode: balance-tcp
                        port: [{name: eth2}, {name: eth3}]
                        bond-updelay: 100
                        bond-downdelay: "200"
                        ovs-db: {other_config: {lacp-time: fast}}
                    - name: patch0
                - name: patch0
                  type: ovs-interface
                  patch: {peer: patch1}
                ovs-db:
                  external_ids: {system-id: node1, n: 5, b: true}
                ovn:
                  bridge-mappings:
                  - {localnet: physnet, bridge: br-ex}
                  - {localnet: old, state: absent}
                  - {localnet: blue, bridge: br-ex, state: present}
                """)
            .state();
    var internal = (Interface.OvsInterface) s.interfaces().get(0);
    assertThat(internal.common().ovsDb().externalIds()).containsEntry("k", "v");
    var br = (Interface.OvsBridge) s.interfaces().get(1);
    assertThat(br.common().description()).isEqualTo("the node's bridge");
    assertThat(br.common().ovsDb().externalIds()).containsEntry("gone", null);
    var o = br.bridge().options();
    assertThat(o.stp()).isFalse();
    assertThat(o.rstp()).isTrue();
    assertThat(o.failMode()).isEqualTo("secure");
    assertThat(o.datapath()).isEqualTo("netdev");
    assertThat(br.bridge().allowExtraPatchPorts()).isTrue();
    var bond = br.bridge().port().get(2).linkAggregation();
    assertThat(bond.mode()).isEqualTo(OvsBondMode.BALANCE_TCP);
    assertThat(bond.port()).containsExactly("eth2", "eth3");
    assertThat(bond.bondDowndelay()).isEqualTo(200);
    assertThat(bond.ovsDb().otherConfig()).containsEntry("lacp-time", "fast");
    assertThat(br.bridge().interfaceNames())
        .containsExactly("br-ex", "eth1", "eth2", "eth3", "patch0");
    assertThat(((Interface.OvsInterface) s.interfaces().get(2)).patch().peer()).isEqualTo("patch1");
    assertThat(s.ovsDb().externalIds()).containsEntry("n", "5").containsEntry("b", "true");
    assertThat(s.ovn().bridgeMappings())
        .containsExactly(
            new OvnConfig.BridgeMapping("physnet", "br-ex", false),
            new OvnConfig.BridgeMapping("old", null, true),
            new OvnConfig.BridgeMapping("blue", "br-ex", false));
    assertThat(StateValidator.validate(s)).isEmpty();
    var again = StateParser.parse(StateWriter.toYaml(s));
    assertThat(again.problems()).isEmpty();
    assertThat(again.state()).isEqualTo(s);
  }

  @Test
  void whatOvsCannotHoldIsRefusedAtItsPath() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - name: br0
                  type: ovs-bridge
                  state: down
                  mtu: 9000
                  mac-address: 02:00:00:00:00:01
                  controller: br9
                  ipv4: {enabled: true, address: [{ip: 198.18.0.1, prefix-length: 24}]}
                  bridge:
                    options:
                      stp: {enabled: true, forward-delay: 15}
                      rstp: true
                      fail-mode: closed
                      datapath: dpdk
                    port:
                    - name: eth1
                      vlan: {tag: 5}
                    - name: bond0
                      link-aggregation: {mode: lacp, port: [{name: eth1}], bond-updelay: -1}
                - name: patch0
                  type: ovs-interface
                  mtu: 1500
                  ipv6: {enabled: true}
                  patch: {peer: patch0}
                ovs-db:
                  external_ids: {ovn-bridge-mappings: "a:b"}
                ovn:
                  bridge-mappings:
                  - {localnet: a, bridge: br0}
                  - {localnet: a, bridge: br1}
                  - {localnet: c}
                """))
        .containsExactly(
            "ovn.bridge-mappings[2].bridge: is required (the OVS bridge the localnet maps to)",
            "interfaces[0].state: an OVS bridge has no down state (it exists only in OVSDB): use"
                + " up, or absent to remove it",
            "interfaces[0].mtu: an OVS bridge has no MTU of its own: set mtu on an ovs-interface"
                + " of the bridge",
            "interfaces[0].mac-address: an OVS bridge cannot hold a MAC address: set it on an"
                + " ovs-interface of the bridge",
            "interfaces[0].ipv4.enabled: an OVS bridge has no IP (it exists only in OVSDB): put"
                + " IP on an ovs-interface",
            "interfaces[0].controller: an OVS bridge cannot be a port of another",
            "interfaces[0].bridge.options.stp.forward-delay: Open vSwitch bridges take no STP"
                + " timers here; only stp.enabled is applied",
            "interfaces[0].bridge.options.rstp: stp and rstp cannot both be enabled",
            "interfaces[0].bridge.options.fail-mode: 'closed' is not one of secure, standalone"
                + " (or '' for the default)",
            "interfaces[0].bridge.options.datapath: 'dpdk' is not one of system (kernel), netdev"
                + " (userspace) or '' for the default",
            "interfaces[0].bridge.port[0].vlan.mode: a tag needs mode: access or trunk",
            "interfaces[0].bridge.port[1].link-aggregation.bond-updelay: -1 is outside"
                + " 0..2147483647",
            "interfaces[0].bridge.port[1].link-aggregation.port: an OVS bond needs at least two"
                + " ports (1 given)",
            "interfaces[0].bridge.port[1].link-aggregation.port[0].name: bond member 'eth1' is"
                + " already listed at interfaces[0].bridge.port[0].name",
            "interfaces[1].name: a new ovs-interface must be a port of an ovs-bridge: list patch0"
                + " under an ovs-bridge's bridge.port",
            "interfaces[1].patch.peer: a patch port cannot be its own peer",
            "interfaces[1].mtu: an OVS patch port has no MTU (no kernel device)",
            "interfaces[1].ipv6.enabled: an OVS patch port cannot hold IP (no kernel device)",
            "ovs-db.external_ids.ovn-bridge-mappings: reserved for OVN mappings: use the"
                + " ovn.bridge-mappings section instead",
            "ovn.bridge-mappings[1].localnet: localnet 'a' is listed twice");
  }

  @Test
  void anOvsBridgeAndItsInternalPortShareANameAndPortsOfOvsBridgesCarryNoIp() throws Exception {
    assertThat(
            problems(
                """
                interfaces:
                - {name: eth1, type: ethernet, ipv4: {enabled: true, address: [{ip: 198.18.0.9, prefix-length: 24}]}}
                - {name: br-ex, type: ovs-interface, controller: br-ex,
                   ipv4: {enabled: true, address: [{ip: 198.18.0.1, prefix-length: 24}]}}
                - {name: br-ex, type: ovs-bridge, bridge: {port: [{name: br-ex}, {name: eth1}]}}
                - {name: eth2, type: ethernet}
                - {name: eth2, type: ethernet}
                """))
        .containsExactly(
            "interfaces[4].name: duplicate interface name 'eth2' (first at interfaces[3])",
            "interfaces[0].ipv4.enabled: a port of a bridge or bond cannot have IP; set enabled:"
                + " false or leave the section out");
  }
}
