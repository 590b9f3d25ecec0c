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

  /** The state nmstate applies: {@code up} when none is given. */
  public InterfaceState effectiveState() {
    return state == null ? InterfaceState.UP : state;
  }

  /** This with other {@code mptcp.address-flags}. */
  public Common withMptcp(List<String> flags) {
    return toBuilder().mptcpAddressFlags(flags).build();
  }

  /** This with other {@link InterfaceOptions}. */
  public Common withOptions(InterfaceOptions o) {
    return toBuilder().options(o).build();
  }

  /**
   * A copy of this to change some fields of (the readers rewrite a few fields of what they read).
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public boolean isAbsent() {
    return state == InterfaceState.ABSENT;
  }

  /**
   * A builder for {@code name} of {@code type} in {@code state}, every other field left out ({@link
   * Extras#NONE}, {@link InterfaceOptions#NONE}).
   */
  public static Builder builder(String name, InterfaceType type, InterfaceState state) {
    return new Builder(
        new Common(
            name,
            type,
            state,
            null,
            null,
            null,
            null,
            null,
            null,
            Extras.NONE,
            null,
            null,
            null,
            null,
            InterfaceOptions.NONE));
  }

  /** A copy to change the fields readers fill in afterwards; the rest stay as they were. */
  public static final class Builder {
    private final Common from;
    private InterfaceType type;
    private String description;
    private String controller;
    private IpConfig ipv4;
    private IpConfig ipv6;
    private Extras extras;
    private List<String> mptcpAddressFlags;
    private OvsDb ovsDb;
    private InterfaceOptions options;

    private Builder(Common from) {
      this.from = from;
      type = from.type;
      description = from.description;
      controller = from.controller;
      ipv4 = from.ipv4;
      ipv6 = from.ipv6;
      extras = from.extras;
      mptcpAddressFlags = from.mptcpAddressFlags;
      ovsDb = from.ovsDb;
      options = from.options;
    }

    public Builder type(InterfaceType t) {
      type = t;
      return this;
    }

    public Builder description(String d) {
      description = d;
      return this;
    }

    public Builder controller(String c) {
      controller = c;
      return this;
    }

    public Builder ipv4(IpConfig ip) {
      ipv4 = ip;
      return this;
    }

    public Builder ipv6(IpConfig ip) {
      ipv6 = ip;
      return this;
    }

    public Builder extras(Extras e) {
      extras = e;
      return this;
    }

    public Builder mptcpAddressFlags(List<String> flags) {
      mptcpAddressFlags = flags;
      return this;
    }

    public Builder ovsDb(OvsDb db) {
      ovsDb = db;
      return this;
    }

    public Builder options(InterfaceOptions o) {
      options = o;
      return this;
    }

    public Common build() {
      return new Common(
          from.name,
          type,
          from.state,
          from.mtu,
          from.macAddress,
          description,
          controller,
          ipv4,
          ipv6,
          extras,
          from.acceptAllMacAddresses,
          from.lldpEnabled,
          mptcpAddressFlags,
          ovsDb,
          options);
    }
  }
}
