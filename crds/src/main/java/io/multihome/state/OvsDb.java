package io.multihome.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code ovs-db} section: {@code external_ids} and {@code other_config} of an OVSDB row (the
 * {@code Open_vSwitch} row at the top level; a Bridge, Interface or bond Port row under an
 * interface). A map left out is null (kept as the row has it). A value read as null (YAML {@code
 * ~}) removes that key; numbers and booleans are kept as their text, as OVSDB stores strings.
 */
public record OvsDb(Map<String, String> externalIds, Map<String, String> otherConfig) {

  public OvsDb {
    externalIds = frozen(externalIds);
    otherConfig = frozen(otherConfig);
  }

  /** Null stays null; null values are allowed (they mean "remove this key"). */
  private static Map<String, String> frozen(Map<String, String> m) {
    return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** The key OVN reads its localnet → bridge mappings from; set through the {@code ovn} section. */
  public static final String OVN_BRIDGE_MAPPINGS = "ovn-bridge-mappings";
}
