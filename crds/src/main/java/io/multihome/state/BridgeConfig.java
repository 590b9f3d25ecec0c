package io.multihome.state;

import java.util.List;
import java.util.Map;

/** The {@code bridge} section of a {@code linux-bridge}. */
public record BridgeConfig(Options options, List<Port> port) {

  /** {@code bridge.options}. The multicast tuning knobs are kept in {@code extras}. */
  public record Options(
      Stp stp,
      Long macAgeingTime,
      Integer groupFwdMask,
      String groupAddr,
      Boolean multicastSnooping,
      String vlanProtocol,
      Integer vlanDefaultPvid,
      Extras extras,
      Map<String, Object> multicast) {
    /**
     * {@code multicast}: the options of {@link BridgeMulticast#OPTIONS} that are given (Boolean,
     * Long, or the router mode's name), in input order.
     */
    public Options {
      multicast =
          multicast == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(multicast));
    }
  }

  /** {@code bridge.options.stp}; timers in seconds. */
  public record Stp(
      Boolean enabled, Integer forwardDelay, Integer helloTime, Integer maxAge, Integer priority) {}

  /** One entry of {@code bridge.port} (also spelled {@code ports}); the list is the full list. */
  public record Port(
      String name,
      Boolean stpHairpinMode,
      Integer stpPathCost,
      Integer stpPriority,
      PortVlan vlan,
      Extras extras) {
    public Port(
        String name,
        Boolean stpHairpinMode,
        Integer stpPathCost,
        Integer stpPriority,
        PortVlan vlan) {
      this(name, stpHairpinMode, stpPathCost, stpPriority, vlan, Extras.NONE);
    }
  }

  /** {@code vlan} of a bridge port: VLAN filtering for that port. */
  public record PortVlan(
      PortVlanMode mode, Integer tag, Boolean enableNative, List<TrunkTag> trunkTags) {}

  /** {@code trunk} or {@code access}. */
  public enum PortVlanMode implements Wire {
    TRUNK("trunk"),
    ACCESS("access");

    private final String wire;

    PortVlanMode(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  /**
   * One of {@code trunk-tags}: either {@code id: N} (then {@code min == max == N} and {@code range}
   * false) or {@code id-range: {min, max}}.
   */
  public record TrunkTag(Integer min, Integer max, boolean range) {
    public static TrunkTag id(Integer id) {
      return new TrunkTag(id, id, false);
    }

    public static TrunkTag range(Integer min, Integer max) {
      return new TrunkTag(min, max, true);
    }
  }
}
