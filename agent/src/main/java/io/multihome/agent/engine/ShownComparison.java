package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.ModelFields;
import io.multihome.state.StateWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Desired ⊆ shown, key by key, as nmstate verifies: every interface key the engine declares {@link
 * FieldCoverage.Handling#APPLIED} or {@link FieldCoverage.Handling#CHECKED} is compared with what
 * {@code show} reads from the kernel. Both sides are written by the same writer from the same
 * model, so only spelling differs (MAC case, IPv6 text, numbers written as strings). Lists of
 * objects match by {@code name}; lists of scalars compare as sets.
 */
final class ShownComparison {
  private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2}:)+[0-9A-Fa-f]{2}");
  private static final String OVS_BRIDGE = io.multihome.state.InterfaceType.OVS_BRIDGE.wire();

  private final boolean checkedOnly;
  private final List<Op.Diff> diffs = new ArrayList<>();

  private ShownComparison(boolean checkedOnly) {
    this.checkedOnly = checkedOnly;
  }

  /** Every applied or checked key of {@code desired} that {@code shown} does not report equal. */
  static List<Op.Diff> differences(DesiredState desired, DesiredState shown) {
    return compare(desired, shown, false);
  }

  /** Only the keys the engine cannot change ({@code CHECKED}), of interfaces that exist. */
  static List<Op.Diff> unchangeable(DesiredState desired, DesiredState shown) {
    return compare(desired, shown, true);
  }

  private static List<Op.Diff> compare(DesiredState desired, DesiredState shown, boolean checked) {
    var c = new ShownComparison(checked);
    var want = StateWriter.toTree(desired).path("interfaces");
    // An OVS bridge and its internal port may share a name (br-ex): each is matched with its own.
    var have = new HashMap<String, JsonNode>();
    var ovsBridges = new HashMap<String, JsonNode>();
    StateWriter.toTree(shown)
        .path("interfaces")
        .forEach(
            n ->
                (OVS_BRIDGE.equals(n.path("type").asText()) ? ovsBridges : have)
                    .put(n.path("name").asText(), n));
    var ifaces = desired.interfacesOrEmpty();
    for (int i = 0; i < ifaces.size(); i++) {
      var iface = ifaces.get(i);
      var state = iface.common().effectiveState();
      var cur =
          iface instanceof Interface.OvsBridge
              ? ovsBridges.get(iface.name())
              : have.getOrDefault(iface.name(), ovsBridges.get(iface.name()));
      if (iface instanceof Interface.Unsupported
          || state == InterfaceState.ABSENT
          || state == InterfaceState.IGNORE
          || cur == null) {
        continue;
      }
      c.object("interfaces[].", "interfaces[" + iface.name() + "].", want.get(i), cur);
    }
    return c.diffs;
  }

  private void object(String schema, String path, JsonNode want, JsonNode have) {
    want.fields()
        .forEachRemaining(
            e -> value(schema + e.getKey(), path + e.getKey(), e.getValue(), have.get(e.getKey())));
  }

  private void value(String schema, String path, JsonNode want, JsonNode have) {
    if (want.isObject()) {
      object(schema + ".", path + ".", want, have == null || !have.isObject() ? empty() : have);
      return;
    }
    var h = FieldCoverage.of(schema);
    if (want.isArray() && h == null) {
      // A list of objects: its elements' keys are covered one by one.
      keyed(schema + "[].", path, want, have);
      return;
    }
    if (h != FieldCoverage.Handling.CHECKED
        && (checkedOnly || h != FieldCoverage.Handling.APPLIED)) {
      return;
    }
    var w = normal(want);
    var c = have == null || have.isNull() ? null : normal(have);
    if (!w.equals(c) && !(w.isEmpty() && c == null)) {
      diffs.add(new Op.Diff(path, w, c == null ? "(not reported)" : c));
    }
  }

  private void keyed(String schema, String path, JsonNode want, JsonNode have) {
    Map<String, JsonNode> byName = new HashMap<>();
    if (have != null && have.isArray()) {
      have.forEach(n -> byName.put(n.path("name").asText(), n));
    }
    for (var w : want) {
      var name = w.path("name").asText(null);
      var cur = name == null ? null : byName.get(name);
      if (w.isObject() && cur != null) {
        object(schema, path + "[" + name + "].", w, cur);
      }
    }
  }

  private static JsonNode empty() {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }

  /** One spelling per value: sets sorted, MACs upper case, IP addresses canonical. */
  static String normal(JsonNode v) {
    if (v.isArray()) {
      var set = new TreeSet<String>();
      v.forEach(e -> set.add(normal(e)));
      return set.toString();
    }
    var s = v.isTextual() ? v.textValue().strip() : v.asText();
    if (MAC.matcher(s).matches()) {
      return s.toUpperCase(Locale.ROOT);
    }
    var ip = io.multihome.state.IpText.bytes(s);
    if (ip != null) {
      try {
        return Ips.text(java.net.InetAddress.getByAddress(ip));
      } catch (java.net.UnknownHostException e) {
        return s;
      }
    }
    return s;
  }

  static String schemaOf(String path) {
    return ModelFields.schemaPath(path);
  }
}
