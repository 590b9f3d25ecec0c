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
 * nmpolicy's path and equality filters.
 *
 * <p>Above the first list only the keys on the path survive ({@code routes.running.destination ==
 * "0.0.0.0/0"} yields {@code {routes: {running: [...]}}}); a list keeps the elements that match,
 * and inside a kept element every other key is kept as it was. A path filter keeps only the last
 * key of each element ({@code interfaces.name} yields {@code {interfaces: [{name: eth0}, ...]}}). A
 * missing key means "no match", not an error. Index steps are rejected, as upstream.
 *
 * <p>The result shares unchanged subtrees with the input (never mutated): only maps and lists on
 * the path are rebuilt, so the cost is the size of what lies along the path, not the whole state
 * per element.
 */
final class StateFilter {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final List<Step> steps;
  private final JsonNode expected; // null for a path filter
  private final int valuePos;

  private StateFilter(Path path, JsonNode expected, int valuePos) {
    this.steps = path.steps();
    this.expected = expected;
    this.valuePos = valuePos;
  }

  /** Path filter; returns an empty map when nothing lies on the path. */
  static ObjectNode pathFilter(JsonNode state, Path path) {
    return new StateFilter(path, null, -1).run(state);
  }

  /** Equality filter; returns an empty map when nothing matches. */
  static ObjectNode equalFilter(JsonNode state, Path path, JsonNode expected, int valuePos) {
    return new StateFilter(path, expected, valuePos).run(state);
  }

  private ObjectNode run(JsonNode state) {
    var result = visit(state, 0, false);
    return result == null ? JSON.objectNode() : (ObjectNode) result;
  }

  /** Returns the filtered node or {@code null} when nothing under it matched. */
  private JsonNode visit(JsonNode node, int stepIndex, boolean insideElement) {
    var step = steps.get(stepIndex);
    if (node.isObject()) {
      var key = asKey(step, "filtering a map");
      return stepIndex == steps.size() - 1
          ? lastMap((ObjectNode) node, key)
          : map((ObjectNode) node, key, stepIndex, insideElement);
    }
    if (node.isArray()) {
      asKey(step, "filtering a list");
      return list((ArrayNode) node, stepIndex, insideElement);
    }
    throw new PositionedError(
        step.pos(),
        "cannot filter " + StateWalker.kind(node) + " " + node + " by '" + name(step) + "'");
  }

  private JsonNode map(ObjectNode map, Key key, int stepIndex, boolean insideElement) {
    var child = map.get(key.name());
    if (child == null) {
      return null;
    }
    var visited = visit(child, stepIndex + 1, insideElement);
    if (visited == null) {
      return null;
    }
    var out = JSON.objectNode();
    if (insideElement) {
      out.setAll(map); // shallow: siblings are shared, not copied
    }
    out.set(key.name(), visited);
    return out;
  }

  private JsonNode list(ArrayNode list, int stepIndex, boolean insideElement) {
    var out = JSON.arrayNode();
    boolean matched = false;
    for (var element : list) {
      var visited = visit(element, stepIndex, true);
      if (visited != null) {
        matched = true;
        out.add(visited);
      } else if (insideElement) {
        // A nested list inside a kept element stays whole; only the outer list is filtered.
        out.add(element);
      }
    }
    return matched ? out : null;
  }

  private JsonNode lastMap(ObjectNode map, Key key) {
    var obtained = map.get(key.name());
    if (expected == null) {
      return obtained == null ? null : JSON.objectNode().set(key.name(), obtained);
    }
    return ValueMatch.matches(obtained, expected, key.name(), valuePos) ? map : null;
  }

  private static Key asKey(Step step, String what) {
    if (step instanceof Index index) {
      throw new PositionedError(
          index.pos(), "index steps are not supported when " + what + "; use a name");
    }
    return (Key) step;
  }

  private static String name(Step step) {
    return step instanceof Key key ? key.name() : Integer.toString(((Index) step).index());
  }
}
