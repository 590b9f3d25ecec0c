package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a Node's status the kubelet owns: capacity and allocatable ({@code cpu}, {@code
 * memory}, {@code pods}, and every device-plugin resource registered on the node), addresses
 * (InternalIP, Hostname) and nodeInfo. Written with a JSON merge patch on the status, so resources
 * other components publish (the agent's bridge marker) stay; written again whenever a node update
 * shows it missing or different.
 */
final class NodeStatusPublisher {
  static final String MAX_PODS = "110";
  private static final Logger log = LoggerFactory.getLogger(NodeStatusPublisher.class);

  private final LabHost host;
  private final DeviceManager devices;
  private final Map<String, String> machine = machineCapacity();

  NodeStatusPublisher(LabHost host, DeviceManager devices) {
    this.host = host;
    this.devices = devices;
  }

  /** What capacity (and allocatable: the lab reserves nothing) should say for {@code node}. */
  Map<String, String> capacity(String node) {
    var out = new TreeMap<>(machine);
    devices.capacity(node).forEach((r, n) -> out.put(r, Integer.toString(n)));
    return out;
  }

  /** Patches {@code node}'s status when it lacks what the kubelet reports. */
  void ensure(Node node) {
    String name = node.getMetadata().getName();
    if (!host.nodes().contains(name) || upToDate(node)) {
      return;
    }
    var capacity = capacity(name);
    var addresses = new ArrayList<Map<String, String>>();
    host.nodeAddress(name)
        .ifPresent(ip -> addresses.add(Map.of("type", "InternalIP", "address", ip)));
    addresses.add(Map.of("type", "Hostname", "address", name));
    var status = new LinkedHashMap<String, Object>();
    status.put("capacity", capacity);
    status.put("allocatable", capacity);
    status.put("addresses", addresses);
    status.put("nodeInfo", nodeInfo());
    try {
      host.client()
          .nodes()
          .withName(name)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              host.client().getKubernetesSerialization().asJson(Map.of("status", status)));
    } catch (KubernetesClientException e) {
      log.warn("node {}: status not written: {}", name, e.getMessage());
    }
  }

  private boolean upToDate(Node node) {
    var s = node.getStatus();
    if (s == null || s.getNodeInfo() == null || s.getAddresses() == null) {
      return false;
    }
    if (host.nodeAddress(node.getMetadata().getName())
        .map(ip -> s.getAddresses().stream().noneMatch(a -> hasAddress(a, ip)))
        .orElse(false)) {
      return false;
    }
    for (var e : capacity(node.getMetadata().getName()).entrySet()) {
      if (!same(s.getCapacity(), e.getKey(), e.getValue())
          || !same(s.getAllocatable(), e.getKey(), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasAddress(NodeAddress a, String ip) {
    return "InternalIP".equals(a.getType()) && ip.equals(a.getAddress());
  }

  private static boolean same(Map<String, Quantity> have, String key, String want) {
    var q = have == null ? null : have.get(key);
    return q != null
        && Quantity.getAmountInBytes(q).compareTo(Quantity.getAmountInBytes(new Quantity(want)))
            == 0;
  }

  private static Map<String, String> nodeInfo() {
    var info = new LinkedHashMap<String, String>();
    info.put("architecture", arch());
    info.put("operatingSystem", "linux");
    info.put("kernelVersion", System.getProperty("os.version", ""));
    info.put("osImage", osImage());
    info.put("containerRuntimeVersion", "cri-o://multihome-lab");
    info.put("kubeletVersion", "v1.32.0-multihome-lab");
    info.put("kubeProxyVersion", "");
    info.put("machineID", "");
    info.put("systemUUID", "");
    info.put("bootID", "");
    return info;
  }

  private static String arch() {
    String a = System.getProperty("os.arch", "");
    return switch (a) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> a;
    };
  }

  private static String osImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      log.debug("/etc/os-release: {}", e.toString());
    }
    return "Linux";
  }

  /** The machine's CPUs and memory (every lab node shares them) and the kubelet's pod limit. */
  private static Map<String, String> machineCapacity() {
    var out = new TreeMap<String, String>();
    out.put("cpu", Integer.toString(Runtime.getRuntime().availableProcessors()));
    out.put("pods", MAX_PODS);
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          String kb = line.replaceAll("[^0-9]", "");
          out.put("memory", kb + "Ki");
        }
      }
    } catch (IOException e) {
      log.debug("/proc/meminfo: {}", e.toString());
    }
    return out;
  }
}
