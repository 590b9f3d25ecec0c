package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.ovsdb.Datum;
import io.multihome.agent.ovsdb.SwitchState;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.OvsBridgeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans nmstate's Open vSwitch parts against the switch, merging as nmstate does: a listed bridge's
 * options that are given are set, others kept; its port list, when given, is the full list (patch
 * ports kept with {@code allow-extra-patch-ports}); a port's {@code vlan} left out is kept; an
 * {@code ovs-db} map given replaces the row's (the global one merges, {@code ovs-db: {}} clears
 * it); {@code ovn.bridge-mappings} merge by localnet. The result is bridge specs that {@link
 * OvsSync} turns into changes and one transaction ({@link OvsOps}).
 *
 * <p>The kernel side of an internal port (IP, MTU, state, description) is the interface planner's:
 * OVS creates the device in the transaction, before those ops run.
 */
final class OvsPlanner {
  private final PlanContext ctx;
  private final SwitchState sw;
  private final DesiredState desired;
  private final Map<String, SwitchState.Location> locations;

  /** Bridges whose specs the transaction writes, by name. */
  private final Map<String, OvsSpec.Bridge> specs = new LinkedHashMap<>();

  private final Set<String> remove = new LinkedHashSet<>();

  /** The document's ovs-interface entries (not absent) by name, with their paths. */
  private final Map<String, Interface.OvsInterface> docIfaces = new HashMap<>();

  private final Map<String, String> docIfacePaths = new HashMap<>();

  /** Interfaces the document's bridges list explicitly, with the listing bridge. */
  private final Map<String, String> listed = new LinkedHashMap<>();

  /** Ports the document's bridges list explicitly, with the listing bridge. */
  private final Map<String, String> listedPorts = new HashMap<>();

  private OvsPlanner(PlanContext ctx, OvsSnapshot snap, DesiredState desired) {
    this.ctx = ctx;
    this.sw = snap.state();
    this.desired = desired;
    this.locations = sw.locations();
  }

  /** Adds the OVS changes (and their commit) of {@code desired} to {@code ctx}. */
  static void plan(DesiredState desired, PlanContext ctx) {
    var snap = ctx.snapshot().ovs();
    var needs = OvsHooks.needsOvs(desired);
    if (snap == null || !snap.available()) {
      if (needs != null) {
        ctx.problem(
            needs,
            snap == null
                ? "Open vSwitch state was not read (no OVSDB socket configured)"
                : snap.unavailable());
      }
      return;
    }
    new OvsPlanner(ctx, snap, desired).run();
  }

  // --- planning ------------------------------------------------------------------------------

  private void run() {
    var list = desired.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Interface.OvsInterface o && !o.common().isAbsent()) {
        docIfaces.put(o.name(), o);
        docIfacePaths.put(o.name(), "interfaces[" + i + "]");
      }
    }
    for (int i = 0; i < list.size(); i++) {
      var d = list.get(i);
      var at = "interfaces[" + i + "]";
      var state = d.common().effectiveState();
      if (state == InterfaceState.IGNORE) {
        continue;
      }
      if (state == InterfaceState.ABSENT) {
        absent(d);
      } else if (d instanceof Interface.OvsBridge b) {
        bridge(b, at);
      }
    }
    moves();
    detachAbsent();
    for (int i = 0; i < list.size(); i++) {
      var d = list.get(i);
      var at = "interfaces[" + i + "]";
      if (d.common().effectiveState() == InterfaceState.ABSENT
          || d.common().effectiveState() == InterfaceState.IGNORE
          || d instanceof Interface.OvsBridge) {
        continue;
      }
      if (d instanceof Interface.OvsInterface o && !listed.containsKey(o.name())) {
        standalone(o, at);
      } else if (!(d instanceof Interface.OvsInterface) && d.common().ovsDb() != null) {
        systemPortOvsDb(d, at);
      }
      controller(d, at);
    }
    var global = OvsMapping.merge(desired, sw.root(), ctx);
    var result = OvsSync.diff(sw, List.copyOf(specs.values()), remove, global);
    if (result.isEmpty()) {
      return;
    }
    result.changes().forEach(ctx::add);
    var names = new ArrayList<String>();
    specs
        .values()
        .forEach(b -> b.ports().forEach(p -> p.ifaces().forEach(f -> names.add(f.name()))));
    ctx.add(
        new OvsOps.Commit(
            ctx.snapshot().ovs().socket(),
            sw.root().uuid(),
            result.ops(),
            List.copyOf(result.bridges()),
            result.global(),
            names,
            new Op.Diff(
                "ovsdb", result.changes().size() + " change(s) committed", "not committed")));
  }

  private final Set<String> detach = new LinkedHashSet<>();

  private void absent(Interface d) {
    var name = d.name();
    if (sw.bridge(name) != null
        && (d instanceof Interface.OvsBridge
            || d instanceof Interface.Untyped
            || d.kind() == null)) {
      remove.add(name);
      specs.remove(name);
      return;
    }
    if (locations.containsKey(name) && !(d instanceof Interface.OvsBridge)) {
      detach.add(name);
    }
  }

  private void bridge(Interface.OvsBridge b, String at) {
    var name = b.name();
    var cur = OvsSpec.current(sw, name);
    var cols = new LinkedHashMap<>(cur != null ? cur.columns() : OvsColumns.newBridge());
    var cfg = b.bridge();
    var o = cfg == null ? null : cfg.options();
    if (cur == null && (o == null || o.datapath() == null)) {
      cols.put("datapath_type", Datum.atom(ctx.snapshot().ovs().defaultDatapath()));
    }
    if (o != null) {
      if (o.stpTimers() != null && !o.stpTimers().isEmpty()) {
        ctx.problem(
            at + ".bridge.options.stp",
            "Open vSwitch bridges take no STP timers here; give only stp.enabled");
      }
      if (o.datapath() != null) {
        cols.put("datapath_type", Datum.atom(o.datapath()));
      }
      if (o.stp() != null) {
        cols.put("stp_enable", Datum.atom(o.stp()));
      }
      if (o.rstp() != null) {
        cols.put("rstp_enable", Datum.atom(o.rstp()));
      }
      if (o.mcastSnoopingEnable() != null) {
        cols.put("mcast_snooping_enable", Datum.atom(o.mcastSnoopingEnable()));
      }
      if (o.failMode() != null) {
        cols.put("fail_mode", o.failMode().isEmpty() ? Datum.empty() : Datum.atom(o.failMode()));
      }
    }
    OvsMapping.rowDb(cols, b.common().ovsDb(), b.common().description());
    var ports = new ArrayList<OvsSpec.Port>();
    var docPorts = cfg == null ? null : cfg.port();
    if (docPorts == null && cur != null) {
      ports.addAll(copy(cur).ports());
    } else if (docPorts == null || docPorts.isEmpty()) {
      // nmstate: an OVS bridge cannot live without a port; it gets an internal one of its name.
      ports.add(port(name, new OvsBridgeConfig.Port(name, null, null), cur, at + ".bridge"));
    } else {
      for (int j = 0; j < docPorts.size(); j++) {
        var dp = docPorts.get(j);
        if (dp != null && dp.name() != null) {
          ports.add(port(name, dp, cur, at + ".bridge.port[" + j + "]"));
        }
      }
      if (cur != null && cfg != null && Boolean.TRUE.equals(cfg.allowExtraPatchPorts())) {
        for (var p : cur.ports()) {
          boolean allPatch = p.ifaces().stream().allMatch(i -> i.type().equals("patch"));
          if (allPatch && ports.stream().noneMatch(x -> x.name().equals(p.name()))) {
            ports.add(p);
          }
        }
      }
    }
    specs.put(name, new OvsSpec.Bridge(name, cols, ports));
  }

  private OvsSpec.Port port(String bridge, OvsBridgeConfig.Port dp, OvsSpec.Bridge cur, String at) {
    listedPorts.putIfAbsent(dp.name(), bridge);
    var existing = cur == null ? null : cur.port(dp.name());
    if (existing == null) {
      existing = currentPortAnywhere(dp.name());
    }
    var cols = new LinkedHashMap<>(existing != null ? existing.columns() : OvsColumns.newPort());
    if (dp.vlan() != null) {
      OvsMapping.vlan(cols, dp.vlan());
    }
    var bond = dp.linkAggregation();
    List<String> members;
    if (bond != null) {
      OvsMapping.bond(cols, bond);
      members =
          bond.port() != null
              ? bond.port()
              : existing == null
                  ? List.of()
                  : existing.ifaces().stream().map(OvsSpec.Iface::name).toList();
      if (members.size() < 2) {
        ctx.problem(at + ".link-aggregation.port", "an OVS bond needs at least two ports");
      }
    } else {
      members = List.of(dp.name());
    }
    var ifaces = new ArrayList<OvsSpec.Iface>();
    for (int k = 0; k < members.size(); k++) {
      var m = members.get(k);
      if (m == null) {
        continue;
      }
      var mp = bond != null ? at + ".link-aggregation.port[" + k + "].name" : at + ".name";
      listed.putIfAbsent(m, bridge);
      ifaces.add(iface(bridge, m, mp));
    }
    return new OvsSpec.Port(dp.name(), cols, ifaces);
  }

  private OvsSpec.Port currentPortAnywhere(String portName) {
    for (var b : sw.bridgeList()) {
      for (var p : sw.portsOf(b)) {
        if (p.name().equals(portName)) {
          return OvsSpec.current(sw, b.name()).port(portName);
        }
      }
    }
    return null;
  }

  private OvsSpec.Iface iface(String bridge, String name, String at) {
    var loc = locations.get(name);
    var doc = docIfaces.get(name);
    Map<String, JsonNode> cols;
    if (loc != null) {
      cols = new LinkedHashMap<>(OvsColumns.of(loc.iface()));
    } else if (doc != null || name.equals(bridge)) {
      cols = OvsColumns.newInterface("internal");
    } else {
      cols = OvsColumns.newInterface("");
      if (!ctx.willExist(name)) {
        ctx.problem(
            at,
            "interface "
                + name
                + " does not exist (a system port is a kernel interface; an internal port needs"
                + " an ovs-interface entry)");
      }
    }
    if (doc != null) {
      OvsMapping.ifaceSettings(
          cols, doc, docIfacePaths.get(doc.name()), ctx.current(doc.name()), ctx::problem);
    }
    return new OvsSpec.Iface(name, cols);
  }

  /**
   * Interfaces and ports the document's bridges take from other bridges leave those (which are then
   * written too, as they are minus what moved).
   */
  private void moves() {
    for (var e : listed.entrySet()) {
      var loc = locations.get(e.getKey());
      if (loc == null) {
        continue;
      }
      var from = loc.bridge().name();
      if (!from.equals(e.getValue()) && !remove.contains(from)) {
        spec(from).ports().forEach(p -> p.ifaces().removeIf(i -> i.name().equals(e.getKey())));
      }
    }
    for (var b : sw.bridgeList()) {
      for (var p : sw.portsOf(b)) {
        var owner = listedPorts.get(p.name());
        if (owner != null && !owner.equals(b.name()) && !remove.contains(b.name())) {
          spec(b.name()).ports().removeIf(x -> x.name().equals(p.name()));
        }
      }
    }
    specs.values().forEach(b -> b.ports().removeIf(p -> p.ifaces().isEmpty()));
  }

  /** The spec of bridge {@code name}: the document's, or the bridge as it is now. */
  private OvsSpec.Bridge spec(String name) {
    return specs.computeIfAbsent(name, n -> copy(OvsSpec.current(sw, n)));
  }

  private static OvsSpec.Bridge copy(OvsSpec.Bridge b) {
    var ports = new ArrayList<OvsSpec.Port>();
    for (var p : b.ports()) {
      var ifaces = new ArrayList<OvsSpec.Iface>();
      p.ifaces()
          .forEach(i -> ifaces.add(new OvsSpec.Iface(i.name(), new LinkedHashMap<>(i.columns()))));
      ports.add(new OvsSpec.Port(p.name(), new LinkedHashMap<>(p.columns()), ifaces));
    }
    return new OvsSpec.Bridge(b.name(), new LinkedHashMap<>(b.columns()), ports);
  }

  private void detachAbsent() {
    for (var name : detach) {
      var loc = locations.get(name);
      if (loc == null || remove.contains(loc.bridge().name()) || listed.containsKey(name)) {
        continue;
      }
      var b = spec(loc.bridge().name());
      b.ports().forEach(p -> p.ifaces().removeIf(i -> i.name().equals(name)));
      b.ports().removeIf(p -> p.ifaces().isEmpty());
    }
  }

  /** An ovs-interface no bridge of the document lists: it must be in a bridge already. */
  private void standalone(Interface.OvsInterface d, String at) {
    var loc = locations.get(d.name());
    if (loc == null) {
      ctx.problem(
          at,
          "ovs-interface "
              + d.name()
              + " is in no OVS bridge: list it under an ovs-bridge's bridge.port");
      return;
    }
    var i = findIface(d.name());
    if (i != null) {
      OvsMapping.ifaceSettings(i.columns(), d, at, ctx.current(d.name()), ctx::problem);
    }
  }

  private void systemPortOvsDb(Interface d, String at) {
    var i =
        locations.containsKey(d.name()) || listed.containsKey(d.name())
            ? findIface(d.name())
            : null;
    if (i == null) {
      ctx.problem(
          at + ".ovs-db",
          d.name()
              + " is not an interface of an OVS bridge; ovs-db applies to ovs-bridge,"
              + " ovs-interface and ports of OVS bridges");
      return;
    }
    OvsMapping.rowDb(i.columns(), d.common().ovsDb(), null);
  }

  /** The spec'd interface {@code name}, taking its current bridge into the specs if needed. */
  private OvsSpec.Iface findIface(String name) {
    for (var b : specs.values()) {
      var p = b.portOf(name);
      if (p != null) {
        return p.iface(name);
      }
    }
    var loc = locations.get(name);
    if (loc == null) {
      return null;
    }
    var p = spec(loc.bridge().name()).portOf(name);
    return p == null ? null : p.iface(name);
  }

  /** {@code controller} naming an OVS bridge must agree with where the interface is listed. */
  private void controller(Interface d, String at) {
    var want = d.common().controller();
    if (want == null || !OvsHooks.isOvsBridge(want, ctx)) {
      return;
    }
    var spec = specs.get(want);
    boolean member = spec != null ? spec.portOf(d.name()) != null : isIn(want, d.name());
    if (!member) {
      ctx.problem(
          at + ".controller",
          d.name()
              + " is not a port of OVS bridge "
              + want
              + ": list it under the bridge's bridge.port");
    }
  }

  private boolean isIn(String bridge, String iface) {
    var loc = locations.get(iface);
    return loc != null && loc.bridge().name().equals(bridge);
  }
}
