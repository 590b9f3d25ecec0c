package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.ovsdb.InterfaceRow;
import io.multihome.agent.ovsdb.PortRow;
import io.multihome.state.BridgeConfig;
import io.multihome.state.Common;
import io.multihome.state.Interface;
import io.multihome.state.OvnConfig;
import io.multihome.state.OvsBridgeConfig;
import io.multihome.state.OvsDb;
import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import io.multihome.state.StateValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of the Open vSwitch model is applied or refused, never silently dropped (the idea of
 * issue 15's field coverage, for the OVS records): the model's record components are enumerated by
 * reflection and each must have a case here; an "applied" case must make the plan against a switch
 * without it carry a change at the field's path (verification is the same comparison re-run, so a
 * field applied this way is verified too), a "refused" case must be reported at its path by
 * validation or planning. Common keys are covered per OVS kind.
 */
class OvsFieldCoverageTest {

  /** The OVS records whose every component needs a case. */
  static final List<Class<? extends Record>> RECORDS =
      List.of(
          Interface.OvsBridge.class,
          Interface.OvsInterface.class,
          Interface.OvsPatchConfig.class,
          OvsBridgeConfig.class,
          OvsBridgeConfig.Options.class,
          OvsBridgeConfig.Port.class,
          OvsBridgeConfig.Bond.class,
          BridgeConfig.PortVlan.class,
          OvsDb.class,
          OvnConfig.class,
          OvnConfig.BridgeMapping.class);

  /** The OVS kinds each {@link Common} key is covered for. */
  static final List<String> KINDS = List.of("ovs-bridge", "ovs-interface", "ovs-patch");

  /**
   * {@code applied}: the plan must have a change whose path contains {@code path}; {@code refused}:
   * a problem path must contain it; {@code identity}: keys that name or select the entry (covered
   * by every other case).
   */
  record Case(String yaml, String path, String how) {}

  static Case applied(String yaml, String path) {
    return new Case(yaml, path, "applied");
  }

  static Case refused(String yaml, String path) {
    return new Case(yaml, path, "refused");
  }

  static Case identity() {
    return new Case(null, null, "identity");
  }

  static final Map<String, Case> CASES = new LinkedHashMap<>();

  static {
    var br = "interfaces:\n- {name: br0, type: ovs-bridge, bridge: %s}\n";
    CASES.put("OvsBridge.common", identity());
    CASES.put("OvsBridge.bridge", applied(br.formatted("{options: {stp: true}}"), "[br0].bridge"));
    CASES.put("OvsInterface.common", identity());
    CASES.put(
        "OvsInterface.patch",
        applied("interfaces: [{name: pp0, type: ovs-interface, patch: {peer: y}}]", "[pp0].patch"));
    CASES.put(
        "OvsInterface.dpdk",
        refused(
            "interfaces: [{name: ovs0, type: ovs-interface, dpdk: {devargs: '0000:01:00.0'}}]",
            "interfaces[0].dpdk"));
    CASES.put(
        "OvsPatchConfig.peer",
        applied("interfaces: [{name: pp0, type: ovs-interface, patch: {peer: y}}]", "[pp0].patch"));
    CASES.put(
        "OvsBridgeConfig.allowExtraPatchPorts",
        // Without it the port list [eth1, ovs0] drops pp0; with it pp0 stays: the plan differs.
        applied(
            br.formatted("{allow-extra-patch-ports: false, port: [{name: eth1}, {name: ovs0}]}"),
            "[br0].bridge.port"));
    CASES.put("OvsBridgeConfig.options", applied(br.formatted("{options: {rstp: true}}"), "rstp"));
    CASES.put(
        "OvsBridgeConfig.port",
        applied(
            br.formatted("{port: [{name: eth1}, {name: ovs0}, {name: pp0}, {name: eth2}]}"),
            "[br0].bridge.port"));
    CASES.put("Options.stp", applied(br.formatted("{options: {stp: true}}"), "options.stp"));
    CASES.put(
        "Options.stpTimers",
        refused(br.formatted("{options: {stp: {enabled: true, max-age: 8}}}"), "options.stp"));
    CASES.put("Options.rstp", applied(br.formatted("{options: {rstp: true}}"), "options.rstp"));
    CASES.put(
        "Options.mcastSnoopingEnable",
        applied(
            br.formatted("{options: {mcast-snooping-enable: true}}"),
            "options.mcast-snooping-enable"));
    CASES.put(
        "Options.failMode",
        applied(br.formatted("{options: {fail-mode: secure}}"), "options.fail-mode"));
    CASES.put(
        "Options.datapath",
        applied(br.formatted("{options: {datapath: system}}"), "options.datapath"));
    var port =
        "interfaces:\n- {name: br0, type: ovs-bridge, bridge: {port: [{name: eth1, %s},"
            + " {name: ovs0}, {name: pp0}]}}\n";
    CASES.put("Port.name", applied(br.formatted("{port: [{name: eth1}]}"), "[br0].bridge.port"));
    CASES.put("Port.vlan", applied(port.formatted("vlan: {mode: access, tag: 5}"), "vlan.mode"));
    CASES.put(
        "Port.linkAggregation",
        applied(
            br.formatted(
                "{port: [{name: ovs0}, {name: pp0}, {name: bond1, link-aggregation: {port: [{name:"
                    + " eth1}, {name: eth2}]}}]}"),
            "[br0].bridge.port"));
    var bond =
        "interfaces:\n- {name: br1, type: ovs-bridge, bridge: {port: [{name: bd0,"
            + " link-aggregation: %s}]}}\n";
    CASES.put(
        "Bond.mode",
        applied(
            bond.formatted("{mode: balance-tcp}"), "[br1].bridge.port[bd0].link-aggregation.mode"));
    CASES.put(
        "Bond.port",
        applied(
            bond.formatted("{port: [{name: eth3}, {name: eth5}]}"),
            "[br1].bridge.port[bd0].link-aggregation.port"));
    CASES.put(
        "Bond.bondUpdelay",
        applied(bond.formatted("{bond-updelay: 100}"), "link-aggregation.bond-updelay"));
    CASES.put(
        "Bond.bondDowndelay",
        applied(bond.formatted("{bond-downdelay: 100}"), "link-aggregation.bond-downdelay"));
    CASES.put(
        "Bond.ovsDb",
        applied(
            bond.formatted("{ovs-db: {other_config: {lacp-time: fast}}}"),
            "[br1].bridge.port[bd0].ovs-db.other_config"));
    CASES.put(
        "PortVlan.mode", applied(port.formatted("vlan: {mode: access, tag: 5}"), "vlan.mode"));
    CASES.put("PortVlan.tag", applied(port.formatted("vlan: {mode: access, tag: 5}"), "vlan.tag"));
    CASES.put(
        "PortVlan.enableNative",
        applied(
            port.formatted(
                "vlan: {mode: trunk, tag: 5, enable-native: true, trunk-tags: [{id: 7}]}"),
            "vlan.mode"));
    CASES.put(
        "PortVlan.trunkTags",
        applied(
            port.formatted("vlan: {mode: trunk, trunk-tags: [{id-range: {min: 7, max: 9}}]}"),
            "vlan.trunk-tags"));
    CASES.put(
        "OvsDb.externalIds",
        applied(
            "interfaces: [{name: br0, type: ovs-bridge, ovs-db: {external_ids: {k: v}}}]",
            "[br0].ovs-db.external_ids"));
    CASES.put(
        "OvsDb.otherConfig",
        applied(
            "interfaces: [{name: br0, type: ovs-bridge, ovs-db: {other_config: {k: v}}}]",
            "[br0].ovs-db.other_config"));
    var ovn = "ovn: {bridge-mappings: [%s]}\n";
    CASES.put(
        "OvnConfig.bridgeMappings",
        applied(ovn.formatted("{localnet: n, bridge: br0}"), "ovn.bridge-mappings"));
    CASES.put(
        "BridgeMapping.localnet",
        applied(ovn.formatted("{localnet: n2, bridge: br0}"), "ovn.bridge-mappings"));
    CASES.put(
        "BridgeMapping.bridge",
        applied(ovn.formatted("{localnet: old, bridge: br1}"), "ovn.bridge-mappings"));
    CASES.put(
        "BridgeMapping.absent",
        applied(ovn.formatted("{localnet: old, state: absent}"), "ovn.bridge-mappings"));

    // Common keys, per kind.
    var b = "interfaces: [{name: br0, type: ovs-bridge, %s}]";
    var i = "interfaces: [{name: ovs0, type: ovs-interface, %s}]";
    var p = "interfaces: [{name: pp0, type: ovs-interface, patch: {peer: x}, %s}]";
    common("ovs-bridge", "name", identity());
    common("ovs-bridge", "type", identity());
    common("ovs-bridge", "state", applied("interfaces: [{name: br0, state: absent}]", "[br0]"));
    common("ovs-bridge", "mtu", refused(b.formatted("mtu: 1400"), "interfaces[0].mtu"));
    common(
        "ovs-bridge",
        "macAddress",
        refused(b.formatted("mac-address: 02:00:00:00:00:01"), "interfaces[0].mac-address"));
    common(
        "ovs-bridge",
        "description",
        applied(b.formatted("description: uplink"), "[br0].ovs-db.external_ids"));
    common("ovs-bridge", "controller", refused(b.formatted("controller: br1"), "controller"));
    common("ovs-bridge", "ipv4", refused(b.formatted("ipv4: {enabled: true}"), "ipv4.enabled"));
    common("ovs-bridge", "ipv6", refused(b.formatted("ipv6: {enabled: true}"), "ipv6.enabled"));
    common(
        "ovs-bridge",
        "ovsDb",
        applied(b.formatted("ovs-db: {external_ids: {k: v}}"), "[br0].ovs-db.external_ids"));
    common("ovs-bridge", "extras", identity());
    common("ovs-interface", "name", identity());
    common("ovs-interface", "type", identity());
    common(
        "ovs-interface",
        "state",
        applied("interfaces: [{name: ovs0, type: ovs-interface, state: absent}]", "[br0]"));
    common("ovs-interface", "mtu", applied(i.formatted("mtu: 1400"), "[ovs0].mtu"));
    common(
        "ovs-interface",
        "macAddress",
        applied(i.formatted("mac-address: 02:00:00:00:00:09"), "[ovs0].mac-address"));
    common(
        "ovs-interface",
        "description",
        applied(i.formatted("description: d"), "[ovs0].description"));
    common(
        "ovs-interface",
        "controller",
        refused(i.formatted("controller: br1"), "interfaces[0].controller"));
    common(
        "ovs-interface",
        "ipv4",
        applied(
            i.formatted("ipv4: {enabled: true, address: [{ip: 198.18.0.1, prefix-length: 24}]}"),
            "[ovs0].ipv4.address"));
    common(
        "ovs-interface",
        "ipv6",
        applied(
            i.formatted("ipv6: {enabled: true, address: [{ip: 2001:db8::1, prefix-length: 64}]}"),
            "[ovs0].ipv6.address"));
    common(
        "ovs-interface",
        "ovsDb",
        applied(i.formatted("ovs-db: {other_config: {k: v}}"), "[ovs0].ovs-db.other_config"));
    common("ovs-interface", "extras", identity());
    common("ovs-patch", "name", identity());
    common("ovs-patch", "type", identity());
    common("ovs-patch", "state", refused(p.formatted("state: down"), "interfaces[0].state"));
    common("ovs-patch", "mtu", refused(p.formatted("mtu: 1400"), "interfaces[0].mtu"));
    common(
        "ovs-patch",
        "macAddress",
        refused(p.formatted("mac-address: 02:00:00:00:00:01"), "interfaces[0].mac-address"));
    common(
        "ovs-patch",
        "description",
        applied(p.formatted("description: d"), "[pp0].ovs-db.external_ids"));
    common("ovs-patch", "controller", refused(p.formatted("controller: br1"), "controller"));
    common("ovs-patch", "ipv4", refused(p.formatted("ipv4: {enabled: true}"), "ipv4.enabled"));
    common("ovs-patch", "ipv6", refused(p.formatted("ipv6: {enabled: true}"), "ipv6.enabled"));
    common(
        "ovs-patch",
        "ovsDb",
        applied(p.formatted("ovs-db: {external_ids: {k: v}}"), "[pp0].ovs-db.external_ids"));
    common("ovs-patch", "extras", identity());
  }

  private static void common(String kind, String component, Case c) {
    CASES.put("Common@" + kind + "." + component, c);
  }

  /** A switch with br0 (eth1, internal ovs0, patch pp0) and br1 (bond bd0 of eth3, eth4). */
  static OvsPlannerTest node() {
    var t = new OvsPlannerTest();
    for (int k = 1; k <= 5; k++) {
      t.nic(k, "eth" + k);
    }
    t.bridge("br0", "eth1", "", "ovs0", "internal", "pp0", "patch");
    t.bridge("br1", "eth3", "");
    // eth3's port becomes bond bd0 of eth3 and eth4.
    t.ifaces.put(
        "i-eth4",
        new InterfaceRow("i-eth4", "eth4", "", Map.of(), null, null, 2L, null, Map.of(), Map.of()));
    t.ports.remove("p-eth3");
    t.ports.put(
        "p-eth3",
        new PortRow(
            "p-eth3",
            "bd0",
            List.of("i-eth3", "i-eth4"),
            null,
            null,
            List.of(),
            "balance-slb",
            0,
            0,
            "off",
            Map.of(),
            Map.of()));
    t.rootExternalIds = Map.of("ovn-bridge-mappings", "old:br0");
    return t;
  }

  @Test
  void everyFieldOfTheOvsModelHasACase() {
    var missing = new TreeSet<String>();
    for (var r : RECORDS) {
      for (var c : r.getRecordComponents()) {
        var key = r.getSimpleName() + "." + c.getName();
        if (!CASES.containsKey(key)) {
          missing.add(key);
        }
      }
    }
    for (var kind : KINDS) {
      for (var c : Common.class.getRecordComponents()) {
        if (!CASES.containsKey("Common@" + kind + "." + c.getName())) {
          missing.add("Common@" + kind + "." + c.getName());
        }
      }
    }
    assertThat(missing).as("fields with neither an apply nor a refusal case").isEmpty();
  }

  static Stream<String> cases() {
    return CASES.entrySet().stream()
        .filter(e -> !e.getValue().how().equals("identity"))
        .map(Map.Entry::getKey);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void eachFieldIsAppliedOrRefusedAtItsPath(String key) throws Exception {
    var c = CASES.get(key);
    var parsed = StateParser.parse(c.yaml());
    var found = new ArrayList<String>();
    parsed.problems().forEach(p -> found.add(p.path()));
    StateValidator.validate(parsed.state(), name -> true).forEach(p -> found.add(p.path()));
    List<String> changes = List.of();
    if (found.isEmpty()) {
      try {
        var plan = Planner.plan(parsed.state(), node().node());
        changes = plan.ops().stream().map(o -> o.diff().path()).toList();
      } catch (PlanException e) {
        e.problems().stream().map(Problem::path).forEach(found::add);
      }
    }
    if (c.how().equals("refused")) {
      assertThat(found).as(key + " refused").anyMatch(p -> p.contains(c.path()));
    } else {
      assertThat(found).as(key + ": no problem expected").isEmpty();
      assertThat(changes).as(key + " applied").anyMatch(p -> p.contains(c.path()));
    }
  }
}
