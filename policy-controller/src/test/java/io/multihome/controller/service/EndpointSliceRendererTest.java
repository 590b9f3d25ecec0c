package io.multihome.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceRendererTest {

  private static List<String> addresses(EndpointSlice s) {
    return s.getEndpoints().stream().map(e -> e.getAddresses().get(0)).toList();
  }

  @Test
  void endpointsAreTheSecondaryAddressesByFamilyWithReadinessAndPorts() {
    var svc = Fixtures.service("web", "macvlan1", "198.18.200.10", null);
    svc.getSpec().setClusterIPs(List.of("198.18.200.10", "2001:db8:200::10"));
    var pods =
        List.of(
            Fixtures.backend("b1", "default/macvlan1", true, "198.18.70.1", "2001:db8:70::1"),
            Fixtures.backend("b2", "default/macvlan1", false, "198.18.70.2"),
            Fixtures.backend("other-net", "default/macvlan2", true, "198.18.71.1"));
    List<EndpointSlice> slices = EndpointSliceRenderer.render(svc, pods);
    assertThat(slices).extracting(EndpointSlice::getAddressType).containsExactly("IPv4", "IPv6");
    EndpointSlice v4 = slices.get(0);
    assertThat(addresses(v4)).containsExactly("198.18.70.1", "198.18.70.2");
    assertThat(v4.getEndpoints())
        .extracting(e -> e.getConditions().getReady())
        .containsExactly(true, false);
    assertThat(v4.getEndpoints().get(0).getTargetRef().getName()).isEqualTo("b1");
    assertThat(v4.getEndpoints().get(0).getNodeName()).isEqualTo("lab-node1");
    assertThat(v4.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getPort()).isEqualTo(80);
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
    assertThat(addresses(slices.get(1))).containsExactly("2001:db8:70::1");
    assertThat(v4.getMetadata().getLabels())
        .containsEntry("kubernetes.io/service-name", "web")
        .containsEntry(
            "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.multihome.io")
        .containsEntry("service.kubernetes.io/service-proxy-name", "multus-proxy")
        .containsEntry("team", "blue")
        .doesNotContainKey("service.kubernetes.io/headless");
    assertThat(v4.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Service");
              assertThat(o.getUid()).isEqualTo(svc.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
  }

  @Test
  void namedTargetPortsAreResolvedPerPod() {
    var svc = Fixtures.service("web", "macvlan1", "198.18.200.10", "web");
    Pod without = Fixtures.backend("old", "default/macvlan1", true, "198.18.70.9");
    without.getSpec().getContainers().get(0).getPorts().get(0).setName("other");
    var slices =
        EndpointSliceRenderer.render(
            svc,
            List.of(Fixtures.backend("new", "default/macvlan1", true, "198.18.70.1"), without));
    assertThat(slices).hasSize(2);
    var withPort = slices.stream().filter(s -> !s.getPorts().isEmpty()).findFirst().orElseThrow();
    assertThat(withPort.getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(addresses(withPort)).containsExactly("198.18.70.1");
    var noPort = slices.stream().filter(s -> s.getPorts().isEmpty()).findFirst().orElseThrow();
    assertThat(addresses(noPort))
        .as("a pod lacking the named port serves no port")
        .containsExactly("198.18.70.9");
    assertThat(slices.get(0).getMetadata().getName())
        .isNotEqualTo(slices.get(1).getMetadata().getName());
  }

  @Test
  void headlessGetsBothFamiliesAndTheHeadlessLabel() {
    var svc = Fixtures.service("db", "default/macvlan1, macvlan2", "None", null);
    var slices =
        EndpointSliceRenderer.render(
            svc,
            List.of(
                Fixtures.backend("a", "default/macvlan1", true, "198.18.70.1"),
                Fixtures.backend("b", "default/macvlan2", true, "2001:db8:72::2")));
    assertThat(slices).extracting(EndpointSlice::getAddressType).containsExactly("IPv4", "IPv6");
    assertThat(addresses(slices.get(0))).containsExactly("198.18.70.1");
    assertThat(addresses(slices.get(1))).containsExactly("2001:db8:72::2");
    assertThat(slices.get(0).getMetadata().getLabels())
        .containsEntry("service.kubernetes.io/headless", "");
  }

  @Test
  void terminatingPodsAreServingButNotReadyAndTerminalPodsAreGone() {
    var svc = Fixtures.service("web", "macvlan1", "198.18.200.10", null);
    Pod terminating = Fixtures.backend("t", "default/macvlan1", true, "198.18.70.3");
    terminating.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    Pod done = Fixtures.backend("d", "default/macvlan1", false, "198.18.70.4");
    done.getStatus().setPhase("Succeeded");
    Endpoint e =
        EndpointSliceRenderer.render(svc, List.of(terminating, done)).get(0).getEndpoints().get(0);
    assertThat(e.getAddresses()).containsExactly("198.18.70.3");
    assertThat(e.getConditions().getReady()).isFalse();
    assertThat(e.getConditions().getServing()).isTrue();
    assertThat(e.getConditions().getTerminating()).isTrue();
  }

  @Test
  void noEndpointsLeaveOnePlaceholderAndManyAreSplitByHundred() {
    var svc = Fixtures.service("web", "macvlan1", "198.18.200.10", null);
    assertThat(EndpointSliceRenderer.render(svc, List.of()))
        .singleElement()
        .satisfies(s -> assertThat(s.getEndpoints()).isEmpty());
    List<Pod> many = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      many.add(
          Fixtures.backend(
              "p" + i, "default/macvlan1", true, "198.18." + (70 + i / 200) + "." + (i % 200 + 1)));
    }
    var slices = EndpointSliceRenderer.render(svc, many);
    assertThat(slices).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 50);
    assertThat(slices).extracting(s -> s.getMetadata().getName()).doesNotHaveDuplicates();
  }

  @Test
  void badAnnotationNamesTheItem() {
    assertThatThrownBy(() -> ServiceNetworks.parse("ok, a/b/c", "default"))
        .hasMessageContaining("k8s.v1.cni.cncf.io/service-network[1]: \"a/b/c\" is not a");
    assertThat(ServiceNetworks.parse("macvlan1, other/net2", "apps"))
        .containsExactly("apps/macvlan1", "other/net2");
  }
}
