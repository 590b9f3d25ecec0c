package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.device.NodeDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * What was (or is about to be) attached to one sandbox. {@code results.get(i)} is the ADD result of
 * {@code delegates.get(i)}, null until that delegate succeeded; {@code nodeDevices.get(i)} the node
 * device it takes (host-device, sriov) as it was before, null when it takes none.
 */
public record ContainerState(
    String containerId,
    String netns,
    PodRef pod,
    String cniArgs,
    List<Delegate> delegates,
    List<ObjectNode> results,
    List<NodeDevice> nodeDevices) {

  public ContainerState {
    delegates = List.copyOf(delegates);
    results = new ArrayList<>(results); // nulls allowed: not yet added
    var devices = new ArrayList<NodeDevice>();
    for (int i = 0; i < delegates.size(); i++) {
      // State files written before node devices were recorded have none.
      devices.add(nodeDevices != null && i < nodeDevices.size() ? nodeDevices.get(i) : null);
    }
    nodeDevices = devices;
  }

  public ContainerState(
      String containerId,
      String netns,
      PodRef pod,
      String cniArgs,
      List<Delegate> delegates,
      List<ObjectNode> results) {
    this(containerId, netns, pod, cniArgs, delegates, results, null);
  }

  public static ContainerState planned(
      String containerId, String netns, PodRef pod, String cniArgs, List<Delegate> delegates) {
    var empty = new ArrayList<ObjectNode>();
    delegates.forEach(d -> empty.add(null));
    return new ContainerState(containerId, netns, pod, cniArgs, delegates, empty);
  }

  /** DEL uses the runtime's current CNI_NETNS (may be empty once the sandbox is gone). */
  public ContainerState withNetns(String newNetns) {
    return new ContainerState(containerId, newNetns, pod, cniArgs, delegates, results, nodeDevices);
  }

  public ContainerState withResult(int index, ObjectNode result) {
    var copy = new ArrayList<>(results);
    copy.set(index, result);
    return new ContainerState(containerId, netns, pod, cniArgs, delegates, copy, nodeDevices);
  }

  public ContainerState withNodeDevices(List<NodeDevice> devices) {
    return new ContainerState(containerId, netns, pod, cniArgs, delegates, results, devices);
  }
}
