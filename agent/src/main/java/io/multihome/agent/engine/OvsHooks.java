package io.multihome.agent.engine;

import io.multihome.agent.ovsdb.SwitchState;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.InterfaceType;

/**
 * The few questions the shared planner code asks about Open vSwitch, so that its hooks stay one
 * line each: which entries are wholly the OVS planner's, what type a kernel link made by OVS has,
 * whether a controller is an OVS bridge, and what in a document needs Open vSwitch at all.
 */
final class OvsHooks {
  private OvsHooks() {}

  /** The path of the first part of {@code desired} that needs Open vSwitch, or null. */
  static String needsOvs(DesiredState d) {
    var list = d.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      var iface = list.get(i);
      var state = iface.common().effectiveState();
      if (state == InterfaceState.ABSENT || state == InterfaceState.IGNORE) {
        continue;
      }
      if (iface instanceof Interface.OvsBridge || iface instanceof Interface.OvsInterface) {
        return "interfaces[" + i + "].type";
      }
      if (iface.common().ovsDb() != null) {
        return "interfaces[" + i + "].ovs-db";
      }
    }
    if (d.ovsDb() != null) {
      return "ovs-db";
    }
    return d.ovn() != null ? "ovn" : null;
  }

  /**
   * Whether the whole entry is this planner's (the interface planner leaves it alone): an OVS
   * bridge, a patch port, and the removal of anything that is an OVS bridge or OVS-made device.
   */
  static boolean ownsEntry(Interface d, PlanContext ctx) {
    if (d instanceof Interface.OvsBridge) {
      return true;
    }
    if (d instanceof Interface.OvsInterface o && (o.isPatch() || d.common().isAbsent())) {
      return true;
    }
    var sw = switchOf(ctx);
    if (sw == null) {
      return false;
    }
    if (d.common().isAbsent()) {
      var l = sw.locations().get(d.name());
      return sw.bridge(d.name()) != null || (l != null && !l.iface().isSystem());
    }
    return d instanceof Interface.Untyped
        && sw.bridge(d.name()) != null
        && ctx.current(d.name()) == null;
  }

  /** The type of a kernel link, {@code ovs-interface} for the devices of OVS internal ports. */
  static InterfaceType kernelType(NodeLink link, PlanContext ctx) {
    var sw = switchOf(ctx);
    if (sw != null) {
      var l = sw.locations().get(link.name());
      if (l != null && l.iface().type().equals("internal")) {
        return InterfaceType.OVS_INTERFACE;
      }
    }
    return StateReader.typeOf(link);
  }

  /** Whether {@code controller} names an OVS bridge (of the document or the switch). */
  static boolean isOvsBridge(String controller, PlanContext ctx) {
    var sw = switchOf(ctx);
    return (sw != null && sw.bridge(controller) != null) || ctx.listsOvsBridge(controller);
  }

  private static SwitchState switchOf(PlanContext ctx) {
    var o = ctx.snapshot().ovs();
    return o == null ? null : o.state();
  }
}
