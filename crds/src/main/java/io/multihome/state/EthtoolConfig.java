package io.multihome.state;

import java.util.Map;

/**
 * {@code ethtool}: pause parameters, offload features (by kernel name: nmstate's command-line
 * aliases such as {@code gro} are read as {@code rx-gro}), ring sizes and interrupt coalescing. A
 * section or key left out is null (the node's value is kept).
 */
public record EthtoolConfig(
    Pause pause, Map<String, Boolean> feature, Ring ring, Coalesce coalesce, Extras extras) {

  /** {@code pause}: flow control. */
  public record Pause(Boolean autoneg, Boolean rx, Boolean tx) {}

  /** {@code ring}: descriptor ring sizes ({@code *-max} are reported, not set: in extras). */
  public record Ring(Long rx, Long rxJumbo, Long rxMini, Long tx, Extras extras) {}

  /**
   * {@code coalesce}: {@code adaptive-rx} and {@code adaptive-tx}, and the numeric settings by
   * their nmstate names ({@code rx-usecs}, {@code tx-frames}, ...) in {@link #NUMBERS} order.
   */
  public record Coalesce(Boolean adaptiveRx, Boolean adaptiveTx, Map<String, Long> numbers) {}

  /** nmstate's numeric coalesce keys. */
  public static final java.util.List<String> NUMBERS =
      java.util.List.of(
          "pkt-rate-high",
          "pkt-rate-low",
          "rx-frames",
          "rx-frames-high",
          "rx-frames-irq",
          "rx-frames-low",
          "rx-usecs",
          "rx-usecs-high",
          "rx-usecs-irq",
          "rx-usecs-low",
          "sample-interval",
          "stats-block-usecs",
          "tx-frames",
          "tx-frames-high",
          "tx-frames-irq",
          "tx-frames-low",
          "tx-usecs",
          "tx-usecs-high",
          "tx-usecs-irq",
          "tx-usecs-low");

  /** nmstate's command-line aliases of feature names (ethtool -K spellings) → kernel names. */
  public static final Map<String, String> FEATURE_ALIASES =
      Map.ofEntries(
          Map.entry("rx", "rx-checksum"),
          Map.entry("rx-checksumming", "rx-checksum"),
          Map.entry("ufo", "tx-udp-fragmentation"),
          Map.entry("gso", "tx-generic-segmentation"),
          Map.entry("generic-segmentation-offload", "tx-generic-segmentation"),
          Map.entry("gro", "rx-gro"),
          Map.entry("generic-receive-offload", "rx-gro"),
          Map.entry("lro", "rx-lro"),
          Map.entry("large-receive-offload", "rx-lro"),
          Map.entry("rxvlan", "rx-vlan-hw-parse"),
          Map.entry("rx-vlan-offload", "rx-vlan-hw-parse"),
          Map.entry("txvlan", "tx-vlan-hw-insert"),
          Map.entry("tx-vlan-offload", "tx-vlan-hw-insert"),
          Map.entry("ntuple", "rx-ntuple-filter"),
          Map.entry("ntuple-filters", "rx-ntuple-filter"),
          Map.entry("rxhash", "rx-hashing"),
          Map.entry("receive-hashing", "rx-hashing"));
}
