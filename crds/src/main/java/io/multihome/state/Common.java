package io.multihome.state;

/**
 * Fields every interface kind shares. {@code ovsDb} is the interface's {@code ovs-db} section (for
 * ovs-bridge, ovs-interface and system ports of an OVS bridge). {@code type} is null when the
 * document leaves it out (the engine then takes it from the node's current state); {@code state} is
 * null when left out (nmstate applies {@code up}).
 */
public record Common(
    String name,
    InterfaceType type,
    InterfaceState state,
    Integer mtu,
    String macAddress,
    String description,
    String controller,
    IpConfig ipv4,
    IpConfig ipv6,
    OvsDb ovsDb,
    Extras extras) {

  /** The state nmstate applies: {@code up} when none is given. */
  public InterfaceState effectiveState() {
    return state == null ? InterfaceState.UP : state;
  }

  public boolean isAbsent() {
    return state == InterfaceState.ABSENT;
  }
}
