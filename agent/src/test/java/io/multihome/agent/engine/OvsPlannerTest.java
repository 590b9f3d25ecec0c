package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.ovsdb.BridgeRow;
import io.multihome.agent.ovsdb.InterfaceRow;
import io.multihome.agent.ovsdb.OpenVswitchRow;
import io.multihome.agent.ovsdb.PortRow;
import io.multihome.agent.ovsdb.SwitchState;
import io.multihome.agent.ovsdb.TxOp;
import io.multihome.state.StateParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OVS planner on made-up switches (no daemons): merge semantics, the transaction it builds
 * (checks, named uuids), paths of its changes and refusals.
 */
class OvsPlannerTest {
  final Map<String, BridgeRow> bridges = new LinkedHashMap<>();
  final Map<String, PortRow> ports = new LinkedHashMap<>();
  final Map<String, InterfaceRow> ifaces = new LinkedHashMap<>();
  final List<NodeLink> links = new ArrayList<>();
  Map<String, String> rootExternalIds = Map.of();

  /** A bridge {@code name} whose ports each hold one interface of the same name and type. */
  void bridge(String name, String... portAndType) {
    var portUuids = new ArrayList<String>();
    for (int i = 0; i < portAndType.length; i += 2) {
      var p = portAndType[i];
      var type = portAndType[i + 1];
      ifaces.put(
          "i-" + p,
          new InterfaceRow(
              "i-" + p,
              p,
              type,
              type.equals("patch") ? Map.of("peer", "x") : Map.of(),
              null,
              null,
              1L,
              null,
              Map.of(),
              Map.of()));
      ports.put(
          "p-" + p,
          new PortRow(
              "p-" + p,
              p,
              List.of("i-" + p),
              null,
              null,
              List.of(),
              null,
              0,
              0,
              null,
              Map.of(),
              Map.of()));
      portUuids.add("p-" + p);
    }
    bridges.put(
        "b-" + name,
        new BridgeRow(
            "b-" + name, name, portUuids, false, false, false, null, "netdev", Map.of(), Map.of()));
  }

  void nic(int index, String name) {
    links.add(
        TestLinks.node(TestLinks.link(index, name, new LinkKind.Veth(null, null)), false, null));
  }

  Snapshot node() {
    var root =
        new OpenVswitchRow(
            "root",
            List.copyOf(bridges.keySet()),
            1,
            1,
            rootExternalIds,
            Map.of(),
            List.of("netdev", "system"));
    var sw = new SwitchState(root, bridges, ports, ifaces);
    return new Snapshot(links, List.of(), List.of(), List.of())
        .withOvs(new OvsSnapshot(Path.of("/run/test/db.sock"), sw, null, "netdev"));
  }

  Plan plan(String yaml) throws Exception {
    var parsed = StateParser.parse(yaml);
    assertThat(parsed.problems()).isEmpty();
    return Planner.plan(parsed.state(), node());
  }

  static List<String> diffs(Plan p) {
    return p.ops().stream().map(o -> o.diff().toString()).toList();
  }

  static OvsOps.Commit commit(Plan p) {
    return p.ops().stream()
        .filter(o -> o instanceof OvsOps.Commit)
        .map(o -> (OvsOps.Commit) o)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aNewBridgeIsOneTransactionOfNamedUuidInsertsGuardedByTheRootsBridgeList() throws Exception {
    nic(1, "eth1");
    var p =
        plan(
            """
            interfaces:
            - {name: ovs0, type: ovs-interface}
            - name: br0
              type: ovs-bridge
              bridge: {options: {stp: true}, port: [{name: eth1}, {name: ovs0}]}
            """);
    assertThat(p.describe())
        .contains(
            "ovs-vsctl add-br br0 -- set bridge br0 datapath_type=netdev stp_enable=true"
                + " -- add-port br0 eth1 -- add-port br0 ovs0 -- set interface ovs0"
                + " type=internal");
    var ops = commit(p).ops();
    assertThat(ops.stream().map(o -> o.getClass().getSimpleName()))
        .containsExactly("Insert", "Insert", "Insert", "Insert", "Insert", "Wait", "Mutate");
    var waitOnRoot = (TxOp.Wait) ops.get(5);
    assertThat(waitOnRoot.table()).isEqualTo("Open_vSwitch");
    assertThat(waitOnRoot.columns()).containsExactly("bridges");
    // The internal port's device is what the plan creates: the checkpoint deletes it on rollback.
    assertThat(p.touched()).contains("ovs0", "eth1");
    // ovs0's kernel side comes after the commit (same stage, later in order): it is brought up.
    assertThat(p.describe()).contains("ip link set ovs0 up");
  }

  @Test
  void anExistingBridgeChangesOnlyWhatIsGivenAndDropsUnlistedPortsButExtraPatchPorts()
      throws Exception {
    nic(1, "eth1");
    nic(2, "eth2");
    bridge("br0", "eth1", "", "eth2", "", "pp0", "patch");
    var p =
        plan(
            """
            interfaces:
            - name: br0
              type: ovs-bridge
              bridge:
                allow-extra-patch-ports: true
                options: {mcast-snooping-enable: true}
                port: [{name: eth1, vlan: {mode: access, tag: 10}}]
            """);
    assertThat(diffs(p))
        .containsExactlyInAnyOrder(
            "interfaces[br0].bridge.options.mcast-snooping-enable: desired true, current false",
            "interfaces[br0].bridge.port[eth1].vlan.mode: desired access, current []",
            "interfaces[br0].bridge.port[eth1].vlan.tag: desired 10, current []",
            "interfaces[br0].bridge.port: desired lacks eth2, current has it",
            "ovsdb: desired 4 change(s) committed, current not committed");
    // Every updated row is guarded by a wait on the values the plan read.
    var ops = commit(p).ops();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i) instanceof TxOp.Update u) {
        assertThat(ops.get(i - 1)).isInstanceOf(TxOp.Wait.class);
        assertThat(((TxOp.Wait) ops.get(i - 1)).columns())
            .containsExactlyInAnyOrderElementsOf(u.row().keySet());
      }
    }
  }

  @Test
  void nothingDiffersNothingIsPlanned() throws Exception {
    nic(1, "eth1");
    bridge("br0", "eth1", "");
    var p =
        plan(
            """
            interfaces:
            - name: br0
              type: ovs-bridge
              bridge: {options: {stp: false, datapath: netdev}, port: [{name: eth1}]}
            """);
    assertThat(p.describe()).isEmpty();
  }

  @Test
  void ovnMappingsMergeByLocalnetAndTheGlobalMapsKeepOtherKeys() throws Exception {
    rootExternalIds = Map.of("ovn-bridge-mappings", "a:br0,b:br1", "system-id", "n1");
    var p =
        plan(
            """
            ovn:
              bridge-mappings:
              - {localnet: a, state: absent}
              - {localnet: c, bridge: br2}
            ovs-db:
              external_ids: {zone: z}
            """);
    assertThat(diffs(p))
        .containsExactly(
            "ovn.bridge-mappings: desired b:br1,c:br2, current a:br0,b:br1",
            "ovs-db.external_ids.zone: desired z, current (unset)",
            "ovsdb: desired 2 change(s) committed, current not committed");
    var update =
        commit(p).ops().stream()
            .filter(o -> o instanceof TxOp.Update)
            .map(o -> (TxOp.Update) o)
            .findFirst()
            .orElseThrow();
    assertThat(update.row().get("external_ids").toString())
        .isEqualTo(
            "[\"map\",[[\"ovn-bridge-mappings\",\"b:br1,c:br2\"],[\"system-id\",\"n1\"],"
                + "[\"zone\",\"z\"]]]");
  }

  @Test
  void removingABridgeAndAnInterfaceAndMovingAPort() throws Exception {
    nic(1, "eth1");
    nic(2, "eth2");
    bridge("br0", "eth1", "", "ovs0", "internal");
    bridge("br1", "eth2", "");
    var p =
        plan(
            """
            interfaces:
            - {name: ovs0, type: ovs-interface, state: absent}
            - {name: br1, state: absent}
            - name: br2
              type: ovs-bridge
              bridge: {port: [{name: eth1}]}
            """);
    assertThat(p.describe())
        .contains(
            "ovs-vsctl del-br br1", "ovs-vsctl del-port br0 eth1", "ovs-vsctl del-port br0 ovs0");
    assertThat(commit(p).bridges()).containsExactlyInAnyOrder("br0", "br1", "br2");
    // br0 keeps nothing: it is written with an empty port list, as ovs-vsctl del-port leaves it.
  }

  @Test
  void refusalsNameTheirPathsAndNothingIsPlanned() throws Exception {
    bridge("br0", "eth1", "");
    var parsed =
        StateParser.parse(
            """
            interfaces:
            - {name: ovs9, type: ovs-interface, mtu: 1400}
            - {name: br7, type: ovs-bridge, bridge: {port: [{name: eth5}]}}
            - {name: eth8, ovs-db: {external_ids: {a: b}}}
            - {name: ovs0, type: ovs-interface, dpdk: {devargs: "0000:01:00.0"}}
            - {name: br8, type: ovs-bridge, bridge: {port: [{name: ovs0}], options: {stp: {enabled: true, hello-time: 2}}}}
            """);
    var e = catchThrowableOfType(PlanException.class, () -> Planner.plan(parsed.state(), node()));
    assertThat(e.problems())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            "interfaces[2]: interface eth8 does not exist (give its type to create it)",
            "interfaces[1].bridge.port[0].name: interface eth5 does not exist (a system port is a"
                + " kernel interface; an internal port needs an ovs-interface entry)",
            "interfaces[4].bridge.options.stp: Open vSwitch bridges take no STP timers here; give"
                + " only stp.enabled",
            "interfaces[3].dpdk: DPDK ports are not supported by the engine",
            "interfaces[0]: ovs-interface ovs9 is in no OVS bridge: list it under an ovs-bridge's"
                + " bridge.port",
            "interfaces[2].ovs-db: eth8 is not an interface of an OVS bridge; ovs-db applies to"
                + " ovs-bridge, ovs-interface and ports of OVS bridges");
  }

  @Test
  void withoutOpenVswitchOnlyOvsPartsAreRefused() throws Exception {
    nic(1, "eth1");
    var none = new Snapshot(links, List.of(), List.of(), List.of());
    var ok = StateParser.parse("interfaces: [{name: eth1, mtu: 1400}]").state();
    assertThat(Planner.plan(ok, none).describe()).isNotEmpty();
    var ovs = StateParser.parse("ovn: {bridge-mappings: [{localnet: a, bridge: b}]}").state();
    var e = catchThrowableOfType(PlanException.class, () -> Planner.plan(ovs, none));
    assertThat(e.problems().get(0).path()).isEqualTo("ovn");
  }
}
