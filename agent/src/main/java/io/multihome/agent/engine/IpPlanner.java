package io.multihome.agent.engine;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.InterfaceType;
import io.multihome.state.IpConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the IP of one listed interface: its address lists replace the node's, {@code enabled:
 * false} removes them (IPv6: disable_ipv6), a port holds none, {@code lo} keeps its own, and IPv6
 * link-local addresses are the kernel's.
 */
final class IpPlanner {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IpPlanner.class);

  private final PlanContext ctx;

  IpPlanner(PlanContext ctx) {
    this.ctx = ctx;
  }

  /**
   * A port holds no IP in nmstate (its addresses move to the controller, which the document gives):
   * a link that becomes a port loses its configured addresses (link-local ones stay).
   */
  void clearPortAddresses(NodeLink port) {
    if (port == null) {
      return;
    }
    for (var a : ctx.configuredAddresses(port)) {
      delAddress(
          port.name(),
          a,
          new Op.Diff(
              "interfaces[" + port.name() + "]." + (a.family() == Rtnl.AF_INET6 ? "ipv6" : "ipv4"),
              "no IP on a port",
              "has " + Ips.text(a)));
    }
  }

  private void delAddress(String name, IpPrefix a, Op.Diff diff) {
    if (ctx.planAddressDelete(name, a)) {
      ctx.add(new Op.DelAddress(name, a, diff));
    }
  }

  /**
   * Whether {@code d} is a port once the plan ran: its controller given, listed by a bridge or bond
   * of the document, or enslaved now and not released by the document.
   */
  private boolean staysOrBecomesPort(Interface d, NodeLink cur) {
    // An OVS internal port is its bridge's own device: its controller (as show prints it) is the
    // bridge, and on the kernel datapath it is enslaved to ovs-system, yet it carries IP.
    if (d instanceof Interface.OvsInterface
        || (cur != null && OvsHooks.kernelType(cur, ctx) == InterfaceType.OVS_INTERFACE)) {
      return false;
    }
    var want = d.common().controller();
    if (want != null) {
      // A VRF's ports keep their IP (a VRF is an L3 domain).
      return !want.isEmpty() && !ctx.isVrf(want);
    }
    if (ctx.enslavedByPlan(d.name())) {
      return true;
    }
    var master = cur == null ? null : ctx.nameOf(cur.link().masterIndex());
    return master != null
        && !ctx.isVrf(master)
        && !ctx.isDeleted(master)
        && !ctx.releasedByPlan(d.name(), master);
  }

  /** The {@code ipv4}/{@code ipv6} sections of {@code d}: addresses replace the node's. */
  void plan(Interface d, NodeLink cur, String at) {
    var c = d.common();
    if (staysOrBecomesPort(d, cur)) {
      for (var family : List.of("ipv4", "ipv6")) {
        var ip = family.equals("ipv4") ? c.ipv4() : c.ipv6();
        boolean wantsIp =
            ip != null
                && (Boolean.TRUE.equals(ip.enabled())
                    || (ip.enabled() == null
                        && (Boolean.TRUE.equals(ip.dhcp())
                            || (ip.address() != null && !ip.address().isEmpty()))));
        if (wantsIp) {
          ctx.problem(
              at + "." + family + ".enabled",
              d.name()
                  + " cannot have IP enabled as it is attached to a controller where IP is not"
                  + " allowed (a port of a bridge or bond); give the IP to the controller");
        }
      }
      clearPortAddresses(cur);
      // enabled: false still applies (disable_ipv6 on an L2-only port).
      if (c.ipv4() != null && Boolean.FALSE.equals(c.ipv4().enabled())) {
        family(d, c.ipv4(), cur, Rtnl.AF_INET, at + ".ipv4");
      }
      if (c.ipv6() != null && Boolean.FALSE.equals(c.ipv6().enabled())) {
        family(d, c.ipv6(), cur, Rtnl.AF_INET6, at + ".ipv6");
      }
      return;
    }
    family(d, c.ipv4(), cur, Rtnl.AF_INET, at + ".ipv4");
    family(d, c.ipv6(), cur, Rtnl.AF_INET6, at + ".ipv6");
  }

  private static final String LOOPBACK = "lo";

  private void family(Interface d, IpConfig ip, NodeLink cur, int family, String at) {
    var name = d.name();
    if (ip == null) {
      return;
    }
    boolean v6 = family == Rtnl.AF_INET6;
    var p = "interfaces[" + name + "]." + (v6 ? "ipv6" : "ipv4");
    boolean enabled = !Boolean.FALSE.equals(ip.enabled());
    if (ctx.noDynamicIp() != null && enabled && Boolean.TRUE.equals(ip.dhcp())) {
      ctx.problem(
          at + ".dhcp",
          "DHCP needs "
              + ctx.noDynamicIp()
              + ": set dhcp: false and list static addresses under address");
      return;
    }
    if (ctx.noDynamicIp() != null && enabled && Boolean.TRUE.equals(ip.autoconf())) {
      ctx.problem(
          at + ".autoconf",
          "IPv6 autoconf needs "
              + ctx.noDynamicIp()
              + ": set autoconf: false and list static addresses under address");
      return;
    }
    boolean disabledNow = cur != null && cur.ipv6Disabled();
    if (v6 && enabled == disabledNow && (cur != null || !enabled)) {
      ctx.add(
          new Op.SetIpv6(
              name, !enabled, new Op.Diff(p + ".enabled", "" + enabled, "" + !disabledNow)));
    }
    List<IpPrefix> want;
    if (!enabled) {
      // Disabling IPv6 flushes its addresses in the kernel; IPv4 has no switch, so remove them.
      want = v6 ? null : List.of();
    } else if (ip.address() != null) {
      // Dynamic entries (with lifetimes, copied from show) are their client's: nmstate skips them.
      want =
          new ArrayList<>(
              AddressMapping.toPrefixes(
                  ip.address().stream().filter(a -> !DynamicIpView.isDynamicEntry(a)).toList()));
      // nmstate drops IPv6 link-local addresses from a desired state with a warning: the kernel
      // makes them (addr-gen-mode), they are not configuration.
      want.removeIf(
          a -> {
            boolean linkLocal = a.address().isLinkLocalAddress();
            if (linkLocal) {
              log.warn(
                  "{}.address: ignoring the IPv6 link-local address {}; the kernel makes it",
                  at,
                  Ips.text(a));
            }
            return linkLocal;
          });
    } else {
      want = null;
    }
    if (want == null) {
      return;
    }
    var have = cur == null ? List.<IpPrefix>of() : ctx.configuredAddresses(cur, family);
    if (LOOPBACK.equals(name)) {
      // nmstate always keeps lo's own address; bringing lo up adds it in the kernel, so a plan
      // that sets lo up must not add it again (EEXIST).
      var own = IpPrefix.parse(v6 ? "::1/128" : "127.0.0.1/8");
      boolean staysDown = d.common().effectiveState() != InterfaceState.UP;
      if (!want.contains(own) && !staysDown) {
        want = new ArrayList<>(want);
        want.add(own);
      }
      boolean comesUp =
          cur != null && !cur.link().isUp() && d.common().effectiveState() == InterfaceState.UP;
      if (comesUp && !have.contains(own)) {
        have = new ArrayList<>(have);
        have.add(own);
      }
    }
    for (var a : have) {
      if (!want.contains(a)) {
        delAddress(name, a, new Op.Diff(p + ".address", "lacks " + Ips.text(a), "has it"));
      }
    }
    for (var a : want) {
      if (!have.contains(a)) {
        ctx.add(
            new Op.AddAddress(
                name, a, new Op.Diff(p + ".address", "has " + Ips.text(a), "lacks it")));
      }
    }
  }
}
