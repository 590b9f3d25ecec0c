package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.netlink.EthtoolSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the engine reads beside the rtnetlink dumps, only when a state or {@code show} needs it:
 * ethtool settings (by link name), SR-IOV {@code sriov_drivers_autoprobe} (by PF name), the kept
 * settings of the state directory, the host name, the LLDP neighbours the agent's listener heard
 * and the balance-slb nftables tables ({@link BondSlb}: their listings by bond name).
 */
public record NodeExtras(
    Map<String, EthtoolSettings> ethtool,
    Map<String, Boolean> driversAutoprobe,
    KeptSettings kept,
    Hostnames hostname,
    Map<String, List<JsonNode>> lldpNeighbors,
    Env env,
    Map<String, String> slb) {

  public static final NodeExtras EMPTY =
      new NodeExtras(Map.of(), Map.of(), KeptSettings.EMPTY, null, Map.of(), null);

  /** Without balance-slb tables. */
  public NodeExtras(
      Map<String, EthtoolSettings> ethtool,
      Map<String, Boolean> driversAutoprobe,
      KeptSettings kept,
      Hostnames hostname,
      Map<String, List<JsonNode>> lldpNeighbors,
      Env env) {
    this(ethtool, driversAutoprobe, kept, hostname, lldpNeighbors, env, Map.of());
  }

  /**
   * Where the target's settings outside the kernel live: its network namespace (null: the
   * process's), the kept-settings file, the static host name file, and whether the running host
   * name may be changed (see {@link HostnamePlanner}). Null in snapshots read without an engine.
   */
  public record Env(String netns, Path keptFile, Path hostnameFile, String hostnameRefusal) {}

  public NodeExtras {
    ethtool = ethtool == null ? Map.of() : Map.copyOf(ethtool);
    driversAutoprobe = driversAutoprobe == null ? Map.of() : Map.copyOf(driversAutoprobe);
    kept = kept == null ? KeptSettings.EMPTY : kept;
    lldpNeighbors = lldpNeighbors == null ? Map.of() : Map.copyOf(lldpNeighbors);
    slb = slb == null ? Map.of() : Map.copyOf(slb);
  }

  /**
   * {@code running}: the kernel's host name (of the calling thread's UTS namespace); {@code
   * config}: the static host name file's content ("" when there is none).
   */
  public record Hostnames(String running, String config) {}
}
