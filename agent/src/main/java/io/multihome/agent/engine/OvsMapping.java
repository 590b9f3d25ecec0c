package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.ovsdb.Datum;
import io.multihome.agent.ovsdb.OpenVswitchRow;
import io.multihome.state.BridgeConfig;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.OvnConfig;
import io.multihome.state.OvsBondMode;
import io.multihome.state.OvsBridgeConfig;
import io.multihome.state.OvsDb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * nmstate's OVS settings as OVSDB column values, and back: port VLANs ({@code vlan_mode}, {@code
 * tag}, {@code trunks}), bond modes ({@code bond_mode} and {@code lacp}), {@code ovs-db} maps, the
 * description key, and the global {@code ovs-db}/{@code ovn} merge into the Open_vSwitch row.
 */
final class OvsMapping {
  private OvsMapping() {}

  /** {@code ovs-db} given on a row: each map given replaces the row's; description kept apart. */
  static void rowDb(Map<String, JsonNode> cols, OvsDb db, String description) {
    var ext = new LinkedHashMap<>(OvsColumns.map(cols.get("external_ids")));
    if (db != null && db.externalIds() != null) {
      var kept = ext.get(OvsColumns.DESCRIPTION_KEY);
      ext = nonNull(db.externalIds());
      if (kept != null) {
        ext.put(OvsColumns.DESCRIPTION_KEY, kept);
      }
    }
    if (description != null) {
      if (description.isEmpty()) {
        ext.remove(OvsColumns.DESCRIPTION_KEY);
      } else {
        ext.put(OvsColumns.DESCRIPTION_KEY, description);
      }
    }
    cols.put("external_ids", Datum.map(ext));
    if (db != null && db.otherConfig() != null) {
      cols.put("other_config", Datum.map(nonNull(db.otherConfig())));
    }
  }

  private static LinkedHashMap<String, String> nonNull(Map<String, String> m) {
    var out = new LinkedHashMap<String, String>();
    m.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  /**
   * The Interface-row columns of an ovs-interface entry: type (internal or patch), the patch peer,
   * mtu_request and mac (unless the device {@code link} already has them and nothing is requested:
   * what show prints applies as is), ovs-db and, for a patch port, its description.
   */
  static void ifaceSettings(
      Map<String, JsonNode> cols,
      Interface.OvsInterface d,
      String at,
      NodeLink link,
      java.util.function.BiConsumer<String, String> problem) {
    var c = d.common();
    if (d.dpdk() != null) {
      problem.accept(at + ".dpdk", "DPDK ports are not supported by the engine");
    }
    var options = new LinkedHashMap<>(OvsColumns.map(cols.get("options")));
    if (d.isPatch()) {
      cols.put("type", Datum.atom("patch"));
      if (d.patch().peer() != null) {
        options.put("peer", d.patch().peer());
      }
      cols.put("mtu_request", Datum.empty());
      cols.put("mac", Datum.empty());
    } else {
      cols.put("type", Datum.atom("internal"));
      options.remove("peer");
      // Already so in the kernel with nothing requested (what show prints): nothing to write.
      boolean unset = cols.get("mtu_request").equals(Datum.empty());
      if (c.mtu() != null && !(unset && link != null && link.link().mtu() == c.mtu())) {
        cols.put("mtu_request", Datum.atom(c.mtu()));
      }
      if (c.macAddress() != null) {
        var mac = c.macAddress().toLowerCase(java.util.Locale.ROOT);
        boolean noMac = cols.get("mac").equals(Datum.empty());
        boolean same =
            link != null
                && link.link().mac() != null
                && link.link().mac().toString().equalsIgnoreCase(mac);
        if (!(noMac && same)) {
          cols.put("mac", Datum.atom(mac));
        }
      }
    }
    cols.put("options", Datum.map(options));
    // A patch port has no kernel device to hold its description: OVSDB keeps it.
    rowDb(cols, c.ovsDb(), d.isPatch() ? c.description() : null);
  }

  /**
   * A port's {@code vlan}: access → {@code vlan_mode=access tag=N}; trunk → {@code vlan_mode=trunk
   * trunks=[...]}; trunk with {@code enable-native} → {@code native-untagged} with the native tag;
   * an empty {@code vlan: {}} clears all three.
   */
  static void vlan(Map<String, JsonNode> cols, BridgeConfig.PortVlan v) {
    var trunks = new TreeSet<Long>();
    if (v.trunkTags() != null) {
      for (var t : v.trunkTags()) {
        if (t != null && t.min() != null && t.max() != null) {
          for (long id = t.min(); id <= t.max(); id++) {
            trunks.add(id);
          }
        }
      }
    }
    if (v.mode() == null) {
      cols.put("vlan_mode", Datum.empty());
      cols.put("tag", Datum.optional(v.tag() == null ? null : v.tag().longValue()));
      cols.put("trunks", OvsColumns.longs(trunks));
    } else if (v.mode() == BridgeConfig.PortVlanMode.ACCESS) {
      cols.put("vlan_mode", Datum.atom("access"));
      cols.put("tag", Datum.optional(v.tag() == null ? null : v.tag().longValue()));
      cols.put("trunks", Datum.empty());
    } else {
      boolean nativeVlan = Boolean.TRUE.equals(v.enableNative()) && v.tag() != null;
      cols.put("vlan_mode", Datum.atom(nativeVlan ? "native-untagged" : "trunk"));
      cols.put("tag", nativeVlan ? Datum.atom(v.tag().longValue()) : Datum.empty());
      cols.put("trunks", OvsColumns.longs(trunks));
    }
  }

  /** The {@code vlan} of a Port row, or null when it has no VLAN settings. */
  static BridgeConfig.PortVlan vlanOf(String mode, Long tag, List<Long> trunks) {
    if (mode == null && tag == null && trunks.isEmpty()) {
      return null;
    }
    var tags = new ArrayList<BridgeConfig.TrunkTag>();
    var sorted = new ArrayList<>(trunks);
    sorted.sort(null);
    for (int i = 0; i < sorted.size(); ) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      int min = sorted.get(i).intValue();
      int max = sorted.get(j).intValue();
      tags.add(min == max ? BridgeConfig.TrunkTag.id(min) : BridgeConfig.TrunkTag.range(min, max));
      i = j + 1;
    }
    var t = tag == null ? null : tag.intValue();
    if (mode == null) {
      return new BridgeConfig.PortVlan(null, t, null, tags.isEmpty() ? null : tags);
    }
    return switch (mode) {
      case "access" -> new BridgeConfig.PortVlan(BridgeConfig.PortVlanMode.ACCESS, t, null, null);
      case "native-untagged", "native-tagged" ->
          new BridgeConfig.PortVlan(BridgeConfig.PortVlanMode.TRUNK, t, true, tags);
      default -> new BridgeConfig.PortVlan(BridgeConfig.PortVlanMode.TRUNK, null, null, tags);
    };
  }

  /** A bond port's mode, delays and ovs-db. */
  static void bond(Map<String, JsonNode> cols, OvsBridgeConfig.Bond b) {
    if (b.mode() != null) {
      switch (b.mode()) {
        case ACTIVE_BACKUP, BALANCE_SLB -> {
          cols.put("bond_mode", Datum.atom(b.mode().wire()));
          cols.put("lacp", Datum.atom("off"));
        }
        case BALANCE_TCP -> {
          cols.put("bond_mode", Datum.atom(b.mode().wire()));
          cols.put("lacp", Datum.atom("active"));
        }
        case LACP -> {
          cols.put("bond_mode", Datum.empty());
          cols.put("lacp", Datum.atom("active"));
        }
      }
    }
    if (b.bondUpdelay() != null) {
      cols.put("bond_updelay", Datum.atom(b.bondUpdelay().longValue()));
    }
    if (b.bondDowndelay() != null) {
      cols.put("bond_downdelay", Datum.atom(b.bondDowndelay().longValue()));
    }
    rowDb(cols, b.ovsDb(), null);
  }

  /** The nmstate bond mode of a Port row's {@code bond_mode} and {@code lacp}. */
  static OvsBondMode bondModeOf(String bondMode, String lacp) {
    if (bondMode != null) {
      for (var m : OvsBondMode.values()) {
        if (m.wire().equals(bondMode)) {
          return m;
        }
      }
    }
    return "active".equals(lacp) ? OvsBondMode.LACP : null;
  }

  /**
   * The Open_vSwitch row's maps after {@code desired}'s {@code ovs-db} and {@code ovn}, or null
   * when it has neither. As nmstate: {@code ovs-db: {}} clears both maps; a map given merges (a
   * null value removes the key, an empty map clears it); the OVN mappings survive both and merge by
   * localnet ({@code state: absent} removes one).
   */
  static OvsSpec.Global merge(DesiredState desired, OpenVswitchRow root, PlanContext ctx) {
    var db = desired.ovsDb();
    var ovn = desired.ovn();
    if (db == null && ovn == null) {
      return null;
    }
    var ext = new LinkedHashMap<>(root.externalIds());
    var mappings = ext.remove(OvsDb.OVN_BRIDGE_MAPPINGS);
    var other = new LinkedHashMap<>(root.otherConfig());
    if (db != null) {
      if (db.externalIds() == null && db.otherConfig() == null) {
        ext.clear();
        other.clear();
      } else {
        ext = merged(db.externalIds(), ext);
        other = merged(db.otherConfig(), other);
      }
    }
    if (ovn != null && ovn.bridgeMappings() != null) {
      mappings = mappings(mappings, ovn, ctx);
    }
    if (mappings != null && !mappings.isEmpty()) {
      ext.put(OvsDb.OVN_BRIDGE_MAPPINGS, mappings);
    }
    return new OvsSpec.Global(ext, other);
  }

  private static LinkedHashMap<String, String> merged(
      Map<String, String> desired, LinkedHashMap<String, String> current) {
    if (desired == null) {
      return current;
    }
    var out = new LinkedHashMap<String, String>();
    if (desired.isEmpty()) {
      return out;
    }
    current.forEach(
        (k, v) -> {
          if (!desired.containsKey(k) || desired.get(k) != null) {
            out.put(k, v);
          }
        });
    desired.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** {@code localnet:bridge,...} after the document's mappings, sorted by localnet. */
  private static String mappings(String current, OvnConfig ovn, PlanContext ctx) {
    var m = parseMappings(current, ctx);
    for (var b : ovn.bridgeMappings()) {
      if (b.localnet() == null) {
        continue;
      }
      if (b.absent()) {
        m.remove(b.localnet());
      } else if (b.bridge() != null) {
        m.put(b.localnet(), b.bridge());
      }
    }
    var parts = new ArrayList<String>();
    m.forEach((k, v) -> parts.add(k + ":" + v));
    return String.join(",", parts);
  }

  /** {@code ovn-bridge-mappings} as localnet → bridge; a malformed entry is a plan problem. */
  static TreeMap<String, String> parseMappings(String value, PlanContext ctx) {
    var m = new TreeMap<String, String>();
    if (value == null || value.isEmpty()) {
      return m;
    }
    for (var item : value.split(",")) {
      if (item.isEmpty()) {
        continue;
      }
      var kv = item.split(":", -1);
      if (kv.length != 2 || kv[0].isEmpty() || kv[1].isEmpty()) {
        if (ctx != null) {
          ctx.problem(
              "ovn.bridge-mappings",
              "the node's external_ids:ovn-bridge-mappings holds '"
                  + item
                  + "', not <localnet>:<bridge>; fix it with ovs-vsctl first");
        }
        continue;
      }
      m.put(kv[0], kv[1]);
    }
    return m;
  }
}
