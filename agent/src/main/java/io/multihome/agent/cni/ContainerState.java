package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What was (or is about to be) attached to one sandbox. {@code results.get(i)} is the ADD result of
 * {@code delegates.get(i)}, null until that delegate succeeded.
 */
public record ContainerState(
    String containerId,
    String netns,
    PodRef pod,
    String cniArgs,
    List<Delegate> delegates,
    List<ObjectNode> results) {

  public ContainerState {
    delegates = List.copyOf(delegates);
    results = new ArrayList<>(results); // nulls allowed: not yet added
  }

  public static ContainerState planned(
      String containerId, String netns, PodRef pod, String cniArgs, List<Delegate> delegates) {
    var empty = new ArrayList<ObjectNode>();
    delegates.forEach(d -> empty.add(null));
    return new ContainerState(containerId, netns, pod, cniArgs, delegates, empty);
  }

  /** DEL uses the runtime's current CNI_NETNS (may be empty once the sandbox is gone). */
  public ContainerState withNetns(String newNetns) {
    return new ContainerState(containerId, newNetns, pod, cniArgs, delegates, results);
  }

  public ContainerState withResult(int index, ObjectNode result) {
    var copy = new ArrayList<>(results);
    copy.set(index, result);
    return new ContainerState(containerId, netns, pod, cniArgs, delegates, copy);
  }
}
