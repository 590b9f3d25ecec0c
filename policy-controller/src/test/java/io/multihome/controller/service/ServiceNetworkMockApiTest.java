package io.multihome.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller against the mock API, through JOSDK as the controller runs it. */
@EnableKubernetesMockClient(crud = true)
class ServiceNetworkMockApiTest {

  KubernetesClient client;
  private Operator operator;

  @BeforeEach
  void start() {
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .checkingCRDAndValidateLocalModel(false));
    ServiceNetworkControllers.register(operator);
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  private List<EndpointSlice> slices(String service) {
    return client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .withLabel(ServiceNetworks.SERVICE_NAME_LABEL, service)
        .list()
        .getItems();
  }

  private List<String> readyAddresses(String service, String family) {
    return slices(service).stream()
        .filter(s -> s.getAddressType().equals(family))
        .flatMap(s -> s.getEndpoints().stream())
        .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
        .map(e -> e.getAddresses().get(0))
        .sorted()
        .toList();
  }

  private void create(Pod pod) {
    client.pods().inNamespace("default").resource(pod).create();
  }

  private void create(Service svc) {
    client.services().inNamespace("default").resource(svc).create();
  }

  private static void awaitUntil(Runnable assertion) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(assertion::run);
  }

  @Test
  void slicesFollowPodsReadinessAndDeletion() {
    create(Fixtures.backend("nginx-1", "default/macvlan1", true, "198.18.70.1"));
    create(Fixtures.backend("nginx-2", "default/macvlan1", false, "198.18.70.2"));
    create(Fixtures.service("multus-nginx-macvlan", "macvlan1", "198.18.200.10", null));
    awaitUntil(
        () ->
            assertThat(readyAddresses("multus-nginx-macvlan", "IPv4"))
                .containsExactly("198.18.70.1"));
    EndpointSlice slice = slices("multus-nginx-macvlan").get(0);
    assertThat(slice.getMetadata().getLabels())
        .containsEntry(ServiceNetworks.MANAGED_BY_LABEL, ServiceNetworks.MANAGED_BY)
        .containsEntry(ServiceNetworks.PROXY_NAME_LABEL, ServiceNetworks.PROXY_NAME);
    assertThat(slice.getEndpoints()).hasSize(2);
    assertThat(slice.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(80));

    // nginx-2 becomes Ready.
    client
        .pods()
        .inNamespace("default")
        .withName("nginx-2")
        .edit(
            p -> {
              p.getStatus().getConditions().get(0).setStatus("True");
              return p;
            });
    awaitUntil(
        () ->
            assertThat(readyAddresses("multus-nginx-macvlan", "IPv4"))
                .containsExactly("198.18.70.1", "198.18.70.2"));

    // A new backend, then one goes away.
    create(Fixtures.backend("nginx-3", "default/macvlan1", true, "198.18.70.3"));
    awaitUntil(() -> assertThat(readyAddresses("multus-nginx-macvlan", "IPv4")).hasSize(3));
    client.pods().inNamespace("default").withName("nginx-1").delete();
    awaitUntil(
        () ->
            assertThat(readyAddresses("multus-nginx-macvlan", "IPv4"))
                .containsExactly("198.18.70.2", "198.18.70.3"));

    // A pod relabelled out of the selector leaves.
    client
        .pods()
        .inNamespace("default")
        .withName("nginx-3")
        .edit(
            p -> {
              p.getMetadata().setLabels(Map.of("app", "elsewhere"));
              return p;
            });
    awaitUntil(
        () ->
            assertThat(readyAddresses("multus-nginx-macvlan", "IPv4"))
                .containsExactly("198.18.70.2"));
  }

  @Test
  void serviceDeletedOrUnlabelledTakesItsSlicesAlong() {
    create(Fixtures.backend("b", "default/macvlan1", true, "198.18.70.1", "2001:db8:70::1"));
    Service dual = Fixtures.service("dual", "macvlan1", "198.18.200.11", null);
    dual.getSpec().setClusterIPs(List.of("198.18.200.11", "2001:db8:200::11"));
    create(dual);
    create(Fixtures.service("gone", "macvlan1", "198.18.200.12", null));
    awaitUntil(() -> assertThat(readyAddresses("dual", "IPv6")).containsExactly("2001:db8:70::1"));
    assertThat(readyAddresses("dual", "IPv4")).containsExactly("198.18.70.1");
    awaitUntil(() -> assertThat(slices("gone")).hasSize(1));

    client.services().inNamespace("default").withName("gone").delete();
    awaitUntil(() -> assertThat(slices("gone")).isEmpty());

    client
        .services()
        .inNamespace("default")
        .withName("dual")
        .edit(
            s -> {
              s.getMetadata().setLabels(Map.of("team", "blue"));
              return s;
            });
    awaitUntil(() -> assertThat(slices("dual")).isEmpty());
  }

  @Test
  void headlessAndOtherNetworksAndServicesWithoutTheLabel() {
    create(Fixtures.backend("a", "default/macvlan1", true, "198.18.70.1"));
    create(Fixtures.backend("b", "default/macvlan2", true, "2001:db8:72::2"));
    create(Fixtures.service("headless", "macvlan1,default/macvlan2", "None", null));
    Service plain = Fixtures.service("plain", "macvlan1", "198.18.200.13", null);
    plain.getMetadata().setLabels(Map.of());
    create(plain);
    awaitUntil(
        () -> assertThat(readyAddresses("headless", "IPv6")).containsExactly("2001:db8:72::2"));
    assertThat(readyAddresses("headless", "IPv4")).containsExactly("198.18.70.1");
    assertThat(slices("headless"))
        .allSatisfy(
            s ->
                assertThat(s.getMetadata().getLabels())
                    .containsKey(ServiceNetworks.HEADLESS_LABEL));
    assertThat(slices("plain")).as("no multus-proxy label: not ours").isEmpty();
  }

  @Test
  void aSliceEditedByHandIsPutBack() {
    create(Fixtures.backend("a", "default/macvlan1", true, "198.18.70.1"));
    create(Fixtures.service("web", "macvlan1", "198.18.200.14", null));
    awaitUntil(() -> assertThat(readyAddresses("web", "IPv4")).containsExactly("198.18.70.1"));
    EndpointSlice s = slices("web").get(0);
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .resource(new EndpointSliceBuilder(s).withEndpoints(List.of()).build())
        .update();
    awaitUntil(() -> assertThat(readyAddresses("web", "IPv4")).containsExactly("198.18.70.1"));
  }
}
