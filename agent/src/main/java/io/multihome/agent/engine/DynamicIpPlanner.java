package io.multihome.agent.engine;

import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The dynamic-IP part of a plan: for each interface the document names (or lists as a port), the
 * DHCP/autoconf settings it asks for ({@link AutoIp#of}) against those in effect; each difference
 * becomes one {@link Configure} op run through the {@link DynamicIp}. Turning a client off runs
 * with the address removals (a NIC that becomes a bridge port gives up its lease before it is
 * enslaved), turning one on after addresses, once the link exists, is up and has its final MAC.
 */
final class DynamicIpPlanner {
  /** Why the engine refuses DHCP when nobody runs a client. */
  static final String NO_CLIENT =
      "a DHCP client, which runs in the multihome agent (this engine has none)";

  private DynamicIpPlanner() {}

  /** One interface's settings changed; {@code previous} is what a rollback puts back. */
  record Configure(String name, AutoIp settings, AutoIp previous, DynamicIp client, Op.Diff diff)
      implements ServiceConfigure<AutoIp> {
    @Override
    public String describe() {
      return settings == null
          ? "dhcp stop " + name + " (lease released once the apply is committed)"
          : "dhcp start " + name + ": " + text(settings);
    }

    @Override
    public void configure(Map<String, AutoIp> change) {
      client.configure(change);
    }
  }

  static List<Op> plan(DesiredState desired, DynamicIp client) {
    var current = client.settings();
    var wanted = new LinkedHashMap<String, AutoIp>();
    var ports = new LinkedHashSet<String>();
    for (var i : desired.interfacesOrEmpty()) {
      if (i instanceof Interface.Unsupported) {
        continue;
      }
      var state = i.common().effectiveState();
      if (state == InterfaceState.IGNORE || state == InterfaceState.ABSENT) {
        continue;
      }
      if (i instanceof Interface.LinuxBridge b) {
        ports.addAll(b.portNames());
      } else if (i instanceof Interface.Bond b
          && b.linkAggregation() != null
          && b.linkAggregation().port() != null) {
        ports.addAll(b.linkAggregation().port());
      }
    }
    for (var i : desired.interfacesOrEmpty()) {
      if (i instanceof Interface.Unsupported) {
        continue;
      }
      var c = i.common();
      var state = c.effectiveState();
      if (state == InterfaceState.IGNORE) {
        continue;
      }
      boolean port =
          ports.contains(i.name()) || (c.controller() != null && !c.controller().isEmpty());
      wanted.put(
          i.name(),
          state == InterfaceState.ABSENT || port
              ? null
              : AutoIp.of(c.ipv4(), c.ipv6(), current.get(i.name())));
    }
    // A NIC named only in a bridge's port list loses its IP (and its lease) like a listed one.
    for (var p : ports) {
      wanted.putIfAbsent(p, null);
    }
    var ops = new ArrayList<Op>();
    for (var e : wanted.entrySet()) {
      var name = e.getKey();
      var want = e.getValue();
      var have = current.get(name);
      if (java.util.Objects.equals(want, have)) {
        continue;
      }
      ops.add(
          new Configure(
              name,
              want,
              have,
              client,
              new Op.Diff(
                  "interfaces[" + name + "].ipv4.dhcp",
                  want == null ? "off" : text(want),
                  have == null ? "off" : text(have))));
    }
    return ops;
  }

  /** The ops' previous settings, to configure back on rollback. */
  static Map<String, AutoIp> previous(Plan plan) {
    return ServiceConfigure.byName(plan, Configure.class, c -> true, Configure::previous);
  }

  /** Interfaces the plan asks a lease for (DHCPv4 or DHCPv6): verification waits for them. */
  static List<String> leased(Plan plan) {
    var out = new ArrayList<String>();
    for (var op : plan.ops()) {
      if (op instanceof Configure c
          && c.settings() != null
          && (c.settings().v4() != null
              || (c.settings().v6() != null && c.settings().v6().dhcp()))) {
        out.add(c.name());
      }
    }
    return Collections.unmodifiableList(out);
  }

  static String text(AutoIp a) {
    var j = new StringJoiner("; ");
    if (a.v4() != null) {
      var v = a.v4();
      j.add(
          "dhcp4"
              + flags(v.autoDns(), v.autoGateway(), v.autoRoutes(), v.tableId(), v.metric())
              + (v.clientId() == null ? "" : " client-id " + v.clientId()));
    }
    if (a.v6() != null) {
      var v = a.v6();
      j.add(
          (v.dhcp() && v.autoconf() ? "dhcp6+autoconf" : v.dhcp() ? "dhcp6" : "autoconf")
              + flags(v.autoDns(), v.autoGateway(), v.autoRoutes(), v.tableId(), v.metric())
              + (v.duid() == null ? "" : " duid " + v.duid()));
    }
    return j.toString();
  }

  private static String flags(boolean dns, boolean gw, boolean routes, long table, Long metric) {
    var sb = new StringBuilder();
    sb.append(dns ? " auto-dns" : " no-auto-dns");
    sb.append(gw ? " auto-gateway" : " no-auto-gateway");
    sb.append(routes ? " auto-routes" : " no-auto-routes");
    if (table != 0) {
      sb.append(" table ").append(table);
    }
    if (metric != null) {
      sb.append(" metric ").append(metric);
    }
    return sb.toString();
  }
}
