package io.multihome.agent.cni.daemon;

import io.multihome.agent.cni.PodRef;
import java.util.List;

/**
 * Kubernetes Events about a pod's attachments, as Multus emits them. Best effort: implementations
 * must not throw and should not block the CNI request (an Event is information, not state).
 */
public interface PodEvents {

  /** Normal {@code AddedInterface}: {@code Add <ifname> [<cidrs>] from <network>}. */
  void addedInterface(PodRef pod, String ifname, List<String> cidrs, String network);

  /** Warning {@code NoNetworkFound}: a selected NAD does not exist. */
  void noNetworkFound(PodRef pod, String message);

  /**
   * Warning {@code FailedDeleteInterface}: one attachment's DEL failed (the others were deleted and
   * the pod's state removed anyway, so the runtime's retry does not run it again).
   */
  default void deleteFailed(PodRef pod, String ifname, String network, String message) {}

  static PodEvents none() {
    return new PodEvents() {
      @Override
      public void addedInterface(PodRef pod, String ifname, List<String> cidrs, String network) {}

      @Override
      public void noNetworkFound(PodRef pod, String message) {}
    };
  }
}
