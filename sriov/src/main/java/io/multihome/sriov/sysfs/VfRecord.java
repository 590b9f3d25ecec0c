package io.multihome.sriov.sysfs;

import java.util.Optional;

/**
 * A VF of a PF.
 *
 * @param driver bound driver, empty when unbound
 * @param netdev present only while a netdevice driver is bound
 */
public record VfRecord(
    int vfId,
    String pciAddress,
    String vendor,
    String deviceId,
    Optional<String> driver,
    Optional<NetdevRecord> netdev) {}
