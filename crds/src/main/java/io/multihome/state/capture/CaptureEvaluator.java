package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.state.capture.CaptureAst.CaptureRef;
import io.multihome.state.capture.CaptureAst.EqualFilter;
import io.multihome.state.capture.CaptureAst.Expression;
import io.multihome.state.capture.CaptureAst.Literal;
import io.multihome.state.capture.CaptureAst.Merge;
import io.multihome.state.capture.CaptureAst.Operand;
import io.multihome.state.capture.CaptureAst.PathFilter;
import io.multihome.state.capture.CaptureAst.Replace;
import io.multihome.state.capture.CaptureAst.WholeState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates an NNCP's {@code spec.capture} against one node's current nmstate state.
 *
 * <p>Each capture is an nmpolicy expression; a capture may read earlier captures (pipe input,
 * {@code capture.x.<path>} on the left, or a {@code capture.x.<path>} value), so captures are
 * resolved in dependency order and a cycle is an error. Captures already present in the cache
 * ({@code NNCE.status.capturedStates}) are reused as they are and not re-evaluated: upstream keeps
 * them so the rendered state stays stable after applying it changes the host (e.g. the default
 * route moved to the new bridge).
 */
public final class CaptureEvaluator {
  private final Map<String, String> expressions;
  private final JsonNode currentState;
  private final Map<String, JsonNode> resolved = new HashMap<>();
  private final List<String> resolving = new ArrayList<>();

  private CaptureEvaluator(
      Map<String, String> expressions, JsonNode currentState, Map<String, JsonNode> cached) {
    this.expressions = expressions;
    this.currentState =
        currentState == null || currentState.isNull()
            ? JsonNodeFactory.instance.objectNode()
            : currentState;
    cached.forEach(
        (name, state) -> {
          if (expressions.containsKey(name) && state != null) {
            resolved.put(name, state.deepCopy());
          }
        });
  }

  /**
   * @param capture capture name to nmpolicy expression ({@code spec.capture}); may be empty
   * @param currentState the node's {@code NodeNetworkState.status.currentState}; not modified
   * @param cached previously captured states by name; entries for names in {@code capture} are
   *     reused, others ignored
   * @return captured state for every name in {@code capture}, ordered by name; each value is a
   *     fresh tree the caller may keep or modify
   * @throws CaptureException for the first expression (by name) that fails, with its position
   */
  public static Map<String, JsonNode> evaluate(
      Map<String, String> capture, JsonNode currentState, Map<String, JsonNode> cached) {
    var evaluator = new CaptureEvaluator(capture, currentState, cached == null ? Map.of() : cached);
    var result = new LinkedHashMap<String, JsonNode>();
    for (var name : new TreeMap<>(capture).keySet()) {
      var state = evaluator.resolve(name);
      result.put(name, state.deepCopy());
    }
    return Collections.unmodifiableMap(result);
  }

  private JsonNode resolve(String name) {
    var done = resolved.get(name);
    if (done != null) {
      return done;
    }
    var source = expressions.get(name);
    var subject = "capture " + name;
    Expression expression;
    try {
      expression = CaptureParser.parse(source);
    } catch (PositionedError e) {
      throw e.toCaptureException(subject, source);
    }
    resolving.add(name);
    JsonNode state;
    try {
      state = apply(expression);
    } catch (PositionedError e) {
      throw e.toCaptureException(subject, source);
    }
    resolving.remove(resolving.size() - 1);
    resolved.put(name, state);
    return state;
  }

  private JsonNode apply(Expression expression) {
    var input = expression.input().map(ref -> captured(ref)).orElse(currentState);
    var operation = expression.operation();
    if (operation instanceof EqualFilter filter) {
      return StateFilter.equalFilter(
          input, filter.path(), operand(filter.value()), pos(filter.value()));
    }
    if (operation instanceof Replace replace) {
      return replaceIn(input, replace);
    }
    if (operation instanceof Merge merge) {
      return merge(merge);
    }
    if (operation instanceof WholeState) {
      return input;
    }
    return StateFilter.pathFilter(input, ((PathFilter) operation).path());
  }

  /** {@code {<name>: a + b + ...}} where every operand's path ends with {@code <name>}. */
  private ObjectNode merge(Merge merge) {
    var operands = merge.operands();
    var value = operand(operands.get(0));
    for (var ref : operands.subList(1, operands.size())) {
      value = StateMerger.merge(value, operand(ref), pos(ref), merge.name());
    }
    return JsonNodeFactory.instance.objectNode().set(merge.name(), value);
  }

  private ObjectNode replaceIn(JsonNode input, Replace replace) {
    if (!input.isObject()) {
      throw new PositionedError(
          replace.path().steps().get(0).pos(), "cannot replace inside " + StateWalker.kind(input));
    }
    return StateReplacer.replace(input, replace.path(), operand(replace.value()));
  }

  private JsonNode operand(Operand operand) {
    if (operand instanceof Literal literal) {
      return literal.value();
    }
    var ref = (CaptureRef) operand;
    return StateWalker.walk(captured(ref), ref.path());
  }

  private static int pos(Operand operand) {
    if (operand instanceof Literal literal) {
      return literal.pos();
    }
    // Point at the "capture" keyword of the reference.
    return ((CaptureRef) operand).namePos() - (CaptureParser.CAPTURE.length() + 1);
  }

  /** The state captured under {@code ref.name()}, resolving it first if needed. */
  private JsonNode captured(CaptureRef ref) {
    var name = ref.name();
    if (!expressions.containsKey(name)) {
      throw new PositionedError(
          ref.namePos(),
          "reference to unknown capture '"
              + name
              + "'; known captures: "
              + new TreeMap<>(expressions).keySet());
    }
    int cycleStart = resolving.indexOf(name);
    if (cycleStart >= 0) {
      var cycle = new ArrayList<>(resolving.subList(cycleStart, resolving.size()));
      cycle.add(name);
      throw new PositionedError(
          ref.namePos(), "circular capture reference: " + String.join(" -> ", cycle));
    }
    // A failure inside the referenced capture propagates as that capture's own error, with the
    // caret in its own expression, which is where the user has to fix it.
    return resolve(name);
  }
}
