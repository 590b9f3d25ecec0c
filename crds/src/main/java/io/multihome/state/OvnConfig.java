package io.multihome.state;

import java.util.List;

/**
 * The top-level {@code ovn} section: OVN localnet → OVS bridge mappings, merged with the node's
 * (listed mappings are set, {@code state: absent} ones removed, others kept). Stored by Open
 * vSwitch as {@code external_ids:ovn-bridge-mappings} of the {@code Open_vSwitch} row.
 */
public record OvnConfig(List<BridgeMapping> bridgeMappings) {

  /** One mapping; {@code bridge} may be left out only when {@code absent}. */
  public record BridgeMapping(String localnet, String bridge, boolean absent) {}
}
