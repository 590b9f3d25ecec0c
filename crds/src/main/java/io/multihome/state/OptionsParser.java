package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * Reads an interface's {@link InterfaceOptions}: {@code identifier}, {@code profile-name}, {@code
 * pci-address}, {@code copy-mac-from}, {@code alt-names}, {@code ethtool}, {@code dispatch} and
 * {@code 802.1x}.
 */
final class OptionsParser {
  private OptionsParser() {}

  static InterfaceOptions read(Fields f, JsonNode lldpNeighbors, ParseContext ctx) {
    var identifier = f.choice("identifier", Identifier.class);
    var profileName = f.string("profile-name");
    var pciAddress = f.string("pci-address");
    var copyMacFrom = f.string("copy-mac-from");
    var altNames = altNames(f, ctx);
    var ethtool = ethtool(f.object("ethtool"), ctx);
    InterfaceOptions.Dispatch dispatch = null;
    var d = f.object("dispatch");
    if (d != null) {
      dispatch =
          new InterfaceOptions.Dispatch(d.string("post-activation"), d.string("post-deactivation"));
      d.finish();
    }
    var ieee8021x = ieee8021x(f.object("802.1x"));
    var o =
        new InterfaceOptions(
            identifier,
            profileName,
            pciAddress,
            copyMacFrom,
            altNames,
            ethtool,
            dispatch,
            lldpNeighbors,
            ieee8021x);
    return o.isEmpty() ? InterfaceOptions.NONE : o;
  }

  /** {@code 802.1x}, nmstate's keys (its Ieee8021XConfig) plus auth-timeout and ca-path. */
  private static Ieee8021x ieee8021x(Fields x) {
    if (x == null) {
      return null;
    }
    var out =
        new Ieee8021x(
            x.string("identity"),
            x.strings("eap-methods"),
            x.string("private-key"),
            x.string("client-cert"),
            x.string("ca-cert"),
            x.string("private-key-password"),
            x.string("phase2-auth"),
            x.string("password"),
            x.longValue("auth-timeout"),
            x.string("ca-path"));
    x.finish();
    return out;
  }

  private static java.util.List<InterfaceOptions.AltName> altNames(Fields f, ParseContext ctx) {
    var items = f.list("alt-names");
    if (items == null) {
      return null;
    }
    var out = new ArrayList<InterfaceOptions.AltName>(items.size());
    for (int i = 0; i < items.size(); i++) {
      var a = Fields.of(items.get(i), Problem.index(f.path("alt-names"), i), ctx);
      if (a == null) {
        out.add(new InterfaceOptions.AltName(null, false));
        continue;
      }
      a.require("name", null);
      var name = a.string("name");
      var state = a.string("state");
      if (state != null && !state.equals("absent")) {
        ctx.problem(a.path("state"), "'" + state + "' is not valid here; the only state is absent");
      }
      a.finish();
      out.add(new InterfaceOptions.AltName(name, "absent".equals(state)));
    }
    return Collections.unmodifiableList(out);
  }

  private static EthtoolConfig ethtool(Fields f, ParseContext ctx) {
    if (f == null) {
      return null;
    }
    EthtoolConfig.Pause pause = null;
    var p = f.object("pause");
    if (p != null) {
      pause = new EthtoolConfig.Pause(p.bool("autoneg"), p.bool("rx"), p.bool("tx"));
      p.finish();
    }
    LinkedHashMap<String, Boolean> features = null;
    var feat = f.object("feature");
    if (feat != null) {
      features = new LinkedHashMap<>();
      for (var e : feat.all(Set.of()).entrySet()) {
        var at = feat.path(e.getKey());
        if (e.getValue().isTextual() && ctx.template(at, e.getValue().textValue())) {
          continue;
        }
        var value = bool(e.getValue(), at, ctx);
        var name = EthtoolConfig.FEATURE_ALIASES.getOrDefault(e.getKey(), e.getKey());
        if (value == null) {
          continue;
        }
        if (features.containsKey(name) && !features.get(name).equals(value)) {
          ctx.problem(
              feat.path(e.getKey()),
              "sets feature "
                  + name
                  + " to "
                  + value
                  + ", which the section already sets to "
                  + features.get(name));
        }
        features.put(name, value);
      }
      feat.finish();
    }
    EthtoolConfig.Ring ring = null;
    var r = f.object("ring");
    if (r != null) {
      ring =
          new EthtoolConfig.Ring(
              r.longValue("rx"),
              r.longValue("rx-jumbo"),
              r.longValue("rx-mini"),
              r.longValue("tx"),
              r.finish(Set.of(), Set.of("rx-max", "rx-jumbo-max", "rx-mini-max", "tx-max")));
    }
    EthtoolConfig.Coalesce coalesce = null;
    var c = f.object("coalesce");
    if (c != null) {
      var numbers = new LinkedHashMap<String, Long>();
      for (var key : EthtoolConfig.NUMBERS) {
        var v = c.longValue(key);
        if (v != null) {
          numbers.put(key, v);
        }
      }
      coalesce =
          new EthtoolConfig.Coalesce(
              c.bool("adaptive-rx"), c.bool("adaptive-tx"), Collections.unmodifiableMap(numbers));
      c.finish();
    }
    return new EthtoolConfig(
        pause,
        features == null ? null : Collections.unmodifiableMap(features),
        ring,
        coalesce,
        f.finish());
  }

  /** nmstate reads a feature as a boolean, "true"/"false" or "1"/"0". */
  private static Boolean bool(JsonNode v, String at, ParseContext ctx) {
    if (v != null && v.isBoolean()) {
      return v.booleanValue();
    }
    if (v != null && v.isTextual()) {
      var t = v.textValue().toLowerCase(java.util.Locale.ROOT);
      if (t.equals("true") || t.equals("1")) {
        return true;
      }
      if (t.equals("false") || t.equals("0")) {
        return false;
      }
    }
    ctx.problem(at, "must be true or false, not " + (v == null ? "null" : Fields.describe(v)));
    return null;
  }
}
