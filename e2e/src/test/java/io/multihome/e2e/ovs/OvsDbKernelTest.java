package io.multihome.e2e.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.multihome.agent.engine.PlanException;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code ovs-db} and {@code ovn} against a real OVSDB: the global maps merge (null removes a key,
 * {@code ovs-db: {}} clears all but the OVN mappings), bridge and interface maps replace, {@code
 * ovn.bridge-mappings} merge by localnet into {@code external_ids:ovn-bridge-mappings} as
 * kubernetes-nmstate's localnet policies write them; an ovs-interface changed on its own, a system
 * port moved between bridges and its ovs-db.
 */
class OvsDbKernelTest extends OvsEngineTestBase {
  @Override
  int nics() {
    return 2;
  }

  /** Applies {@code yaml}; applying it again plans nothing. */
  private void apply(String yaml) throws Exception {
    mustApply(yaml);
    assertThat(engine.plan(OvsNode.state(yaml)).describe()).as("re-apply").isEmpty();
  }

  private String root(String key) {
    return node.ovs.vsctl("get", "Open_vSwitch", ".", key).strip();
  }

  @Test
  void ovnBridgeMappingsMergeByLocalnetAndGlobalMapsMerge() throws Exception {
    node.ovs.vsctl("set", "Open_vSwitch", ".", "external_ids:system-id=node-a");
    // kubernetes-nmstate's bridgeMappings(network, bridge) state (test/e2e/handler/states.go).
    apply(
        """
        interfaces:
        - {name: br1-iface, type: ovs-interface, state: up, controller: br1}
        - name: br1
          type: ovs-bridge
          state: up
          bridge:
            options: {datapath: %s}
            port: [{name: br1-iface}]
        ovn:
          bridge-mappings:
          - {localnet: physnet, bridge: br1, state: present}
        """
            .formatted(DP));
    assertThat(root("external_ids:ovn-bridge-mappings")).isEqualTo("\"physnet:br1\"");
    assertThat(root("external_ids:system-id")).as("kept").isEqualTo("node-a");

    apply(
        """
        ovn:
          bridge-mappings:
          - {localnet: tenantblue, bridge: br1}
        ovs-db:
          external_ids: {zone: z1, system-id: null}
          other_config: {stats-update-interval: 5000}
        """);
    assertThat(root("external_ids:ovn-bridge-mappings"))
        .isEqualTo("\"physnet:br1,tenantblue:br1\"");
    assertThat(root("external_ids")).contains("zone=z1").doesNotContain("system-id");
    assertThat(root("other_config:stats-update-interval")).isEqualTo("\"5000\"");

    var shown = StateWriter.toYaml(engine.show(n -> false));
    assertThat(shown)
        .contains("localnet: physnet")
        .contains("localnet: tenantblue")
        .contains("zone: z1");
    assertThat(engine.plan(StateParser.parse(shown).state()).describe()).isEmpty();

    // ovs-db: {} clears both maps, never the OVN mappings (they belong to the ovn section).
    apply("ovs-db: {}");
    assertThat(root("external_ids"))
        .isEqualTo("{ovn-bridge-mappings=\"physnet:br1,tenantblue:br1\"}");
    assertThat(root("other_config")).isEqualTo("{}");

    // kubernetes-nmstate's cleanBridgeMappings: the port, the bridge and the mapping go.
    apply(
        """
        interfaces:
        - {name: br1-iface, type: ovs-interface, state: absent}
        - {name: br1, type: ovs-bridge, state: absent}
        ovn:
          bridge-mappings:
          - {localnet: physnet, state: absent}
          - {localnet: tenantblue, state: absent}
        """);
    assertThat(root("external_ids")).isEqualTo("{}");
    assertThat(node.ovs.vsctl("list-br")).isEmpty();
  }

  @Test
  void rowMapsReplaceAndTheDescriptionIsKeptApart() throws Exception {
    apply(
        """
        interfaces:
        - name: br0
          type: ovs-bridge
          description: uplink bridge
          ovs-db: {external_ids: {a: "1", b: "2"}, other_config: {mac-aging-time: "60"}}
          bridge:
            options: {datapath: %s}
            port:
            - {name: eth1}
            - name: bond0
              link-aggregation:
                mode: balance-slb
                bond-downdelay: 100
                port: [{name: eth2}, {name: eth2-p}]
                ovs-db: {other_config: {bond-rebalance-interval: "0"}}
        - {name: eth1, type: veth, ovs-db: {external_ids: {nic: first}}}
        """
            .formatted(DP));
    assertThat(node.ovs.vsctl("get", "Bridge", "br0", "external_ids").strip())
        .isEqualTo("{a=\"1\", b=\"2\", multihome.description=\"uplink bridge\"}");
    assertThat(node.ovs.vsctl("get", "Interface", "eth1", "external_ids:nic").strip())
        .isEqualTo("first");
    assertThat(
            node.ovs.vsctl("get", "Port", "bond0", "other_config:bond-rebalance-interval").strip())
        .isEqualTo("\"0\"");
    assertThat(node.ovs.vsctl("get", "Port", "bond0", "bond_downdelay").strip()).isEqualTo("100");

    apply(
        """
        interfaces:
        - name: br0
          type: ovs-bridge
          ovs-db: {external_ids: {c: "3"}}
        """);
    assertThat(node.ovs.vsctl("get", "Bridge", "br0", "external_ids").strip())
        .as("replaced; the description stays")
        .isEqualTo("{c=\"3\", multihome.description=\"uplink bridge\"}");
    var shown = StateWriter.toYaml(engine.show(n -> n.equals("br0")));
    assertThat(shown)
        .contains("description: uplink bridge")
        .doesNotContain("multihome.description");
  }

  @Test
  void anInternalPortChangesOnItsOwnAndASystemPortMovesBetweenBridges() throws Exception {
    apply(
        """
        interfaces:
        - {name: ovs0, type: ovs-interface, ipv4: {enabled: true, address: [{ip: 198.18.15.1, prefix-length: 24}]}}
        - name: br0
          type: ovs-bridge
          bridge: {options: {datapath: %1$s}, port: [{name: eth1}, {name: ovs0}]}
        - name: br1
          type: ovs-bridge
          bridge: {options: {datapath: %1$s}, port: [{name: eth2}]}
        """
            .formatted(DP));
    assertThat(node.ovs.vsctl("list-ifaces", "br1")).isEqualTo("br1\neth2\n".replace("br1\n", ""));

    // The internal port alone: its MTU (OVSDB mtu_request) and address change.
    apply(
        """
        interfaces:
        - {name: ovs0, type: ovs-interface, mtu: 1400, ipv4: {enabled: true, address: [{ip: 198.18.15.2, prefix-length: 24}]}}
        """);
    assertThat(node.ovs.vsctl("get", "Interface", "ovs0", "mtu_request").strip()).isEqualTo("1400");
    assertThat(node.ns.link("ovs0").path("mtu").asInt()).isEqualTo(1400);
    assertThat(node.ns.ip("-br", "addr", "show", "dev", "ovs0").stdout())
        .contains("198.18.15.2/24")
        .doesNotContain("198.18.15.1");

    // eth1 listed by br1 leaves br0 (br0 itself is not in the document).
    apply(
        """
        interfaces:
        - name: br1
          type: ovs-bridge
          bridge: {port: [{name: eth2}, {name: eth1}]}
        """);
    assertThat(node.ovs.vsctl("list-ports", "br0")).isEqualTo("ovs0\n");
    assertThat(node.ovs.vsctl("list-ports", "br1")).isEqualTo("eth1\neth2\n");

    // An absent NIC leaves its bridge; the kernel device stays (unconfigured, as nmstate).
    apply("interfaces: [{name: eth2, type: ethernet, state: absent}]");
    assertThat(node.ovs.vsctl("list-ports", "br1")).isEqualTo("eth1\n");
    assertThat(node.ns.hasLink("eth2")).isTrue();
  }

  @Test
  void whatTheSwitchCannotTakeIsRefusedAtItsPathBeforeAnythingChanges() throws Exception {
    apply(
        """
        interfaces:
        - name: br0
          type: ovs-bridge
          bridge: {options: {datapath: %s}, port: [{name: eth1}]}
        """
            .formatted(DP));
    var before = node.dump();
    var e =
        catchThrowableOfType(
            PlanException.class,
            () ->
                engine.plan(
                    OvsNode.state(
                        """
                        interfaces:
                        - {name: ovs9, type: ovs-interface, ipv4: {enabled: false}}
                        - name: br0
                          type: ovs-bridge
                          bridge:
                            port:
                            - {name: eth9}
                            - {name: bond0, link-aggregation: {mode: lacp, port: [{name: eth1}]}}
                        - {name: eth2, type: veth, ovs-db: {external_ids: {a: b}}}
                        - {name: eth1, controller: br7}
                        """)));
    assertThat(e.problems())
        .extracting(Object::toString)
        .contains(
            "interfaces[0]: ovs-interface ovs9 is in no OVS bridge: list it under an ovs-bridge's"
                + " bridge.port",
            "interfaces[1].bridge.port[0].name: interface eth9 does not exist (a system port is a"
                + " kernel interface; an internal port needs an ovs-interface entry)",
            "interfaces[1].bridge.port[1].link-aggregation.port: an OVS bond needs at least two"
                + " ports",
            "interfaces[2].ovs-db: eth2 is not an interface of an OVS bridge; ovs-db applies to"
                + " ovs-bridge, ovs-interface and ports of OVS bridges");
    assertThat(node.dump()).isEqualTo(before);
  }
}
