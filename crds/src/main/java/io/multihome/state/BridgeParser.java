package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.BridgeConfig.PortVlanMode;
import io.multihome.state.BridgeConfig.TrunkTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the {@code bridge} section of a {@code linux-bridge}; see {@link StateParser}. */
final class BridgeParser {

  private static final Set<String> BRIDGE_OPTIONS_UNSUPPORTED = Set.of("allow-extra-ports");
  private static final Set<String> BRIDGE_OPTIONS_QUERY_ONLY = Set.of("gc-timer", "hello-timer");

  private BridgeParser() {}

  static BridgeConfig read(Fields iface, boolean absent, ParseContext ctx) {
    var f = iface.object("bridge");
    if (f == null) {
      return null;
    }
    BridgeConfig.Options options = null;
    var o = f.object("options");
    if (o != null) {
      BridgeConfig.Stp stp = null;
      var s = o.object("stp");
      if (s != null) {
        stp =
            new BridgeConfig.Stp(
                s.bool("enabled"),
                s.integer("forward-delay"),
                s.integer("hello-time"),
                s.integer("max-age"),
                s.integer("priority"));
        s.finish();
      }
      var maskKey = o.alias("group-fwd-mask", "group-forward-mask");
      var multicast = new java.util.LinkedHashMap<String, Object>();
      for (var e : BridgeMulticast.OPTIONS.entrySet()) {
        Object v =
            switch (e.getValue()) {
              case BOOL -> o.bool(e.getKey());
              case NUMBER -> o.longValue(e.getKey());
              case ROUTER -> router(o, e.getKey(), ctx);
            };
        if (v != null) {
          multicast.put(e.getKey(), v);
        }
      }
      options =
          new BridgeConfig.Options(
              stp,
              o.longValue("mac-ageing-time"),
              o.integer(maskKey),
              o.string("group-addr"),
              o.bool("multicast-snooping"),
              o.string("vlan-protocol"),
              o.integer("vlan-default-pvid"),
              o.finish(BRIDGE_OPTIONS_UNSUPPORTED, BRIDGE_OPTIONS_QUERY_ONLY),
              multicast);
    }
    var portKey = f.alias("port", "ports");
    List<BridgeConfig.Port> ports = null;
    var items = f.list(portKey);
    if (items != null) {
      ports = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        ports.add(readPort(items.get(i), Problem.index(f.path(portKey), i), absent, ctx));
      }
    }
    f.finish();
    return new BridgeConfig(options, InterfaceParser.frozen(ports));
  }

  /** auto, disabled, enabled — or nmstate's numbers 1, 0, 2 — read as the name. */
  private static String router(Fields o, String key, ParseContext ctx) {
    var v = o.value(key);
    if (v == null) {
      return null;
    }
    var text = v.isTextual() ? v.textValue() : v.isIntegralNumber() ? v.asText() : null;
    if (text != null && text.matches("[012]")) {
      return BridgeMulticast.ROUTER_MODES[Integer.parseInt(text)];
    }
    if (text != null && java.util.Arrays.asList(BridgeMulticast.ROUTER_MODES).contains(text)) {
      return text;
    }
    ctx.problem(o.path(key), Fields.describe(v) + " is not one of auto, disabled, enabled");
    return null;
  }

  private static BridgeConfig.Port readPort(
      JsonNode node, String at, boolean absent, ParseContext ctx) {
    var p = Fields.of(node, at, ctx);
    if (p == null) {
      return new BridgeConfig.Port(null, null, null, null, null);
    }
    if (!absent) {
      p.require("name", null);
    }
    var name = p.string("name");
    var hairpin = p.bool("stp-hairpin-mode");
    var cost = p.integer("stp-path-cost");
    var priority = p.integer("stp-priority");
    var v = p.object("vlan");
    var vlan = v == null ? null : readPortVlan(v, ctx);
    var extras = p.finish(Set.of("identifier", "mac-address", "iface-type"), Set.of());
    return new BridgeConfig.Port(name, hairpin, cost, priority, vlan, extras);
  }

  /** A port's {@code vlan} section (linux-bridge and ovs-bridge ports share it). */
  static BridgeConfig.PortVlan readPortVlan(Fields v, ParseContext ctx) {
    var mode = v.choice("mode", PortVlanMode.class);
    var tag = v.integer("tag");
    var enableNative = v.bool("enable-native");
    List<TrunkTag> tags = null;
    var tagItems = v.list("trunk-tags");
    if (tagItems != null) {
      tags = new ArrayList<>(tagItems.size());
      for (int i = 0; i < tagItems.size(); i++) {
        tags.add(readTrunkTag(tagItems.get(i), Problem.index(v.path("trunk-tags"), i), ctx));
      }
    }
    v.finish();
    return new BridgeConfig.PortVlan(mode, tag, enableNative, InterfaceParser.frozen(tags));
  }

  private static TrunkTag readTrunkTag(JsonNode node, String at, ParseContext ctx) {
    var t = Fields.of(node, at, ctx);
    if (t == null) {
      return TrunkTag.id(null);
    }
    boolean hasId = t.has("id");
    boolean hasRange = t.has("id-range");
    if (hasId == hasRange) {
      ctx.problem(at, "give exactly one of 'id' or 'id-range'");
    }
    var id = t.integer("id");
    var r = t.object("id-range");
    TrunkTag tag;
    if (r != null) {
      r.require("min", null);
      r.require("max", null);
      tag = TrunkTag.range(r.integer("min"), r.integer("max"));
      r.finish();
    } else {
      tag = hasRange ? TrunkTag.range(null, null) : TrunkTag.id(id);
    }
    t.finish();
    return tag;
  }
}
