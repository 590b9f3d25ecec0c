package io.multihome.state;

import java.util.List;

/**
 * An {@code ipv4} or {@code ipv6} section. {@code autoconf} exists only for IPv6; {@code address}
 * is the full list (nmstate replaces, never merges, it) or null when not given.
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
    Extras extras) {

  /** One static address: {@code ip} and {@code prefix-length}. */
  public record Address(String ip, Integer prefixLength, Extras extras) {}
}
