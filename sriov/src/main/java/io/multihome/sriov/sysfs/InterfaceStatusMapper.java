package io.multihome.sriov.sysfs;

import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.VirtualFunction;
import java.util.List;
import java.util.Set;

/**
 * Turns discovered PFs into {@code SriovNetworkNodeState.status.interfaces}. Fields only netlink
 * knows (altNames, VF VLAN, eswitch mode) stay unset for the agent to fill in.
 */
public final class InterfaceStatusMapper {
  private InterfaceStatusMapper() {}

  /**
   * @param externallyManaged PCI addresses the current spec marks externally managed
   */
  public static List<InterfaceExt> toStatus(List<PfRecord> pfs, Set<String> externallyManaged) {
    return pfs.stream()
        .map(pf -> toStatus(pf, externallyManaged.contains(pf.pciAddress())))
        .toList();
  }

  public static InterfaceExt toStatus(PfRecord pf, boolean externallyManaged) {
    var out = new InterfaceExt();
    out.setPciAddress(pf.pciAddress());
    out.setVendor(pf.vendor());
    out.setDeviceID(pf.deviceId());
    pf.driver().ifPresent(out::setDriver);
    out.setTotalVfs(pf.totalVfs());
    out.setNumVfs(pf.numVfs());
    out.setExternallyManaged(externallyManaged);
    pf.netdev()
        .ifPresent(
            nd -> {
              out.setName(nd.name());
              out.setMtu(nd.mtu());
              out.setMac(nd.mac());
              out.setLinkType(nd.linkTypeName());
              out.setLinkAdminState(nd.operState().equals("down") ? "down" : "up");
              if (nd.speedMbps() > 0) {
                out.setLinkSpeed(nd.speedMbps() + " Mb/s");
              }
            });
    out.setVfs(pf.vfs().stream().map(InterfaceStatusMapper::toStatus).toList());
    return out;
  }

  private static VirtualFunction toStatus(VfRecord vf) {
    var out = new VirtualFunction();
    out.setVfID(vf.vfId());
    out.setPciAddress(vf.pciAddress());
    out.setVendor(vf.vendor());
    out.setDeviceID(vf.deviceId());
    vf.driver().ifPresent(out::setDriver);
    vf.netdev()
        .ifPresent(
            nd -> {
              out.setName(nd.name());
              out.setMac(nd.mac());
              out.setMtu(nd.mtu());
            });
    return out;
  }
}
