package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Drops fields that change without the configuration changing (address lifetimes, counters), so
 * that the NodeNetworkState is written only when the network really changed.
 */
final class VolatileFields {
  static final Set<String> NAMES =
      Set.of(
          "valid-life-time",
          "preferred-life-time",
          "valid-lft",
          "preferred-lft",
          "statistics",
          "counters");

  private VolatileFields() {}

  static ObjectNode strip(ObjectNode state) {
    var copy = state.deepCopy();
    strip((JsonNode) copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove(NAMES);
      o.elements().forEachRemaining(VolatileFields::strip);
    } else if (node instanceof ArrayNode a) {
      a.elements().forEachRemaining(VolatileFields::strip);
    }
  }
}
