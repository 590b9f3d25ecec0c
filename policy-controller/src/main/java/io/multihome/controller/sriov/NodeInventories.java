package io.multihome.controller.sriov;

import io.fabric8.kubernetes.api.model.Node;
import io.multihome.api.read.MetaMaps;
import io.multihome.api.read.ReadReport;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.sriov.policy.NodeInventory;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Joins nodes (labels) with their node states (PFs the agent reported). */
public final class NodeInventories {
  private NodeInventories() {}

  public static List<NodeInventory> of(
      Collection<Node> nodes, Collection<SriovNetworkNodeState> states) {
    Map<String, SriovNetworkNodeState> byName =
        states.stream()
            .collect(
                Collectors.toMap(s -> s.getMetadata().getName(), Function.identity(), (a, b) -> a));
    return nodes.stream()
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .map(n -> of(n, byName.get(n.getMetadata().getName())))
        .sorted(Comparator.comparing(NodeInventory::name))
        .toList();
  }

  /** A state whose status cannot be read as a whole says nothing about the node's PFs. */
  private static boolean readable(SriovNetworkNodeState state) {
    return ReadReport.of(state).problemsUnder("status").isEmpty();
  }

  public static NodeInventory of(Node node, SriovNetworkNodeState state) {
    var status = state == null || !readable(state) ? null : state.getStatus();
    return new NodeInventory(
        node.getMetadata().getName(),
        MetaMaps.labels(node),
        status == null ? null : status.getInterfaces());
  }

  /** Upstream leaves a spec alone until the agent has reported the node's PFs at least once. */
  public static boolean hasReported(SriovNetworkNodeState state) {
    return state != null
        && readable(state)
        && state.getStatus() != null
        && state.getStatus().getInterfaces() != null
        && !state.getStatus().getInterfaces().isEmpty();
  }
}
