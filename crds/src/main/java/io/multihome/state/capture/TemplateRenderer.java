package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Substitutes {@code "{{ capture.<name>.<path> }}"} references in an NNCP's desiredState with the
 * captured values, as nmpolicy's state expander does: a reference must be the whole string value
 * (surrounding blanks allowed); the resolved value replaces the string node whatever its type, so
 * {@code "{{ capture.gw.routes.running }}"} becomes a list and {@code "{{
 * capture.i.interfaces.0.mtu }}"} a number. Strings without a reference are left alone.
 */
public final class TemplateRenderer {
  private static final Pattern WHOLE = Pattern.compile("^\\s*\\{\\{(.*)}}\\s*$", Pattern.DOTALL);
  // A reference embedded in a longer string is a mistake worth reporting, not text to keep.
  private static final Pattern EMBEDDED = Pattern.compile("\\{\\{\\s*capture\\.");

  private final Map<String, JsonNode> captured;
  // Set when checking without captured states: the names that may be referenced.
  private final Set<String> names;
  private final List<CaptureException> problems = new ArrayList<>();

  private TemplateRenderer(Map<String, JsonNode> captured, Set<String> names) {
    this.captured = captured;
    this.names = names;
  }

  /**
   * @param desiredState the policy's desiredState; not modified
   * @param captured output of {@link CaptureEvaluator#evaluate}
   * @return a new tree with every reference substituted (resolved values are copied)
   * @throws CaptureException naming the field ({@code desiredState.interfaces[0].mac-address}) with
   *     a caret under the failing part of the reference
   */
  public static ObjectNode render(ObjectNode desiredState, Map<String, JsonNode> captured) {
    return render(desiredState, captured, "desiredState");
  }

  /**
   * Same as {@link #render(ObjectNode, Map)} with field paths starting at {@code root}, e.g. {@code
   * spec.desiredState} for an NNCP or {@code desired} for an nmstate policy file.
   */
  public static ObjectNode render(
      ObjectNode desiredState, Map<String, JsonNode> captured, String root) {
    return (ObjectNode) new TemplateRenderer(captured, null).visit(desiredState, root);
  }

  /**
   * Checks the templates of {@code desiredState} without captured states: each reference must
   * parse, be the whole string and name one of {@code captureNames}. Whether its path exists in the
   * captured state is known only when rendering.
   *
   * @return every problem, in document order, with field paths starting at {@code root}
   */
  public static List<CaptureException> check(
      JsonNode desiredState, Set<String> captureNames, String root) {
    var checker = new TemplateRenderer(Map.of(), captureNames);
    checker.visit(desiredState, root);
    return List.copyOf(checker.problems);
  }

  private JsonNode visit(JsonNode node, String field) {
    if (node.isObject()) {
      var out = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(
              e -> out.set(e.getKey(), visit(e.getValue(), field + "." + e.getKey())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      for (int i = 0; i < node.size(); i++) {
        out.add(visit(node.get(i), field + "[" + i + "]"));
      }
      return out;
    }
    if (node.isTextual()) {
      return text(node, field);
    }
    return node.deepCopy();
  }

  private JsonNode text(JsonNode node, String field) {
    try {
      return textOrThrow(node, field);
    } catch (CaptureException e) {
      if (names == null) {
        throw e;
      }
      problems.add(e);
      return node;
    }
  }

  private JsonNode textOrThrow(JsonNode node, String field) {
    var value = node.textValue();
    var whole = WHOLE.matcher(value);
    if (whole.matches()) {
      return resolve(value, whole.start(1), whole.group(1), field);
    }
    var embedded = EMBEDDED.matcher(value);
    if (embedded.find()) {
      throw new CaptureException(
          field,
          value,
          embedded.start(),
          "a capture reference must be the whole string value, e.g. \"{{ capture.<name>.<path> }}\"");
    }
    return node;
  }

  private static JsonNode node(String text) {
    return JsonNodeFactory.instance.textNode(text);
  }

  private JsonNode resolve(String value, int bodyStart, String body, String field) {
    try {
      var ref = CaptureParser.parseReference(body);
      if (names != null) {
        if (!names.contains(ref.name())) {
          throw new PositionedError(
              ref.namePos(),
              "reference to unknown capture '"
                  + ref.name()
                  + "'; known captures: "
                  + new TreeSet<>(names));
        }
        return node(value);
      }
      var state = captured.get(ref.name());
      if (state == null) {
        throw new PositionedError(
            ref.namePos(),
            "reference to unknown capture '" + ref.name() + "'; captured: " + captured.keySet());
      }
      return StateWalker.walk(state, ref.path()).deepCopy();
    } catch (PositionedError e) {
      throw new CaptureException(field, value, bodyStart + e.position(), e.getMessage());
    }
  }
}
