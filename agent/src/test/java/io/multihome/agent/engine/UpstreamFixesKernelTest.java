package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine bugs upstream's own example files exposed (issue 15), each test built from the file
 * named in it (kept under {@code src/test/resources/upstream/}).
 */
@Timeout(120)
class UpstreamFixesKernelTest extends EngineNetnsTestBase {

  /** nmstate examples/eth1_del_all_route_rules.yml: the kernel's default rules stay. */
  @Test
  void deletingAllRulesOfTheMainTableKeepsTheKernelsDefaultRules() {
    ns.ip("rule", "add", "from", "198.18.1.0/24", "lookup", "254", "priority", "1000");
    ns.ip("-6", "rule", "add", "from", "2001:db8:1::/64", "lookup", "254", "priority", "1001");
    var desired = Upstream.state("nmstate-examples/eth1_del_all_route_rules.yml");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("rule", "show"))
        .doesNotContain("198.18.1.0/24")
        .contains(
            "0:\tfrom all lookup local",
            "32766:\tfrom all lookup main",
            "32767:\tfrom all lookup default");
    assertThat(ns.ip("-6", "rule", "show"))
        .doesNotContain("2001:db8:1::/64")
        .contains("0:\tfrom all lookup local", "32766:\tfrom all lookup main");
    assertThat(engine.plan(desired).ops()).isEmpty();
  }

  /**
   * kubernetes-nmstate docs/examples/route.yaml, then the same destination and metric through a
   * second gateway (nmstate's examples/eth1_add_route.yml names 192.0.2.1 for it): both routes
   * stay, as {@code ip route append} keeps them; IPv6 makes them one multipath route, shown and
   * kept as two next hops.
   */
  @Test
  void aSecondGatewayToTheSameDestinationAndMetricIsAppended() throws Exception {
    var first = Upstream.state("kubernetes-nmstate-examples/route.yaml");
    assertThat(engine.apply(first, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    var second =
        state(
            """
            interfaces:
            - name: eth1
              type: ethernet
              ipv6:
                enabled: true
                address: [{ip: "2001:db8:2::5", prefix-length: 64}]
            routes:
              config:
              - {destination: 203.0.113.0/24, metric: 150, next-hop-address: 198.18.2.1,
                 next-hop-interface: eth1, table-id: 254}
              - {destination: "2001:db8:9::/64", metric: 150, next-hop-address: "2001:db8:2::1",
                 next-hop-interface: eth1}
              - {destination: "2001:db8:9::/64", metric: 150, next-hop-address: "2001:db8:2::2",
                 next-hop-interface: eth1}
            """);

    var result = engine.apply(second, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("route", "show", "203.0.113.0/24"))
        .contains("via 198.18.2.2 dev eth1", "via 198.18.2.1 dev eth1");
    assertThat(ns.ip("-6", "route", "show", "2001:db8:9::/64"))
        .contains("via 2001:db8:2::1 dev eth1", "via 2001:db8:2::2 dev eth1");
    assertThat(engine.plan(first).ops()).isEmpty();
    assertThat(engine.plan(second).ops()).isEmpty();
    var shown = engine.show(n -> true).routes();
    assertThat(shown.stream().filter(r -> "2001:db8:9::/64".equals(r.destination())).count())
        .isEqualTo(2);
  }

  /**
   * nmstate's loopback example (rust/src/lib/ifaces/loopback.rs) on a namespace whose lo starts
   * down without addresses, as a new namespace's does: bringing lo up adds 127.0.0.1/8 and ::1 in
   * the kernel, so the plan must not add them again (EEXIST before).
   */
  @Test
  void theLoopbackExampleBringsADownLoUpWithItsOwnAddresses() {
    ns.ip("addr", "flush", "dev", "lo");
    ns.ip("link", "set", "lo", "down");
    var desired = Upstream.state("nmstate-rust-doc/loopback.yml");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("addr", "show", "dev", "lo")).contains("127.0.0.1/8", "::1/128", "UP");
    assertThat(engine.plan(desired).ops()).isEmpty();
  }

  /**
   * nmstate examples/policy/bridge-on-default-gw-no-dhcp/expected.yml on the node its current.yml
   * describes: eth1's addresses move to the new bridge br1, eth1 keeps none (a port has no IP), the
   * routes go through br1; show then validates and applies back as nothing to do.
   */
  @Test
  void aNicThatBecomesABridgePortLosesItsAddressesToTheBridge() throws Exception {
    ns.ip("addr", "add", "198.18.244.1/24", "dev", "eth1");
    ns.ip("addr", "add", "198.19.1.0/16", "dev", "eth1");
    ns.ip("route", "add", "default", "via", "198.18.244.254", "dev", "eth1");
    var desired = Upstream.state("nmstate-policy/bridge-on-default-gw-no-dhcp-expected.yml");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("-4", "addr", "show", "dev", "eth1")).doesNotContain("inet ");
    assertThat(ns.ip("-4", "addr", "show", "dev", "br1"))
        .contains("198.18.244.1/24", "198.19.1.0/16");
    assertThat(ns.ip("route", "show", "default")).contains("dev br1").doesNotContain("dev eth1");
    var shown = engine.show(n -> true);
    assertThat(io.multihome.state.StateValidator.validate(shown, n -> true)).isEmpty();
    assertThat(engine.plan(shown).ops()).isEmpty();
  }

  /** An address for an existing port given alone is refused, as nmstate refuses it. */
  @Test
  void anAddressOnAnExistingPortAloneIsRefused() throws Exception {
    ns.ip("link", "add", "br1", "type", "bridge");
    ns.ip("link", "set", "eth1", "master", "br1");
    var before = ns.fullState();
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              ipv4: {enabled: true, address: [{ip: 198.18.3.1, prefix-length: 24}]}
            """);

    EngineAssertions.assertRefused(() -> engine.apply(desired, ApplyOptions.defaults()))
        .singleElement()
        .asString()
        .startsWith("interfaces[0].ipv4.enabled: eth1 cannot have IP enabled");
    assertThat(ns.fullState()).isEqualTo(before);
  }

  /**
   * Issue 14: links that reference links created by the same state are created after them — a vxlan
   * on a new macvlan on a new veth (the plan resolved the base before it existed).
   */
  @Test
  void linksOnLinksCreatedByTheSameStateAreCreatedInReferenceOrder() throws Exception {
    var desired =
        state(
            """
            interfaces:
            - name: vx0
              type: vxlan
              vxlan: {id: 100, base-iface: mv0, remote: 198.18.5.2, destination-port: 4789}
            - name: mv0
              type: mac-vlan
              mac-vlan: {base-iface: ve0, mode: bridge}
              ipv4: {enabled: true, address: [{ip: 198.18.5.1, prefix-length: 24}]}
            - name: ve0
              type: veth
              veth: {peer: ve0-p}
            - name: ve0-p
              type: veth
            """);

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    var plan = result.plan().describe();
    assertThat(
            plan.indexOf(
                plan.stream().filter(l -> l.startsWith("ip link add ve0")).findFirst().get()))
        .isLessThan(
            plan.indexOf(
                plan.stream().filter(l -> l.startsWith("ip link add mv0")).findFirst().get()));
    assertThat(ns.ip("-d", "link", "show", "vx0")).contains("dev mv0");
    assertThat(ns.ip("-d", "link", "show", "mv0")).contains("mv0@ve0");
    assertThat(engine.plan(desired).ops()).isEmpty();
  }

  /**
   * Issue 14, kernel-VM tier: a vlan on a bond created by the same state (kubernetes-nmstate's
   * docs/examples/bond-vlan.yaml without its DHCP, which the engine refuses).
   */
  @Test
  @org.junit.jupiter.api.Tag("kernel-vm")
  void aVlanOnABondCreatedByTheSameStateIsCreatedAfterIt() throws Exception {
    io.multihome.agent.netlink.KernelFeatures features;
    try (var nl = ns.target().open()) {
      features = io.multihome.agent.netlink.KernelFeatures.probe(nl);
    }
    var missing = new java.util.ArrayList<String>();
    if (!features.bond()) {
      missing.add("bonding (CONFIG_BONDING)");
    }
    if (!features.vlan()) {
      missing.add("802.1q VLAN devices (CONFIG_VLAN_8021Q)");
    }
    io.multihome.testkit.KernelTier.decide(missing, io.multihome.testkit.KernelTier.strict());
    var tree =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Upstream.tree("kubernetes-nmstate-examples/bond-vlan.yaml");
    for (var iface : tree.get("interfaces")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) iface).remove("ipv4");
    }
    var parsed = io.multihome.state.StateParser.parse(tree);
    assertThat(parsed.problems()).isEmpty();

    var result = engine.apply(parsed.state(), ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("-d", "link", "show", "bond0.102")).contains("bond0.102@bond0", "id 102");
    assertThat(engine.plan(parsed.state()).ops()).isEmpty();
  }

  /**
   * nmstate examples/linuxbrige_eth1_up.yml gives group-forward-mask, which was accepted and never
   * applied; then the same bridge with a mask and a group address: both reach the kernel, show
   * reads them back, and a second apply has nothing to do.
   */
  @Test
  void bridgeGroupForwardMaskAndGroupAddressAreApplied() throws Exception {
    var example = Upstream.state("nmstate-examples/linuxbrige_eth1_up.yml");
    assertThat(engine.apply(example, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    var changed =
        state(
            """
            interfaces:
            - name: linux-br0
              type: linux-bridge
              bridge:
                options: {group-forward-mask: 8, group-fwd-mask: 8, group-addr: 01:80:C2:00:00:0E}
            """);

    var result = engine.apply(changed, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly(
            "ip link set linux-br0 type bridge group_fwd_mask 8 group_address 01:80:c2:00:00:0e");
    assertThat(ns.ip("-d", "link", "show", "linux-br0"))
        .contains("group_fwd_mask 0x8", "group_address 01:80:c2:00:00:0e");
    var options =
        ((io.multihome.state.Interface.LinuxBridge)
                engine.show("linux-br0"::equals).interfaces().get(0))
            .bridge()
            .options();
    assertThat(options.groupFwdMask()).isEqualTo(8);
    assertThat(options.groupAddr()).isEqualTo("01:80:C2:00:00:0E");
    assertThat(engine.plan(changed).ops()).isEmpty();
    assertThat(engine.plan(example).ops()).hasSize(1);
  }

  /**
   * multihome's docs/examples/mac-vtap.yaml and nmstate's examples/mac_vtap_create.yml: a passthru
   * mac-vtap with promiscuous false gets MACVLAN_FLAG_NOPROMISC (was refused), one with promiscuous
   * true keeps the kernel's default; show reads both back.
   */
  @Test
  void macVtapPromiscuousIsApplied() throws Exception {
    var upstream = Upstream.state("nmstate-examples/mac_vtap_create.yml");
    assertThat(engine.apply(upstream, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(engine.plan(upstream).ops()).isEmpty();
    var off =
        state(
            """
            interfaces:
            - {name: macvtap0, state: absent}
            - name: mvt1
              type: mac-vtap
              mac-vtap: {base-iface: eth2, mode: passthru, promiscuous: false}
            """);

    var result = engine.apply(off, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("-d", "link", "show", "mvt1")).contains("nopromisc");
    var shown =
        (io.multihome.state.Interface.MacVtap) engine.show("mvt1"::equals).interfaces().get(0);
    assertThat(shown.macVtap().promiscuous()).isFalse();
    assertThat(engine.plan(off).ops()).isEmpty();
  }

  /**
   * Kernel-VM tier (bridge VLAN filtering): vlan-protocol and vlan-default-pvid, accepted and never
   * applied before, on the bridge of nmstate's examples/linuxbrige_eth1_up.yml.
   */
  @Test
  @org.junit.jupiter.api.Tag("kernel-vm")
  void bridgeVlanProtocolAndDefaultPvidAreApplied() throws Exception {
    try (var nl = ns.target().open()) {
      io.multihome.testkit.KernelTier.require(
          io.multihome.agent.netlink.KernelFeatures.probe(nl).bridgeVlanFiltering(),
          "kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)");
    }
    var tree =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Upstream.tree("nmstate-examples/linuxbrige_eth1_up.yml");
    var options =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            tree.get("interfaces").get(1).get("bridge").get("options");
    options.put("vlan-protocol", "802.1ad").put("vlan-default-pvid", 7);
    var desired = io.multihome.state.StateParser.parse(tree).state();

    assertThat(engine.apply(desired, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(ns.ip("-d", "link", "show", "linux-br0"))
        .contains("vlan_protocol 802.1ad", "vlan_default_pvid 7");
    assertThat(engine.plan(desired).ops()).isEmpty();
  }

  /**
   * Kernel-VM tier (bond, 802.1q): nmstate examples/bond_linuxbridge_vlan_up.yml lists vlan29
   * before bond0, the link it sits on. Setting a VLAN up while its lower device is down fails with
   * ENETDOWN, so the engine sets lower devices up first (it failed here before).
   */
  @Test
  @org.junit.jupiter.api.Tag("kernel-vm")
  void aVlanListedBeforeItsBondComesUpAfterIt() throws Exception {
    try (var nl = ns.target().open()) {
      var features = io.multihome.agent.netlink.KernelFeatures.probe(nl);
      io.multihome.testkit.KernelTier.require(
          features.vlan() && features.bond(),
          "kernel lacks 802.1q VLAN devices or bonding (CONFIG_VLAN_8021Q, CONFIG_BONDING)");
    }
    var desired = Upstream.state("nmstate-examples/bond_linuxbridge_vlan_up.yml");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("-d", "link", "show", "vlan29"))
        .contains("vlan protocol 802.1Q id 29", "master br29", ",UP");
    assertThat(ns.ip("link", "show", "bond0")).contains("master br0", ",UP");
    assertThat(engine.plan(desired).ops()).isEmpty();
  }

  /** nmstate's show prints type: unknown for kinds it does not model; it means "as on the node". */
  @Test
  void typeUnknownIsResolvedFromTheNode() throws Exception {
    var desired = state("interfaces: [{name: eth1, type: unknown, mtu: 1400}]");

    assertThat(engine.apply(desired, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(ns.ip("link", "show", "eth1")).contains("mtu 1400");
  }

  /** Kernel-VM tier: vlan: {id: 4} without base-iface changes an existing VLAN (merged first). */
  @Test
  @org.junit.jupiter.api.Tag("kernel-vm")
  void anExistingVlanIsChangedWithoutItsBaseIface() throws Exception {
    try (var nl = ns.target().open()) {
      io.multihome.testkit.KernelTier.require(
          io.multihome.agent.netlink.KernelFeatures.probe(nl).vlan(),
          "kernel lacks 802.1q VLAN devices (CONFIG_VLAN_8021Q)");
    }
    ns.ip("link", "add", "link", "eth1", "name", "eth1.4", "type", "vlan", "id", "4");
    var desired = state("interfaces: [{name: eth1.4, type: vlan, mtu: 1400, vlan: {id: 4}}]");

    assertThat(engine.apply(desired, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(ns.ip("link", "show", "eth1.4")).contains("mtu 1400");
  }

  /**
   * Issue 15, item 10: an interface named by its alternative name (which validate accepts as any
   * name) is the link the kernel resolves it to, for the interface and for references to it.
   */
  @Test
  void anInterfaceNamedByItsAlternativeNameIsThatLink() throws Exception {
    ns.ip("link", "property", "add", "dev", "eth1", "altname", "uplink0");
    var desired =
        state(
            """
            interfaces:
            - name: uplink0
              mtu: 1400
              ipv4: {enabled: true, address: [{ip: 198.18.5.1, prefix-length: 24}]}
            routes:
              config:
              - {destination: 198.19.5.0/24, next-hop-interface: uplink0,
                 next-hop-address: 198.18.5.254}
            """);

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1")).contains("mtu 1400");
    assertThat(ns.ip("route", "show", "198.19.5.0/24")).contains("dev eth1");
    assertThat(engine.plan(desired).ops()).isEmpty();
    assertThat(engine.differences(desired)).isEmpty();
  }

  /**
   * Issue 15, item 4: ethernet speed, duplex and auto-negotiation were accepted and never applied.
   * They are read over ethtool netlink now; the engine does not set them (a veth refuses), so a
   * value equal to the link's is nothing to do and another one is refused before anything changes.
   * Built from kubernetes-nmstate's docs/examples/ethernet.yaml (eth1 as type ethernet), with
   * static IP instead of its DHCP.
   */
  @Test
  void ethernetLinkSettingsAreComparedWithWhatEthtoolReports() throws Exception {
    var modes = engine.linkModes(java.util.Set.of("eth1")).get("eth1");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        modes != null, "kernel without ethtool netlink (CONFIG_ETHTOOL_NETLINK)");
    assertThat(modes.speed()).isEqualTo(10000);
    assertThat(modes.duplex()).isEqualTo("full");
    var same =
        state(
            """
            interfaces:
            - name: eth1
              type: ethernet
              state: up
              ethernet: {speed: 10000, duplex: full, auto-negotiation: %s}
            """
                .formatted(modes.autoNegotiation()));
    assertThat(engine.plan(same).ops()).isEmpty();
    var before = ns.fullState();
    var other =
        state(
            """
            interfaces:
            - name: eth1
              type: ethernet
              ethernet: {speed: 1000}
            """);

    EngineAssertions.assertRefused(() -> engine.apply(other, ApplyOptions.defaults()))
        .containsExactly(
            "interfaces[eth1].ethernet.speed: the engine cannot change this: desired 1000, current"
                + " 10000");
    assertThat(ns.fullState()).isEqualTo(before);
  }

  /**
   * Issue 15, item 9 (nmstatectl show prints every bridge option): the multicast tuning options are
   * applied, shown and verified; values as nmstate's show prints them (intervals in 1/100 s).
   */
  @Test
  void bridgeMulticastTuningOptionsAreApplied() throws Exception {
    var desired =
        state(
            """
            interfaces:
            - name: br5
              type: linux-bridge
              bridge:
                options:
                  multicast-snooping: true
                  multicast-router: enabled
                  multicast-querier: true
                  multicast-query-use-ifaddr: true
                  hash-max: 1024
                  multicast-last-member-count: 3
                  multicast-startup-query-count: 3
                  multicast-last-member-interval: 200
                  multicast-membership-interval: 25000
                  multicast-querier-interval: 25500
                  multicast-query-interval: 12000
                  multicast-query-response-interval: 900
                  multicast-startup-query-interval: 3000
            """);

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("-d", "link", "show", "br5"))
        .contains(
            "mcast_router 2",
            "mcast_querier 1",
            "mcast_hash_max 1024",
            "mcast_query_interval 12000",
            "mcast_startup_query_interval 3000");
    assertThat(engine.plan(desired).ops()).isEmpty();
    var changed = state("interfaces: [{name: br5, bridge: {options: {multicast-router: auto}}}]");
    assertThat(engine.plan(changed).describe())
        .containsExactly("ip link set br5 type bridge mcast_router 1");
  }
}
