package io.multihome.agent.cni.sriov;

import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Vf;
import java.util.function.Supplier;

/** {@link VfControl} over rtnetlink (IFLA_VFINFO_LIST), in the namespace the PF lives in. */
public final class NetlinkVfControl implements VfControl {

  private final Supplier<NetNs> nodeNamespace;

  /**
   * @param nodeNamespace opens the PF's namespace; each call closes what it opened
   */
  public NetlinkVfControl(Supplier<NetNs> nodeNamespace) {
    this.nodeNamespace = nodeNamespace;
  }

  @Override
  public Vf read(String pfName, int vfIndex) {
    try (NetNs ns = nodeNamespace.get();
        RtNetlink nl = RtNetlink.open(ns)) {
      var vfs = nl.links().get(pfName).vfs();
      return (vfs == null ? java.util.List.<Vf>of() : vfs)
          .stream()
              .filter(v -> v.vf() == vfIndex)
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("PF " + pfName + " reports no VF " + vfIndex));
    }
  }

  @Override
  public void apply(String pfName, Vf settings) {
    try (NetNs ns = nodeNamespace.get();
        RtNetlink nl = RtNetlink.open(ns)) {
      nl.links().setVf(pfName, settings);
    }
  }
}
