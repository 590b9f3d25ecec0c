package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Interfaces named by one of their alternative names ({@code ip link property add dev eth1 altname
 * uplink}): the kernel resolves such a name wherever a link name is taken, so a desired state may
 * use it too. Every reference is rewritten to the link's name before planning: interface and port
 * names, controller, base-iface, veth peer, route next-hop-interface and rule iif.
 */
final class AltNames {
  private static final Set<String> REFERENCES =
      Set.of("name", "controller", "base-iface", "peer", "next-hop-interface", "iif");

  private AltNames() {}

  /** {@code desired} with alternative names replaced by link names; itself when none is used. */
  static DesiredState resolve(DesiredState desired, Snapshot now) {
    Map<String, String> byAlt = new HashMap<>();
    for (var l : now.links()) {
      for (var alt : l.altNames()) {
        byAlt.put(alt, l.name());
      }
    }
    if (byAlt.isEmpty()) {
      return desired;
    }
    var tree = StateWriter.toTree(desired);
    if (!rewrite(tree, null, byAlt)) {
      return desired;
    }
    var parsed = StateParser.parse(tree);
    return parsed.ok() ? parsed.state() : desired;
  }

  private static boolean rewrite(JsonNode node, String key, Map<String, String> byAlt) {
    boolean changed = false;
    if (node instanceof ObjectNode o) {
      var it = o.fields();
      while (it.hasNext()) {
        var e = it.next();
        var v = e.getValue();
        if (e.getKey().equals("alt-names")) {
          continue; // the names given there are alternative names, not references
        }
        if (v.isTextual() && REFERENCES.contains(e.getKey()) && byAlt.containsKey(v.textValue())) {
          e.setValue(TextNode.valueOf(byAlt.get(v.textValue())));
          changed = true;
        } else {
          changed |= rewrite(v, e.getKey(), byAlt);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        var v = a.get(i);
        // link-aggregation.port is a list of names.
        if (v.isTextual() && "port".equals(key) && byAlt.containsKey(v.textValue())) {
          a.set(i, TextNode.valueOf(byAlt.get(v.textValue())));
          changed = true;
        } else {
          changed |= rewrite(v, key, byAlt);
        }
      }
    }
    return changed;
  }
}
