package io.multihome.agent.cni.exec;

import java.util.Map;
import java.util.Optional;

/**
 * Plugin types that name another plugin's binary. OpenShift Virtualization (KubeVirt's cluster
 * network addons operator, {@code data/linux-bridge/002-linux-bridge.yaml}) installs the reference
 * {@code bridge} and {@code tuning} plugins a second time as {@code cnv-bridge} and {@code
 * cnv-tuning}, and its documents' NADs use those names; the binaries and their configs are the
 * reference ones. A node without them (any cluster that is not OpenShift, the lab) runs the
 * reference plugin for the alias, with the config unchanged. A binary installed under the alias
 * itself still wins, so an OpenShift node runs exactly what it ships.
 */
public final class PluginAliases {

  private static final Map<String, String> TARGETS =
      Map.of("cnv-bridge", "bridge", "cnv-tuning", "tuning");

  private PluginAliases() {}

  /** The binary an alias stands for, or empty when {@code type} is no alias. */
  public static Optional<String> target(String type) {
    return Optional.ofNullable(TARGETS.get(type));
  }

  /** Every alias and its binary (documentation, tests). */
  public static Map<String, String> all() {
    return TARGETS;
  }
}
