package io.multihome.agent.engine;

import io.multihome.state.BridgeMulticast;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * nmstate's bridge multicast tuning options ({@link BridgeMulticast}) and the kernel's
 * IFLA_BR_MCAST_* attributes, both ways, with the names {@code ip link} gives them.
 */
final class BridgeMulticastMapping {
  /** nmstate key → IFLA_BR attribute type. */
  static final Map<String, Integer> ATTRS =
      Map.ofEntries(
          Map.entry("multicast-router", 22),
          Map.entry("multicast-query-use-ifaddr", 24),
          Map.entry("multicast-querier", 25),
          Map.entry("hash-max", 27),
          Map.entry("multicast-last-member-count", 28),
          Map.entry("multicast-startup-query-count", 29),
          Map.entry("multicast-last-member-interval", 30),
          Map.entry("multicast-membership-interval", 31),
          Map.entry("multicast-querier-interval", 32),
          Map.entry("multicast-query-interval", 33),
          Map.entry("multicast-query-response-interval", 34),
          Map.entry("multicast-startup-query-interval", 35));

  /** IFLA_BR attribute type → the option's name in ip-link(8). */
  static final Map<Integer, String> IP_NAMES =
      Map.ofEntries(
          Map.entry(22, "mcast_router"),
          Map.entry(24, "mcast_query_use_ifaddr"),
          Map.entry(25, "mcast_querier"),
          Map.entry(27, "mcast_hash_max"),
          Map.entry(28, "mcast_last_member_count"),
          Map.entry(29, "mcast_startup_query_count"),
          Map.entry(30, "mcast_last_member_interval"),
          Map.entry(31, "mcast_membership_interval"),
          Map.entry(32, "mcast_querier_interval"),
          Map.entry(33, "mcast_query_interval"),
          Map.entry(34, "mcast_query_response_interval"),
          Map.entry(35, "mcast_startup_query_interval"));

  private BridgeMulticastMapping() {}

  /** Model values (Boolean, Long, router name) → attribute values. */
  static Map<Integer, Long> toKernel(Map<String, Object> options) {
    var out = new TreeMap<Integer, Long>();
    options.forEach(
        (k, v) -> {
          var attr = ATTRS.get(k);
          if (attr == null) {
            return;
          }
          long n;
          if (v instanceof Boolean b) {
            n = b ? 1 : 0;
          } else if (v instanceof String router) {
            n = java.util.Arrays.asList(BridgeMulticast.ROUTER_MODES).indexOf(router);
          } else {
            n = ((Number) v).longValue();
          }
          out.put(attr, n);
        });
    return out;
  }

  /** Attribute values → model values, in nmstate's order. */
  static Map<String, Object> toModel(Map<Integer, Long> attrs) {
    var out = new LinkedHashMap<String, Object>();
    for (var e : BridgeMulticast.OPTIONS.entrySet()) {
      var v = attrs.get(ATTRS.get(e.getKey()));
      if (v == null) {
        continue;
      }
      out.put(
          e.getKey(),
          switch (e.getValue()) {
            case BOOL -> v != 0;
            case NUMBER -> v;
            case ROUTER ->
                v >= 0 && v < BridgeMulticast.ROUTER_MODES.length
                    ? BridgeMulticast.ROUTER_MODES[v.intValue()]
                    : null;
          });
    }
    out.values().removeIf(java.util.Objects::isNull);
    return out;
  }
}
