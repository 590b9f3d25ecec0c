package io.multihome.sriov.policy;

import static io.multihome.sriov.policy.Policies.node;
import static io.multihome.sriov.policy.Policies.pfNames;
import static io.multihome.sriov.policy.Policies.policy;
import static io.multihome.sriov.policy.Policies.priority;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.LinkType;
import io.multihome.api.sriov.SriovInterface;
import io.multihome.api.sriov.VfGroup;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateRendererTest {
  @TempDir Path root;
  FakeKernel kernel;
  NodeInventory worker;

  @BeforeEach
  void setUp() throws Exception {
    kernel = FakeNics.intelAndMellanox(root);
    worker = node("worker-1", kernel);
  }

  @AfterEach
  void tearDown() {
    kernel.close();
  }

  @Test
  void upstreamStylePolicyRendersTheExpectedInterface() {
    var p = pfNames(policy("pol-a", "intel_a", 8), "ens1f0#0-3");
    p.getSpec().setMtu(9000);
    p.getSpec().getNicSelector().setVendor("8086");

    var spec = NodeStateRenderer.render(List.of(p), worker);

    assertThat(spec.getInterfaces())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getPciAddress()).isEqualTo(FakeNics.INTEL_PF);
              assertThat(i.getName()).isEqualTo("ens1f0");
              assertThat(i.getNumVfs()).isEqualTo(8);
              assertThat(i.getMtu()).isEqualTo(9000);
              assertThat(i.getVfGroups())
                  .singleElement()
                  .satisfies(
                      g -> {
                        assertThat(g.getResourceName()).isEqualTo("intel_a");
                        assertThat(g.getVfRange()).isEqualTo("0-3");
                        assertThat(g.getPolicyName()).isEqualTo("pol-a");
                        assertThat(g.getDeviceType()).isEqualTo(DeviceType.NETDEVICE);
                        assertThat(g.getIsRdma()).isFalse();
                        assertThat(g.getMtu()).isEqualTo(9000);
                      });
            });
  }

  @Test
  void partitionsOfOnePfMergeWithMaxMtuAndNumVfs() {
    var a = priority(pfNames(policy("a", "netdev", 8), "ens1f0#0-3"), 10);
    a.getSpec().setMtu(1500);
    var b = priority(pfNames(policy("b", "dpdk", 8), "ens1f0#4-7"), 20);
    b.getSpec().setDeviceType(DeviceType.VFIO_PCI);
    b.getSpec().setMtu(9000);

    SriovInterface i = NodeStateRenderer.render(List.of(a, b), worker).getInterfaces().get(0);

    assertThat(i.getVfGroups())
        .extracting(VfGroup::getResourceName, VfGroup::getVfRange, VfGroup::getDeviceType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("netdev", "0-3", DeviceType.NETDEVICE),
            org.assertj.core.groups.Tuple.tuple("dpdk", "4-7", DeviceType.VFIO_PCI));
    assertThat(i.getMtu()).isEqualTo(9000);
    assertThat(i.getNumVfs()).isEqualTo(8);
  }

  @Test
  void higherPriorityReplacesAnOverlappingPolicy() {
    var low = priority(pfNames(policy("low", "low", 16), "ens1f0"), 50);
    low.getSpec().setMtu(9000);
    var high = priority(pfNames(policy("high", "high", 4), "ens1f0"), 5);
    high.getSpec().setMtu(1500);

    SriovInterface i = NodeStateRenderer.render(List.of(high, low), worker).getInterfaces().get(0);

    assertThat(i.getVfGroups()).extracting(VfGroup::getPolicyName).containsExactly("high");
    assertThat(i.getNumVfs()).isEqualTo(4);
    assertThat(i.getMtu()).isEqualTo(1500);
  }

  @Test
  void equalPriorityTakesMaximaEvenWhenReplacing() {
    var x = pfNames(policy("x", "x", 16), "ens1f0");
    var y = pfNames(policy("y", "y", 4), "ens1f0");
    y.getSpec().setMtu(9000);

    SriovInterface i = NodeStateRenderer.render(List.of(x, y), worker).getInterfaces().get(0);

    // Same default priority 99: sorted by name, y applied last wins the range, maxima kept.
    assertThat(i.getVfGroups()).extracting(VfGroup::getPolicyName).containsExactly("y");
    assertThat(i.getNumVfs()).isEqualTo(16);
    assertThat(i.getMtu()).isEqualTo(9000);
  }

  @Test
  void nodeSelectorAndEmptyNicSelectorSelectNothing() {
    var other = pfNames(policy("o", "o", 2), "ens1f0");
    other.getSpec().setNodeSelector(Map.of("role", "gpu"));
    var empty = policy("e", "e", 2);
    assertThat(NodeStateRenderer.render(List.of(other, empty), worker).getInterfaces()).isEmpty();
  }

  @Test
  void vendorSelectorSpansBothPortsSortedByPciAndIbForcesRdma() {
    var p = policy("mlx", "mlx_ib", 4);
    p.getSpec().getNicSelector().setVendor("15b3");
    p.getSpec().setLinkType(LinkType.IB);
    var q = policy("all", "all_intel", 2);
    q.getSpec().getNicSelector().setDeviceID("158b");

    var spec = NodeStateRenderer.render(List.of(p, q), worker);

    assertThat(spec.getInterfaces())
        .extracting(SriovInterface::getPciAddress)
        .containsExactly(FakeNics.INTEL_PF, FakeNics.MLX_PF);
    assertThat(spec.getInterfaces().get(1).getVfGroups().get(0).getIsRdma()).isTrue();
    assertThat(spec.getInterfaces().get(1).getVfGroups().get(0).getVfRange()).isEqualTo("0-3");
  }
}
