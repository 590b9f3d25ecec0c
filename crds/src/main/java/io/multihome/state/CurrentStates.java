package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A node's current state in the shape captures read: nmstate's {@code show} and NodeNetworkState
 * carry {@code routes.running} and {@code dns-resolver.running} besides {@code config}, and
 * upstream's captures read those ({@code routes.running.destination=="0.0.0.0/0"}, {@code
 * dns-resolver.running}). The agent publishes its NNS through here and the CLI evaluates captures
 * on the same shape, so a policy renders the same on both.
 */
public final class CurrentStates {
  private CurrentStates() {}

  /**
   * A copy of {@code state} in which {@code routes.running} and {@code dns-resolver.running} are
   * present: each missing one is a copy of its {@code config} (multihome manages no routes or
   * resolvers of its own that are running without being configured). Present ones are kept.
   */
  public static ObjectNode withRunning(JsonNode state) {
    var copy = state instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
    for (var section : new String[] {"routes", "dns-resolver"}) {
      if (copy.get(section) instanceof ObjectNode s && s.has("config") && !s.has("running")) {
        s.set("running", s.get("config").deepCopy());
      }
    }
    return copy;
  }
}
