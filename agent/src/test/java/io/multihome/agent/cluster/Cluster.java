package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactmentStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test helpers acting as the policy controller on the mock API server. */
final class Cluster {
  static final ObjectMapper JSON = new ObjectMapper();

  private Cluster() {}

  static void node(KubernetesClient client, String name) {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** A Node with {@code capacity} and {@code allocatable} in its status, as a kubelet reports. */
  static void node(
      KubernetesClient client,
      String name,
      Map<String, String> capacity,
      Map<String, String> allocatable) {
    var status = new NodeStatus();
    status.setCapacity(quantities(capacity));
    status.setAllocatable(quantities(allocatable));
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStatus(status)
                .build())
        .create();
  }

  private static Map<String, Quantity> quantities(Map<String, String> amounts) {
    var out = new HashMap<String, Quantity>();
    amounts.forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }

  static ObjectNode bridge(String name, String cidr) {
    var parts = cidr.split("/");
    var state = JSON.createObjectNode();
    var iface = state.putArray("interfaces").addObject();
    iface.put("name", name).put("type", "linux-bridge").put("state", "up");
    var v4 = iface.putObject("ipv4");
    v4.put("enabled", true);
    v4.putArray("address")
        .addObject()
        .put("ip", parts[0])
        .put("prefix-length", Integer.parseInt(parts[1]));
    return state;
  }

  /** Creates the NNCE {@code node.policy} as the controller would, granted when {@code grant}. */
  static NodeNetworkConfigurationEnactment enactment(
      KubernetesClient client,
      String node,
      String policy,
      long generation,
      ObjectNode desired,
      boolean grant) {
    var nnce = new NodeNetworkConfigurationEnactment();
    nnce.getMetadata().setName(NodeNetworkConfigurationEnactment.nameFor(node, policy));
    nnce.getMetadata().setLabels(Map.of(NmstateLabels.NODE, node, NmstateLabels.POLICY, policy));
    var annotations = new HashMap<String, String>();
    if (grant) {
      annotations.put(Grants.GRANT_ANNOTATION, Long.toString(generation));
    }
    nnce.getMetadata().setAnnotations(annotations);
    var created = client.resource(nnce).create();
    var status = new NodeNetworkConfigurationEnactmentStatus();
    status.setDesiredState(desired);
    status.setPolicyGeneration(generation);
    status.setConditions(allUnknown());
    created.setStatus(status);
    return client.resource(created).updateStatus();
  }

  /** Every NNCE condition type, Unknown: what the controller writes before the agent reports. */
  private static List<Condition> allUnknown() {
    var unknown = new ArrayList<Condition>();
    for (var t :
        List.of(
            ConditionTypes.AVAILABLE,
            ConditionTypes.FAILING,
            ConditionTypes.PROGRESSING,
            ConditionTypes.PENDING,
            ConditionTypes.ABORTED)) {
      unknown.add(new Condition(t, Condition.UNKNOWN, null, null));
    }
    return unknown;
  }

  /** Deletes the NNCE {@code name} and waits until the API server no longer has it. */
  static void delete(KubernetesClient client, String name) {
    var r = client.resources(NodeNetworkConfigurationEnactment.class).withName(name);
    r.delete();
    r.waitUntilCondition(java.util.Objects::isNull, 5, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * The controller's reset of an NNCE to a new policy generation: new desired state, conditions
   * Unknown, then the grant for the new generation.
   */
  static NodeNetworkConfigurationEnactment advance(
      KubernetesClient client, String name, long generation, ObjectNode desired) {
    var nnces = client.resources(NodeNetworkConfigurationEnactment.class);
    var current = nnces.withName(name).get();
    var status = new NodeNetworkConfigurationEnactmentStatus();
    status.setDesiredState(desired);
    status.setPolicyGeneration(generation);
    status.setRetryCount(current.getStatus().getRetryCount());
    status.setConditions(allUnknown());
    current.setStatus(status);
    var reset = client.resource(current).updateStatus();
    reset.getMetadata().getAnnotations().put(Grants.GRANT_ANNOTATION, Long.toString(generation));
    return client.resource(reset).update();
  }

  static NodeNetworkConfigurationEnactment get(KubernetesClient client, String name) {
    return client.resources(NodeNetworkConfigurationEnactment.class).withName(name).get();
  }

  /** The type of the True condition, or "none". */
  static String trueType(NodeNetworkConfigurationEnactment nnce) {
    if (nnce == null || nnce.getStatus() == null || nnce.getStatus().getConditions() == null) {
      return "none";
    }
    return nnce.getStatus().getConditions().stream()
        .filter(c -> Condition.TRUE.equals(c.getStatus()))
        .map(Condition::getType)
        .findFirst()
        .orElse("none");
  }

  /** The NNCE's condition {@code type}; an {@link AssertionError} (awaits retry it) if none. */
  static Condition condition(NodeNetworkConfigurationEnactment nnce, String type) {
    var status = nnce == null ? null : nnce.getStatus();
    var c = status == null ? null : EnactmentRows.find(status.getConditions(), type);
    if (c == null) {
      throw new AssertionError("no " + type + " condition in " + (status == null ? nnce : status));
    }
    return c;
  }
}
