package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * An {@code Interface} row. {@code type} is empty for a system (kernel) interface, else {@code
 * internal}, {@code patch}, {@code dpdk}...; {@code options} holds e.g. a patch port's {@code
 * peer}. {@code error} is what ovs-vswitchd reports when it could not set the interface up (null
 * when fine); {@code ofport} is set once it did.
 */
public record InterfaceRow(
    String uuid,
    String name,
    String type,
    Map<String, String> options,
    Long mtuRequest,
    String mac,
    Long ofport,
    String error,
    Map<String, String> externalIds,
    Map<String, String> otherConfig) {

  public static final String TABLE = "Interface";
  public static final List<String> COLUMNS =
      List.of(
          "_uuid",
          "name",
          "type",
          "options",
          "mtu_request",
          "mac",
          "ofport",
          "error",
          "external_ids",
          "other_config");

  public InterfaceRow {
    options = Map.copyOf(options);
    externalIds = Map.copyOf(externalIds);
    otherConfig = Map.copyOf(otherConfig);
  }

  public static InterfaceRow from(JsonNode row) {
    return Rows.read(
        TABLE,
        row,
        r ->
            new InterfaceRow(
                r.uuid(),
                r.string("name"),
                r.string("type"),
                r.map("options"),
                r.optionalLong("mtu_request"),
                r.optionalString("mac"),
                r.optionalLong("ofport"),
                r.optionalString("error"),
                r.map("external_ids"),
                r.map("other_config")));
  }

  /** A kernel interface OVS opens by name (type empty or {@code system}). */
  public boolean isSystem() {
    return type.isEmpty() || type.equals("system");
  }
}
