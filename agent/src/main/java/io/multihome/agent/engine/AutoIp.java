package io.multihome.agent.engine;

import io.multihome.state.IpConfig;

/**
 * What a dynamic-IP client keeps on one interface, derived from its {@code ipv4}/{@code ipv6}
 * sections with nmstate's defaults filled in: {@code v4} null means no DHCPv4, {@code v6} null
 * neither DHCPv6 nor autoconf. Carried from the engine to {@link DynamicIp} (and over the agent's
 * socket as JSON), so it holds only plain values.
 */
public record AutoIp(V4 v4, V6 v6) {

  /**
   * DHCPv4. {@code tableId} 0 is the main table; {@code metric} null the default; {@code clientId}
   * null the default ({@code ll}).
   */
  public record V4(
      boolean autoDns,
      boolean autoGateway,
      boolean autoRoutes,
      long tableId,
      Long metric,
      String clientId) {}

  /** DHCPv6 ({@code dhcp}) and/or router-advertisement autoconf ({@code autoconf}). */
  public record V6(
      boolean dhcp,
      boolean autoconf,
      boolean autoDns,
      boolean autoGateway,
      boolean autoRoutes,
      long tableId,
      Long metric,
      String duid) {}

  public boolean isEmpty() {
    return v4 == null && v6 == null;
  }

  /**
   * The settings an interface's sections ask for, merged as nmstate merges: a section (or key) left
   * out keeps {@code current}'s value, {@code enabled: false} or {@code dhcp: false} turns that
   * family off. Null when nothing is dynamic.
   */
  public static AutoIp of(IpConfig ipv4, IpConfig ipv6, AutoIp current) {
    var cur = current == null ? new AutoIp(null, null) : current;
    var v4 = v4(ipv4, cur.v4());
    var v6 = v6(ipv6, cur.v6());
    return v4 == null && v6 == null ? null : new AutoIp(v4, v6);
  }

  private static V4 v4(IpConfig ip, V4 cur) {
    if (ip == null) {
      return cur;
    }
    if (Boolean.FALSE.equals(ip.enabled()) || Boolean.FALSE.equals(ip.dhcp())) {
      return null;
    }
    if (ip.dhcp() == null && cur == null) {
      return null;
    }
    return new V4(
        or(ip.autoDns(), cur == null || cur.autoDns()),
        or(ip.autoGateway(), cur == null || cur.autoGateway()),
        or(ip.autoRoutes(), cur == null || cur.autoRoutes()),
        ip.autoRouteTableId() != null ? ip.autoRouteTableId() : cur == null ? 0 : cur.tableId(),
        ip.autoRouteMetric() != null ? ip.autoRouteMetric() : cur == null ? null : cur.metric(),
        ip.dhcpClientId() != null ? ip.dhcpClientId() : cur == null ? null : cur.clientId());
  }

  private static V6 v6(IpConfig ip, V6 cur) {
    if (ip == null) {
      return cur;
    }
    if (Boolean.FALSE.equals(ip.enabled())) {
      return null;
    }
    boolean dhcp = ip.dhcp() != null ? ip.dhcp() : cur != null && cur.dhcp();
    boolean autoconf = ip.autoconf() != null ? ip.autoconf() : cur != null && cur.autoconf();
    if (!dhcp && !autoconf) {
      return null;
    }
    return new V6(
        dhcp,
        autoconf,
        or(ip.autoDns(), cur == null || cur.autoDns()),
        or(ip.autoGateway(), cur == null || cur.autoGateway()),
        or(ip.autoRoutes(), cur == null || cur.autoRoutes()),
        ip.autoRouteTableId() != null ? ip.autoRouteTableId() : cur == null ? 0 : cur.tableId(),
        ip.autoRouteMetric() != null ? ip.autoRouteMetric() : cur == null ? null : cur.metric(),
        ip.dhcpDuid() != null ? ip.dhcpDuid() : cur == null ? null : cur.duid());
  }

  private static boolean or(Boolean given, boolean otherwise) {
    return given != null ? given : otherwise;
  }
}
