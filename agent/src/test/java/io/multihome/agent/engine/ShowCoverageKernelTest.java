package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.KernelFeatures;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.InterfaceType;
import io.multihome.state.ModelFields;
import io.multihome.state.StateWriter;
import io.multihome.testkit.KernelTier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What makes an {@code APPLIED} or {@code CHECKED} declaration in {@link FieldCoverage} honest:
 * verification compares those keys with what {@code show} reads, so {@code show} must print each of
 * them. A namespace gets one link of every kind with every such setting made by ip(8), and an Open
 * vSwitch (a private ovsdb-server and ovs-vswitchd, {@link TestSwitch}) with a bridge, an internal,
 * a system and a patch port made by ovs-vsctl; its {@code show} must contain every declared key of
 * the kinds it made (which keys are whose comes from the parser, {@link
 * ModelFields#enumerate(InterfaceType)}). Kinds this kernel lacks — vlan, bond — are created in the
 * kernel-VM tier and skipped naming the feature here, as is Open vSwitch where it is not installed.
 */
@Tag("kernel-vm")
class ShowCoverageKernelTest extends EngineNetnsTestBase {

  /** A {@code .*} declaration is printed when any key under it is. */
  private static boolean shownUnder(java.util.Set<String> shown, String path) {
    var prefix = path.substring(0, path.length() - 1);
    return shown.stream().anyMatch(p -> p.startsWith(prefix));
  }

  @Test
  void showPrintsEveryKeyTheEngineComparesAfterApply() throws Exception {
    KernelFeatures features;
    try (RtNetlink nl = ns.target().open()) {
      features = KernelFeatures.probe(nl);
    }
    ns.ip(
        "link",
        "add",
        "br0",
        "type",
        "bridge",
        "stp_state",
        "1",
        "group_fwd_mask",
        "8",
        "group_address",
        "01:80:c2:00:00:0e",
        "vlan_protocol",
        "802.1ad",
        "vlan_default_pvid",
        "7");
    ns.ip("link", "set", "eth2", "master", "br0");
    ns.ip(
        "link",
        "set",
        "eth2",
        "type",
        "bridge_slave",
        "hairpin",
        "on",
        "cost",
        "7",
        "priority",
        "9");
    ns.ip("link", "set", "eth1", "alias", "uplink");
    ns.ip("addr", "add", "198.18.0.1/24", "dev", "eth1");
    ns.ip("link", "add", "mv0", "link", "eth1", "type", "macvlan", "mode", "bridge");
    ns.ip("link", "add", "mt0", "link", "eth1", "type", "macvtap", "mode", "vepa");
    ns.ip(
        "link",
        "add",
        "vx0",
        "type",
        "vxlan",
        "id",
        "10",
        "remote",
        "198.18.0.2",
        "local",
        "198.18.0.1",
        "dev",
        "eth1",
        "dstport",
        "4789",
        "nolearning");
    // Only NICs are shown as ethernet (with link settings): a namespace here has veth ends. SR-IOV
    // has its own tests; the link settings are read by Engine.linkModes, asserted below on a
    // veth, and compared in UpstreamFixesKernelTest.
    var kinds =
        EnumSet.of(
            InterfaceType.LINUX_BRIDGE,
            InterfaceType.VETH,
            InterfaceType.MAC_VLAN,
            InterfaceType.MAC_VTAP,
            InterfaceType.VXLAN);
    var missing = new ArrayList<String>();
    if (features.vlan()) {
      ns.ip("link", "add", "v10", "link", "eth1", "type", "vlan", "id", "10");
      kinds.add(InterfaceType.VLAN);
    } else {
      missing.add("802.1q VLAN devices (CONFIG_VLAN_8021Q)");
    }
    if (!features.bridgeVlanFiltering()) {
      missing.add("bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)");
    }
    if (features.bond()) {
      ns.ip(
          "link",
          "add",
          "bond0",
          "type",
          "bond",
          "mode",
          "active-backup",
          "miimon",
          "100",
          "updelay",
          "200",
          "downdelay",
          "200");
      ns.ip("link", "set", "eth1-p", "down");
      ns.ip("link", "set", "eth1-p", "master", "bond0");
      ns.ip("link", "set", "bond0", "type", "bond", "primary", "eth1-p");
      kinds.add(InterfaceType.BOND);
    } else {
      missing.add("bonding (CONFIG_BONDING)");
    }
    optional(
        kinds,
        missing,
        InterfaceType.VRF,
        "vrf links (module vrf)",
        "vrf0",
        "type",
        "vrf",
        "table",
        "7");
    // ipvlan and macsec each on a link of their own: eth1 carries macvlan/macvtap already.
    ns.ip("link", "add", "k1", "type", "veth", "peer", "name", "k2");
    optional(
        kinds,
        missing,
        InterfaceType.IPVLAN,
        "ipvlan links (module ipvlan)",
        "ipv0",
        "link",
        "k1",
        "type",
        "ipvlan",
        "mode",
        "l3");
    ns.ip("link", "add", "hs1", "type", "veth", "peer", "name", "hs2");
    optional(
        kinds,
        missing,
        InterfaceType.HSR,
        "hsr links (module hsr)",
        "hsr0",
        "type",
        "hsr",
        "slave1",
        "hs1",
        "slave2",
        "hs2",
        "proto",
        "1");
    optional(
        kinds,
        missing,
        InterfaceType.MACSEC,
        "macsec links (module macsec)",
        "ms0",
        "link",
        "k2",
        "type",
        "macsec",
        "encrypt",
        "on");
    // Dispatch scripts are kept by an apply (and run by it: "true" succeeds).
    var dispatch =
        io.multihome.state.StateParser.parse(
                io.multihome.state.Documents.read(
                        "interfaces: [{name: eth1, dispatch: {post-activation: 'true',"
                            + " post-deactivation: 'true'}}]")
                    .documents()
                    .get(0))
            .state();
    assertThat(engine.apply(dispatch, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    // A veth's driver has no rings, coalescing or pause frames; netdevsim's has.
    NetdevsimPort sim = null;
    boolean ethtoolSections =
        java.nio.file.Files.exists(java.nio.file.Path.of("/sys/bus/netdevsim/new_device"));
    if (ethtoolSections) {
      sim = NetdevsimPort.create(ns, "eth9", "for ethtool sections");
      var ethtool =
          io.multihome.state.StateParser.parse(
                  io.multihome.state.Documents.read(
                          "interfaces: [{name: eth9, type: ethernet, ethtool: {ring: {rx: 64, tx: 64,"
                              + " rx-mini: 64, rx-jumbo: 64}, pause: {autoneg: false, rx: true}}}]")
                      .documents()
                      .get(0))
              .state();
      assertThat(engine.apply(ethtool, ApplyOptions.defaults()))
          .isInstanceOf(ApplyResult.Applied.class);
    } else {
      missing.add("netdevsim (a driver with ethtool rings, coalescing and pause; a veth has none)");
    }
    var shown = new HashSet<String>();
    try (var ovs = openVswitch(missing)) {
      var show = engine;
      if (ovs != null) {
        kinds.add(InterfaceType.OVS_BRIDGE);
        kinds.add(InterfaceType.OVS_INTERFACE);
        show = Engine.open(ns.target().withOvsdbSocket(ovs.socket()), ns.stateDir);
      }
      try {
        ModelFields.walk(
            StateWriter.toTree(show.show(n -> true)),
            (p, n) -> shown.add(ModelFields.schemaPath(p)));
      } finally {
        if (show != engine) {
          show.close();
        }
      }
    } finally {
      if (sim != null) {
        sim.close();
      }
    }
    if (kinds.contains(InterfaceType.OVS_BRIDGE)) {
      assertThat(shown)
          .as("the switch is shown")
          .contains("interfaces[].bridge.options.rstp", "interfaces[].patch.peer");
    }
    var keysOfKinds = new HashSet<String>();
    kinds.forEach(k -> keysOfKinds.addAll(ModelFields.enumerate(k).keySet()));

    var notShown = new ArrayList<String>();
    for (var e : FieldCoverage.DECLARED.entrySet()) {
      var h = e.getValue();
      var path = e.getKey();
      if ((h != FieldCoverage.Handling.APPLIED && h != FieldCoverage.Handling.CHECKED)
          || !path.startsWith("interfaces[].")
          || !keysOfKinds.contains(path)) {
        continue;
      }
      if (!features.bridgeVlanFiltering()
          && (path.endsWith(".vlan-protocol") || path.endsWith(".vlan-default-pvid"))) {
        // The kernel reports them only with CONFIG_BRIDGE_VLAN_FILTERING.
        continue;
      }
      if (!ethtoolSections
          && (path.startsWith("interfaces[].ethtool.ring.")
              || path.startsWith("interfaces[].ethtool.pause.")
              || path.startsWith("interfaces[].ethtool.coalesce."))) {
        continue;
      }
      if (!shown.contains(path) && !(path.endsWith(".*") && shownUnder(shown, path))) {
        notShown.add(path);
      }
    }
    assertThat(notShown).as("declared APPLIED/CHECKED but not printed by show").isEmpty();
    var modes = engine.linkModes(Set.of("eth1")).get("eth1");
    if (modes != null) {
      assertThat(modes.speed()).isNotNull();
      assertThat(modes.duplex()).isNotNull();
      assertThat(modes.autoNegotiation()).isNotNull();
    }
    KernelTier.decide(missing, KernelTier.strict());
  }

  /**
   * An Open vSwitch with what show prints of it: bridge br-ovs (stp, fail-mode, multicast snooping,
   * description, the datapath this kernel runs) with system port o1 (access VLAN 5), internal port
   * ovsi and patch port pp0 to br-ovs2; null (named in {@code missing}) when Open vSwitch is not
   * installed.
   */
  private TestSwitch openVswitch(List<String> missing) {
    var why = TestSwitch.missing();
    if (why != null) {
      missing.add(why);
      return null;
    }
    ns.ip("link", "add", "o1", "type", "veth", "peer", "name", "o1-p");
    ns.ip("link", "set", "o1", "up");
    var sw = TestSwitch.start(ns.name);
    try {
      var dp = java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/module/openvswitch"));
      sw.vsctl(
          "--timeout=20",
          "add-br",
          "br-ovs",
          "--",
          "set",
          "bridge",
          "br-ovs",
          "datapath_type=" + (dp ? "system" : "netdev"),
          "stp_enable=true",
          "fail_mode=secure",
          "mcast_snooping_enable=true",
          "external_ids:multihome.description=uplink",
          "--",
          "add-port",
          "br-ovs",
          "o1",
          "tag=5",
          "--",
          "add-port",
          "br-ovs",
          "ovsi",
          "--",
          "set",
          "interface",
          "ovsi",
          "type=internal",
          "--",
          "add-port",
          "br-ovs",
          "pp0",
          "--",
          "set",
          "interface",
          "pp0",
          "type=patch",
          "options:peer=pp1",
          "--",
          "add-br",
          "br-ovs2",
          "--",
          "set",
          "bridge",
          "br-ovs2",
          "datapath_type=" + (dp ? "system" : "netdev"),
          "--",
          "add-port",
          "br-ovs2",
          "pp1",
          "--",
          "set",
          "interface",
          "pp1",
          "type=patch",
          "options:peer=pp0");
      return sw;
    } catch (RuntimeException e) {
      sw.close();
      throw e;
    }
  }

  /** {@code ip link add NAME ARGS...} when the kernel has the kind, else it is missing. */
  private void optional(
      Set<InterfaceType> kinds,
      List<String> missing,
      InterfaceType kind,
      String what,
      String... args) {
    var cmd = new ArrayList<>(List.of("ip", "-n", ns.name, "link", "add"));
    cmd.addAll(List.of(args));
    try {
      EngineNetns.run(cmd);
      kinds.add(kind);
    } catch (IllegalStateException e) {
      missing.add(what);
    }
  }
}
