package io.multihome.controller.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SriovNetworkNodeStateStatus;
import io.multihome.api.sriov.SyncStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Fixtures on fabric8's CRUD mock server: CRDs, namespaces, nodes and what agents report. */
public final class MockCluster {
  public static final String OPERATOR_NS = SriovControllerConfig.DEFAULT_OPERATOR_NAMESPACE;
  public static final Map<String, String> SRIOV_LABEL =
      Map.of("feature.node.kubernetes.io/network-sriov.capable", "true");

  private final KubernetesClient client;

  public MockCluster(KubernetesClient client) {
    this.client = client;
  }

  /** Installs the project's CRDs so the mock server knows scopes and status subresources. */
  public MockCluster withCrds() {
    Path dir = Path.of("..", "deploy", "crds");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MockCluster namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return this;
  }

  public Node node(String name, Map<String, String> labels) {
    return client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  public void setNodeLabels(String name, Map<String, String> labels) {
    client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              n.getMetadata().setLabels(labels);
              return n;
            });
  }

  /**
   * Stores {@code key: null} in the node's labels, what a JSON merge patch removing the label
   * leaves in a store that does not apply RFC 7386 (the label itself stays, with a null value).
   */
  public void storeNullLabel(String node, String key) {
    var n = client.nodes().withName(node).get();
    var labels = new java.util.HashMap<>(n.getMetadata().getLabels());
    labels.put(key, null);
    n.getMetadata().setLabels(labels);
    client.nodes().resource(n).update();
  }

  /** An Intel XXV710 PF (8086:158b, i40e, 64 VFs) as the agent reports it. */
  public static InterfaceExt intelPf(String name, String pci) {
    var pf = new InterfaceExt();
    pf.setName(name);
    pf.setPciAddress(pci);
    pf.setVendor("8086");
    pf.setDeviceID("158b");
    pf.setDriver("i40e");
    pf.setMtu(1500);
    pf.setNumVfs(0);
    pf.setTotalVfs(64);
    pf.setLinkType("ETH");
    pf.setMac("3c:fd:fe:00:00:01");
    return pf;
  }

  /** Plays the node agent: reports the node's PFs in the state the controller created. */
  public void reportInterfaces(String node, List<InterfaceExt> pfs) {
    states()
        .withName(node)
        .editStatus(
            s -> {
              var status = new SriovNetworkNodeStateStatus();
              status.setInterfaces(pfs);
              status.setSyncStatus(SyncStatus.SUCCEEDED);
              status.setLastSyncError("");
              s.setStatus(status);
              return s;
            });
  }

  public io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          SriovNetworkNodeState,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<SriovNetworkNodeState>,
          io.fabric8.kubernetes.client.dsl.Resource<SriovNetworkNodeState>>
      states() {
    return client.resources(SriovNetworkNodeState.class).inNamespace(OPERATOR_NS);
  }

  public SriovNetworkNodeState state(String node) {
    return states().withName(node).get();
  }

  /** The node's state; an {@link AssertionError} (which an await retries) while there is none. */
  public SriovNetworkNodeState existingState(String node) {
    var state = state(node);
    if (state == null) {
      throw new AssertionError("no SriovNetworkNodeState " + node);
    }
    return state;
  }

  public SriovNetworkNodePolicy createPolicy(SriovNetworkNodePolicy policy) {
    return client.resource(policy).create();
  }

  public SriovNetworkNodePolicy policy(String name) {
    return client
        .resources(SriovNetworkNodePolicy.class)
        .inNamespace(OPERATOR_NS)
        .withName(name)
        .get();
  }

  /** Warning events about one object. */
  public List<Event> warnings(String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }

  /**
   * Drains the server's request log and checks that nothing used server-side apply (content type
   * {@code application/apply-patch+yaml}), which a real API server would accept but the CRUD mock
   * rejects. Also checks that writes happened, so the check cannot pass vacuously.
   */
  public static void assertNoServerSideApply(KubernetesMockServer server) {
    var writes = new java.util.ArrayList<String>();
    try {
      RecordedRequest request;
      while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        if (!"GET".equals(request.getMethod())) {
          writes.add(request.getMethod() + " " + request.getHeader("Content-Type"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(writes).isNotEmpty().noneMatch(w -> w.contains("apply-patch"));
  }

  public static <T> T load(KubernetesClient client, String resource, Class<T> type) {
    try (InputStream in = MockCluster.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return client.getKubernetesSerialization().unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
