package io.multihome.agent.engine;

import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.Rule;
import io.multihome.state.DesiredState;
import io.multihome.state.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Desired state + node → an ordered plan of small operations, merging as nmstate does: only listed
 * interfaces are touched, properties not given are kept, address and port lists replace, routes and
 * rules are added and {@code state: absent} entries remove what they match.
 */
public final class Planner {
  private Planner() {}

  /** Plans {@code desired} against {@code now}; throws {@link PlanException} on bad input. */
  public static Plan plan(DesiredState desired, Snapshot now) {
    return plan(desired, now, DynamicIpPlanner.NO_CLIENT);
  }

  /**
   * Plans {@code desired}; {@code noDynamicIp} says why DHCP/autoconf are refused (null: a {@link
   * DynamicIp} runs them, so the planner leaves dynamic addresses to it).
   */
  public static Plan plan(DesiredState given, Snapshot now, String noDynamicIp) {
    var resolving = new ArrayList<Problem>();
    var withIpsec = given;
    // ipsec connections are not links: planned apart (IpsecPlanner), unseen by the rest.
    var desired = resolve(IpsecPlanner.withoutIpsec(given), now, resolving);
    if (!desired.templates().isEmpty()) {
      throw new PlanException(
          List.of(
              new Problem(
                  desired.templates().keySet().iterator().next(),
                  "capture templates must be rendered before planning: the controller and"
                      + " 'multihome apply' render them against the node's current state")));
    }
    var ctx = new PlanContext(now, desired);
    resolving.forEach(p -> ctx.problem(p.path(), p.message()));
    ctx.noDynamicIp(noDynamicIp);
    var scan = FieldCoverage.scan(desired);
    if (scan.anyChecked()) {
      unchangeable(desired, now, ctx);
    }
    HostnamePlanner.plan(desired, ctx);
    var interfaces = new InterfacePlanner(ctx);
    var list = desired.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      var at = "interfaces[" + i + "]";
      if (resolving.stream().anyMatch(p -> p.path().startsWith(at + "."))) {
        continue; // not found: the resolution problem says why, nothing more to say
      }
      interfaces.plan(list.get(i), "interfaces[" + i + "]");
      SriovPlanner.plan(list.get(i), "interfaces[" + i + "]", ctx);
      OptionsPlanner.plan(list.get(i), "interfaces[" + i + "]", ctx);
      BondSlbPlanner.plan(list.get(i), "interfaces[" + i + "]", ctx);
    }
    KeptPlanner.plan(desired, ctx);
    OvsPlanner.plan(desired, ctx);
    IpsecPlanner.plan(withIpsec, ctx);
    routes(desired, ctx);
    keepRoutesOfReaddressedLinks(ctx);
    rules(desired, ctx);
    // Keys no planner covers are refused, unless a planner already said why at that path.
    var said = new java.util.HashSet<String>();
    ctx.problems().forEach(p -> said.add(p.path()));
    scan.refusals().stream()
        .filter(p -> !said.contains(p.path()))
        .forEach(p -> ctx.problem(p.path(), p.message()));
    if (!ctx.problems().isEmpty()) {
      throw new PlanException(ctx.problems());
    }
    var ops = new ArrayList<>(ctx.ops());
    // Deleting a base takes its dependants with it; delete dependants first so each delete
    // finds its link. Creation order is settled by the stages.
    ops.sort(
        Comparator.comparingInt(
            (Op o) ->
                o instanceof Op.DeleteLink dl && dependsOnOther(ctx.current(dl.name())) ? 0 : 1));
    lowerDevicesUpFirst(ops, ctx.snapshot());
    return new Plan(ops, ctx.touched());
  }

  /**
   * Orders the set-up ops lower devices first: the kernel refuses to set a VLAN up while its lower
   * device is down (ENETDOWN), and a document may list the VLAN before the bond it sits on. The
   * lower device of a link the plan creates is its base; of an existing one, the node's (a veth's
   * "parent" is its peer, not a lower device). Stable: otherwise the document's order stays.
   */
  static void lowerDevicesUpFirst(List<Op> ops, Snapshot now) {
    var lower = new java.util.HashMap<String, String>();
    var byIndex = now.byIndex();
    for (var l : now.links()) {
      if (dependsOnOther(l)) {
        var p = byIndex.get(l.link().parentIndex());
        if (p != null) {
          lower.put(l.name(), p.name());
        }
      }
    }
    for (var o : ops) {
      if (o instanceof Op.CreateLink c && c.parent() != null) {
        lower.put(c.name(), c.parent());
      }
    }
    var depth = new java.util.HashMap<String, Integer>();
    for (var o : ops) {
      if (o instanceof Op.SetUp u && u.up()) {
        int d = 0;
        // Bounded: the kernel allows no cycle of lower devices.
        for (var p = lower.get(u.name()); p != null && d <= lower.size(); p = lower.get(p)) {
          d++;
        }
        depth.put(u.name(), d);
      }
    }
    ops.sort(
        Comparator.comparingInt(
            (Op o) -> o instanceof Op.SetUp u && u.up() ? depth.getOrDefault(u.name(), 0) : 0));
  }

  /**
   * {@code given} with every interface named as the node knows it: alternative names and kept
   * profile names replaced by link names, {@code identifier: mac-address|pci-address} entries
   * found, {@code copy-mac-from} turned into the MAC address. Problems go to {@code problems}.
   */
  static DesiredState resolve(DesiredState given, Snapshot now, List<Problem> problems) {
    var desired = AltNames.resolve(given, now);
    desired = Identifiers.resolve(desired, now, problems);
    return CopyMac.resolve(desired, now, problems);
  }

  /** Keys the engine never changes must already be as desired on existing interfaces. */
  private static void unchangeable(DesiredState desired, Snapshot now, PlanContext ctx) {
    var names = new java.util.HashSet<String>();
    desired.interfacesOrEmpty().forEach(i -> names.add(i.name()));
    var shown = StateReader.read(now, null, names::contains, declaredEthernet(desired));
    for (var d : ShownComparison.unchangeable(desired, shown)) {
      ctx.problem(
          d.path(),
          "the engine cannot change this: desired " + d.desired() + ", current " + d.current());
    }
  }

  /** Names the document declares {@code type: ethernet} (a veth so declared is a NIC). */
  static java.util.function.Predicate<String> declaredEthernet(DesiredState desired) {
    var names = new java.util.HashSet<String>();
    for (var i : desired.interfacesOrEmpty()) {
      if (i instanceof io.multihome.state.Interface.Ethernet) {
        names.add(i.name());
      }
    }
    return names::contains;
  }

  private static boolean dependsOnOther(NodeLink l) {
    return l != null && !l.kind().equals("veth") && l.link().parentIndex() != null;
  }

  private static void routes(DesiredState desired, PlanContext ctx) {
    if (desired.routes() == null) {
      return;
    }
    var byIndex = ctx.snapshot().byIndex();
    var wanted = new ArrayList<Route>();
    var wantedDev = new ArrayList<String>();
    var multipath = new RouteGroups(ctx);
    for (int i = 0; i < desired.routes().size(); i++) {
      var d = desired.routes().get(i);
      var at = "routes.config[" + i + "]";
      if (d.absent()) {
        continue;
      }
      var dev = d.nextHopInterface();
      if (dev != null && !ctx.willExist(dev)) {
        ctx.problem(at + ".next-hop-interface", "interface " + dev + " does not exist");
        continue;
      }
      Route want;
      try {
        want = RouteMapping.toKernel(RouteGroups.inVrf(d, desired, ctx, at));
      } catch (IllegalArgumentException e) {
        ctx.problem(at, e.getMessage());
        continue;
      }
      wanted.add(d.weight() == null ? want : want.weight(d.weight()));
      wantedDev.add(dev);
      if (d.weight() != null) {
        multipath.add(want.weight(d.weight()), dev, at);
        continue;
      }
      Route existing = null;
      for (var k : ctx.snapshot().routes()) {
        if (RouteMapping.same(want, dev, k, StateReader.nameOf(byIndex, k.oif()))) {
          existing = k;
          break;
        }
      }
      // The same route with another MTU or TCP metrics is replaced in place; metrics not given
      // keep the node's.
      boolean present =
          existing != null
              && (want.mtu() == null || want.mtu().equals(existing.mtu()))
              && RouteMapping.metricsMatch(d.metrics(), existing);
      boolean duplicate = false;
      for (int j = 0; j < wanted.size() - 1; j++) {
        duplicate |= RouteMapping.same(wanted.get(j), wantedDev.get(j), want, dev);
      }
      if (!present && !duplicate) {
        var current = existing == null ? "missing" : RouteText.describe(existing, dev);
        ctx.add(
            new Op.AddRoute(
                existing == null ? want : RouteMapping.keepUnset(want, d.metrics(), existing),
                dev,
                existing != null,
                new Op.Diff(at, RouteText.describe(want, dev), current)));
      }
    }
    multipath.plan();
    for (var k : ctx.snapshot().routes()) {
      var dev = StateReader.nameOf(byIndex, k.oif());
      if (!RouteMapping.shown(k) || (dev != null && ctx.isDeleted(dev))) {
        continue;
      }
      for (int i = 0; i < desired.routes().size(); i++) {
        var d = desired.routes().get(i);
        if (d.absent()
            && RouteMapping.matchesAbsent(d, k, dev)
            && !isWanted(k, dev, wanted, wantedDev)) {
          ctx.add(
              new Op.DelRoute(
                  k,
                  dev,
                  new Op.Diff("routes.config[" + i + "]", "absent", RouteText.describe(k, dev))));
          break;
        }
      }
    }
  }

  /**
   * When a link loses its last IPv4 address the kernel flushes every IPv4 route through it
   * (fib_disable_ip). If the plan then gives it new addresses, its other routes are kept by adding
   * them back after the addresses — routes are additive in nmstate, an address change must not
   * remove them.
   */
  private static void keepRoutesOfReaddressedLinks(PlanContext ctx) {
    var deleted = new java.util.HashMap<String, Integer>();
    var added = new java.util.HashSet<String>();
    var removedRoutes = new java.util.HashSet<Route>();
    for (var op : List.copyOf(ctx.ops())) {
      if (op instanceof Op.DelAddress d
          && d.prefix().family() == io.multihome.agent.netlink.Rtnl.AF_INET) {
        deleted.merge(d.name(), 1, Integer::sum);
      } else if (op instanceof Op.AddAddress a
          && a.prefix().family() == io.multihome.agent.netlink.Rtnl.AF_INET) {
        added.add(a.name());
      } else if (op instanceof Op.DelRoute r) {
        removedRoutes.add(r.route());
      }
    }
    var byIndex = ctx.snapshot().byIndex();
    for (var e : deleted.entrySet()) {
      var link = ctx.current(e.getKey());
      if (link == null
          || !added.contains(e.getKey())
          || ctx.configuredAddresses(link, io.multihome.agent.netlink.Rtnl.AF_INET).size()
              != e.getValue()) {
        continue;
      }
      for (var r : ctx.snapshot().routes()) {
        if (r.family() == io.multihome.agent.netlink.Rtnl.AF_INET
            && RouteMapping.shown(r)
            && Integer.valueOf(link.index()).equals(r.oif())
            && !removedRoutes.contains(r)) {
          var dev = StateReader.nameOf(byIndex, r.oif());
          var copy =
              new Route(
                  r.family(),
                  r.dst(),
                  r.src(),
                  r.gateway(),
                  null,
                  r.table(),
                  r.metric(),
                  r.scope(),
                  r.type(),
                  r.protocol(),
                  r.prefSrc(),
                  r.mtu());
          ctx.add(
              new Op.AddRoute(
                  copy,
                  dev,
                  true,
                  new Op.Diff("routes[" + RouteText.describe(copy, dev) + "]", "kept", "flushed")));
        }
      }
    }
  }

  private static boolean isWanted(Route k, String dev, List<Route> wanted, List<String> devs) {
    for (int j = 0; j < wanted.size(); j++) {
      if (RouteMapping.same(wanted.get(j), devs.get(j), k, dev)) {
        return true;
      }
    }
    return false;
  }

  private static void rules(DesiredState desired, PlanContext ctx) {
    if (desired.routeRules() == null) {
      return;
    }
    var wanted = new ArrayList<Rule>();
    for (int i = 0; i < desired.routeRules().size(); i++) {
      var d = desired.routeRules().get(i);
      var at = "route-rules.config[" + i + "]";
      if (d.absent()) {
        continue;
      }
      if (d.suppressPrefixLength() != null) {
        ctx.problem(at + ".suppress-prefix-length", "not supported by the engine yet");
        continue;
      }
      Rule want;
      try {
        want = RouteMapping.toKernel(d);
      } catch (IllegalArgumentException e) {
        ctx.problem(at, e.getMessage());
        continue;
      }
      boolean present =
          ctx.snapshot().rules().stream().anyMatch(k -> RouteMapping.same(want, k))
              || wanted.stream().anyMatch(w -> RouteMapping.same(w, want));
      wanted.add(want);
      if (!present) {
        ctx.add(new Op.AddRule(want, new Op.Diff(at, RouteText.describe(want), "missing")));
      }
    }
    for (var k : ctx.snapshot().rules()) {
      if (!RouteMapping.shown(k)) {
        continue;
      }
      for (int i = 0; i < desired.routeRules().size(); i++) {
        var d = desired.routeRules().get(i);
        if (d.absent()
            && RouteMapping.matchesAbsent(d, k)
            && wanted.stream().noneMatch(w -> RouteMapping.same(w, k))) {
          ctx.add(
              new Op.DelRule(
                  k,
                  new Op.Diff("route-rules.config[" + i + "]", "absent", RouteText.describe(k))));
          break;
        }
      }
    }
  }
}
