package io.multihome.agent.ovsdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open vSwitch configuration at one moment, read in one transaction (so the four tables agree):
 * the root row and every bridge, port and interface, with lookups by name and by reference.
 */
public record SwitchState(
    OpenVswitchRow root,
    Map<String, BridgeRow> bridges,
    Map<String, PortRow> ports,
    Map<String, InterfaceRow> interfaces) {

  /** Maps keyed by uuid, in the server's order. */
  public SwitchState {
    bridges = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bridges));
    ports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    interfaces = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
  }

  /** Reads the switch through {@code client}: four selects in one transaction. */
  public static SwitchState read(OvsdbClient client) {
    var tx = Transaction.openVswitch();
    int root = tx.select(OpenVswitchRow.TABLE, List.of(), OpenVswitchRow.COLUMNS);
    int br = tx.select(BridgeRow.TABLE, List.of(), BridgeRow.COLUMNS);
    int po = tx.select(PortRow.TABLE, List.of(), PortRow.COLUMNS);
    int in = tx.select(InterfaceRow.TABLE, List.of(), InterfaceRow.COLUMNS);
    var r = client.transact(tx);
    var roots = r.rows(root);
    if (roots.isEmpty()) {
      throw new OvsdbException(
          "OVSDB table Open_vSwitch is empty: the database was never initialized"
              + " (ovs-vsctl init)");
    }
    var bridges = new LinkedHashMap<String, BridgeRow>();
    r.rows(br).forEach(n -> put(bridges, BridgeRow.from(n), BridgeRow::uuid));
    var ports = new LinkedHashMap<String, PortRow>();
    r.rows(po).forEach(n -> put(ports, PortRow.from(n), PortRow::uuid));
    var ifaces = new LinkedHashMap<String, InterfaceRow>();
    r.rows(in).forEach(n -> put(ifaces, InterfaceRow.from(n), InterfaceRow::uuid));
    return new SwitchState(OpenVswitchRow.from(roots.get(0)), bridges, ports, ifaces);
  }

  private static <T> void put(Map<String, T> m, T row, java.util.function.Function<T, String> id) {
    m.put(id.apply(row), row);
  }

  /** The bridges the root row lists (rows nothing references are not part of the switch). */
  public List<BridgeRow> bridgeList() {
    var out = new ArrayList<BridgeRow>();
    for (var u : root.bridges()) {
      var b = bridges.get(u);
      if (b != null) {
        out.add(b);
      }
    }
    return out;
  }

  public BridgeRow bridge(String name) {
    for (var b : bridgeList()) {
      if (b.name().equals(name)) {
        return b;
      }
    }
    return null;
  }

  public List<PortRow> portsOf(BridgeRow b) {
    var out = new ArrayList<PortRow>();
    for (var u : b.ports()) {
      var p = ports.get(u);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  public List<InterfaceRow> interfacesOf(PortRow p) {
    var out = new ArrayList<InterfaceRow>();
    for (var u : p.interfaces()) {
      var i = interfaces.get(u);
      if (i != null) {
        out.add(i);
      }
    }
    return out;
  }

  /** Where an interface sits: its bridge and port. */
  public record Location(BridgeRow bridge, PortRow port, InterfaceRow iface) {}

  /** Every interface of every bridge by name, with its bridge and port. */
  public Map<String, Location> locations() {
    var out = new LinkedHashMap<String, Location>();
    for (var b : bridgeList()) {
      for (var p : portsOf(b)) {
        for (var i : interfacesOf(p)) {
          out.putIfAbsent(i.name(), new Location(b, p, i));
        }
      }
    }
    return out;
  }
}
