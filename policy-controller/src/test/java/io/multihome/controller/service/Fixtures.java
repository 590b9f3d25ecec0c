package io.multihome.controller.service;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Services and pods as the multus-service document writes them. */
final class Fixtures {
  private Fixtures() {}

  /** The seed's service.yml with a cluster IP the API would have allocated. */
  static Service service(String name, String network, String clusterIp, String targetPort) {
    var port = new ServicePortBuilder().withProtocol("TCP").withPort(80).withName("http");
    if (targetPort != null) {
      port.withTargetPort(
          targetPort.matches("[0-9]+")
              ? new IntOrString(Integer.parseInt(targetPort))
              : new IntOrString(targetPort));
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .withLabels(
            Map.of(ServiceNetworks.PROXY_NAME_LABEL, ServiceNetworks.PROXY_NAME, "team", "blue"))
        .withAnnotations(Map.of(ServiceNetworks.NETWORK_ANNOTATION, network))
        .endMetadata()
        .withNewSpec()
        .withSelector(Map.of("app", "multus-nginx-macvlan"))
        .withClusterIP(clusterIp)
        .withClusterIPs(clusterIp.equals("None") ? List.of("None") : List.of(clusterIp.split(",")))
        .withPorts(port.build())
        .endSpec()
        .build();
  }

  /** A backend: app label, network-status with the cluster network and net1 on {@code network}. */
  static Pod backend(String name, String network, boolean ready, String... net1Ips) {
    var ips = new StringBuilder();
    for (String ip : net1Ips) {
      ips.append(ips.length() == 0 ? "" : ",").append('"').append(ip).append('"');
    }
    String status =
        "[{\"name\":\"cluster\",\"interface\":\"eth0\",\"ips\":[\"198.19.1.5\"],\"default\":true},"
            + "{\"name\":\""
            + network
            + "\",\"interface\":\"net1\",\"ips\":["
            + ips
            + "]}]";
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .withLabels(Map.of("app", "multus-nginx-macvlan"))
        .withAnnotations(Map.of(ServiceNetworks.NETWORK_STATUS, status))
        .endMetadata()
        .withNewSpec()
        .withNodeName("lab-node1")
        .addNewContainer()
        .withName("multus-nginx")
        .withImage("nginx")
        .addNewPort()
        .withName("web")
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}
