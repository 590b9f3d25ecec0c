package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.capture.CaptureAst.Index;
import io.multihome.state.capture.CaptureAst.Key;
import io.multihome.state.capture.CaptureAst.Path;
import io.multihome.state.capture.CaptureAst.Step;

/**
 * Follows a {@code capture.<name>.<path>} reference into a captured state: names select map keys,
 * numbers select list elements. Unlike filters, a walk must find every step.
 */
final class StateWalker {
  private StateWalker() {}

  static JsonNode walk(JsonNode root, Path path) {
    var node = root;
    for (Step step : path.steps()) {
      node = step instanceof Key key ? key(node, key) : index(node, (Index) step);
    }
    return node;
  }

  private static JsonNode key(JsonNode node, Key key) {
    if (node.isArray()) {
      throw new PositionedError(
          key.pos(),
          "'"
              + key.name()
              + "' is applied to a list of "
              + node.size()
              + "; use an index such as 0");
    }
    if (!node.isObject()) {
      throw new PositionedError(
          key.pos(), "cannot look up '" + key.name() + "' in " + kind(node) + " " + node);
    }
    var child = node.get(key.name());
    if (child == null) {
      throw new PositionedError(key.pos(), "path not found: no '" + key.name() + "' here");
    }
    return child;
  }

  private static JsonNode index(JsonNode node, Index index) {
    if (!node.isArray()) {
      throw new PositionedError(
          index.pos(), "index " + index.index() + " is applied to " + kind(node) + ", not a list");
    }
    if (index.index() >= node.size()) {
      throw new PositionedError(
          index.pos(),
          "path not found: index "
              + index.index()
              + " is out of range, the list has "
              + node.size()
              + " element"
              + (node.size() == 1 ? "" : "s"));
    }
    return node.get(index.index());
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "a map";
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
      default -> "a value";
    };
  }
}
