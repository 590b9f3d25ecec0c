package io.multihome.state;

import java.util.List;

/**
 * Fields every interface kind shares. {@code type} is null when the document leaves it out (the
 * engine then takes it from the node's current state); {@code state} is null when left out (nmstate
 * applies {@code up}). {@code acceptAllMacAddresses} is promiscuous mode; {@code lldpEnabled} is
 * {@code lldp.enabled}. {@code ovsDb} is the interface's {@code ovs-db} section (for ovs-bridge,
 * ovs-interface and system ports of an OVS bridge); {@code options} the keys beyond the link's own
 * settings (identifier, alt-names, ethtool, dispatch...).
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
    Extras extras,
    Boolean acceptAllMacAddresses,
    Boolean lldpEnabled,
    List<String> mptcpAddressFlags,
    OvsDb ovsDb,
    InterfaceOptions options) {

  /** {@code options} is never null ({@link InterfaceOptions#NONE} when none is given). */
  public Common {
    options = options == null ? InterfaceOptions.NONE : options;
  }

  /** Without {@link InterfaceOptions}. */
  public Common(
      String name,
      InterfaceType type,
      InterfaceState state,
      Integer mtu,
      String macAddress,
      String description,
      String controller,
      IpConfig ipv4,
      IpConfig ipv6,
      Extras extras,
      Boolean acceptAllMacAddresses,
      Boolean lldpEnabled,
      List<String> mptcpAddressFlags,
      OvsDb ovsDb) {
    this(
        name,
        type,
        state,
        mtu,
        macAddress,
        description,
        controller,
        ipv4,
        ipv6,
        extras,
        acceptAllMacAddresses,
        lldpEnabled,
        mptcpAddressFlags,
        ovsDb,
        InterfaceOptions.NONE);
  }

  /**
   * Without {@code mptcp.address-flags} (the MPTCP endpoint flags of its addresses), ovs-db and
   * {@link InterfaceOptions}.
   */
  public Common(
      String name,
      InterfaceType type,
      InterfaceState state,
      Integer mtu,
      String macAddress,
      String description,
      String controller,
      IpConfig ipv4,
      IpConfig ipv6,
      Extras extras,
      Boolean acceptAllMacAddresses,
      Boolean lldpEnabled) {
    this(
        name,
        type,
        state,
        mtu,
        macAddress,
        description,
        controller,
        ipv4,
        ipv6,
        extras,
        acceptAllMacAddresses,
        lldpEnabled,
        null,
        null,
        InterfaceOptions.NONE);
  }

  /**
   * Without {@code accept-all-mac-addresses}, {@code lldp}, MPTCP flags, {@code ovs-db} and {@link
   * InterfaceOptions}.
   */
  public Common(
      String name,
      InterfaceType type,
      InterfaceState state,
      Integer mtu,
      String macAddress,
      String description,
      String controller,
      IpConfig ipv4,
      IpConfig ipv6,
      Extras extras) {
    this(
        name,
        type,
        state,
        mtu,
        macAddress,
        description,
        controller,
        ipv4,
        ipv6,
        extras,
        null,
        null,
        null,
        null,
        InterfaceOptions.NONE);
  }

  /** The state nmstate applies: {@code up} when none is given. */
  public InterfaceState effectiveState() {
    return state == null ? InterfaceState.UP : state;
  }

  /** This with other {@code mptcp.address-flags}. */
  public Common withMptcp(List<String> flags) {
    return new Common(
        name,
        type,
        state,
        mtu,
        macAddress,
        description,
        controller,
        ipv4,
        ipv6,
        extras,
        acceptAllMacAddresses,
        lldpEnabled,
        flags,
        ovsDb,
        options);
  }

  /** This with other {@link InterfaceOptions}. */
  public Common withOptions(InterfaceOptions o) {
    return new Common(
        name,
        type,
        state,
        mtu,
        macAddress,
        description,
        controller,
        ipv4,
        ipv6,
        extras,
        acceptAllMacAddresses,
        lldpEnabled,
        mptcpAddressFlags,
        ovsDb,
        o);
  }

  public boolean isAbsent() {
    return state == InterfaceState.ABSENT;
  }
}
