package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefused;
import static io.multihome.agent.engine.EngineAssertions.assertRefusedAt;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.netlink.Address;
import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.state.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merge semantics and ordering of the planner, on made-up node states (no kernel). */
class PlannerTest {
  private final List<NodeLink> links = new ArrayList<>();
  private final List<Address> addrs = new ArrayList<>();
  private final List<Route> routes = new ArrayList<>();
  private final java.util.Map<Integer, List<BridgeVlan>> vlans = new java.util.HashMap<>();
  private int flags = Rtnl.IFF_UP;

  private NodeLink link(int index, String name, LinkKind kind, Integer master, Integer parent) {
    var l =
        TestLinks.link(
            index,
            name,
            kind,
            flags,
            master,
            parent,
            "bridge",
            new BridgePortOptions(3, 32, 2, false, null, null, null, null, null));
    var n = TestLinks.node(l, false, master == null ? null : 1);
    links.add(n);
    return n;
  }

  private void address(int index, String prefix) {
    addrs.add(new Address(index, IpPrefix.parse(prefix), null, 0, 0x80, null));
  }

  private Snapshot node() {
    return new Snapshot(links, addrs, routes, List.of(), vlans);
  }

  private static LinkKind.Bridge bridge() {
    return new LinkKind.Bridge(0, 1500, 200, 2000, 32768, 30000, null, null, null, true);
  }

  @Test
  void onlyListedPropertiesChangeAndUnlistedInterfacesAreUntouched() throws Exception {
    link(1, "eth1", new LinkKind.Veth(null, null), null, 9);
    link(2, "eth2", new LinkKind.Veth(null, null), null, 8);
    address(1, "198.18.0.1/24");
    var plan = Planner.plan(state("interfaces: [{name: eth1, type: ethernet, mtu: 9000}]"), node());
    assertThat(plan.describe()).containsExactly("ip link set eth1 mtu 9000");
    assertThat(plan.touched()).containsExactly("eth1");
  }

  @Test
  void addressListsReplaceWhatTheNodeHas() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), null, null);
    address(1, "198.18.0.1/24");
    address(1, "198.18.1.1/24");
    var plan =
        Planner.plan(
            state(
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 198.18.1.1, prefix-length: 24},"
                    + " {ip: 198.18.2.1, prefix-length: 24}]}}]"),
            node());
    assertThat(plan.describe())
        .containsExactly(
            "ip addr del 198.18.0.1/24 dev eth1", "ip addr add 198.18.2.1/24 dev eth1");
  }

  @Test
  void portListsReplaceAndPortsAttachAfterTheBridgeExists() throws Exception {
    link(1, "br0", bridge(), null, null);
    link(2, "eth1", new LinkKind.Other(""), 1, null);
    link(3, "eth2", new LinkKind.Other(""), null, null);
    var plan =
        Planner.plan(
            state(
                """
                interfaces:
                - {name: br0, type: linux-bridge, bridge: {port: [{name: eth2}]}}
                - {name: br1, type: linux-bridge, mtu: 9000, bridge: {port: [{name: v1}]}}
                - {name: v1, type: veth, veth: {peer: v1p}}
                """),
            node());
    assertThat(plan.describe())
        .containsExactly(
            "ip link set eth1 nomaster",
            "ip link add br1 type bridge",
            "ip link add v1 type veth peer name v1p",
            "ip link set eth2 master br0",
            "ip link set v1 master br1",
            "ip link set br1 mtu 9000",
            "ip link set br1 up",
            "ip link set v1 up");
  }

  /**
   * The kernel refuses to set a VLAN up while its lower device is down (ENETDOWN): nmstate's
   * bond_linuxbridge_vlan_up.yml lists vlan29 before the bond it sits on, so the links are set up
   * lower devices first, whatever the document's order (and for a link that exists already, its
   * lower device as the node has it).
   */
  @Test
  void lowerDevicesAreSetUpBeforeTheLinksOnThem() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), null, null);
    link(2, "eth2", new LinkKind.Other(""), null, null);
    var plan =
        Planner.plan(
            state(
                """
                interfaces:
                - {name: vlan29, type: vlan, vlan: {base-iface: bond0, id: 29}}
                - {name: br29, type: linux-bridge, bridge: {port: [{name: vlan29}]}}
                - {name: bond0, type: bond, link-aggregation: {mode: active-backup, port: [eth1]}}
                """),
            node());
    assertThat(plan.describe())
        .containsSubsequence("ip link set bond0 up", "ip link set vlan29 up");

    links.clear();
    flags = 0; // both down
    link(1, "bond1", new LinkKind.Other(""), null, null);
    link(2, "mv1", new LinkKind.Macvlan(LinkKind.MacvlanMode.BRIDGE, false), null, 1);
    var again =
        Planner.plan(
            state("interfaces: [{name: mv1, state: up}, {name: bond1, state: up}]"), node());
    assertThat(again.describe()).containsExactly("ip link set bond1 up", "ip link set mv1 up");
  }

  @Test
  void dependantsAreCreatedAfterTheirBaseAndDeletedBeforeIt() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), null, null);
    link(2, "br9", bridge(), null, null);
    link(3, "mv9", new LinkKind.Macvlan(LinkKind.MacvlanMode.BRIDGE, false), null, 2);
    var plan =
        Planner.plan(
            state(
                """
                interfaces:
                - {name: br9, state: absent}
                - {name: mv9, type: mac-vlan, state: absent}
                - name: vx1
                  type: vxlan
                  vxlan: {base-iface: br5, id: 7, remote: 198.18.5.2}
                - {name: br5, type: linux-bridge}
                """),
            node());
    assertThat(plan.describe())
        .containsSubsequence(
            "ip link del mv9",
            "ip link del br9",
            "ip link add br5 type bridge",
            "ip link add vx1 link br5 type vxlan id 7 remote 198.18.5.2");
  }

  @Test
  void absentDeletesVirtualLinksAndUnconfiguresNics() throws Exception {
    link(1, "br0", bridge(), null, null);
    link(2, "eth1", new LinkKind.Veth(null, null), 1, 5);
    link(3, "eth2", new LinkKind.Other(""), null, null);
    address(3, "198.18.0.1/24");
    var plan =
        Planner.plan(
            state(
                """
                interfaces:
                - {name: br0, state: absent}
                - {name: eth2, state: absent}
                """),
            node());
    assertThat(plan.describe())
        .containsExactly(
            "ip addr del 198.18.0.1/24 dev eth2", "ip link del br0", "ip link set eth2 down");
    // A deleted bridge releases its ports: they are recorded for the checkpoint.
    assertThat(plan.touched()).contains("br0", "eth1", "eth2");
  }

  @Test
  void routesAreAdditiveAndAbsentEntriesAreWildcards() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), null, null);
    address(1, "198.18.1.10/24");
    var gw = IpPrefix.parseAddress("198.18.1.1");
    routes.add(
        Route.to(IpPrefix.parse("198.19.0.0/16"))
            .via(gw)
            .dev(1)
            .protocol(Rtnl.Rta.PROT_STATIC)
            .scope(0));
    routes.add(
        Route.to(IpPrefix.parse("198.19.128.0/24"))
            .dev(1)
            .protocol(Rtnl.Rta.PROT_STATIC)
            .metric(5)
            .scope(253));
    routes.add(
        Route.to(IpPrefix.parse("198.18.1.0/24")).dev(1).protocol(Rtnl.Rta.PROT_KERNEL).scope(253));
    var plan =
        Planner.plan(
            state(
                """
                routes:
                  config:
                  - {destination: 198.19.0.0/16, next-hop-address: 198.18.1.1, next-hop-interface: eth1}
                  - {destination: 203.0.113.0/24, next-hop-address: 198.18.1.1, next-hop-interface: eth1, metric: 150, table-id: 100}
                  - {next-hop-interface: eth1, state: absent, destination: 198.19.128.0/24}
                """),
            node());
    assertThat(plan.describe())
        .containsExactly(
            "ip route del 198.19.128.0/24 dev eth1 metric 5",
            "ip route append 203.0.113.0/24 via 198.18.1.1 dev eth1 table 100 metric 150");
  }

  @Test
  void tooManyBridgePortsAreRejectedAtPlanTime() throws Exception {
    var sb =
        new StringBuilder("interfaces:\n- name: br0\n  type: linux-bridge\n  bridge:\n    port:\n");
    for (int i = 0; i < 1024; i++) {
      sb.append("    - name: p").append(i).append('\n');
    }
    var desired = state(sb.toString());
    assertThatThrownBy(() -> Planner.plan(desired, node()))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        new Problem(
                            "interfaces[0].bridge.port",
                            "1024 ports; a Linux bridge takes at most 1023")));
  }

  @Test
  void aTypeChangeOrAMissingNicIsInvalidInput() throws Exception {
    link(1, "mv0", new LinkKind.Macvlan(LinkKind.MacvlanMode.BRIDGE, false), null, null);
    assertRefused(
            () ->
                Planner.plan(
                    state(
                        """
                        interfaces:
                        - {name: mv0, type: linux-bridge}
                        - {name: eth9, type: ethernet}
                        """),
                    node()))
        .containsExactly(
            "interfaces[0].type: mv0 exists as mac-vlan, not linux-bridge; remove it"
                + " first (state: absent)",
            "interfaces[1]: interface eth9 does not exist");
  }

  @Test
  void theSameStateTwiceIsAnEmptyPlan() throws Exception {
    link(1, "br0", bridge(), null, null);
    link(2, "eth1", new LinkKind.Other(""), 1, null);
    address(1, "198.18.0.1/24");
    var shown = StateReader.read(node(), null, n -> true);
    assertThat(Planner.plan(shown, node()).isEmpty()).isTrue();
  }

  @Test
  void verificationMessagesNameThePathDesiredAndCurrent() throws Exception {
    link(1, "br1", bridge(), null, null);
    var plan = Planner.plan(state("interfaces: [{name: br1, mtu: 9000}]"), node());
    assertThat(plan.ops())
        .extracting(o -> o.diff().toString())
        .containsExactly("interfaces[br1].mtu: desired 9000, current 1500");
  }

  @Test
  void templatesNeedTheController() throws Exception {
    var desired =
        state("interfaces: [{name: br1, type: linux-bridge, ipv4: \"{{ capture.x.y }}\"}]");
    assertThatThrownBy(() -> Planner.plan(desired, node()))
        .hasMessageContaining("must be rendered before planning");
  }

  @Test
  void ipv6TextIsCompressed() {
    assertThat(Ips.text(IpPrefix.parseAddress("2001:db8:1:0:0:0:0:10")))
        .isEqualTo("2001:db8:1::10");
    assertThat(Ips.text(IpPrefix.parseAddress("::1"))).isEqualTo("::1");
    assertThat(Ips.text(IpPrefix.parseAddress("fe80::1:0:0:1"))).isEqualTo("fe80::1:0:0:1");
    assertThat(Ips.text(IpPrefix.parseAddress("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
  }

  // Issue 4: bond options and bridge port VLANs.

  private static LinkKind.Bridge filtering(Boolean on) {
    return new LinkKind.Bridge(0, 1500, 200, 2000, 32768, 30000, on, 0x8100, 1, true);
  }

  @Test
  void bondExampleCreatesTheBondWithItsOptionsThenEnslavesItsPortsAndSetsThePrimary()
      throws Exception {
    link(1, "eth1", new LinkKind.Other(""), null, null);
    link(2, "eth2", new LinkKind.Other(""), null, null);
    var plan = Planner.plan(ExamplesKernelTest.example("bond.yaml"), node());
    assertThat(plan.describe())
        .containsExactly(
            "ip link set eth1 down",
            "ip link set eth2 down",
            "ip link add bond0 mtu 1450 type bond mode 1 miimon 140",
            "ip link set bond0 alias 'Bond with ports eth1 and eth2'",
            "ip link set eth1 master bond0",
            "ip link set eth2 master bond0",
            "ip link set bond0 type bond primary eth1",
            "ip link set bond0 up",
            "ip addr add 198.18.6.10/24 dev bond0");
    var create = (Op.CreateLink) plan.ops().get(2);
    assertThat(create.kind())
        .isEqualTo(
            new LinkKind.Bond(LinkKind.BondMode.ACTIVE_BACKUP, 140, null, null, null, null, null));
    assertThat(plan.touched()).contains("bond0", "eth1", "eth2");
  }

  @Test
  void bondOptionsTheKernelRecordLacksAreRefusedAtTheirPath() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), null, null);
    var desired =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {mode: 802.3ad, port: [eth1],"
                + " options: {miimon: 100, balance_slb: true, xmit_hash_policy: layer3+4,"
                + " ad_select: fastest, lacp_rate: fast, min_links: 1, updelay: 200,"
                + " downdelay: 200}}}]");
    assertThatThrownBy(() -> Planner.plan(desired, node()))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            "interfaces[0].link-aggregation.options.ad_select",
                            "must be one of stable, bandwidth, count"),
                        new Problem(
                            "interfaces[0].link-aggregation.options.balance_slb",
                            "to enable balance-slb, the bond's mode must be balance-xor (it is"
                                + " 802.3ad)"),
                        new Problem(
                            "interfaces[0].link-aggregation.options.balance_slb",
                            "to enable balance-slb, xmit_hash_policy must be vlan+srcmac (it is"
                                + " layer3+4)")));
    var ok =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {mode: 802.3ad, port: [eth1],"
                + " options: {miimon: 100, xmit_hash_policy: layer3+4, lacp_rate: fast,"
                + " min_links: 1, updelay: 200, downdelay: '200'}}}]");
    var create =
        (Op.CreateLink)
            Planner.plan(ok, node()).ops().stream()
                .filter(o -> o instanceof Op.CreateLink)
                .findFirst()
                .orElseThrow();
    assertThat(create.kind())
        .isEqualTo(new LinkKind.Bond(LinkKind.BondMode.LACP_802_3AD, 100, 200, 200, 1, 1, 1));
    var bad =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {mode: 802.3ad,"
                + " options: {miimon: -1, xmit_hash_policy: layer9}}}]");
    assertThatThrownBy(() -> Planner.plan(bad, node()))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::path)
                    .containsExactlyInAnyOrder(
                        "interfaces[0].link-aggregation.options.miimon",
                        "interfaces[0].link-aggregation.options.xmit_hash_policy"));
  }

  @Test
  void anExistingBondChangesOnlyTheOptionsThatDifferAndKeepsItsMode() throws Exception {
    link(
        1,
        "bond0",
        new LinkKind.Bond(LinkKind.BondMode.ACTIVE_BACKUP, 100, 0, 0, 0, 0, 0),
        null,
        null);
    link(2, "eth1", new LinkKind.Other(""), 1, null);
    link(3, "eth2", new LinkKind.Other(""), 1, null);
    var plan =
        Planner.plan(
            state(
                "interfaces: [{name: bond0, type: bond, link-aggregation: {mode: active-backup,"
                    + " port: [eth1], options: {miimon: 140, updelay: 0}}}]"),
            node());
    assertThat(plan.describe())
        .containsExactly(
            "ip link set eth2 nomaster",
            "ip link set bond0 type bond miimon 140",
            "ip link set eth2 up");
    assertRefusedAt(
            () ->
                Planner.plan(
                    state(
                        "interfaces: [{name: bond0, type: bond, link-aggregation: {mode:"
                            + " balance-rr}}]"),
                    node()))
        .containsExactly("interfaces[0].link-aggregation.mode");
  }

  @Test
  void accessPortExampleTurnsFilteringOnAndMakesTheTagThePortsOnlyVlan() throws Exception {
    link(2, "eth2", new LinkKind.Other(""), null, null);
    var plan = Planner.plan(ExamplesKernelTest.example("linux-bridge-access-port.yaml"), node());
    assertThat(plan.describe())
        .containsExactly(
            "ip link add br2 type bridge stp_state 1 forward_delay 1500 hello_time 200 max_age"
                + " 2000 priority 32768 vlan_filtering 1",
            "sysctl -w net.ipv6.conf.br2.disable_ipv6=1",
            "ip link set eth2 master br2",
            "ip link set br2 mtu 9000",
            "bridge vlan del dev eth2 vid 1",
            "bridge vlan add dev eth2 vid 300 pvid untagged",
            "ip link set eth2 type bridge_slave priority 32 cost 100 hairpin off",
            "ip link set br2 up");
  }

  @Test
  void trunkPortExampleReplacesThePortsVlansWithTaggedRangesAndTheNativeVlan() throws Exception {
    link(1, "br1", filtering(false), null, null);
    link(2, "eth1", new LinkKind.Other(""), 1, null);
    vlans.put(2, List.of(BridgeVlan.of(1).asPvid().asUntagged(), BridgeVlan.range(600, 610)));
    var desired = ExamplesKernelTest.example("linux-bridge-vlan-trunk.yaml");
    var plan = Planner.plan(desired, node());
    assertThat(plan.describe())
        .containsExactly(
            "ip link set br1 alias 'Linux bridge with eth1 as a VLAN trunk port'",
            "ip link set br1 type bridge vlan_filtering 1",
            "bridge vlan del dev eth1 vid 1",
            "bridge vlan del dev eth1 vid 600-610",
            "bridge vlan add dev eth1 vid 100 pvid untagged",
            "bridge vlan add dev eth1 vid 101",
            "bridge vlan add dev eth1 vid 200-500");
    assertThat(plan.ops())
        .filteredOn(o -> o instanceof Op.SetPortVlan)
        .allMatch(o -> o.stage() == Op.PORT_SETTINGS);

    // The node as the kernel then lists it: nothing left to do, and it reads back as written.
    links.clear();
    vlans.clear();
    link(1, "br1", filtering(true), null, null);
    link(2, "eth1", new LinkKind.Other(""), 1, null);
    var applied =
        List.of(
            BridgeVlan.of(100).asPvid().asUntagged(),
            BridgeVlan.of(101),
            BridgeVlan.range(200, 500));
    vlans.put(2, applied);
    var again =
        Planner.plan(
            state(
                "interfaces: [{name: br1, type: linux-bridge, bridge: {port: [{name: eth1, vlan:"
                    + " {mode: trunk, tag: 100, enable-native: true, trunk-tags: [{id: 101},"
                    + " {id-range: {min: 200, max: 500}}]}}]}}]"),
            node());
    assertThat(again.describe()).isEmpty();
    var port =
        ((io.multihome.state.Interface.LinuxBridge) desired.interfaces().get(0))
            .bridge()
            .port()
            .get(0);
    assertThat(PortVlans.toModel(applied)).isEqualTo(port.vlan());
  }

  @Test
  void aPortWithoutAVlanSectionKeepsItsVlans() throws Exception {
    link(1, "br1", filtering(true), null, null);
    link(2, "eth1", new LinkKind.Other(""), 1, null);
    vlans.put(2, List.of(BridgeVlan.of(10), BridgeVlan.of(20).asPvid().asUntagged()));
    var plan =
        Planner.plan(
            state("interfaces: [{name: br1, type: linux-bridge, bridge: {port: [{name: eth1}]}}]"),
            node());
    assertThat(plan.describe()).isEmpty();
    assertThat(PortVlans.toModel(vlans.get(2)))
        .isEqualTo(
            new io.multihome.state.BridgeConfig.PortVlan(
                io.multihome.state.BridgeConfig.PortVlanMode.TRUNK,
                20,
                true,
                List.of(io.multihome.state.BridgeConfig.TrunkTag.id(10))));
  }

  @Test
  void invalidPortVlansAreRefusedAtTheirPath() throws Exception {
    link(2, "eth1", new LinkKind.Other(""), null, null);
    var desired =
        state(
            """
            interfaces:
            - name: br1
              type: linux-bridge
              bridge:
                port:
                - {name: eth1, vlan: {mode: access}}
                - {name: eth1, vlan: {mode: trunk, trunk-tags: [{id-range: {min: 30, max: 20}}]}}
                - {name: eth1, vlan: {mode: trunk, enable-native: true, trunk-tags: [{id: 5000}]}}
            """);
    assertRefusedAt(() -> Planner.plan(desired, node()))
        .containsExactly(
            "interfaces[0].bridge.port[0].vlan.tag",
            "interfaces[0].bridge.port[1].vlan.trunk-tags[0].id-range",
            "interfaces[0].bridge.port[2].vlan.trunk-tags[0].id",
            "interfaces[0].bridge.port[2].vlan.tag");
  }

  @Test
  void portsOfADeletedBondStayUpAsTheyWere() throws Exception {
    link(1, "bond0", LinkKind.Bond.of(LinkKind.BondMode.ACTIVE_BACKUP), null, null);
    link(2, "eth1", new LinkKind.Other(""), 1, null);
    link(3, "eth2", new LinkKind.Other(""), 1, null);
    var plan =
        Planner.plan(
            state(
                """
                interfaces:
                - {name: bond0, type: bond, state: absent}
                - {name: eth2, type: ethernet, state: down}
                """),
            node());
    assertThat(plan.describe())
        .containsExactly("ip link del bond0", "ip link set eth1 up", "ip link set eth2 down");
  }
}
