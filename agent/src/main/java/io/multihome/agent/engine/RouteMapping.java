package io.multihome.agent.engine;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.Rule;
import io.multihome.state.Extras;
import io.multihome.state.RouteRule;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Routes and rules between the model and the kernel. Routes the kernel makes itself (proto kernel,
 * the local table) are not configuration: they are never shown, added or removed.
 */
final class RouteMapping {
  private RouteMapping() {}

  /** RTPROT_RA (9) and RTPROT_DHCP (16): routes a DHCP client or router advertisements made. */
  static boolean dynamic(int protocol) {
    return protocol == 9 || protocol == 16;
  }

  /**
   * Protocols of configured routes and rules, as nmstate's running config: unspec, boot (ip(8)'s
   * default) and static. The kernel's own (proto kernel), router advertisements', DHCP clients' and
   * routing daemons' entries are not configuration: never shown as such, never matched by an {@code
   * absent} wildcard.
   */
  private static boolean configuredProtocol(int protocol) {
    return protocol == 0 || protocol == Rtnl.Rta.PROT_BOOT || protocol == Rtnl.Rta.PROT_STATIC;
  }

  /**
   * What nmstate shows under {@code routes.running}: configured routes and those of router
   * advertisements, DHCP and routing daemons — not the kernel's own.
   */
  static boolean running(Route r) {
    int p = r.protocol();
    boolean protocol = configuredProtocol(p) || p == 9 || p == 16 || p == 17 || p == 18 || p == 42;
    return protocol && shownForm(r);
  }

  static boolean shown(Route r) {
    return configuredProtocol(r.protocol()) && shownForm(r);
  }

  private static boolean shownForm(Route r) {
    return r.table() != Rtnl.Rta.TABLE_LOCAL
        && (r.type() == Rtnl.Rta.TYPE_UNICAST
            || r.type() == Rtnl.Rta.TYPE_BLACKHOLE
            || r.type() == Rtnl.Rta.TYPE_UNREACHABLE
            || r.type() == Rtnl.Rta.TYPE_PROHIBIT)
        && !(r.family() == Rtnl.AF_INET6
            && r.dst() != null
            && r.dst().address().isLinkLocalAddress()
            && r.dst().length() >= 10);
  }

  static io.multihome.state.Route toModel(Route r, String dev) {
    return new io.multihome.state.Route(
        false,
        r.dst() == null ? defaultDestination(r.family()) : Ips.text(r.dst()),
        dev,
        r.gateway() == null ? null : Ips.text(r.gateway()),
        (long) effectiveMetric(r),
        (long) r.table(),
        r.weight(),
        typeName(r.type()),
        r.prefSrc() == null ? null : Ips.text(r.prefSrc()),
        r.mtu(),
        Extras.NONE,
        metricsToModel(r.metrics()),
        null);
  }

  /**
   * The TCP metrics nmstate shows: {@code cwnd} only while locked (ip-route(8): useless without the
   * lock), {@code lock-mtu} only when set.
   */
  static io.multihome.state.Route.Metrics metricsToModel(Route.Metrics m) {
    int lock = m.lock() == null ? 0 : m.lock();
    boolean cwndLocked = (lock & (1 << Route.Metrics.RTAX_CWND)) != 0;
    return new io.multihome.state.Route.Metrics(
        cwndLocked && m.cwnd() != null ? Integer.toUnsignedLong(m.cwnd()) : null,
        m.initcwnd() == null ? null : Integer.toUnsignedLong(m.initcwnd()),
        m.initrwnd() == null ? null : Integer.toUnsignedLong(m.initrwnd()),
        m.advmss() == null ? null : Integer.toUnsignedLong(m.advmss()),
        m.quickack() == null ? null : m.quickack() != 0,
        (lock & (1 << Route.Metrics.RTAX_MTU)) != 0 ? Boolean.TRUE : null);
  }

  /** The kernel metrics of desired ones; lock bits for cwnd and lock-mtu. */
  static Route.Metrics metricsToKernel(io.multihome.state.Route.Metrics m) {
    if (m.isEmpty()) {
      return Route.Metrics.NONE;
    }
    int lock =
        (m.cwnd() != null ? 1 << Route.Metrics.RTAX_CWND : 0)
            | (Boolean.TRUE.equals(m.lockMtu()) ? 1 << Route.Metrics.RTAX_MTU : 0);
    return new Route.Metrics(
        lock == 0 ? null : lock,
        m.advmss() == null ? null : m.advmss().intValue(),
        m.cwnd() == null ? null : m.cwnd().intValue(),
        m.initcwnd() == null ? null : m.initcwnd().intValue(),
        m.initrwnd() == null ? null : m.initrwnd().intValue(),
        m.quickack() == null ? null : m.quickack() ? 1 : 0);
  }

  /** {@code want} to replace {@code existing}: the MTU and metrics not given keep the node's. */
  static Route keepUnset(Route want, io.multihome.state.Route.Metrics given, Route existing) {
    var e = existing.metrics();
    var w = want.metrics();
    int eLock = e.lock() == null ? 0 : e.lock();
    int cwndBit = 1 << Route.Metrics.RTAX_CWND;
    int mtuBit = 1 << Route.Metrics.RTAX_MTU;
    int lock =
        (given.cwnd() != null ? cwndBit : eLock & cwndBit)
            | (given.lockMtu() != null ? (given.lockMtu() ? mtuBit : 0) : eLock & mtuBit)
            | (eLock & ~(cwndBit | mtuBit));
    var merged =
        new Route.Metrics(
            lock == 0 ? null : lock,
            w.advmss() != null ? w.advmss() : e.advmss(),
            w.cwnd() != null ? w.cwnd() : e.cwnd(),
            w.initcwnd() != null ? w.initcwnd() : e.initcwnd(),
            w.initrwnd() != null ? w.initrwnd() : e.initrwnd(),
            w.quickack() != null ? w.quickack() : e.quickack());
    return want.mtu(want.mtu() == null ? existing.mtu() : want.mtu()).metrics(merged);
  }

  /** Whether the metrics {@code want} gives are those of {@code have} (unset ones match). */
  static boolean metricsMatch(io.multihome.state.Route.Metrics want, Route have) {
    var h = metricsToModel(have.metrics());
    return (want.cwnd() == null || want.cwnd().equals(h.cwnd()))
        && (want.initcwnd() == null || want.initcwnd().equals(h.initcwnd()))
        && (want.initrwnd() == null || want.initrwnd().equals(h.initrwnd()))
        && (want.advmss() == null || want.advmss().equals(h.advmss()))
        && (want.quickack() == null || want.quickack().equals(h.quickack() != null && h.quickack()))
        && (want.lockMtu() == null || want.lockMtu().equals(h.lockMtu() != null && h.lockMtu()));
  }

  /**
   * Whether {@code r} is configuration: not one the kernel made (its three default rules carry
   * proto kernel; kernels before 4.17 leave the protocol unset, so those are also recognised by
   * their exact form: priority 0 lookup local, 32766 lookup main, 32767 lookup default).
   */
  static boolean shown(Rule r) {
    if (!configuredProtocol(r.protocol())) {
      return false;
    }
    int priority = r.priority() == null ? 0 : r.priority();
    boolean bare =
        r.src() == null
            && r.dst() == null
            && r.iifName() == null
            && r.oifName() == null
            && r.fwmark() == null
            && r.action() == Rtnl.Fra.ACT_TO_TBL;
    return !(bare
        && ((priority == 0 && r.table() == Rtnl.Rta.TABLE_LOCAL)
            || (priority == 32766 && r.table() == Rtnl.Rta.TABLE_MAIN)
            || (priority == 32767 && r.table() == 253)));
  }

  static RouteRule toModel(Rule r) {
    return new RouteRule(
        false,
        r.family() == Rtnl.AF_INET6 ? "ipv6" : "ipv4",
        r.src() == null ? null : Ips.text(r.src()),
        r.dst() == null ? null : Ips.text(r.dst()),
        r.priority() == null ? null : (long) r.priority(),
        r.action() == Rtnl.Fra.ACT_TO_TBL ? (long) r.table() : null,
        r.fwmark() == null ? null : (long) r.fwmark(),
        r.fwmask() == null ? null : (long) r.fwmask(),
        r.iifName(),
        actionName(r.action()),
        null,
        Extras.NONE);
  }

  private static String defaultDestination(int family) {
    return family == Rtnl.AF_INET6 ? "::/0" : "0.0.0.0/0";
  }

  static String typeName(int type) {
    return switch (type) {
      case Rtnl.Rta.TYPE_BLACKHOLE -> "blackhole";
      case Rtnl.Rta.TYPE_UNREACHABLE -> "unreachable";
      case Rtnl.Rta.TYPE_PROHIBIT -> "prohibit";
      default -> null;
    };
  }

  static String actionName(int action) {
    return switch (action) {
      case Rtnl.Fra.ACT_BLACKHOLE -> "blackhole";
      case Rtnl.Fra.ACT_UNREACHABLE -> "unreachable";
      case Rtnl.Fra.ACT_PROHIBIT -> "prohibit";
      default -> null;
    };
  }

  /** The kernel's metric when none was given: 0 for IPv4, 1024 for IPv6. */
  static int effectiveMetric(Route r) {
    if (r.metric() != null) {
      return r.metric();
    }
    return r.family() == Rtnl.AF_INET6 ? 1024 : 0;
  }

  static int table(Long tableId) {
    return tableId == null || tableId == 0 ? Rtnl.Rta.TABLE_MAIN : tableId.intValue();
  }

  /** The kernel route a desired (non-absent) route stands for; no oif (the planner names it). */
  static Route toKernel(io.multihome.state.Route d) {
    var dst = IpPrefix.parse(d.destination());
    var r = Route.to(dst).table(table(d.tableId())).protocol(Rtnl.Rta.PROT_STATIC);
    if (d.nextHopAddress() != null && !d.nextHopAddress().isEmpty()) {
      r = r.via(IpPrefix.parseAddress(d.nextHopAddress()));
    }
    r =
        r.metric(
            d.metric() != null && d.metric() >= 0
                ? d.metric().intValue()
                : dst.family() == Rtnl.AF_INET6 ? 1024 : 0);
    if (d.source() != null) {
      r = r.prefSrc(IpPrefix.parseAddress(d.source()));
    }
    if (d.mtu() != null) {
      r = r.mtu(d.mtu());
    }
    r = r.metrics(metricsToKernel(d.metrics()));
    if (d.routeType() != null) {
      r =
          r.type(
              switch (d.routeType()) {
                case "blackhole" -> Rtnl.Rta.TYPE_BLACKHOLE;
                case "unreachable" -> Rtnl.Rta.TYPE_UNREACHABLE;
                case "prohibit" -> Rtnl.Rta.TYPE_PROHIBIT;
                default ->
                    throw new IllegalArgumentException("unknown route-type " + d.routeType());
              });
    }
    return r;
  }

  /** Whether kernel route {@code k} on {@code dev} is the route {@code want} on {@code wantDev}. */
  static boolean same(Route want, String wantDev, Route k, String dev) {
    return want.family() == k.family()
        && Objects.equals(norm(want.dst()), norm(k.dst()))
        && want.table() == k.table()
        && Objects.equals(want.gateway(), k.gateway())
        && Objects.equals(wantDev, dev)
        && effectiveMetric(want) == effectiveMetric(k)
        && want.type() == k.type()
        && (want.prefSrc() == null || want.prefSrc().equals(k.prefSrc()));
  }

  private static String norm(IpPrefix p) {
    return p == null || p.length() == 0 ? "default" : p.toString();
  }

  /** nmstate's absent-route match: every field the entry sets must match, the rest match all. */
  static boolean matchesAbsent(io.multihome.state.Route a, Route k, String dev) {
    if (a.destination() != null && !IpPrefix.parse(a.destination()).equals(normDst(k))) {
      return false;
    }
    if (a.nextHopInterface() != null && !a.nextHopInterface().equals(dev)) {
      return false;
    }
    if (a.nextHopAddress() != null) {
      if (a.nextHopAddress().isEmpty()) {
        if (k.gateway() != null) {
          return false;
        }
      } else if (!IpPrefix.parseAddress(a.nextHopAddress()).equals(k.gateway())) {
        return false;
      }
    }
    if (a.metric() != null && a.metric() >= 0 && a.metric() != effectiveMetric(k)) {
      return false;
    }
    if (a.tableId() != null && table(a.tableId()) != k.table()) {
      return false;
    }
    if (a.mtu() != null && !a.mtu().equals(k.mtu())) {
      return false;
    }
    return a.routeType() == null || a.routeType().equals(typeName(k.type()));
  }

  private static IpPrefix normDst(Route k) {
    if (k.dst() != null) {
      return k.dst();
    }
    return IpPrefix.parse(defaultDestination(k.family()));
  }

  /** The kernel rule a desired (non-absent) rule stands for. */
  static Rule toKernel(RouteRule d) {
    var from = d.ipFrom() == null ? null : IpPrefix.parse(d.ipFrom());
    var to = d.ipTo() == null ? null : IpPrefix.parse(d.ipTo());
    int family =
        from != null
            ? from.family()
            : to != null ? to.family() : "ipv6".equals(d.family()) ? Rtnl.AF_INET6 : Rtnl.AF_INET;
    int action =
        d.action() == null
            ? Rtnl.Fra.ACT_TO_TBL
            : switch (d.action()) {
              case "blackhole" -> Rtnl.Fra.ACT_BLACKHOLE;
              case "unreachable" -> Rtnl.Fra.ACT_UNREACHABLE;
              case "prohibit" -> Rtnl.Fra.ACT_PROHIBIT;
              default -> throw new IllegalArgumentException("unknown action " + d.action());
            };
    int table = action == Rtnl.Fra.ACT_TO_TBL ? table(d.routeTable()) : Rtnl.Rta.TABLE_UNSPEC;
    var r =
        new Rule(
            family,
            d.priority() == null ? null : d.priority().intValue(),
            table,
            action,
            from,
            to,
            d.iif(),
            null,
            null,
            null,
            null,
            0);
    if (d.fwmark() != null) {
      r = r.fwmark(d.fwmark().intValue(), d.fwmask() == null ? null : d.fwmask().intValue());
    }
    return r;
  }

  /** Same selectors and action; a desired rule without priority matches any priority. */
  static boolean same(Rule want, Rule k) {
    return want.family() == k.family()
        && (want.priority() == null || want.priority().equals(k.priority()))
        && want.table() == k.table()
        && want.action() == k.action()
        && Objects.equals(want.src(), k.src())
        && Objects.equals(want.dst(), k.dst())
        && Objects.equals(want.iifName(), k.iifName())
        && Objects.equals(want.fwmark(), k.fwmark())
        && (want.fwmask() == null || want.fwmask().equals(k.fwmask()));
  }

  static boolean matchesAbsent(RouteRule a, Rule k) {
    if (a.family() != null
        && (("ipv6".equals(a.family()) ? Rtnl.AF_INET6 : Rtnl.AF_INET) != k.family())) {
      return false;
    }
    if (a.ipFrom() != null && !IpPrefix.parse(a.ipFrom()).equals(k.src())) {
      return false;
    }
    if (a.ipTo() != null && !IpPrefix.parse(a.ipTo()).equals(k.dst())) {
      return false;
    }
    if (a.priority() != null && !Objects.equals(a.priority().intValue(), k.priority())) {
      return false;
    }
    if (a.routeTable() != null && table(a.routeTable()) != k.table()) {
      return false;
    }
    if (a.fwmark() != null && !Objects.equals(a.fwmark().intValue(), k.fwmark())) {
      return false;
    }
    return a.iif() == null || a.iif().equals(k.iifName());
  }

  static InetAddress gatewayOf(Route r) {
    return r.gateway();
  }
}
