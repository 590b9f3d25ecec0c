package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The one {@code Open_vSwitch} row: the bridge list, the switch-wide {@code external_ids} (where
 * OVN reads {@code ovn-bridge-mappings}) and {@code other_config}, and the configuration sequence
 * numbers: a client bumps {@code next_cfg} with a change and ovs-vswitchd copies it to {@code
 * cur_cfg} once the change is in effect.
 */
public record OpenVswitchRow(
    String uuid,
    List<String> bridges,
    long nextCfg,
    long curCfg,
    Map<String, String> externalIds,
    Map<String, String> otherConfig,
    List<String> datapathTypes) {

  public static final String TABLE = "Open_vSwitch";
  public static final List<String> COLUMNS =
      List.of(
          "_uuid",
          "bridges",
          "next_cfg",
          "cur_cfg",
          "external_ids",
          "other_config",
          "datapath_types");

  public OpenVswitchRow {
    bridges = List.copyOf(bridges);
    externalIds = Map.copyOf(externalIds);
    otherConfig = Map.copyOf(otherConfig);
    datapathTypes = List.copyOf(datapathTypes);
  }

  public static OpenVswitchRow from(JsonNode row) {
    return Rows.read(
        TABLE,
        row,
        r ->
            new OpenVswitchRow(
                r.uuid(),
                r.uuids("bridges"),
                r.longOr("next_cfg", 0),
                r.longOr("cur_cfg", 0),
                r.map("external_ids"),
                r.map("other_config"),
                r.strings("datapath_types")));
  }
}
