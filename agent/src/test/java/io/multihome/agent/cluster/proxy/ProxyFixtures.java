package io.multihome.agent.cluster.proxy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.multihome.api.nad.ServiceNetworkNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Services and slices as the controller writes them. */
final class ProxyFixtures {
  private ProxyFixtures() {}

  static Service service(String name, String network, String... clusterIps) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withLabels(Map.of(ServiceNetworkNames.PROXY_NAME_LABEL, ServiceNetworkNames.PROXY_NAME))
        .withAnnotations(Map.of(ServiceNetworkNames.NETWORK_ANNOTATION, network))
        .endMetadata()
        .withNewSpec()
        .withSelector(Map.of("app", name))
        .withClusterIP(clusterIps[0])
        .withClusterIPs(List.of(clusterIps))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(80)
        .withTargetPort(new IntOrString(8080))
        .endPort()
        .endSpec()
        .build();
  }

  /** One slice of {@code family} with the given endpoints; a leading '-' marks one not ready. */
  static EndpointSlice slice(String service, String family, int port, String... addresses) {
    List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = new ArrayList<>();
    for (String a : addresses) {
      boolean ready = !a.startsWith("-");
      endpoints.add(
          new EndpointBuilder()
              .withAddresses(ready ? a : a.substring(1))
              .withNewConditions()
              .withReady(ready)
              .withServing(ready)
              .withTerminating(false)
              .endConditions()
              .build());
    }
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(service + "-multus-" + (family.equals("IPv6") ? "v6" : "v4"))
        .withLabels(
            Map.of(
                ServiceNetworkNames.SERVICE_NAME_LABEL, service,
                ServiceNetworkNames.MANAGED_BY_LABEL, ServiceNetworkNames.MANAGED_BY,
                ServiceNetworkNames.PROXY_NAME_LABEL, ServiceNetworkNames.PROXY_NAME))
        .endMetadata()
        .withAddressType(family)
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(port)
        .endPort()
        .withEndpoints(endpoints)
        .build();
  }
}
