package io.multihome.agent.netlink;

import io.multihome.agent.netlink.LinkKind.Bond;
import io.multihome.agent.netlink.LinkKind.BondMode;
import io.multihome.agent.netlink.LinkKind.Bridge;
import io.multihome.agent.netlink.LinkKind.Dummy;
import io.multihome.agent.netlink.LinkKind.Veth;
import io.multihome.agent.netlink.LinkKind.Vlan;

/**
 * What link kinds this kernel can create, found by trying each in a namespace the caller owns
 * (every probe link is deleted again). Tests use it to skip with the missing feature's name.
 */
public record KernelFeatures(
    boolean vlan, boolean dummy, boolean bond, boolean bridgeVlanFiltering) {

  /** Probes inside the namespace {@code nl} is bound to; leaves it as it was. */
  public static KernelFeatures probe(RtNetlink nl) {
    LinkOps links = nl.links();
    boolean dummy = tryAdd(links, LinkSpec.of("mhprobe-d", new Dummy()));
    boolean bond = tryAdd(links, LinkSpec.of("mhprobe-b", Bond.of(BondMode.ACTIVE_BACKUP)));
    boolean vlan = false;
    if (tryAdd(links, LinkSpec.of("mhprobe-v0", Veth.peer("mhprobe-v1")))) {
      int parent = links.get("mhprobe-v0").index();
      vlan = tryAdd(links, LinkSpec.of("mhprobe-vl", new Vlan(10, null)).withParent(parent));
      links.delete("mhprobe-v0");
    }
    boolean filtering = false;
    var br = new Bridge(null, null, null, null, null, null, true, null, null, null);
    if (tryAdd(links, LinkSpec.of("mhprobe-br", br))) {
      filtering = Boolean.TRUE.equals(((Bridge) links.get("mhprobe-br").kind()).vlanFiltering());
      links.delete("mhprobe-br");
    }
    if (dummy) {
      links.delete("mhprobe-d");
    }
    if (bond) {
      links.delete("mhprobe-b");
    }
    return new KernelFeatures(vlan, dummy, bond, filtering);
  }

  private static boolean tryAdd(LinkOps links, LinkSpec spec) {
    try {
      links.add(spec);
      return true;
    } catch (NetlinkException e) {
      if (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.EINVAL || e.errno() == Errno.ENOENT) {
        return false;
      }
      throw e;
    }
  }

  public String missing() {
    var sb = new StringBuilder();
    if (!vlan) sb.append("802.1q vlan devices, ");
    if (!dummy) sb.append("dummy, ");
    if (!bond) sb.append("bonding, ");
    if (!bridgeVlanFiltering) sb.append("bridge vlan_filtering, ");
    return sb.isEmpty() ? "nothing" : sb.substring(0, sb.length() - 2);
  }
}
