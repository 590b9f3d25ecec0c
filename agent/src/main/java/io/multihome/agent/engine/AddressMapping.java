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

  /**
   * Not configuration: IPv6 link-local addresses (the kernel makes them when a link comes up) and
   * dynamic ones (finite lifetime: a DHCP lease's, or autoconf's), which their client keeps.
   */
  static boolean isAutomatic(Address a) {
    return isLinkLocal(a) || a.dynamic();
  }

  /** A permanent IPv6 link-local address: the kernel's, put back when a link is recreated. */
  static boolean isLinkLocal(Address a) {
    return a.family() == Rtnl.AF_INET6
        && !a.dynamic()
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
