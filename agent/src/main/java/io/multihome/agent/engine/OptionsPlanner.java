package io.multihome.agent.engine;

import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import java.util.HashMap;
import java.util.Map;

/**
 * Plans one interface's {@code alt-names} (each listed name added, each {@code state: absent} one
 * removed; names not listed are kept, as nmstate never overrides them) and {@code ethtool} (each
 * given setting that differs; on a link this plan creates, every given setting).
 */
final class OptionsPlanner {
  private OptionsPlanner() {}

  static void plan(Interface d, String at, PlanContext ctx) {
    var state = d.common().effectiveState();
    if (d instanceof Interface.Unsupported
        || state == InterfaceState.ABSENT
        || state == InterfaceState.IGNORE) {
      return;
    }
    var cur = ctx.current(d.name());
    if (cur == null && !ctx.willExist(d.name())) {
      return; // the interface planner reports the missing interface
    }
    altNames(d, cur, at, ctx);
    ethtool(d, cur, at, ctx);
  }

  private static void altNames(Interface d, NodeLink cur, String at, PlanContext ctx) {
    var list = d.common().options().altNames();
    if (list == null) {
      return;
    }
    var owners = new HashMap<String, String>();
    for (var l : ctx.snapshot().links()) {
      for (var alt : l.altNames()) {
        owners.put(alt, l.name());
      }
    }
    var have = cur == null ? java.util.List.<String>of() : cur.altNames();
    var p = "interfaces[" + d.name() + "].alt-names";
    for (int i = 0; i < list.size(); i++) {
      var a = list.get(i);
      if (a.name() == null) {
        continue;
      }
      var ap = at + ".alt-names[" + i + "].name";
      if (a.absent()) {
        if (have.contains(a.name())) {
          ctx.add(
              new OptionOps.SetAltName(
                  d.name(), a.name(), false, new Op.Diff(p, "lacks " + a.name(), "has it")));
        }
        continue;
      }
      if (have.contains(a.name())) {
        continue;
      }
      var owner = owners.get(a.name());
      if (owner != null) {
        ctx.problem(ap, "alt-name " + a.name() + " is already used by interface " + owner);
      } else if (ctx.current(a.name()) != null || ctx.willExist(a.name())) {
        ctx.problem(ap, "alt-name " + a.name() + " is the name of another interface");
      } else {
        ctx.add(
            new OptionOps.SetAltName(
                d.name(), a.name(), true, new Op.Diff(p, "has " + a.name(), "lacks it")));
      }
    }
  }

  private static void ethtool(Interface d, NodeLink cur, String at, PlanContext ctx) {
    var want = d.common().options().ethtool();
    if (want == null) {
      return;
    }
    var env = ctx.snapshot().extras().env();
    var p = "interfaces[" + d.name() + "].ethtool";
    OptionOps.EthtoolChange change;
    String diffs;
    if (cur == null) {
      // A link this plan creates: its settings are known once it exists; send what is given.
      change = all(want);
      diffs = p;
    } else {
      var plan =
          EthtoolMapping.plan(
              d.name(), want, ctx.snapshot().extras().ethtool().get(d.name()), at + ".ethtool", p);
      plan.problems().forEach(ctx::problem);
      if (!plan.problems().isEmpty()) {
        return;
      }
      change = plan.change();
      diffs = String.join(", ", plan.changed());
    }
    if (!change.isEmpty()) {
      ctx.add(
          new OptionOps.SetEthtool(
              env == null ? null : env.netns(),
              d.name(),
              change,
              new Op.Diff(diffs, "set", cur == null ? "new interface" : "different")));
    }
  }

  private static OptionOps.EthtoolChange all(io.multihome.state.EthtoolConfig want) {
    Map<Integer, Long> rings = new java.util.TreeMap<>();
    if (want.ring() != null) {
      put(rings, "rx", want.ring().rx());
      put(rings, "rx-jumbo", want.ring().rxJumbo());
      put(rings, "rx-mini", want.ring().rxMini());
      put(rings, "tx", want.ring().tx());
    }
    Map<Integer, Long> coalesce = new java.util.TreeMap<>();
    if (want.coalesce() != null) {
      var c = want.coalesce();
      if (c.adaptiveRx() != null) {
        coalesce.put(
            io.multihome.agent.netlink.EthtoolSettings.COALESCE.get("adaptive-rx"),
            c.adaptiveRx() ? 1L : 0L);
      }
      if (c.adaptiveTx() != null) {
        coalesce.put(
            io.multihome.agent.netlink.EthtoolSettings.COALESCE.get("adaptive-tx"),
            c.adaptiveTx() ? 1L : 0L);
      }
      c.numbers()
          .forEach(
              (k, v) ->
                  coalesce.put(io.multihome.agent.netlink.EthtoolSettings.COALESCE.get(k), v));
    }
    var pause =
        want.pause() == null
            ? null
            : new io.multihome.agent.netlink.EthtoolSettings.Pause(
                want.pause().autoneg(), want.pause().rx(), want.pause().tx());
    return new OptionOps.EthtoolChange(want.feature(), pause, rings, coalesce);
  }

  private static void put(Map<Integer, Long> m, String key, Long v) {
    if (v != null) {
      m.put(EthtoolMapping.RINGS.get(key), v);
    }
  }
}
