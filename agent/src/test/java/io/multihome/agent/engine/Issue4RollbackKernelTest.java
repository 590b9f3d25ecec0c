package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.KernelFeatures;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.StateParser;
import io.multihome.testkit.KernelTier;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rollback of the issue 4 features: a failing probe after applying the bond example or the bridge
 * VLAN trunk example puts the namespace back exactly (ip -j -d link/addr/route/rule, and the port
 * VLAN list as the kernel dumps it).
 */
@Tag("kernel-vm")
@Timeout(120)
class Issue4RollbackKernelTest extends EngineNetnsTestBase {

  private KernelFeatures features() {
    try (RtNetlink nl = ns.target().open()) {
      return KernelFeatures.probe(nl);
    }
  }

  @Test
  void aFailingProbeAfterTheTrunkExampleRestoresFilteringAndThePortVlans() throws Exception {
    KernelTier.require(
        features().bridgeVlanFiltering(),
        "kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)");
    var bridge =
        StateParser.parse(
                "interfaces: [{name: br1, type: linux-bridge, bridge: {options: {stp: {enabled:"
                    + " false}}, port: [{name: eth1}]}}]")
            .state();
    assertThat(engine.apply(bridge, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    var start = ns.settled();
    var vlansBefore = portVlans("eth1");
    assertThat(vlansBefore).isNotEmpty();

    var desired = ExamplesKernelTest.example("linux-bridge-vlan-trunk.yaml");
    Probe failing = applied -> "gateway unreachable";
    var result = engine.apply(desired, ApplyOptions.defaults().withProbes(List.of(failing)));
    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(result.plan().describe()).contains("bridge vlan add dev eth1 vid 200-500");
    ns.awaitState(start);
    assertThat(portVlans("eth1")).isEqualTo(vlansBefore);
  }

  @Test
  void aFailingProbeAfterTheBondExampleReleasesThePortsAsTheyWere() throws Exception {
    KernelTier.require(features().bond(), "kernel lacks bonding (CONFIG_BONDING)");
    var start = ns.settled();
    var desired = ExamplesKernelTest.example("bond.yaml");
    Probe failing = applied -> "gateway unreachable";
    var result = engine.apply(desired, ApplyOptions.defaults().withProbes(List.of(failing)));
    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(result.plan().describe()).contains("ip link set bond0 type bond primary eth1");
    // Released bond ports were cycled down/up by the kernel: their kernel-made IPv6 routes may
    // be listed in another order; everything else (ifindexes included) is as before.
    EngineNetns.awaitEqual(EngineNetns.sorted(start), ns::fullStateSorted);
  }

  private List<io.multihome.agent.netlink.BridgeVlan> portVlans(String name) {
    var s = engine.snapshot();
    return s.vlans().getOrDefault(s.byName().get(name).index(), List.of());
  }
}
