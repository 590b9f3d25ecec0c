package io.multihome.agent.cni;

import io.multihome.agent.cni.daemon.PodEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code FailedDeleteInterface} warnings the CNI service reports, each as {@code <pod> <ifname>
 * <namespace>/<network>: <message>}; the other events are dropped.
 */
final class DeleteFailures implements PodEvents {
  final List<String> reported = new CopyOnWriteArrayList<>();

  @Override
  public void addedInterface(PodRef pod, String ifname, List<String> cidrs, String network) {}

  @Override
  public void noNetworkFound(PodRef pod, String message) {}

  @Override
  public void deleteFailed(PodRef pod, String ifname, String network, String message) {
    reported.add(pod.name() + " " + ifname + " " + network + ": " + message);
  }
}
