package io.multihome.agent.cni;

import java.util.List;

/**
 * The devices (PCI addresses) a device plugin allocated to a pod, per resource name — what a NAD
 * with the {@code k8s.v1.cni.cncf.io/resourceName} annotation turns into a {@code deviceID}.
 */
@FunctionalInterface
public interface DeviceIdSource {

  /** Sorted device IDs of {@code resourceName} allocated to the pod; empty when none. */
  List<String> deviceIds(String podUid, String resourceName);

  static DeviceIdSource none() {
    return (uid, resource) -> List.of();
  }
}
