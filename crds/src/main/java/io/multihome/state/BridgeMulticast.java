package io.multihome.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The multicast tuning options of a linux bridge ({@code bridge.options.multicast-*} and {@code
 * hash-max}) as nmstate spells them, with the kind of value each takes. Intervals are in hundredths
 * of a second, as the kernel and nmstate's show give them.
 */
public final class BridgeMulticast {

  /** What one option holds. */
  public enum Value {
    /** true or false. */
    BOOL,
    /** A count or an interval (non-negative integer). */
    NUMBER,
    /** {@code multicast-router}: auto, disabled or enabled (nmstate also takes 1, 0, 2). */
    ROUTER
  }

  /** Every option, in nmstate's order. */
  public static final Map<String, Value> OPTIONS = options();

  /** The router modes by the kernel's number (0 disabled, 1 temporary query = auto, 2 on). */
  public static final String[] ROUTER_MODES = {"disabled", "auto", "enabled"};

  private BridgeMulticast() {}

  private static Map<String, Value> options() {
    var m = new LinkedHashMap<String, Value>();
    m.put("hash-max", Value.NUMBER);
    m.put("multicast-last-member-count", Value.NUMBER);
    m.put("multicast-last-member-interval", Value.NUMBER);
    m.put("multicast-membership-interval", Value.NUMBER);
    m.put("multicast-querier", Value.BOOL);
    m.put("multicast-querier-interval", Value.NUMBER);
    m.put("multicast-query-interval", Value.NUMBER);
    m.put("multicast-query-response-interval", Value.NUMBER);
    m.put("multicast-query-use-ifaddr", Value.BOOL);
    m.put("multicast-router", Value.ROUTER);
    m.put("multicast-startup-query-count", Value.NUMBER);
    m.put("multicast-startup-query-interval", Value.NUMBER);
    return java.util.Collections.unmodifiableMap(m);
  }
}
