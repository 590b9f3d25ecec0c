package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The nmpolicy merge {@code a + b}: lists are concatenated (left elements first), maps take the
 * keys of both sides and merge the values of keys present on both, equal scalars stay as they are.
 * Anything else (a list and a map, two different scalars) is a conflict. Untouched subtrees are
 * shared with the inputs, which are not modified.
 */
final class StateMerger {
  private StateMerger() {}

  /**
   * @param position where a conflict is reported (the right operand)
   * @param where the path of {@code left}/{@code right} in the result, for messages
   */
  static JsonNode merge(JsonNode left, JsonNode right, int position, String where) {
    if (left.isArray() && right.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(left.size() + right.size());
      out.addAll((ArrayNode) left);
      out.addAll((ArrayNode) right);
      return out;
    }
    if (left.isObject() && right.isObject()) {
      ObjectNode out = ((ObjectNode) left).objectNode();
      out.setAll((ObjectNode) left);
      right
          .fields()
          .forEachRemaining(
              field -> {
                var mine = out.get(field.getKey());
                out.set(
                    field.getKey(),
                    mine == null
                        ? field.getValue()
                        : merge(mine, field.getValue(), position, where + "." + field.getKey()));
              });
      return out;
    }
    if (left.isValueNode() && left.equals(right)) {
      return left;
    }
    if (left.isValueNode() && right.isValueNode()) {
      throw new PositionedError(
          position, "cannot merge different values at '" + where + "': " + left + " and " + right);
    }
    throw new PositionedError(
        position,
        "cannot merge "
            + StateWalker.kind(left)
            + " with "
            + StateWalker.kind(right)
            + " at '"
            + where
            + "'");
  }
}
