package io.multihome.state;

import java.util.List;

/**
 * An {@code ipv4} or {@code ipv6} section. {@code autoconf} exists only for IPv6; {@code address}
 * is the full list (nmstate replaces, never merges, it) or null when not given; {@code addrGenMode}
 * (IPv6: eui64 or stable-privacy) how the link-local address is made.
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
    String addrGenMode) {

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
        null);
  }

  /** One static address: {@code ip} and {@code prefix-length}. */
  public record Address(String ip, Integer prefixLength, Extras extras) {}
}
