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

  /** Without {@code forwarding} (IPv4: the interface's forwarding sysctl). */
  public IpConfig(
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
      String dhcpDuid) {
    this(
        enabled,
        dhcp,
        autoconf,
        address,
        autoDns,
        autoGateway,
        autoRoutes,
        autoRouteTableId,
        autoRouteMetric,
        extras,
        addrGenMode,
        dhcpClientId,
        dhcpDuid,
        null);
  }

  /** This with another {@code forwarding}. */
  public IpConfig withForwarding(Boolean f) {
    return new IpConfig(
        enabled,
        dhcp,
        autoconf,
        address,
        autoDns,
        autoGateway,
        autoRoutes,
        autoRouteTableId,
        autoRouteMetric,
        extras,
        addrGenMode,
        dhcpClientId,
        dhcpDuid,
        f);
  }

  /** Without the DHCP identifiers. */
  public IpConfig(
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
      String addrGenMode) {
    this(
        enabled,
        dhcp,
        autoconf,
        address,
        autoDns,
        autoGateway,
        autoRoutes,
        autoRouteTableId,
        autoRouteMetric,
        extras,
        addrGenMode,
        null,
        null);
  }

  /** Without {@code addr-gen-mode}. */
  public IpConfig(
      Boolean enabled,
      Boolean dhcp,
      Boolean autoconf,
      List<Address> address,
      Boolean autoDns,
      Boolean autoGateway,
      Boolean autoRoutes,
      Long autoRouteTableId,
      Long autoRouteMetric,
      Extras extras) {
    this(
        enabled,
        dhcp,
        autoconf,
        address,
        autoDns,
        autoGateway,
        autoRoutes,
        autoRouteTableId,
        autoRouteMetric,
        extras,
        null,
        null,
        null);
  }

  /** Whether this section asks for an address by DHCP (IPv4) or DHCPv6/autoconf (IPv6). */
  public boolean dynamic() {
    return !Boolean.FALSE.equals(enabled)
        && (Boolean.TRUE.equals(dhcp) || Boolean.TRUE.equals(autoconf));
  }

  /** One static address: {@code ip} and {@code prefix-length}. */
  public record Address(String ip, Integer prefixLength, Extras extras) {}
}
