package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.Node;
import io.multihome.api.read.MetaMaps;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the rollout needs to know about one node that matches a policy.
 *
 * @param agentExpiry when the node's agent lease runs out, empty without a live lease
 */
public record NodeFacts(Node node, boolean ready, Optional<Instant> agentExpiry) {

  public String name() {
    return node.getMetadata().getName();
  }

  public boolean hasAgent() {
    return agentExpiry.isPresent();
  }

  /** Granted, pended and aborted only when Ready with a live agent. */
  public boolean eligible() {
    return ready && hasAgent();
  }

  /**
   * Equality-only AND match, as upstream: every selector label must be present and equal. A null
   * value (what a merge-patch removal leaves in a lenient store) is no label, on either side.
   */
  public static boolean matches(Map<String, String> selector, Node node) {
    var wanted = MetaMaps.present(selector);
    if (wanted.isEmpty()) {
      return true;
    }
    var labels = MetaMaps.labels(node);
    for (var e : wanted.entrySet()) {
      if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  public static boolean isReady(Node node) {
    var status = node.getStatus();
    if (status == null || status.getConditions() == null) {
      return false;
    }
    for (var c : status.getConditions()) {
      if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }
}
