package io.multihome.agent.sriov;

import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.VirtualFunction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds the netlink-only facts to the sysfs-derived {@code status.interfaces}: PF altnames, each
 * VF's VLAN, and the VF's admin MAC when the VF has no netdev to read a MAC from (e.g. bound to
 * vfio-pci), which is what upstream reports too.
 */
final class StatusEnricher {
  private StatusEnricher() {}

  static List<InterfaceExt> enrich(List<InterfaceExt> pfs, Map<String, LinkDetails> links) {
    for (InterfaceExt pf : pfs) {
      LinkDetails details = pf.getName() == null ? null : links.get(pf.getName());
      if (details == null) {
        continue;
      }
      if (!details.altNames().isEmpty()) {
        pf.setAltNames(details.altNames());
      }
      if (pf.getVfs() == null) {
        continue;
      }
      for (VirtualFunction vf : pf.getVfs()) {
        vfInfo(details, vf.getVfID())
            .ifPresent(
                info -> {
                  if (info.vlan() != null) {
                    vf.setVlan(info.vlan());
                  }
                  if (vf.getMac() == null && info.adminMac() != null) {
                    vf.setMac(info.adminMac());
                  }
                });
      }
    }
    return pfs;
  }

  private static Optional<LinkDetails.VfInfo> vfInfo(LinkDetails pf, Integer vfId) {
    if (vfId == null) {
      return Optional.empty();
    }
    return pf.vfs().stream().filter(v -> v.vfId() == vfId).findFirst();
  }
}
