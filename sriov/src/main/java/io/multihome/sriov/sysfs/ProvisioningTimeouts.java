package io.multihome.sriov.sysfs;

import java.time.Duration;

/**
 * Bounds on waiting for the kernel.
 *
 * @param numVfsWrite one write to sriov_numvfs (i40e can block on "other operation is pending")
 * @param vfDevices all virtfn links after the write
 * @param vfNetdev a VF's netdev after its driver binds
 * @param poll how often to look again
 */
public record ProvisioningTimeouts(
    Duration numVfsWrite, Duration vfDevices, Duration vfNetdev, Duration poll) {
  /** Upstream's values: 2 min, 120 s, 10 s, polled every second. */
  public static ProvisioningTimeouts upstream() {
    return new ProvisioningTimeouts(
        Duration.ofMinutes(2),
        Duration.ofSeconds(120),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1));
  }
}
