package io.multihome.state;

import java.util.List;

/**
 * The {@code bridge} section of an {@code ovs-bridge}. The port list, when given, is the bridge's
 * full list; {@code allowExtraPatchPorts} keeps patch ports it does not name.
 */
public record OvsBridgeConfig(Boolean allowExtraPatchPorts, Options options, List<Port> port) {

  /** Names of the interfaces the ports hold (a bond's members instead of the bond), in order. */
  public List<String> interfaceNames() {
    if (port == null) {
      return List.of();
    }
    var out = new java.util.ArrayList<String>();
    for (var p : port) {
      if (p == null) {
        continue;
      }
      if (p.linkAggregation() != null && p.linkAggregation().port() != null) {
        out.addAll(p.linkAggregation().port());
      } else if (p.linkAggregation() == null) {
        out.add(p.name());
      }
    }
    return out;
  }

  /**
   * {@code bridge.options}. {@code stp} is read from {@code stp: true} or {@code stp: {enabled:
   * true}}; STP timers given in the map form are kept in {@code stpTimers} (refused: Open vSwitch
   * takes them only as other_config).
   */
  public record Options(
      Boolean stp,
      Extras stpTimers,
      Boolean rstp,
      Boolean mcastSnoopingEnable,
      String failMode,
      String datapath) {}

  /**
   * One port: a single interface named {@code name}, or a bond ({@code linkAggregation}) of the
   * interfaces it lists, named {@code name}.
   */
  public record Port(String name, BridgeConfig.PortVlan vlan, Bond linkAggregation) {}

  /** An OVS bond port; its {@code ovs-db} applies to the Port row. */
  public record Bond(
      OvsBondMode mode,
      List<String> port,
      Integer bondUpdelay,
      Integer bondDowndelay,
      OvsDb ovsDb) {}
}
