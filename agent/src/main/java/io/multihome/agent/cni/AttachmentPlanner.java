package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.NetworkList;
import io.multihome.agent.cni.nad.NetworkResolver;
import io.multihome.agent.cni.nad.ResolvedNetwork;
import io.multihome.api.nad.selection.InvalidAnnotationException;
import io.multihome.api.nad.selection.NetworkSelection;
import io.multihome.api.nad.selection.NetworkSelectionParser;
import io.multihome.api.nad.selection.PortMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the delegate list of one pod: the cluster network first (or the pod's {@code
 * v1.multus-cni.io/default-network} override), then each selected network in annotation order (NPWG
 * §6.2). Everything that can be rejected is rejected here, before anything is created.
 */
public final class AttachmentPlanner {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  public static final String RESOURCE_NAME = "k8s.v1.cni.cncf.io/resourceName";

  private final NetworkResolver resolver;
  private final String agentNamespace;
  private final DeviceIdSource devices;

  /**
   * @param agentNamespace where the default-network override NAD is looked up when it names no
   *     namespace (Multus' {@code multusNamespace}, usually kube-system)
   */
  public AttachmentPlanner(NetworkResolver resolver, String agentNamespace) {
    this(resolver, agentNamespace, DeviceIdSource.none());
  }

  /**
   * @param devices device-plugin allocations: a NAD with {@code resourceName} gets the next unused
   *     device of that resource as {@code deviceID}, as Multus does
   */
  public AttachmentPlanner(
      NetworkResolver resolver, String agentNamespace, DeviceIdSource devices) {
    this.resolver = resolver;
    this.agentNamespace = agentNamespace;
    this.devices = devices;
  }

  /** The node's cluster network, from {@code 00-multihome.conflist}. */
  public record ClusterNetwork(String name, NetworkList config) {}

  /**
   * @param runtimeConfig the runtime's own {@code runtimeConfig} (e.g. kubelet portMappings); it
   *     goes to the cluster network only (NPWG §7.5)
   */
  public List<Delegate> plan(
      PodRef pod,
      Map<String, String> annotations,
      String runtimeIfname,
      ClusterNetwork cluster,
      ObjectNode runtimeConfig)
      throws CniException {
    List<NetworkSelection> selections;
    NetworkSelection override;
    try {
      override =
          NetworkSelectionParser.parseDefaultNetwork(
              annotations.get(NetworkSelectionParser.DEFAULT_NETWORK));
      selections =
          NetworkSelectionParser.parseNetworks(annotations.get(NetworkSelectionParser.NETWORKS));
    } catch (InvalidAnnotationException e) {
      throw new CniException(CniException.INVALID_CONFIG, "pod " + pod + ": " + e.getMessage());
    }
    var delegates = new ArrayList<Delegate>();
    delegates.add(clusterDelegate(pod, override, runtimeIfname, cluster, runtimeConfig));
    var taken = new HashMap<String, String>();
    var usedDevices = new HashMap<String, Integer>();
    taken.put(runtimeIfname, delegates.get(0).network());
    for (int i = 0; i < selections.size(); i++) {
      var selection = selections.get(i);
      String namespace = selection.namespace() == null ? pod.namespace() : selection.namespace();
      ResolvedNetwork network = resolver.resolve(namespace, selection.name(), pod.namespace());
      String ifname =
          selection.interfaceName() != null ? selection.interfaceName() : "net" + (i + 1);
      String previous = taken.putIfAbsent(ifname, network.qualifiedName());
      if (previous != null) {
        throw new CniException(
            CniException.INVALID_CONFIG,
            "pod "
                + pod
                + ": interface "
                + ifname
                + " for network "
                + network.qualifiedName()
                + " (element "
                + i
                + ") is already used by network "
                + previous);
      }
      delegates.add(
          selectedDelegate(
              network, selection, ifname, allocatedDevice(pod, network, selection, usedDevices)));
    }
    return delegates;
  }

  private Delegate clusterDelegate(
      PodRef pod,
      NetworkSelection override,
      String runtimeIfname,
      ClusterNetwork cluster,
      ObjectNode runtimeConfig)
      throws CniException {
    String name = cluster.name();
    NetworkList config = cluster.config();
    if (override != null) {
      String namespace = override.namespace() == null ? agentNamespace : override.namespace();
      // The override is an admin-level choice; isolation applies to the pod's own selections.
      ResolvedNetwork network = resolver.resolve(namespace, override.name(), namespace);
      name = network.qualifiedName();
      config = network.config();
    }
    return new Delegate(
        name,
        true,
        runtimeIfname,
        config.toJson().toString(),
        runtimeConfig == null ? F.objectNode() : runtimeConfig.deepCopy(),
        F.objectNode(),
        F.objectNode(),
        List.of(),
        null,
        null);
  }

  /**
   * The pod's own {@code deviceID} wins; otherwise the next device of the NAD's resource (sorted,
   * one per attachment, so two attachments to one SR-IOV NAD get two VFs). None found leaves it
   * unset, as Multus does: the plugin then names what is missing.
   */
  private String allocatedDevice(
      PodRef pod, ResolvedNetwork network, NetworkSelection selection, Map<String, Integer> used) {
    String resource = network.annotations().get(RESOURCE_NAME);
    if (selection.deviceId() != null || resource == null || pod.uid() == null) {
      return selection.deviceId();
    }
    List<String> ids = devices.deviceIds(pod.uid(), resource);
    int next = used.merge(resource, 1, Integer::sum) - 1;
    return next < ids.size() ? ids.get(next) : null;
  }

  private static Delegate selectedDelegate(
      ResolvedNetwork network, NetworkSelection selection, String ifname, String deviceId)
      throws CniException {
    NetworkList config = network.config();
    ObjectNode capabilities = F.objectNode();
    ObjectNode cniArgs = F.objectNode();
    ObjectNode topLevel = F.objectNode();
    if (selection.cniArgs() != null) {
      cniArgs.setAll(selection.cniArgs().deepCopy());
    }
    if (!selection.ips().isEmpty()) {
      ArrayNode ips = F.arrayNode();
      selection.ips().forEach(ips::add);
      capabilities.set("ips", ips);
      cniArgs.set("ips", ips.deepCopy());
    }
    if (selection.mac() != null) {
      capabilities.put("mac", selection.mac());
      cniArgs.put("mac", selection.mac());
    }
    if (!selection.portMappings().isEmpty()) {
      requireCapability(network, ifname, "portMappings");
      ArrayNode mappings = F.arrayNode();
      for (PortMapping m : selection.portMappings()) {
        ObjectNode entry = mappings.addObject();
        entry.put("hostPort", m.hostPort()).put("containerPort", m.containerPort());
        entry.put("protocol", m.protocol().toLowerCase(java.util.Locale.ROOT));
        if (m.hostIP() != null) {
          entry.put("hostIP", m.hostIP());
        }
      }
      capabilities.set("portMappings", mappings);
    }
    if (selection.bandwidth() != null) {
      requireCapability(network, ifname, "bandwidth");
      ObjectNode bw = capabilities.putObject("bandwidth");
      var b = selection.bandwidth();
      putIfSet(bw, "ingressRate", b.ingressRate());
      putIfSet(bw, "ingressBurst", b.ingressBurst());
      putIfSet(bw, "egressRate", b.egressRate());
      putIfSet(bw, "egressBurst", b.egressBurst());
    }
    if (selection.infinibandGuid() != null) {
      requireCapability(network, ifname, "infinibandGUID");
      capabilities.put("infinibandGUID", selection.infinibandGuid());
    }
    if (deviceId != null) {
      capabilities.put("deviceID", deviceId);
      topLevel.put("deviceID", deviceId);
      topLevel.put("pciBusID", deviceId);
    }
    return new Delegate(
        network.qualifiedName(),
        false,
        ifname,
        config.toJson().toString(),
        capabilities,
        cniArgs,
        topLevel,
        selection.ips(),
        selection.mac(),
        selection.defaultRoute());
  }

  // NPWG v1.1 §4.1.2: with no plugin able to honour the request the attachment must fail.
  private static void requireCapability(ResolvedNetwork network, String ifname, String capability)
      throws CniException {
    if (!network.config().hasCapability(capability)) {
      throw new CniException(
          CniException.REQUEST_NOT_HONOURED,
          "network "
              + network.qualifiedName()
              + " ("
              + ifname
              + "): the pod requests \""
              + capability
              + "\" but no plugin in the network's config declares capabilities."
              + capability);
    }
  }

  private static void putIfSet(ObjectNode node, String key, Long value) {
    if (value != null) {
      node.put(key, value);
    }
  }
}
