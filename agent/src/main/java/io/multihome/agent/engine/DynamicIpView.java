package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.multihome.agent.netlink.Address;
import io.multihome.state.Common;
import io.multihome.state.Extras;
import io.multihome.state.Interface;
import io.multihome.state.IpConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code show} presents dynamic IP as nmstate does: a leased or autoconf address carries {@code
 * valid-life-time}/{@code preferred-life-time} ({@code 3581sec}); an interface whose client runs
 * shows {@code dhcp}/{@code autoconf} with {@code auto-dns}, {@code auto-gateway}, {@code
 * auto-routes}, {@code auto-route-table-id} (and {@code auto-route-metric}, {@code dhcp-client-id},
 * {@code dhcp-duid} when set).
 */
final class DynamicIpView {
  private DynamicIpView() {}

  static Extras lifetimes(Address a) {
    var q = new LinkedHashMap<String, com.fasterxml.jackson.databind.JsonNode>();
    q.put("valid-life-time", JsonNodeFactory.instance.textNode(a.validLft() + "sec"));
    q.put("preferred-life-time", JsonNodeFactory.instance.textNode(a.preferredLft() + "sec"));
    return new Extras(Map.of(), q);
  }

  /** Whether a desired address entry is a dynamic one copied from {@code show} (nmstate skips). */
  static boolean isDynamicEntry(IpConfig.Address a) {
    var valid = a.extras() == null ? null : a.extras().queryOnly().get("valid-life-time");
    return valid != null && !"forever".equals(valid.asText());
  }

  static IpConfig withDhcp(IpConfig ip) {
    return ip.toBuilder().dhcp(true).build();
  }

  /** {@code iface} as read from the kernel, with the settings its clients run under. */
  static Interface annotate(Interface iface, AutoIp auto) {
    var c = iface.common();
    var v4 = auto.v4() == null ? c.ipv4() : v4(c.ipv4(), auto.v4());
    var v6 = auto.v6() == null ? c.ipv6() : v6(c.ipv6(), auto.v6());
    var common = c.toBuilder().ipv4(v4).ipv6(v6).build();
    return with(iface, common);
  }

  private static IpConfig v4(IpConfig ip, AutoIp.V4 a) {
    return new IpConfig(
        true,
        true,
        null,
        ip == null || ip.address() == null ? List.of() : ip.address(),
        a.autoDns(),
        a.autoGateway(),
        a.autoRoutes(),
        a.tableId(),
        a.metric(),
        Extras.NONE,
        null,
        a.clientId(),
        null,
        ip == null ? null : ip.forwarding());
  }

  private static IpConfig v6(IpConfig ip, AutoIp.V6 a) {
    return new IpConfig(
        true,
        a.dhcp(),
        a.autoconf(),
        ip == null || ip.address() == null ? List.of() : ip.address(),
        a.autoDns(),
        a.autoGateway(),
        a.autoRoutes(),
        a.tableId(),
        a.metric(),
        Extras.NONE,
        ip == null ? null : ip.addrGenMode(),
        null,
        a.duid(),
        null);
  }

  private static Interface with(Interface i, Common c) {
    return ShowReader.withCommon(i, c);
  }
}
