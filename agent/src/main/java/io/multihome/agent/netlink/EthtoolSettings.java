package io.multihome.agent.netlink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A link's ethtool settings as the kernel reports them over ethtool netlink: offload features
 * (ETHTOOL_MSG_FEATURES_GET: which are changeable and which are on), pause parameters, ring sizes
 * and coalescing. A section the driver does not implement is null; coalesce holds only the
 * parameters the driver supports (the kernel leaves the others out of its reply).
 */
public record EthtoolSettings(
    Features features, Pause pause, Rings rings, Map<Integer, Long> coalesce) {

  /** {@code changeable}: names the driver lets user space toggle; {@code active}: those on. */
  public record Features(Set<String> changeable, Set<String> active, Set<String> all) {
    public Features {
      changeable = new TreeSet<>(changeable);
      active = new TreeSet<>(active);
      all = new TreeSet<>(all);
    }

    /** The kernel's value of a feature it knows, or null. */
    public Boolean value(String name) {
      return all.contains(name) ? active.contains(name) : null;
    }
  }

  /** Flow control: pause frame auto-negotiation, receive and transmit. */
  public record Pause(Boolean autoneg, Boolean rx, Boolean tx) {}

  /**
   * Ring sizes by ETHTOOL_A_RINGS_* attribute (RX_MAX 2 .. TX 9); only those the kernel reported.
   */
  public record Rings(Map<Integer, Long> values) {
    public Rings {
      values = new TreeMap<>(values);
    }

    public Long get(int attr) {
      return values.get(attr);
    }
  }

  // ETHTOOL_A_RINGS_*
  public static final int RINGS_RX_MAX = 2;
  public static final int RINGS_RX_MINI_MAX = 3;
  public static final int RINGS_RX_JUMBO_MAX = 4;
  public static final int RINGS_TX_MAX = 5;
  public static final int RINGS_RX = 6;
  public static final int RINGS_RX_MINI = 7;
  public static final int RINGS_RX_JUMBO = 8;
  public static final int RINGS_TX = 9;

  /** ETHTOOL_A_COALESCE_* by nmstate's name; the two {@code adaptive-*} ones are u8 flags. */
  public static final Map<String, Integer> COALESCE = coalesceAttrs();

  public static final Set<Integer> COALESCE_FLAGS = Set.of(11, 12);

  private static Map<String, Integer> coalesceAttrs() {
    var m = new LinkedHashMap<String, Integer>();
    var names =
        List.of(
            "rx-usecs",
            "rx-frames",
            "rx-usecs-irq",
            "rx-frames-irq",
            "tx-usecs",
            "tx-frames",
            "tx-usecs-irq",
            "tx-frames-irq",
            "stats-block-usecs",
            "adaptive-rx",
            "adaptive-tx",
            "pkt-rate-low",
            "rx-usecs-low",
            "rx-frames-low",
            "tx-usecs-low",
            "tx-frames-low",
            "pkt-rate-high",
            "rx-usecs-high",
            "rx-frames-high",
            "tx-usecs-high",
            "tx-frames-high",
            "sample-interval");
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), i + 2);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
