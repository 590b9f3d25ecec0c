package io.multihome.agent.sriov;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.SriovInterface;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SriovNetworkNodeStateSpec;
import io.multihome.api.sriov.SriovNetworkNodeStateStatus;
import io.multihome.api.sriov.VfGroup;
import io.multihome.sriov.sysfs.ProvisioningTimeouts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Mock API fixtures: the node state CRD, the operator namespace, node states and specs. */
final class SriovAgentFixture {
  static final String NS = SriovAgentConfig.DEFAULT_OPERATOR_NAMESPACE;

  /** Short bounds so failure paths finish quickly. */
  static final ProvisioningTimeouts FAST =
      new ProvisioningTimeouts(
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofMillis(20));

  private final KubernetesClient client;

  SriovAgentFixture(KubernetesClient client) {
    this.client = client;
    // The CRD tells the CRUD mock that the kind is namespaced and has a status subresource.
    Path crd =
        Path.of("..", "deploy", "crds", "sriovnetworknodestates.sriovnetwork.openshift.io.yaml");
    try (InputStream in = Files.newInputStream(crd)) {
      client.apiextensions().v1().customResourceDefinitions().load(in).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  Resource<SriovNetworkNodeState> state(String node) {
    return client.resources(SriovNetworkNodeState.class).inNamespace(NS).withName(node);
  }

  /**
   * The node state's status; an {@link AssertionError} (which an await retries, unlike the
   * NullPointerException a caller would hit) while the state or its status does not exist.
   */
  SriovNetworkNodeStateStatus status(String node) {
    SriovNetworkNodeState s = state(node).get();
    if (s == null || s.getStatus() == null) {
      throw new AssertionError(
          "no SriovNetworkNodeState status for " + node + " (state " + s + ")");
    }
    return s.getStatus();
  }

  /** Creates the node state as the controller would (spec only). */
  SriovNetworkNodeState createState(String node, SriovNetworkNodeStateSpec spec) {
    var state = new SriovNetworkNodeState();
    state.getMetadata().setName(node);
    state.getMetadata().setNamespace(NS);
    state.setSpec(spec);
    return client.resource(state).create();
  }

  void setSpec(String node, SriovNetworkNodeStateSpec spec) {
    state(node)
        .edit(
            s -> {
              s.setSpec(spec);
              return s;
            });
  }

  /** One PF with one netdevice group over all its VFs. */
  static SriovNetworkNodeStateSpec spec(String pci, String pfName, int numVfs, Integer vfMtu) {
    var spec = new SriovNetworkNodeStateSpec();
    var iface = new SriovInterface();
    iface.setPciAddress(pci);
    iface.setName(pfName);
    iface.setNumVfs(numVfs);
    if (numVfs > 0) {
      var group = new VfGroup();
      group.setResourceName("intelnics");
      group.setDeviceType(DeviceType.NETDEVICE);
      group.setVfRange("0-" + (numVfs - 1));
      group.setPolicyName("policy-1");
      group.setMtu(vfMtu);
      iface.setVfGroups(List.of(group));
    }
    spec.setInterfaces(List.of(iface));
    return spec;
  }

  static SriovNetworkNodeStateSpec emptySpec() {
    var spec = new SriovNetworkNodeStateSpec();
    spec.setInterfaces(List.of());
    return spec;
  }
}
