package io.multihome.sriov.sysfs;

import java.util.List;
import java.util.Optional;

/**
 * An SR-IOV capable PCI network function (a PF) with its VFs.
 *
 * @param vendor PCI vendor id, four lower-case hex digits without 0x (as policies write it)
 * @param deviceId PCI device id, same format
 * @param netdev empty when the PF has no netdev (e.g. bound to vfio-pci or unbound)
 */
public record PfRecord(
    String pciAddress,
    String vendor,
    String deviceId,
    Optional<String> driver,
    int totalVfs,
    int numVfs,
    Optional<NetdevRecord> netdev,
    List<VfRecord> vfs) {
  public PfRecord {
    vfs = List.copyOf(vfs);
  }

  public Optional<String> netdevName() {
    return netdev.map(NetdevRecord::name);
  }
}
