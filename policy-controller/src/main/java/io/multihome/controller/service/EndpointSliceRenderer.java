package io.multihome.controller.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the EndpointSlices of one secondary-network Service should be, from the Service and the pods
 * of its namespace (no API calls). Endpoints are the addresses the pods' network-status lists for
 * the Service's networks, one endpoint per address, IPv4 and IPv6 in separate slices; readiness
 * follows the pod's Ready condition as Kubernetes' own controller does (a terminating pod is not
 * ready but may still be serving); target ports are resolved per pod, so pods with different named
 * ports land in different slices. Names are derived, not generated, so a repeat reconcile finds and
 * updates the same objects.
 */
public final class EndpointSliceRenderer {

  /** Kubernetes' default maximum of endpoints per slice. */
  public static final int MAX_ENDPOINTS = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  private EndpointSliceRenderer() {}

  /**
   * @throws IllegalArgumentException naming what cannot be used (the network annotation, a spec or
   *     port number that could not be read)
   */
  public static List<EndpointSlice> render(Service service, List<Pod> namespacePods) {
    List<String> networks = ServiceNetworks.networks(service);
    requireReadable(service);
    Map<String, String> selector = service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return List.of(); // no selector: endpoints are the user's (as for any Service)
    }
    List<String> families = families(service);
    List<EndpointSlice> out = new ArrayList<>();
    for (String family : families) {
      // ports (rendered as a key) → endpoints
      Map<String, List<Endpoint>> groups = new TreeMap<>();
      Map<String, List<EndpointPort>> portsOf = new LinkedHashMap<>();
      for (Pod pod : namespacePods) {
        if (!selected(pod, selector)) {
          continue;
        }
        List<String> addresses = addresses(pod, networks, family);
        if (addresses.isEmpty()) {
          continue;
        }
        List<EndpointPort> ports = ports(service, pod);
        String key = portKey(ports);
        portsOf.putIfAbsent(key, ports);
        for (String address : addresses) {
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(endpoint(service, pod, address));
        }
      }
      if (groups.isEmpty()) {
        out.add(slice(service, family, "", List.of(), List.of()));
        continue;
      }
      for (var g : groups.entrySet()) {
        List<Endpoint> endpoints = g.getValue();
        endpoints.sort(Comparator.comparing(e -> e.getAddresses().get(0)));
        for (int i = 0; i * MAX_ENDPOINTS < endpoints.size(); i++) {
          List<Endpoint> chunk =
              endpoints.subList(
                  i * MAX_ENDPOINTS, Math.min(endpoints.size(), (i + 1) * MAX_ENDPOINTS));
          String suffix = hash(g.getKey()) + (i == 0 ? "" : "-" + i);
          out.add(slice(service, family, suffix, portsOf.get(g.getKey()), chunk));
        }
      }
    }
    return out;
  }

  /** What an API server guarantees and a store without validation may lack (read as absent). */
  private static void requireReadable(Service service) {
    if (service.getSpec() == null) {
      throw new IllegalArgumentException("spec: missing or not readable");
    }
    var ports = service.getSpec().getPorts();
    for (int i = 0; ports != null && i < ports.size(); i++) {
      if (ports.get(i) == null || ports.get(i).getPort() == null) {
        throw new IllegalArgumentException(
            "spec.ports[" + i + "].port: missing or not readable as a number");
      }
    }
  }

  /**
   * The address families to publish: those of the cluster IPs (a proxy can only DNAT a cluster IP
   * to an endpoint of its own family); both for a headless Service, whose consumers are DNS.
   */
  static List<String> families(Service service) {
    List<String> out = new ArrayList<>();
    if (ServiceNetworks.headless(service)) {
      return List.of("IPv4", "IPv6");
    }
    List<String> ips = service.getSpec().getClusterIPs();
    if (ips == null || ips.isEmpty()) {
      ips =
          service.getSpec().getClusterIP() == null
              ? List.of()
              : List.of(service.getSpec().getClusterIP());
    }
    for (String ip : ips) {
      String f = ip.contains(":") ? "IPv6" : "IPv4";
      if (!ip.isEmpty() && !out.contains(f)) {
        out.add(f);
      }
    }
    if (out.isEmpty() && service.getSpec().getIpFamilies() != null) {
      out.addAll(service.getSpec().getIpFamilies());
    }
    return out;
  }

  private static boolean selected(Pod pod, Map<String, String> selector) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return labels != null
        && labels.entrySet().containsAll(selector.entrySet())
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  /** The pod's addresses of {@code family} on any of the networks, from its network-status. */
  static List<String> addresses(Pod pod, List<String> networks, String family) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String status = annotations == null ? null : annotations.get(ServiceNetworks.NETWORK_STATUS);
    List<String> out = new ArrayList<>();
    if (status == null || status.isBlank()) {
      return out;
    }
    JsonNode entries;
    try {
      entries = JSON.readTree(status);
    } catch (java.io.IOException e) {
      return out; // an unreadable status contributes no endpoint
    }
    String namespace = pod.getMetadata().getNamespace();
    for (JsonNode entry : entries) {
      String name = entry.path("name").asText("");
      String qualified = name.contains("/") ? name : namespace + "/" + name;
      if (!networks.contains(qualified)) {
        continue;
      }
      for (JsonNode ip : entry.path("ips")) {
        String text = ip.asText("");
        int slash = text.indexOf('/');
        String bare = slash < 0 ? text : text.substring(0, slash);
        boolean v6 = bare.contains(":");
        if (!bare.isEmpty() && v6 == family.equals("IPv6") && !out.contains(bare)) {
          out.add(bare);
        }
      }
    }
    return out;
  }

  /** The Service's ports with the target port resolved against this pod (named ports too). */
  static List<EndpointPort> ports(Service service, Pod pod) {
    List<EndpointPort> out = new ArrayList<>();
    for (ServicePort sp :
        service.getSpec().getPorts() == null
            ? List.<ServicePort>of()
            : service.getSpec().getPorts()) {
      String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
      Integer port = targetPort(sp, protocol, pod);
      if (port == null) {
        continue; // as Kubernetes: a pod without the named port is no endpoint of that port
      }
      out.add(
          new EndpointPortBuilder()
              .withName(sp.getName() == null ? "" : sp.getName())
              .withProtocol(protocol)
              .withPort(port)
              .withAppProtocol(sp.getAppProtocol())
              .build());
    }
    return out;
  }

  private static Integer targetPort(ServicePort sp, String protocol, Pod pod) {
    IntOrString target = sp.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return sp.getPort();
    }
    if (target.getIntVal() != null) {
      return target.getIntVal();
    }
    String name = target.getStrVal();
    if (name.matches("[0-9]+")) {
      return Integer.parseInt(name);
    }
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return null;
    }
    for (var c : pod.getSpec().getContainers()) {
      for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
        String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
        if (name.equals(p.getName()) && pp.equals(protocol)) {
          return p.getContainerPort();
        }
      }
    }
    return null;
  }

  private static Endpoint endpoint(Service service, Pod pod, String address) {
    boolean ready = podReady(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    var b =
        new EndpointBuilder()
            .withAddresses(address)
            .withNewConditions()
            .withReady(publishNotReady || (ready && !terminating))
            .withServing(ready)
            .withTerminating(terminating)
            .endConditions()
            .withTargetRef(
                new ObjectReferenceBuilder()
                    .withKind("Pod")
                    .withNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .build());
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
      b.withNodeName(pod.getSpec().getNodeName());
    }
    // As Kubernetes for headless Services: pods naming the Service as subdomain get a DNS name.
    if (pod.getSpec() != null
        && pod.getSpec().getHostname() != null
        && Objects.equals(pod.getSpec().getSubdomain(), service.getMetadata().getName())
        && ServiceNetworks.headless(service)) {
      b.withHostname(pod.getSpec().getHostname());
    }
    return b.build();
  }

  static boolean podReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static EndpointSlice slice(
      Service service,
      String family,
      String suffix,
      List<EndpointPort> ports,
      List<Endpoint> endpoints) {
    String name =
        service.getMetadata().getName()
            + "-multus-"
            + (family.equals("IPv6") ? "v6" : "v4")
            + (suffix.isEmpty() ? "" : "-" + suffix);
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(service.getMetadata().getNamespace())
        .withLabels(labels(service))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Service")
                .withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(false)
                .build())
        .endMetadata()
        .withAddressType(family)
        .withPorts(ports)
        .withEndpoints(endpoints)
        .build();
  }

  /**
   * The Service's labels (its {@code service-proxy-name} among them, which keeps kube-proxy away
   * from these slices) and the reserved ones.
   */
  static Map<String, String> labels(Service service) {
    Map<String, String> out = new TreeMap<>();
    Map<String, String> own = service.getMetadata().getLabels();
    if (own != null) {
      own.forEach(
          (k, v) -> {
            if (!k.equals(ServiceNetworks.SERVICE_NAME_LABEL)
                && !k.equals(ServiceNetworks.MANAGED_BY_LABEL)
                && !k.equals(ServiceNetworks.HEADLESS_LABEL)) {
              out.put(k, v);
            }
          });
    }
    out.put(ServiceNetworks.SERVICE_NAME_LABEL, service.getMetadata().getName());
    out.put(ServiceNetworks.MANAGED_BY_LABEL, ServiceNetworks.MANAGED_BY);
    if (ServiceNetworks.headless(service)) {
      out.put(ServiceNetworks.HEADLESS_LABEL, "");
    }
    return out;
  }

  private static String portKey(List<EndpointPort> ports) {
    var sb = new StringBuilder();
    ports.stream()
        .sorted(Comparator.comparing(EndpointPort::getName))
        .forEach(
            p ->
                sb.append(p.getName())
                    .append('/')
                    .append(p.getProtocol())
                    .append('/')
                    .append(p.getPort())
                    .append(';'));
    return sb.toString();
  }

  private static String hash(String key) {
    return String.format("%08x", key.hashCode());
  }
}
