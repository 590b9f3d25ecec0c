package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.multihome.agent.netlink.BondOptions;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.state.Problem;
import java.util.List;
import java.util.Map;

/** nmstate's bond options beyond the seven typed ones, to and from {@link BondOptions}. */
final class BondMapping {
  private BondMapping() {}

  /** Reads option {@code name} into {@code more} (attribute → text), or adds a problem. */
  static void option(
      String name, JsonNode v, String path, Map<Integer, String> more, List<Problem> problems) {
    if (name.equals(BondSlbPlanner.OPTION)) {
      return; // not a kernel option: an nftables table, planned by BondSlbPlanner
    }
    var o = BondOptions.byName(name);
    if (o == null) {
      problems.add(new Problem(path, "bond option " + name + " is not supported yet"));
      return;
    }
    String text;
    try {
      text =
          BondOptions.canonical(o, v == null || v.isNull() ? "" : v.isTextual() ? v.asText() : v);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(path, e.getMessage()));
      return;
    }
    var other = more.get(o.attr());
    if (other != null && !other.equals(text)) {
      // num_grat_arp and num_unsol_na are one kernel setting.
      problems.add(
          new Problem(
              path, name + " is the same kernel setting as another option given: " + other));
      return;
    }
    more.put(o.attr(), text);
  }

  /** The bond's other options as nmstate shows them (numbers as numbers, booleans as such). */
  static void show(LinkKind.Bond b, Map<String, JsonNode> options) {
    var json = JsonNodeFactory.instance;
    for (var o : BondOptions.all()) {
      var text = b.more().get(o.attr());
      if (text == null) {
        continue;
      }
      JsonNode n;
      if (o.wire() == BondOptions.Wire.BOOL) {
        n = json.booleanNode(text.equals("true"));
      } else if (o.numeric()) {
        n = json.numberNode(Long.parseLong(text));
      } else {
        n = json.textNode(text);
      }
      options.put(o.name(), n);
    }
  }

  /** Names (with values) of the options given in {@code want} that differ from {@code have}. */
  static Map<Integer, String> changes(
      LinkKind.Bond want, LinkKind.Bond have, String pa, List<String> diffs) {
    var out = new java.util.TreeMap<Integer, String>();
    want.more()
        .forEach(
            (attr, v) -> {
              if (!v.equals(have.more().get(attr))) {
                out.put(attr, v);
                for (var o : BondOptions.all()) {
                  if (o.attr() == attr) {
                    diffs.add(pa + ".options." + o.name());
                    break;
                  }
                }
              }
            });
    return out;
  }
}
