package io.multihome.agent.engine;

import io.multihome.agent.netlink.Address;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.state.IpConfig;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;

/** Static addresses between the model and the kernel. */
final class AddressMapping {
  private AddressMapping() {}

  /** IPv6 link-local addresses are made by the kernel when a link comes up, not configured. */
  static boolean isAutomatic(Address a) {
    return a.family() == Rtnl.AF_INET6
        && a.local().address() instanceof Inet6Address v6
        && v6.isLinkLocalAddress();
  }

  /** The configured (non-automatic) addresses of one family, in kernel order. */
  static List<IpPrefix> configured(List<Address> addrs, int family) {
    var out = new ArrayList<IpPrefix>();
    for (var a : addrs) {
      if (a.family() == family && !isAutomatic(a)) {
        out.add(a.local());
      }
    }
    return out;
  }

  static List<IpPrefix> toPrefixes(List<IpConfig.Address> list) {
    var out = new ArrayList<IpPrefix>();
    for (var a : list) {
      out.add(new IpPrefix(IpPrefix.parseAddress(a.ip()), a.prefixLength()));
    }
    return out;
  }
}
