package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactmentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' indexed mock dispatcher answers exactly as the stock one: the same script of
 * creates, conflicting creates, gets (present, missing, same name in two namespaces), status
 * updates, stale updates, deletes and label lists, run against both, gives the same transcript.
 */
class IndexedCrudDispatcherTest {

  @Test
  void answersExactlyAsTheStockDispatcher() {
    List<String> stock;
    List<String> indexed;
    try (var server = new BenchMockServer("stock")) {
      stock = script(server.client);
    }
    try (var server = new BenchMockServer("indexed")) {
      indexed = script(server.client);
      assertThat(server.indexed.consistent()).isTrue();
      assertThat(server.indexed.indexedLookups.get()).isPositive();
    }
    assertThat(indexed).isEqualTo(stock);
    // The script did exercise what it is meant to.
    assertThat(stock)
        .contains("create nnce node-1.p1 -> 409", "get nnce node-9.p1 -> 404")
        .anyMatch(l -> l.startsWith("lease b/multihome-agent-node-1 -> holder=b-node-1"));
  }

  private static List<String> script(KubernetesClient client) {
    ControllerFixture.loadCrds(client);
    var out = new ArrayList<String>();
    var nnces = client.resources(NodeNetworkConfigurationEnactment.class);
    for (int i = 0; i < 3; i++) {
      var node = "node-" + i;
      client
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .create();
      for (var ns : List.of("a", "b")) {
        client
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName(AgentLeases.leaseName(node))
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity(ns + "-" + node)
                    .endSpec()
                    .build())
            .create();
      }
      out.add(
          "create nnce " + node + ".p1 -> " + outcome(() -> nnces.resource(nnce(node)).create()));
    }
    out.add("create nnce node-1.p1 -> " + outcome(() -> nnces.resource(nnce("node-1")).create()));
    for (var ns : List.of("a", "b")) {
      var lease =
          client.resources(Lease.class).inNamespace(ns).withName("multihome-agent-node-1").get();
      out.add(
          "lease %s/multihome-agent-node-1 -> holder=%s"
              .formatted(ns, lease.getSpec().getHolderIdentity()));
    }
    var first = nnces.withName("node-0.p1").get();
    out.add("get nnce node-0.p1 -> " + describe(first));
    out.add("get nnce node-9.p1 -> " + found(nnces.withName("node-9.p1").get()));
    var status = new NodeNetworkConfigurationEnactmentStatus();
    status.setPolicyGeneration(1L);
    status.setConditions(Conditions.merge(null, EnactmentConditions.pending(), Instant.EPOCH));
    first.setStatus(status);
    out.add("status node-0.p1 -> " + outcome(() -> nnces.resource(first).updateStatus()));
    // Based on the version before the status write: a conflict.
    out.add("stale status node-0.p1 -> " + outcome(() -> nnces.resource(first).updateStatus()));
    out.add("get nnce node-0.p1 -> " + describe(nnces.withName("node-0.p1").get()));
    out.add("delete node-2.p1 -> " + nnces.withName("node-2.p1").delete().size());
    out.add("get nnce node-2.p1 -> " + found(nnces.withName("node-2.p1").get()));
    out.add(
        "list p1 -> "
            + nnces.withLabel("nmstate.io/policy", "p1").list().getItems().stream()
                .map(n -> n.getMetadata().getName())
                .sorted()
                .toList());
    out.add("recreate node-2.p1 -> " + outcome(() -> nnces.resource(nnce("node-2")).create()));
    return out;
  }

  private static NodeNetworkConfigurationEnactment nnce(String node) {
    var n = new NodeNetworkConfigurationEnactment();
    n.getMetadata().setName(NodeNetworkConfigurationEnactment.nameFor(node, "p1"));
    n.getMetadata().setLabels(Map.of("nmstate.io/node", node, "nmstate.io/policy", "p1"));
    return n;
  }

  private static String outcome(Supplier<NodeNetworkConfigurationEnactment> call) {
    try {
      return describe(call.get());
    } catch (KubernetesClientException e) {
      return Integer.toString(e.getCode());
    }
  }

  private static String found(NodeNetworkConfigurationEnactment n) {
    return n == null ? "404" : describe(n);
  }

  private static String describe(NodeNetworkConfigurationEnactment n) {
    return "rv=%s status=%s"
        .formatted(n.getMetadata().getResourceVersion(), ControllerFixture.status(n));
  }
}
