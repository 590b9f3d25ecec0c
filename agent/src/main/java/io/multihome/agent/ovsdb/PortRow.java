package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A {@code Port} row: its interfaces (more than one makes a bond), VLAN ({@code vlan_mode}, {@code
 * tag}, {@code trunks}) and bond settings. Optional columns are null when empty.
 */
public record PortRow(
    String uuid,
    String name,
    List<String> interfaces,
    String vlanMode,
    Long tag,
    List<Long> trunks,
    String bondMode,
    long bondUpdelay,
    long bondDowndelay,
    String lacp,
    Map<String, String> externalIds,
    Map<String, String> otherConfig) {

  public static final String TABLE = "Port";
  public static final List<String> COLUMNS =
      List.of(
          "_uuid",
          "name",
          "interfaces",
          "vlan_mode",
          "tag",
          "trunks",
          "bond_mode",
          "bond_updelay",
          "bond_downdelay",
          "lacp",
          "external_ids",
          "other_config");

  public PortRow {
    interfaces = List.copyOf(interfaces);
    trunks = List.copyOf(trunks);
    externalIds = Map.copyOf(externalIds);
    otherConfig = Map.copyOf(otherConfig);
  }

  public static PortRow from(JsonNode row) {
    return Rows.read(
        TABLE,
        row,
        r ->
            new PortRow(
                r.uuid(),
                r.string("name"),
                r.uuids("interfaces"),
                r.optionalString("vlan_mode"),
                r.optionalLong("tag"),
                r.longs("trunks"),
                r.optionalString("bond_mode"),
                r.longOr("bond_updelay", 0),
                r.longOr("bond_downdelay", 0),
                r.optionalString("lacp"),
                r.map("external_ids"),
                r.map("other_config")));
  }
}
