package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads nmstate's Open vSwitch parts: an {@code ovs-bridge}'s {@code bridge} section, an {@code
 * ovs-interface}'s {@code patch}/{@code dpdk}, {@code ovs-db} sections and the top-level {@code
 * ovn}; see {@link StateParser}.
 */
final class OvsParser {
  /** STP timers nmstate accepts in the map form; Open vSwitch takes them only as other_config. */
  private static final List<String> STP_TIMERS =
      List.of("forward-delay", "hello-time", "max-age", "priority");

  private OvsParser() {}

  static OvsBridgeConfig readBridge(Fields iface, boolean absent, ParseContext ctx) {
    var f = iface.object("bridge");
    if (f == null) {
      return null;
    }
    var allowExtra = f.bool("allow-extra-patch-ports");
    OvsBridgeConfig.Options options = null;
    var o = f.object("options");
    if (o != null) {
      var stp = readStp(o, ctx);
      options =
          new OvsBridgeConfig.Options(
              stp.enabled,
              stp.timers,
              boolOrString(o, "rstp", ctx),
              boolOrString(o, "mcast-snooping-enable", ctx),
              o.string("fail-mode"),
              o.string("datapath"));
      o.finish();
    }
    var portKey = f.alias("port", "ports");
    List<OvsBridgeConfig.Port> ports = null;
    var items = f.list(portKey);
    if (items != null) {
      ports = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        ports.add(readPort(items.get(i), Problem.index(f.path(portKey), i), absent, ctx));
      }
    }
    f.finish();
    return new OvsBridgeConfig(allowExtra, options, InterfaceParser.frozen(ports));
  }

  private record Stp(Boolean enabled, Extras timers) {}

  /** {@code stp: true}, {@code stp: "yes"} or {@code stp: {enabled: true, ...timers}}. */
  private static Stp readStp(Fields options, ParseContext ctx) {
    var v = options.value("stp");
    if (v == null) {
      return new Stp(null, Extras.NONE);
    }
    if (v.isObject()) {
      var s = options.object("stp");
      var enabled = s.bool("enabled");
      // The timers are read as the linux-bridge fields they are (so the model's schema keeps
      // them fields); Open vSwitch takes none of them and validation refuses each at its path.
      var timers = new LinkedHashMap<String, JsonNode>();
      for (var key : STP_TIMERS) {
        var t = s.value(key);
        if (t != null) {
          timers.put(key, t);
        }
      }
      s.finish();
      return new Stp(enabled, new Extras(timers, Map.of()));
    }
    var b = boolish(v);
    if (b == null) {
      ctx.problem(
          options.path("stp"),
          "must be true, false or {enabled: true|false}, not " + Fields.describe(v));
    }
    return new Stp(b, Extras.NONE);
  }

  /** nmstate's option_bool_or_string: a boolean or 1|0|true|false|yes|no|on|off|y|n. */
  private static Boolean boolOrString(Fields f, String key, ParseContext ctx) {
    var v = f.value(key);
    if (v == null) {
      return null;
    }
    var b = boolish(v);
    if (b == null) {
      ctx.problem(f.path(key), "must be true or false, not " + Fields.describe(v));
    }
    return b;
  }

  private static Boolean boolish(JsonNode v) {
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual()) {
      switch (v.textValue().toLowerCase(java.util.Locale.ROOT)) {
        case "1", "true", "yes", "on", "y" -> {
          return true;
        }
        case "0", "false", "no", "off", "n" -> {
          return false;
        }
        default -> {
          return null;
        }
      }
    }
    return null;
  }

  private static OvsBridgeConfig.Port readPort(
      JsonNode node, String at, boolean absent, ParseContext ctx) {
    var p = Fields.of(node, at, ctx);
    if (p == null) {
      return null;
    }
    if (!absent) {
      p.require("name", null);
    }
    var name = p.string("name");
    var vlanFields = p.object("vlan");
    var vlan = vlanFields == null ? null : BridgeParser.readPortVlan(vlanFields, ctx);
    OvsBridgeConfig.Bond bond = null;
    var b = p.object("link-aggregation");
    if (b != null) {
      var mode = b.choice("mode", OvsBondMode.class);
      var portKey = b.alias("port", "ports");
      List<String> members = null;
      var items = b.list(portKey);
      if (items != null) {
        members = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
          var m = Fields.of(items.get(i), Problem.index(b.path(portKey), i), ctx);
          if (m == null) {
            members.add(null);
            continue;
          }
          m.require("name", null);
          members.add(m.string("name"));
          m.finish();
        }
      }
      bond =
          new OvsBridgeConfig.Bond(
              mode,
              InterfaceParser.frozen(members),
              b.integer("bond-updelay"),
              b.integer("bond-downdelay"),
              readOvsDb(b, ctx));
      b.finish();
    }
    p.finish();
    return new OvsBridgeConfig.Port(name, vlan, bond);
  }

  /** {@code patch} of an ovs-interface. */
  static Interface.OvsPatchConfig readPatch(Fields iface, boolean absent) {
    var f = iface.object("patch");
    if (f == null) {
      return null;
    }
    if (!absent) {
      f.require("peer", null);
    }
    var patch = new Interface.OvsPatchConfig(f.string("peer"));
    f.finish();
    return patch;
  }

  /** The {@code ovs-db} section of {@code parent}, or null when it has none. */
  static OvsDb readOvsDb(Fields parent, ParseContext ctx) {
    var f = parent.object("ovs-db");
    if (f == null) {
      return null;
    }
    var db = new OvsDb(map(f, "external_ids", ctx), map(f, "other_config", ctx));
    f.finish();
    return db;
  }

  /**
   * A string map as nmstate reads it: numbers and booleans become their text, null means "remove
   * this key"; nested lists or mappings are errors.
   */
  private static Map<String, String> map(Fields f, String key, ParseContext ctx) {
    var raw = f.verbatim(key, ModelFields.Category.FIELD);
    if (raw == null || raw.isNull()) {
      return null;
    }
    if (raw.isTextual() && ctx.template(f.path(key), raw.textValue())) {
      return null;
    }
    if (!raw.isObject()) {
      ctx.problem(f.path(key), "must be a mapping of strings, not " + Fields.describe(raw));
      return null;
    }
    var out = new LinkedHashMap<String, String>();
    raw.fields()
        .forEachRemaining(
            e -> {
              var v = e.getValue();
              if (v.isNull()) {
                out.put(e.getKey(), null);
              } else if (v.isValueNode()) {
                out.put(e.getKey(), v.asText());
              } else {
                ctx.problem(
                    Problem.child(f.path(key), e.getKey()),
                    "must be a string, number or boolean, not " + Fields.describe(v));
              }
            });
    return out;
  }

  /** The top-level {@code ovn} section. */
  static OvnConfig readOvn(Fields top, ParseContext ctx) {
    var f = top.object("ovn");
    if (f == null) {
      return null;
    }
    List<OvnConfig.BridgeMapping> mappings = null;
    var items = f.list("bridge-mappings");
    if (items != null) {
      mappings = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        var m = Fields.of(items.get(i), Problem.index(f.path("bridge-mappings"), i), ctx);
        if (m == null) {
          mappings.add(new OvnConfig.BridgeMapping(null, null, false));
          continue;
        }
        m.require("localnet", null);
        var state = m.string("state");
        // "present" is nmstate's deprecated spelling of the default.
        if (state != null && !state.equals("absent") && !state.equals("present")) {
          ctx.problem(m.path("state"), "'" + state + "' is not one of absent, present");
        }
        boolean absent = "absent".equals(state);
        if (!absent) {
          m.require("bridge", "(the OVS bridge the localnet maps to)");
        }
        mappings.add(new OvnConfig.BridgeMapping(m.string("localnet"), m.string("bridge"), absent));
        m.finish();
      }
    }
    f.finish();
    return new OvnConfig(InterfaceParser.frozen(mappings));
  }
}
