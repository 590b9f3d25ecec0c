package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.KernelFeatures;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.ModelFields;
import io.multihome.state.StateWriter;
import io.multihome.testkit.KernelTier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What makes an {@code APPLIED} or {@code CHECKED} declaration in {@link FieldCoverage} honest:
 * verification compares those keys with what {@code show} reads, so {@code show} must print each of
 * them. A namespace gets one link of every kind with every such setting made by ip(8); its {@code
 * show} must contain every declared key. (Kinds this kernel lacks — vlan, bond — are created in the
 * kernel-VM tier and skipped naming the feature here.)
 */
@Tag("kernel-vm")
class ShowCoverageKernelTest extends EngineNetnsTestBase {
  private static final Map<String, String> SECTION_KIND =
      Map.of(
          "bridge", "linux-bridge",
          "vlan", "vlan",
          "veth", "veth",
          "mac-vlan", "mac-vlan",
          "mac-vtap", "mac-vtap",
          "vxlan", "vxlan",
          "link-aggregation", "bond",
          "ethernet", "ethernet");

  @Test
  void showPrintsEveryKeyTheEngineComparesAfterApply() {
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
    var kinds =
        new HashSet<String>(
            Set.of("ethernet", "linux-bridge", "veth", "mac-vlan", "mac-vtap", "vxlan"));
    var missing = new ArrayList<String>();
    if (features.vlan()) {
      ns.ip("link", "add", "v10", "link", "eth1", "type", "vlan", "id", "10");
      kinds.add("vlan");
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
      kinds.add("bond");
    } else {
      missing.add("bonding (CONFIG_BONDING)");
    }
    var shown = new HashSet<String>();
    ModelFields.walk(
        StateWriter.toTree(engine.show(n -> true)), (p, n) -> shown.add(ModelFields.schemaPath(p)));

    var notShown = new ArrayList<String>();
    for (var e : FieldCoverage.DECLARED.entrySet()) {
      var h = e.getValue();
      var path = e.getKey();
      if ((h != FieldCoverage.Handling.APPLIED && h != FieldCoverage.Handling.CHECKED)
          || !path.startsWith("interfaces[].")
          || path.startsWith("interfaces[].ethernet.")) {
        // The ethernet section is shown for type ethernet links (NICs); a namespace here has only
        // veth ends. SR-IOV has its own tests; the link settings are read by Engine.linkModes,
        // asserted below on a veth, and compared in UpstreamFixesKernelTest.
        continue;
      }
      var section = path.substring("interfaces[].".length()).split("\\.")[0];
      var kind = SECTION_KIND.get(section);
      if (kind != null && !kinds.contains(kind)) {
        continue;
      }
      if (!features.bridgeVlanFiltering()
          && (path.endsWith(".vlan-protocol") || path.endsWith(".vlan-default-pvid"))) {
        // The kernel reports them only with CONFIG_BRIDGE_VLAN_FILTERING.
        continue;
      }
      if (!shown.contains(path)) {
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
}
