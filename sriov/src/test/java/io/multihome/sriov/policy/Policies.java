package io.multihome.sriov.policy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.NicSelector;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodePolicySpec;
import io.multihome.sriov.sysfs.InterfaceStatusMapper;
import io.multihome.sriov.sysfs.SriovDiscovery;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for policies and nodes used by the policy tests. */
final class Policies {
  static final Map<String, String> SRIOV_LABEL =
      Map.of("feature.node.kubernetes.io/network-sriov.capable", "true");

  private Policies() {}

  static SriovNetworkNodePolicy policy(String name, String resourceName, int numVfs) {
    var p = new SriovNetworkNodePolicy();
    p.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace("sriov-network-operator").build());
    var spec = new SriovNetworkNodePolicySpec();
    spec.setResourceName(resourceName);
    spec.setNodeSelector(SRIOV_LABEL);
    spec.setNumVfs(numVfs);
    spec.setNicSelector(new NicSelector());
    p.setSpec(spec);
    return p;
  }

  static SriovNetworkNodePolicy pfNames(SriovNetworkNodePolicy p, String... names) {
    p.getSpec().getNicSelector().setPfNames(List.of(names));
    return p;
  }

  static SriovNetworkNodePolicy priority(SriovNetworkNodePolicy p, int priority) {
    p.getSpec().setPriority(priority);
    return p;
  }

  /** A node whose PFs are what discovery finds in the fake kernel. */
  static NodeInventory node(String name, FakeKernel kernel) {
    List<InterfaceExt> pfs =
        InterfaceStatusMapper.toStatus(new SriovDiscovery(kernel.sysfs()).discover(), Set.of());
    return new NodeInventory(name, SRIOV_LABEL, pfs);
  }
}
