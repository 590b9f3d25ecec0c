package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * KubeVirt bridge-marker's node resources: one {@code bridge.network.kubevirt.io/<bridge>} of count
 * 1000 per Linux bridge, and the JSON patch that takes a node's status there. The patch names only
 * this prefix's keys, so whatever else the node reports (cpu, memory, device plugins' {@code
 * openshift.io/*}) is never rewritten. Upstream writes capacity only and relies on the kubelet to
 * copy it into allocatable; both are written here so that a scheduler reading allocatable (the
 * lab's, or a real one before the kubelet's next status sync) sees the bridge at once. The kubelet
 * computes the same allocatable, so the two never fight.
 */
final class BridgeResources {
  static final String PREFIX = "bridge.network.kubevirt.io/";

  /** "Kubernetes API does not support infinite resources", upstream's comment on this value. */
  static final String COUNT = "1000";

  /** The name part of a qualified name, which an extended resource name must be. */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private BridgeResources() {}

  /**
   * Whether {@code bridge} can be a resource name. Linux allows names (say {@code br@1}) the API
   * server would reject, and one rejected key fails the whole patch: such bridges are left out.
   */
  static boolean publishable(String bridge) {
    return NAME.matcher(bridge).matches();
  }

  /** The JSON patch (RFC 6902) from {@code status} to one that lists exactly {@code bridges}. */
  static ArrayNode patch(Set<String> bridges, NodeStatus status) {
    var ops = JsonNodeFactory.instance.arrayNode();
    if (status == null) {
      ops.addObject().put("op", "add").put("path", "/status").putObject("value");
    }
    var wanted = new TreeSet<String>();
    bridges.stream().filter(BridgeResources::publishable).forEach(wanted::add);
    diff(ops, "capacity", status == null ? null : status.getCapacity(), wanted);
    diff(ops, "allocatable", status == null ? null : status.getAllocatable(), wanted);
    return ops;
  }

  private static void diff(
      ArrayNode ops, String field, Map<String, Quantity> current, Set<String> wanted) {
    String base = "/status/" + field;
    // An empty map is absent on the wire (omitempty), where adding a key into it would fail.
    if (current == null || current.isEmpty()) {
      if (wanted.isEmpty()) {
        return;
      }
      ops.addObject().put("op", "add").put("path", base).putObject("value");
    }
    for (var bridge : wanted) {
      var have = current == null ? null : current.get(PREFIX + bridge);
      if (have == null || !COUNT.equals(have.toString())) {
        ops.addObject()
            .put("op", "add")
            .put("path", base + "/" + pointer(PREFIX + bridge))
            .put("value", COUNT);
      }
    }
    if (current != null) {
      for (var key : new TreeSet<>(current.keySet())) {
        if (key.startsWith(PREFIX) && !wanted.contains(key.substring(PREFIX.length()))) {
          ops.addObject().put("op", "remove").put("path", base + "/" + pointer(key));
        }
      }
    }
  }

  /** The bridges {@code status} advertises (from capacity). */
  static Set<String> advertised(NodeStatus status) {
    var out = new TreeSet<String>();
    if (status != null && status.getCapacity() != null) {
      for (var key : status.getCapacity().keySet()) {
        if (key.startsWith(PREFIX)) {
          out.add(key.substring(PREFIX.length()));
        }
      }
    }
    return out;
  }

  /** RFC 6901 escaping of one reference token. */
  static String pointer(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
