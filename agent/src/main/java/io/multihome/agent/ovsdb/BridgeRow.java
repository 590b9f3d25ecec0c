package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A {@code Bridge} row: the columns nmstate's {@code ovs-bridge} maps to. {@code failMode} is null
 * when unset ({@code fail_mode} is optional); {@code datapathType} empty means the default ({@code
 * system}, the kernel datapath).
 */
public record BridgeRow(
    String uuid,
    String name,
    List<String> ports,
    boolean stpEnable,
    boolean rstpEnable,
    boolean mcastSnoopingEnable,
    String failMode,
    String datapathType,
    Map<String, String> externalIds,
    Map<String, String> otherConfig) {

  public static final String TABLE = "Bridge";
  public static final List<String> COLUMNS =
      List.of(
          "_uuid",
          "name",
          "ports",
          "stp_enable",
          "rstp_enable",
          "mcast_snooping_enable",
          "fail_mode",
          "datapath_type",
          "external_ids",
          "other_config");

  public BridgeRow {
    ports = List.copyOf(ports);
    externalIds = Map.copyOf(externalIds);
    otherConfig = Map.copyOf(otherConfig);
  }

  /** Reads a row as {@code select} or a monitor returns it; a malformed column names itself. */
  public static BridgeRow from(JsonNode row) {
    return Rows.read(
        TABLE,
        row,
        r ->
            new BridgeRow(
                r.uuid(),
                r.string("name"),
                r.uuids("ports"),
                r.bool("stp_enable"),
                r.bool("rstp_enable"),
                r.bool("mcast_snooping_enable"),
                r.optionalString("fail_mode"),
                r.string("datapath_type"),
                r.map("external_ids"),
                r.map("other_config")));
  }
}
