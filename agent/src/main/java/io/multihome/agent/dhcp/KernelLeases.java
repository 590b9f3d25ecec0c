package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.netlink.AddressOps;
import io.multihome.agent.netlink.Errno;
import io.multihome.agent.netlink.IfAddrMsg;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RouteOps;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a lease into the kernel as NetworkManager does: the address with the lease's lifetimes (so
 * the kernel drops it by itself at expiry even if the agent is gone, and {@code show} sees it as
 * dynamic), and the lease's routes with protocol {@code dhcp} (so the engine never takes them for
 * configuration) in {@code auto-route-table-id} with {@code auto-route-metric} (default 100, as
 * NetworkManager's for Ethernet, so a static default route with metric 0 is never replaced).
 */
final class KernelLeases {
  private static final Logger log = LoggerFactory.getLogger(KernelLeases.class);
  static final int PROT_DHCP = 16;
  static final int PROT_RA = 9;
  static final long DEFAULT_METRIC = 100;
  private static final int IFA_CACHEINFO = Rtnl.Ifa.CACHEINFO;
  private static final int IFA_F_NOPREFIXROUTE = 0x200;
  private static final int EADDRNOTAVAIL = 99;

  private final RtNetlink nl;

  KernelLeases(RtNetlink nl) {
    this.nl = nl;
  }

  /** The interface's index, or -1 when it does not exist. */
  int index(String name) {
    return nl.links().find(name).map(l -> l.index()).orElse(-1);
  }

  /** The interface's MAC (chaddr, client id), or six zero bytes when it has none. */
  byte[] mac(String name) {
    return nl.links()
        .find(name)
        .map(l -> l.mac() == null ? new byte[6] : l.mac().bytes())
        .orElse(new byte[6]);
  }

  /** Adds or refreshes {@code prefix} on {@code index} with finite lifetimes (seconds). */
  void address(int index, IpPrefix prefix, long valid, long preferred, boolean noPrefixRoute) {
    nl.execute(addressRequest(index, prefix, valid, preferred, noPrefixRoute));
  }

  static Request addressRequest(
      int index, IpPrefix p, long valid, long preferred, boolean noPrefixRoute) {
    return new Request(
        "address replace",
        p + " dev index " + index + " valid_lft " + valid,
        Rtnl.RTM_NEWADDR,
        Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE,
        b -> {
          new IfAddrMsg(p.family(), p.length(), 0, 0, index).write(b);
          b.attrAddress(Rtnl.Ifa.LOCAL, p.address());
          b.attrAddress(Rtnl.Ifa.ADDRESS, p.address());
          if (p.family() == Rtnl.AF_INET && p.length() < 31) {
            b.attrAddress(Rtnl.Ifa.BROADCAST, broadcast(p));
          }
          b.attr(
              IFA_CACHEINFO,
              ByteBuffer.allocate(16)
                  .order(ByteOrder.nativeOrder())
                  .putInt((int) clamp(preferred))
                  .putInt((int) clamp(valid))
                  .putInt(0)
                  .putInt(0)
                  .array());
          if (noPrefixRoute) {
            b.attr(
                Rtnl.Ifa.FLAGS,
                ByteBuffer.allocate(4)
                    .order(ByteOrder.nativeOrder())
                    .putInt(IFA_F_NOPREFIXROUTE)
                    .array());
          }
        });
  }

  private static long clamp(long seconds) {
    // 0xffffffff is "forever" to the kernel: a lease that long is infinite anyway.
    return Math.max(0, Math.min(seconds, 0xffffffffL));
  }

  private static InetAddress broadcast(IpPrefix p) {
    byte[] a = p.address().getAddress().clone();
    int host = 32 - p.length();
    long v =
        ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    v |= host == 0 ? 0 : (1L << host) - 1;
    return Dhcp4Message.v4(Dhcp4Option.u32(v));
  }

  /** Deletes {@code prefix} from {@code index}; gone already is fine. */
  void deleteAddress(int index, IpPrefix prefix) {
    try {
      nl.execute(AddressOps.deleteRequest(index, prefix));
    } catch (NetlinkException e) {
      if (e.errno() != EADDRNOTAVAIL && e.errno() != Errno.ENODEV) {
        throw e;
      }
    }
  }

  /** Adds {@code r}; one that exists already (ours from before, or someone's) is left alone. */
  void addRoute(Route r) {
    try {
      nl.execute(RouteOps.addRequest(r, false));
    } catch (NetlinkException e) {
      if (e.errno() == Errno.EEXIST) {
        return;
      }
      log.warn("route {}: {}", r, e.getMessage());
    }
  }

  void deleteRoute(Route r) {
    try {
      nl.execute(RouteOps.deleteRequest(r));
    } catch (NetlinkException e) {
      if (e.errno() != Errno.ESRCH && e.errno() != Errno.ENODEV) {
        log.debug("delete route {}: {}", r, e.getMessage());
      }
    }
  }

  /**
   * The routes a lease asks for under {@code v4}: with option 121 its routes (RFC 3442: options 3
   * and 33 are then ignored), else the router as default route plus option 33's routes. {@code
   * auto-routes: false} takes none, {@code auto-gateway: false} drops default routes.
   */
  static List<Route> routes(Lease4 lease, AutoIp.V4 v4, int index) {
    var out = new ArrayList<Route>();
    if (!v4.autoRoutes()) {
      return out;
    }
    int table = v4.tableId() == 0 ? Rtnl.Rta.TABLE_MAIN : (int) v4.tableId();
    int metric = (int) (v4.metric() == null ? DEFAULT_METRIC : v4.metric());
    var src = IpPrefix.parseAddress(lease.address());
    var hops = new ArrayList<Dhcp4Option.Route>(lease.routes());
    if (!lease.classless() && !lease.routers().isEmpty()) {
      hops.add(0, new Dhcp4Option.Route("0.0.0.0", 0, lease.routers().get(0)));
    }
    for (var h : hops) {
      if (h.prefix() == 0 && !v4.autoGateway()) {
        continue;
      }
      var dst = new IpPrefix(IpPrefix.parseAddress(h.destination()), h.prefix());
      var r = Route.to(dst).dev(index).table(table).metric(metric).protocol(PROT_DHCP).prefSrc(src);
      out.add(h.onLink() ? r.scope(Rtnl.Rta.SCOPE_LINK) : r.via(IpPrefix.parseAddress(h.router())));
    }
    return out;
  }
}
