package io.multihome.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SyncStatus;
import io.multihome.sriov.policy.NodeInventory;
import io.multihome.sriov.policy.NodeStateRenderer;
import io.multihome.sriov.policy.PolicyValidator;
import io.multihome.sriov.policy.SupportedNics;
import io.multihome.sriov.render.NadRenderer;
import io.multihome.sriov.sysfs.ConfiguredPfStore;
import io.multihome.sriov.sysfs.InterfaceStatusMapper;
import io.multihome.sriov.sysfs.ProvisioningTimeouts;
import io.multihome.sriov.sysfs.SriovProvisioner;
import io.multihome.sriov.sysfs.SriovSysfsOps;
import io.multihome.sriov.sysfs.VfLinkConfigurator;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNics;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" path without a cluster: upstream-style policies and a network go through
 * validation, node-state rendering, provisioning on the fake kernel, status discovery and NAD
 * rendering.
 */
class UpstreamPairFlowTest {
  private static final KubernetesSerialization K8S = new KubernetesSerialization();

  @TempDir Path root;
  @TempDir Path store;

  @Test
  void policiesAndNetworkProduceVfsStatusAndNad() throws Exception {
    try (FakeKernel kernel = FakeNics.intelAndMellanox(root);
        var ops =
            new SriovSysfsOps(
                kernel.sysfs(),
                new ProvisioningTimeouts(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(2),
                    Duration.ofMillis(20)))) {
      var labels = Map.of("feature.node.kubernetes.io/network-sriov.capable", "true");
      var node =
          new NodeInventory(
              "worker-1",
              labels,
              InterfaceStatusMapper.toStatus(ops.discovery().discover(), Set.of()));
      var polA = load("/policies/pol-a.yaml", SriovNetworkNodePolicy.class);
      var polB = load("/policies/pol-b.yaml", SriovNetworkNodePolicy.class);
      var validator = new PolicyValidator(SupportedNics.upstreamDefaults());
      assertThat(validator.validate(polA, List.of(polB), List.of(node))).isEmpty();
      assertThat(validator.validate(polB, List.of(polA), List.of(node))).isEmpty();

      var spec = NodeStateRenderer.render(List.of(polA, polB), node);
      var result =
          new SriovProvisioner(ops, new NoNetlink(), new ConfiguredPfStore(store)).apply(spec);

      assertThat(result.syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
      var status = InterfaceStatusMapper.toStatus(ops.discovery().discover(), Set.of());
      var intel = status.get(0);
      assertThat(intel.getNumVfs()).isEqualTo(8);
      assertThat(intel.getMtu()).isEqualTo(9000);
      assertThat(intel.getVfs())
          .extracting(vf -> vf.getDriver())
          .containsExactly(
              "iavf", "iavf", "iavf", "iavf", "vfio-pci", "vfio-pci", "vfio-pci", "vfio-pci");

      var network = load("/networks/vlan-qos.yaml", SriovNetwork.class);
      var nad = new NadRenderer().render(network);
      assertThat(nad.getMetadata().getAnnotations())
          .containsEntry("k8s.v1.cni.cncf.io/resourceName", "openshift.io/intel_a");
    }
  }

  /** Netlink is the agent's; here the calls only need to succeed. */
  private static final class NoNetlink implements VfLinkConfigurator {
    @Override
    public void setVfAdminMac(String pfName, int vfId, String mac) {}

    @Override
    public void setLinkUp(String ifName) {}
  }

  private static <T> T load(String path, Class<T> type) throws Exception {
    try (InputStream in = UpstreamPairFlowTest.class.getResourceAsStream(path)) {
      return K8S.unmarshal(in, type);
    }
  }
}
