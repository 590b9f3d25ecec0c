package io.multihome.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import io.multihome.testkit.RawObjects;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: no Pod, Service, EndpointSlice or Node can stop the policy controller (whose Service
 * controller watches the first three and whose NNCP controller watches Nodes). A real API server
 * refuses wrong types in these kinds, a store without validation (fabric8's mock, a lab) keeps
 * them: each is written as raw JSON with an unknown field and a value of the wrong type, and a good
 * Service must still get its EndpointSlice afterwards.
 */
@EnableKubernetesMockClient(crud = true)
class LenientReadMockApiTest {
  static final String NS = "default";
  static final String PROXY_LABEL =
      "'" + ServiceNetworks.PROXY_NAME_LABEL + "': '" + ServiceNetworks.PROXY_NAME + "'";

  KubernetesClient client;
  PolicyController controller;

  @BeforeEach
  void start() {
    controller = PolicyController.start(client, ControllerConfig.defaults());
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private List<String> readyAddresses(String service) {
    return client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(NS)
        .withLabel(ServiceNetworks.SERVICE_NAME_LABEL, service)
        .list()
        .getItems()
        .stream()
        .flatMap(s -> s.getEndpoints().stream())
        .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
        .map(e -> e.getAddresses().get(0))
        .sorted()
        .toList();
  }

  @Test
  void badPodsServicesSlicesAndNodesDoNotStopTheServiceController() {
    RawObjects.write(
        client,
        Node.class,
        "{'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': 'odd-node', 'labels':"
            + " {'a': 'b'}}, 'spec': {'unschedulable': 'perhaps', 'someday': 1},"
            + " 'status': {'capacity': ['lots']}}");
    RawObjects.write(
        client,
        Pod.class,
        "{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'odd-pod', 'namespace': '"
            + NS
            + "', 'labels': {'app': 'multus-nginx-macvlan'}}, 'spec': {'containers': 'nginx',"
            + " 'someday': 1}, 'status': {'phase': {'running': true}, 'podIPs': '198.18.70.9'}}");
    RawObjects.write(
        client,
        Service.class,
        "{'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 'odd-svc', 'namespace': '"
            + NS
            + "', 'labels': {"
            + PROXY_LABEL
            + "}, 'annotations': {'"
            + ServiceNetworks.NETWORK_ANNOTATION
            + "': 'macvlan1'}}, 'spec': {'selector': {'app': 'multus-nginx-macvlan'},"
            + " 'clusterIP': {'v4': '198.18.200.9'}, 'ports': [{'port': 'eighty'}], 'someday': 1}}");
    RawObjects.write(
        client,
        EndpointSlice.class,
        "{'apiVersion': 'discovery.k8s.io/v1', 'kind': 'EndpointSlice', 'metadata': {'name':"
            + " 'odd-slice', 'namespace': '"
            + NS
            + "', 'labels': {'"
            + ServiceNetworks.MANAGED_BY_LABEL
            + "': '"
            + ServiceNetworks.MANAGED_BY
            + "', '"
            + ServiceNetworks.SERVICE_NAME_LABEL
            + "': 'odd-svc'}}, 'addressType': 'IPv4', 'endpoints': {'a': 1}, 'someday': 1}");

    client
        .pods()
        .inNamespace(NS)
        .resource(Fixtures.backend("nginx-1", "default/macvlan1", true, "198.18.70.1"))
        .create();
    client
        .services()
        .inNamespace(NS)
        .resource(Fixtures.service("multus-nginx-macvlan", "macvlan1", "198.18.200.10", null))
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(readyAddresses("multus-nginx-macvlan")).containsExactly("198.18.70.1");
              // The Service whose port cannot be read has no slices: the stale one went.
              assertThat(
                      client
                          .discovery()
                          .v1()
                          .endpointSlices()
                          .inNamespace(NS)
                          .withName("odd-slice")
                          .get())
                  .isNull();
            });
  }
}
