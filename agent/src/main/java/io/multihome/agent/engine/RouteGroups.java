package io.multihome.agent.engine;

import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * IPv4 routes given with a {@code weight}: those to one destination, table and metric are the next
 * hops of one multipath (ECMP) route, added or replaced whole. Also resolves {@code vrf-name}.
 */
final class RouteGroups {
  private record Hop(Route route, String dev, String at) {}

  private final PlanContext ctx;
  private final LinkedHashMap<String, List<Hop>> groups = new LinkedHashMap<>();

  RouteGroups(PlanContext ctx) {
    this.ctx = ctx;
  }

  void add(Route want, String dev, String at) {
    groups.computeIfAbsent(key(want), k -> new ArrayList<>()).add(new Hop(want, dev, at));
  }

  private static String key(Route r) {
    return r.family()
        + " "
        + (r.dst() == null ? "default" : r.dst())
        + " "
        + r.table()
        + " "
        + RouteMapping.effectiveMetric(r)
        + " "
        + r.type();
  }

  void plan() {
    var byIndex = ctx.snapshot().byIndex();
    for (var hops : groups.values()) {
      var first = hops.get(0);
      if (hops.size() < 2) {
        ctx.problem(
            first.at() + ".weight",
            "a weight only applies to a multipath route: give at least two routes to "
                + RouteText.describe(first.route().via(null), null)
                + " with the same table and metric, each with a weight");
        continue;
      }
      var want = new HashSet<String>();
      for (var h : hops) {
        want.add(hop(h.route(), h.dev()));
      }
      var have = new HashSet<String>();
      for (var k : ctx.snapshot().routes()) {
        if (RouteMapping.shown(k) && key(k).equals(key(first.route()))) {
          have.add(hop(k, StateReader.nameOf(byIndex, k.oif())));
        }
      }
      if (want.equals(have)) {
        continue;
      }
      var routes = new ArrayList<Route>();
      var devs = new ArrayList<String>();
      for (var h : hops) {
        routes.add(h.route());
        devs.add(h.dev());
      }
      ctx.add(
          new KindOps.AddMultipathRoute(
              first.route(),
              routes,
              devs,
              !have.isEmpty(),
              new Op.Diff(
                  first.at(),
                  "next hops " + new java.util.TreeSet<>(want),
                  have.isEmpty() ? "missing" : "next hops " + new java.util.TreeSet<>(have))));
    }
  }

  private static String hop(Route r, String dev) {
    return (r.gateway() == null ? "" : Ips.text(r.gateway()))
        + " dev "
        + dev
        + " weight "
        + r.weight();
  }

  /**
   * {@code d} with the table of its {@code vrf-name} (the VRF the same document gives, else the
   * node's); a problem when the VRF is unknown or a different {@code table-id} is given.
   */
  static io.multihome.state.Route inVrf(
      io.multihome.state.Route d, DesiredState desired, PlanContext ctx, String at) {
    if (d.vrfName() == null) {
      return d;
    }
    Long table = null;
    for (var i : desired.interfacesOrEmpty()) {
      if (i instanceof Interface.Vrf v && v.name().equals(d.vrfName()) && v.vrf() != null) {
        table = v.vrf().routeTableId();
      }
    }
    var cur = ctx.current(d.vrfName());
    if ((table == null || table == 0)
        && cur != null
        && cur.link().kind() instanceof io.multihome.agent.netlink.LinkKind.Vrf kv
        && kv.table() != null) {
      table = Integer.toUnsignedLong(kv.table());
    }
    if (table == null || table == 0) {
      throw new IllegalArgumentException("vrf-name: " + d.vrfName() + " is not a VRF");
    }
    if (d.tableId() != null && d.tableId() != 0 && !Objects.equals(d.tableId(), table)) {
      throw new IllegalArgumentException(
          "table-id "
              + d.tableId()
              + " differs from the table of VRF "
              + d.vrfName()
              + ", "
              + table);
    }
    return new io.multihome.state.Route(
        d.absent(),
        d.destination(),
        d.nextHopInterface(),
        d.nextHopAddress(),
        d.metric(),
        table,
        d.weight(),
        d.routeType(),
        d.source(),
        d.mtu(),
        d.extras(),
        d.metrics(),
        d.vrfName());
  }

  static boolean isIpv4(Route r) {
    return r.family() == Rtnl.AF_INET;
  }
}
