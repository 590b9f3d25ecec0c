package io.multihome.state;

import java.util.List;

/**
 * An {@code ipv4} or {@code ipv6} section. {@code autoconf} exists only for IPv6; {@code address}
 * is the full list (nmstate replaces, never merges, it) or null when not given; {@code addrGenMode}
 * (IPv6: eui64 or stable-privacy) how the link-local address is made. {@code dhcpClientId} (IPv4:
 * {@code ll}, {@code iaid+duid}, {@code none} or hex bytes) and {@code dhcpDuid} (IPv6: {@code ll},
 * {@code llt}, {@code en}, {@code uuid} or hex bytes) identify the DHCP client.
 */
public record IpConfig(
    Boolean enabled,
    Boolean dhcp,
    Boolean autoconf,
    List<Address> address,
    Boolean autoDns,
    Boolean autoGateway,
    Boolean autoRoutes,
    Long autoRouteTableId,
    Long autoRouteMetric,
    Extras extras,
    String addrGenMode,
    String dhcpClientId,
    String dhcpDuid,
    Boolean forwarding) {

  /**
   * A section with only {@code enabled}, {@code dhcp}, {@code autoconf} and {@code address} given
   * (what the kernel shows of a static setup).
   */
  public static IpConfig of(
      Boolean enabled, Boolean dhcp, Boolean autoconf, List<Address> address) {
    return new IpConfig(
        enabled,
        dhcp,
        autoconf,
        address,
        null,
        null,
        null,
        null,
        null,
        Extras.NONE,
        null,
        null,
        null,
        null);
  }

  /** This with another {@code forwarding}. */
  public IpConfig withForwarding(Boolean f) {
    return toBuilder().forwarding(f).build();
  }

  /** A copy of this to change some fields of. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether this section asks for an address by DHCP (IPv4) or DHCPv6/autoconf (IPv6). */
  public boolean dynamic() {
    return !Boolean.FALSE.equals(enabled)
        && (Boolean.TRUE.equals(dhcp) || Boolean.TRUE.equals(autoconf));
  }

  /** One static address: {@code ip} and {@code prefix-length}. */
  public record Address(String ip, Integer prefixLength, Extras extras) {}

  /** Changes the fields the kernel readers fill in afterwards; the rest stay as they were. */
  public static final class Builder {
    private final IpConfig from;
    private Boolean dhcp;
    private List<Address> address;
    private String addrGenMode;
    private Boolean forwarding;

    private Builder(IpConfig from) {
      this.from = from;
      dhcp = from.dhcp;
      address = from.address;
      addrGenMode = from.addrGenMode;
      forwarding = from.forwarding;
    }

    public Builder dhcp(Boolean d) {
      dhcp = d;
      return this;
    }

    public Builder address(List<Address> a) {
      address = a;
      return this;
    }

    public Builder addrGenMode(String mode) {
      addrGenMode = mode;
      return this;
    }

    public Builder forwarding(Boolean f) {
      forwarding = f;
      return this;
    }

    public IpConfig build() {
      return new IpConfig(
          from.enabled,
          dhcp,
          from.autoconf,
          address,
          from.autoDns,
          from.autoGateway,
          from.autoRoutes,
          from.autoRouteTableId,
          from.autoRouteMetric,
          from.extras,
          addrGenMode,
          from.dhcpClientId,
          from.dhcpDuid,
          forwarding);
    }
  }
}
