package io.multihome.agent.cluster;

import java.time.Duration;

/**
 * Settings of the agent's bridge marker ({@link BridgeMarker}).
 *
 * @param enabled publish {@code bridge.network.kubevirt.io/<bridge>} node resources at all
 * @param debounce how long a burst of kernel events is collected before one sync (creating a bridge
 *     alone sends several RTM_NEWLINK messages)
 * @param resync a periodic sync on top of the events, for changes the events cannot show (someone
 *     else editing the node's status while its informer was disconnected)
 */
public record BridgeMarkerConfig(boolean enabled, Duration debounce, Duration resync) {

  public static BridgeMarkerConfig defaults() {
    return new BridgeMarkerConfig(true, Duration.ofMillis(100), Duration.ofMinutes(5));
  }

  public static BridgeMarkerConfig disabled() {
    return new BridgeMarkerConfig(false, Duration.ofMillis(100), Duration.ofMinutes(5));
  }
}
