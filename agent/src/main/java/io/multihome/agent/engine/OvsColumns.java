package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.ovsdb.BridgeRow;
import io.multihome.agent.ovsdb.Datum;
import io.multihome.agent.ovsdb.InterfaceRow;
import io.multihome.agent.ovsdb.PortRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OVSDB columns the engine manages, as JSON values in one canonical form (sets sorted, maps by
 * key) so a desired and a current value compare with {@code equals}; and the nmstate path each
 * column stands for, for plan and verification messages.
 */
final class OvsColumns {
  private OvsColumns() {}

  /** The key under which a bridge's or patch port's {@code description} is kept. */
  static final String DESCRIPTION_KEY = "multihome.description";

  static final List<String> BRIDGE =
      List.of(
          "datapath_type",
          "stp_enable",
          "rstp_enable",
          "mcast_snooping_enable",
          "fail_mode",
          "external_ids",
          "other_config");
  static final List<String> PORT =
      List.of(
          "vlan_mode",
          "tag",
          "trunks",
          "bond_mode",
          "lacp",
          "bond_updelay",
          "bond_downdelay",
          "external_ids",
          "other_config");
  static final List<String> IFACE =
      List.of("type", "options", "mtu_request", "mac", "external_ids", "other_config");

  static Map<String, JsonNode> of(BridgeRow b) {
    var m = new LinkedHashMap<String, JsonNode>();
    m.put("datapath_type", Datum.atom(b.datapathType()));
    m.put("stp_enable", Datum.atom(b.stpEnable()));
    m.put("rstp_enable", Datum.atom(b.rstpEnable()));
    m.put("mcast_snooping_enable", Datum.atom(b.mcastSnoopingEnable()));
    m.put("fail_mode", Datum.optional(b.failMode()));
    m.put("external_ids", Datum.map(b.externalIds()));
    m.put("other_config", Datum.map(b.otherConfig()));
    return m;
  }

  static Map<String, JsonNode> newBridge() {
    var m = new LinkedHashMap<String, JsonNode>();
    m.put("datapath_type", Datum.atom(""));
    m.put("stp_enable", Datum.atom(false));
    m.put("rstp_enable", Datum.atom(false));
    m.put("mcast_snooping_enable", Datum.atom(false));
    m.put("fail_mode", Datum.empty());
    m.put("external_ids", Datum.map(Map.of()));
    m.put("other_config", Datum.map(Map.of()));
    return m;
  }

  static Map<String, JsonNode> of(PortRow p) {
    var m = new LinkedHashMap<String, JsonNode>();
    m.put("vlan_mode", Datum.optional(p.vlanMode()));
    m.put("tag", Datum.optional(p.tag()));
    m.put("trunks", longs(p.trunks()));
    m.put("bond_mode", Datum.optional(p.bondMode()));
    m.put("lacp", Datum.optional(p.lacp()));
    m.put("bond_updelay", Datum.atom(p.bondUpdelay()));
    m.put("bond_downdelay", Datum.atom(p.bondDowndelay()));
    m.put("external_ids", Datum.map(p.externalIds()));
    m.put("other_config", Datum.map(p.otherConfig()));
    return m;
  }

  static Map<String, JsonNode> newPort() {
    var m = new LinkedHashMap<String, JsonNode>();
    m.put("vlan_mode", Datum.empty());
    m.put("tag", Datum.empty());
    m.put("trunks", Datum.empty());
    m.put("bond_mode", Datum.empty());
    m.put("lacp", Datum.empty());
    m.put("bond_updelay", Datum.atom(0L));
    m.put("bond_downdelay", Datum.atom(0L));
    m.put("external_ids", Datum.map(Map.of()));
    m.put("other_config", Datum.map(Map.of()));
    return m;
  }

  static Map<String, JsonNode> of(InterfaceRow i) {
    var m = new LinkedHashMap<String, JsonNode>();
    m.put("type", Datum.atom(i.type()));
    m.put("options", Datum.map(i.options()));
    m.put("mtu_request", Datum.optional(i.mtuRequest()));
    m.put("mac", Datum.optional(i.mac()));
    m.put("external_ids", Datum.map(i.externalIds()));
    m.put("other_config", Datum.map(i.otherConfig()));
    return m;
  }

  static Map<String, JsonNode> newInterface(String type) {
    var m = new LinkedHashMap<String, JsonNode>();
    m.put("type", Datum.atom(type));
    m.put("options", Datum.map(Map.of()));
    m.put("mtu_request", Datum.empty());
    m.put("mac", Datum.empty());
    m.put("external_ids", Datum.map(Map.of()));
    m.put("other_config", Datum.map(Map.of()));
    return m;
  }

  /** A set of integers, sorted. */
  static JsonNode longs(Collection<Long> values) {
    var sorted = new ArrayList<>(values);
    sorted.sort(Comparator.naturalOrder());
    return Datum.set(sorted);
  }

  /** A set of references ({@code ["uuid", U]} or {@code ["named-uuid", N]}), sorted. */
  static JsonNode refs(Collection<JsonNode> refs) {
    var sorted = new ArrayList<>(refs);
    sorted.sort(Comparator.comparing(JsonNode::toString));
    return Datum.set(sorted);
  }

  /** A string map column read back (for merging), empty when unset. */
  static Map<String, String> map(JsonNode value) {
    return Datum.stringMap(value);
  }

  /** The nmstate path (under {@code interfaces[NAME]}) a column of {@code table} stands for. */
  static String path(String table, String column) {
    return switch (table + "." + column) {
      case "Bridge.datapath_type" -> "bridge.options.datapath";
      case "Bridge.stp_enable" -> "bridge.options.stp";
      case "Bridge.rstp_enable" -> "bridge.options.rstp";
      case "Bridge.mcast_snooping_enable" -> "bridge.options.mcast-snooping-enable";
      case "Bridge.fail_mode" -> "bridge.options.fail-mode";
      case "Port.vlan_mode" -> "vlan.mode";
      case "Port.tag" -> "vlan.tag";
      case "Port.trunks" -> "vlan.trunk-tags";
      case "Port.bond_mode", "Port.lacp" -> "link-aggregation.mode";
      case "Port.bond_updelay" -> "link-aggregation.bond-updelay";
      case "Port.bond_downdelay" -> "link-aggregation.bond-downdelay";
      case "Interface.type" -> "type";
      case "Interface.options" -> "patch";
      case "Interface.mtu_request" -> "mtu";
      case "Interface.mac" -> "mac-address";
      default ->
          column.equals("external_ids") || column.equals("other_config")
              ? "ovs-db." + column
              : column;
    };
  }
}
