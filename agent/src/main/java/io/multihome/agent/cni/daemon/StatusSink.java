package io.multihome.agent.cni.daemon;

import io.multihome.agent.cni.PodRef;

/**
 * Receives the network-status annotation value once per successful ADD. The cluster wiring writes
 * it to {@code pods/status}; failing to write must fail the ADD (NPWG §5, as Multus), so this may
 * throw.
 */
@FunctionalInterface
public interface StatusSink {
  void publish(PodRef pod, String networkStatus) throws Exception;
}
