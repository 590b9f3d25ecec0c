package io.multihome.agent.cluster.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.multihome.api.nad.ServiceNetworkNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders one pod's rules from the Services, their EndpointSlices and the pod's attachments (no
 * I/O). For every non-headless Service on a network the pod is attached to and every cluster IP of
 * a family the pod has an address of on that network: packets the pod sends to {@code clusterIP:
 * port} are DNATed to one of the ready endpoints, picked by {@code numgen random mod N} (each with
 * probability 1/N); without ready endpoints, serving-and-terminating ones are used (as kube-proxy);
 * without any, the connection is refused at once instead of timing out.
 */
public final class ServiceRules {

  public static final String TABLE = "multihome_services";

  private ServiceRules() {}

  /** The rules of the pod whose attachments are {@code attachments} (all in one namespace). */
  public static PodRules render(
      List<Service> services, List<EndpointSlice> slices, List<PodAttachment> attachments) {
    var rules = new StringBuilder();
    var chains = new StringBuilder();
    Map<String, PodRules.ClusterIpRoute> routes = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    int[] next = {0};
    for (PodAttachment a : attachments) {
      for (Service s : services) {
        if (!serves(s, a.network()) || !seen.add(key(s))) {
          continue;
        }
        for (String clusterIp : clusterIps(s)) {
          boolean v6 = clusterIp.contains(":");
          String source = a.address(v6);
          if (source == null) {
            continue; // no address of that family on this network: nothing could answer
          }
          routes.putIfAbsent(clusterIp, new PodRules.ClusterIpRoute(clusterIp, a.ifname(), source));
          for (ServicePort port : s.getSpec().getPorts()) {
            renderPort(
                next[0]++, clusterIp, v6, port, endpoints(s, slices, v6, port), rules, chains);
          }
        }
      }
    }
    if (routes.isEmpty()) {
      return PodRules.NONE;
    }
    String script =
        "table inet "
            + TABLE
            + "\ndelete table inet "
            + TABLE
            + "\ntable inet "
            + TABLE
            + " {\n  chain output {\n    type nat hook output priority -100; policy accept;\n"
            + rules
            + "  }\n"
            + chains
            + "}\n";
    return new PodRules(script, new ArrayList<>(routes.values()));
  }

  /** The nft input that removes the table (absent is fine). */
  public static String removal() {
    return "table inet " + TABLE + "\ndelete table inet " + TABLE + "\n";
  }

  private static void renderPort(
      int n,
      String clusterIp,
      boolean v6,
      ServicePort port,
      List<String> targets,
      StringBuilder rules,
      StringBuilder chains) {
    String proto =
        (port.getProtocol() == null ? "TCP" : port.getProtocol()).toLowerCase(Locale.ROOT);
    String family = v6 ? "ip6" : "ip";
    String match = family + " daddr " + clusterIp + " " + proto + " dport " + port.getPort();
    if (targets.isEmpty()) {
      rules
          .append("    ")
          .append(match)
          .append(proto.equals("tcp") ? " reject with tcp reset\n" : " reject\n");
      return;
    }
    String id = Integer.toString(n);
    rules.append("    ").append(match).append(" goto svc_").append(id).append('\n');
    chains
        .append("  chain svc_")
        .append(id)
        .append(" {\n    numgen random mod ")
        .append(targets.size())
        .append(" vmap { ");
    for (int i = 0; i < targets.size(); i++) {
      chains
          .append(i == 0 ? "" : ", ")
          .append(i)
          .append(" : goto ep_")
          .append(id)
          .append('_')
          .append(i);
    }
    chains.append(" }\n  }\n");
    for (int i = 0; i < targets.size(); i++) {
      chains
          .append("  chain ep_")
          .append(id)
          .append('_')
          .append(i)
          .append(" {\n    meta l4proto ")
          .append(proto)
          .append(" dnat ")
          .append(family)
          .append(" to ")
          .append(targets.get(i))
          .append("\n  }\n");
    }
  }

  /** {@code address:port} (IPv6 {@code [address]:port}) of the usable endpoints, sorted. */
  static List<String> endpoints(Service s, List<EndpointSlice> slices, boolean v6, ServicePort sp) {
    String name = sp.getName() == null ? "" : sp.getName();
    String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
    List<String> ready = new ArrayList<>();
    List<String> fallback = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      if (!ownedBy(slice, s) || !(v6 ? "IPv6" : "IPv4").equals(slice.getAddressType())) {
        continue;
      }
      Integer target = null;
      for (EndpointPort p : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
        String pn = p.getName() == null ? "" : p.getName();
        String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
        if (pn.equals(name) && pp.equals(protocol) && p.getPort() != null) {
          target = p.getPort();
        }
      }
      if (target == null || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint e : slice.getEndpoints()) {
        if (e.getAddresses() == null || e.getAddresses().isEmpty()) {
          continue;
        }
        String address = e.getAddresses().get(0); // as kube-proxy: the first one counts
        String dest = v6 ? "[" + address + "]:" + target : address + ":" + target;
        var c = e.getConditions();
        boolean isReady = c == null || c.getReady() == null || c.getReady();
        boolean servingTerminating =
            c != null
                && Boolean.TRUE.equals(c.getServing())
                && Boolean.TRUE.equals(c.getTerminating());
        if (isReady && !ready.contains(dest)) {
          ready.add(dest);
        } else if (!isReady && servingTerminating && !fallback.contains(dest)) {
          fallback.add(dest);
        }
      }
    }
    List<String> out = ready.isEmpty() ? fallback : ready;
    out.sort(null);
    return out;
  }

  /** True when the Service is served on {@code network} by proxies (not headless, valid). */
  static boolean serves(Service s, String network) {
    var labels = s.getMetadata().getLabels();
    var annotations = s.getMetadata().getAnnotations();
    if (labels == null
        || !ServiceNetworkNames.PROXY_NAME.equals(labels.get(ServiceNetworkNames.PROXY_NAME_LABEL))
        || annotations == null
        || s.getSpec() == null
        || s.getSpec().getPorts() == null
        // A port number that could not be read (a lab's store keeps wrong types) would make the
        // pod's whole table invalid: such a Service is not served at all.
        || s.getSpec().getPorts().stream().anyMatch(p -> p == null || p.getPort() == null)
        || clusterIps(s).isEmpty()) {
      return false;
    }
    try {
      return ServiceNetworkNames.networks(
              annotations.get(ServiceNetworkNames.NETWORK_ANNOTATION),
              s.getMetadata().getNamespace())
          .contains(network);
    } catch (IllegalArgumentException bad) {
      return false; // the controller reports it; nothing to program
    }
  }

  /** The Service's cluster IPs; none for a headless Service (DNS only, no proxying). */
  static List<String> clusterIps(Service s) {
    List<String> ips = s.getSpec().getClusterIPs();
    if (ips == null || ips.isEmpty()) {
      ips = s.getSpec().getClusterIP() == null ? List.of() : List.of(s.getSpec().getClusterIP());
    }
    return ips.stream().filter(ip -> !ip.isEmpty() && !ip.equals("None")).toList();
  }

  private static boolean ownedBy(EndpointSlice slice, Service s) {
    var labels = slice.getMetadata().getLabels();
    return Objects.equals(slice.getMetadata().getNamespace(), s.getMetadata().getNamespace())
        && labels != null
        && s.getMetadata().getName().equals(labels.get(ServiceNetworkNames.SERVICE_NAME_LABEL));
  }

  private static String key(Service s) {
    return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
  }
}
