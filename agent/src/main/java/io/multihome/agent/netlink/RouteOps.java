package io.multihome.agent.netlink;

import java.util.List;

/** Route list/add/replace/delete in any table. */
public final class RouteOps {
  private static final int RTM_F_CLONED = 0x200;
  private static final int SCOPE_NOWHERE = 255;
  private final RtNetlink nl;

  RouteOps(RtNetlink nl) {
    this.nl = nl;
  }

  /** Routes of a family (AF_INET, AF_INET6, or AF_UNSPEC for both) in every table. */
  public List<Route> list(int family) {
    var r =
        new Request(
            "route list",
            "",
            Rtnl.RTM_GETROUTE,
            0,
            b -> new RtMsg(family, 0, 0, 0, 0, 0, 0, 0, 0).write(b));
    return nl.dump(r).stream()
        .filter(m -> m.type() == Rtnl.RTM_NEWROUTE)
        .filter(m -> (RtMsg.read(m).flags() & RTM_F_CLONED) == 0)
        .flatMap(m -> Route.readAll(m).stream())
        .toList();
  }

  public List<Route> list(int family, int table) {
    return list(family).stream().filter(r -> r.table() == table).toList();
  }

  public void add(Route route) {
    nl.execute(addRequest(route, false));
  }

  public void replace(Route route) {
    nl.execute(addRequest(route, true));
  }

  public void delete(Route route) {
    nl.execute(deleteRequest(route));
  }

  public static Request addRequest(Route route, boolean replace) {
    int flags = Rtnl.NLM_F_CREATE | (replace ? Rtnl.NLM_F_REPLACE : Rtnl.NLM_F_EXCL);
    int scope = scopeOf(route);
    return request(
        replace ? "route replace" : "route add",
        Rtnl.RTM_NEWROUTE,
        flags,
        route,
        scope,
        route.protocol());
  }

  /**
   * {@code ip route append}: adds {@code route} beside routes with the same destination, table and
   * metric (another next hop: IPv4 keeps both, IPv6 makes them one multipath route); only an
   * identical route is EEXIST.
   */
  public static Request appendRequest(Route route) {
    return request(
        "route append",
        Rtnl.RTM_NEWROUTE,
        Rtnl.NLM_F_CREATE | Rtnl.NLM_F_APPEND,
        route,
        scopeOf(route),
        route.protocol());
  }

  private static int scopeOf(Route route) {
    return route.scope() != null
        ? route.scope()
        : route.type() == Rtnl.Rta.TYPE_LOCAL
            ? Rtnl.Rta.SCOPE_HOST
            : route.type() == Rtnl.Rta.TYPE_UNICAST && route.gateway() == null
                ? Rtnl.Rta.SCOPE_LINK
                : Rtnl.Rta.SCOPE_UNIVERSE;
  }

  /** Deletes the route matching the given fields; scope and protocol act as wildcards. */
  public static Request deleteRequest(Route route) {
    return request("route delete", Rtnl.RTM_DELROUTE, 0, route, SCOPE_NOWHERE, 0);
  }

  private static Request request(String op, int type, int flags, Route r, int scope, int protocol) {
    return new Request(
        op,
        r.toString(),
        type,
        flags,
        b -> {
          int table = r.table();
          new RtMsg(
                  r.family(),
                  r.dst() == null ? 0 : r.dst().length(),
                  r.src() == null ? 0 : r.src().length(),
                  0,
                  table < 256 ? table : Rtnl.Rta.TABLE_UNSPEC,
                  protocol,
                  scope,
                  r.type(),
                  0)
              .write(b);
          if (table >= 256) {
            b.attrU32(Rtnl.Rta.TABLE, table);
          }
          if (r.dst() != null && r.dst().length() > 0) {
            b.attrAddress(Rtnl.Rta.DST, r.dst().address());
          }
          if (r.src() != null) {
            b.attrAddress(Rtnl.Rta.SRC, r.src().address());
          }
          if (r.gateway() != null) {
            b.attrAddress(Rtnl.Rta.GATEWAY, r.gateway());
          }
          if (r.prefSrc() != null) {
            b.attrAddress(Rtnl.Rta.PREFSRC, r.prefSrc());
          }
          if (r.metric() != null) {
            b.attrU32(Rtnl.Rta.PRIORITY, r.metric());
          }
          if (r.oif() != null) {
            b.attrU32(Rtnl.Rta.OIF, r.oif());
          }
          // Only on add: a delete with metrics would match only routes with exactly these.
          if ((r.mtu() != null || !r.metrics().isEmpty()) && type == Rtnl.RTM_NEWROUTE) {
            int metrics = b.beginNestedPlain(Rtnl.Rta.METRICS);
            if (r.mtu() != null) {
              b.attrU32(Rtnl.Rta.METRIC_MTU, r.mtu());
            }
            r.metrics().write(b);
            b.endNested(metrics);
          }
        });
  }

  /**
   * One IPv4 multipath route (ECMP) whose next hops are {@code hops} (each: gateway, oif, weight);
   * {@code base} gives destination, table, metric and metrics. {@code replace} swaps a route with
   * the same destination, table and metric whole.
   */
  public static Request multipathRequest(Route base, java.util.List<Route> hops, boolean replace) {
    var first = hops.get(0);
    var shape = base.via(null).metrics(base.metrics());
    return new Request(
        replace ? "route replace multipath" : "route add multipath",
        base.toString(),
        Rtnl.RTM_NEWROUTE,
        Rtnl.NLM_F_CREATE | (replace ? Rtnl.NLM_F_REPLACE : Rtnl.NLM_F_EXCL),
        b -> {
          int table = shape.table();
          new RtMsg(
                  shape.family(),
                  shape.dst() == null ? 0 : shape.dst().length(),
                  0,
                  0,
                  table < 256 ? table : Rtnl.Rta.TABLE_UNSPEC,
                  shape.protocol(),
                  first.gateway() == null ? Rtnl.Rta.SCOPE_LINK : Rtnl.Rta.SCOPE_UNIVERSE,
                  shape.type(),
                  0)
              .write(b);
          if (table >= 256) {
            b.attrU32(Rtnl.Rta.TABLE, table);
          }
          if (shape.dst() != null && shape.dst().length() > 0) {
            b.attrAddress(Rtnl.Rta.DST, shape.dst().address());
          }
          if (shape.prefSrc() != null) {
            b.attrAddress(Rtnl.Rta.PREFSRC, shape.prefSrc());
          }
          if (shape.metric() != null) {
            b.attrU32(Rtnl.Rta.PRIORITY, shape.metric());
          }
          if (shape.mtu() != null || !shape.metrics().isEmpty()) {
            int metrics = b.beginNestedPlain(Rtnl.Rta.METRICS);
            if (shape.mtu() != null) {
              b.attrU32(Rtnl.Rta.METRIC_MTU, shape.mtu());
            }
            shape.metrics().write(b);
            b.endNested(metrics);
          }
          int mp = b.beginNestedPlain(Route.RTA_MULTIPATH);
          for (var h : hops) {
            // struct rtnexthop: len, flags, hops (weight - 1), ifindex; then its attributes.
            int start = b.size();
            b.u16(0).u8(0).u8(h.weight() == null ? 0 : h.weight() - 1);
            b.u32(h.oif() == null ? 0 : h.oif());
            if (h.gateway() != null) {
              b.attrAddress(Rtnl.Rta.GATEWAY, h.gateway());
            }
            b.patchU16(start, b.size() - start);
          }
          b.endNested(mp);
        });
  }
}
