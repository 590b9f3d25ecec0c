package io.multihome.agent.sriov;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Vf;
import io.multihome.sriov.sysfs.VfLinkConfigurator;

/**
 * The provisioner's netlink seam on real SR-IOV hardware: the VF admin MAC is set through the PF
 * ({@code IFLA_VF_MAC} in {@code IFLA_VFINFO_LIST}, as {@code ip link set PF vf N mac M}), links
 * are set up with RTM_NEWLINK. Works in one namespace: the node's (null) or a named one.
 */
public final class NetlinkVfConfigurator implements VfLinkConfigurator, AutoCloseable {
  private final RtNetlink nl;

  public NetlinkVfConfigurator(RtNetlink nl) {
    this.nl = nl;
  }

  /** In the named namespace, or the agent's own when {@code netns} is null. */
  public static NetlinkVfConfigurator open(String netns) {
    return new NetlinkVfConfigurator(netns == null ? RtNetlink.open() : RtNetlink.openNamed(netns));
  }

  @Override
  public void setVfAdminMac(String pfName, int vfId, String mac) {
    nl.execute(adminMacRequest(pfName, vfId, mac));
  }

  @Override
  public void setLinkUp(String ifName) {
    nl.links().setUp(ifName);
  }

  /** The request {@link #setVfAdminMac} sends; bad input fails here, before anything is sent. */
  static Request adminMacRequest(String pfName, int vfId, String mac) {
    if (vfId < 0) {
      throw new IllegalArgumentException("vfId: must be >= 0, got " + vfId);
    }
    HwAddr addr;
    try {
      addr = HwAddr.parse(mac);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("mac: invalid '" + mac + "' for VF " + vfId, e);
    }
    return LinkOps.vfRequest(pfName, Vf.of(vfId).withMac(addr));
  }

  @Override
  public void close() {
    nl.close();
  }
}
