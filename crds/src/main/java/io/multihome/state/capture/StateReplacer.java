package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.state.capture.CaptureAst.Index;
import io.multihome.state.capture.CaptureAst.Key;
import io.multihome.state.capture.CaptureAst.Path;
import io.multihome.state.capture.CaptureAst.Step;
import java.util.List;

/**
 * nmpolicy's {@code :=}: returns the whole input with the field at the path set to the value on
 * every list element the path crosses; maps missing along the path are created. Only maps and lists
 * on the path are rebuilt (shallowly); everything else is shared with the input, which is never
 * mutated.
 */
final class StateReplacer {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final List<Step> steps;
  private final JsonNode value;

  private StateReplacer(Path path, JsonNode value) {
    this.steps = path.steps();
    this.value = value;
  }

  static ObjectNode replace(JsonNode state, Path path, JsonNode value) {
    return (ObjectNode) new StateReplacer(path, value).visit(state, 0);
  }

  private JsonNode visit(JsonNode node, int stepIndex) {
    var step = steps.get(stepIndex);
    if (step instanceof Index index) {
      throw new PositionedError(
          index.pos(),
          "index steps are not supported when replacing; the value is set on every element");
    }
    var key = (Key) step;
    if (node.isObject()) {
      var out = JSON.objectNode();
      out.setAll((ObjectNode) node);
      if (stepIndex == steps.size() - 1) {
        out.set(key.name(), value);
      } else {
        var child = node.get(key.name());
        var start = child == null || child.isNull() ? JSON.objectNode() : child;
        out.set(key.name(), visit(start, stepIndex + 1));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.arrayNode(node.size());
      for (var element : node) {
        out.add(visit(element, stepIndex));
      }
      return out;
    }
    throw new PositionedError(
        key.pos(), "cannot set '" + key.name() + "' inside " + StateWalker.kind(node) + " " + node);
  }
}
