package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.state.capture.CaptureEvaluator;
import io.multihome.state.capture.CaptureException;
import io.multihome.state.capture.TemplateRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A desired state with captures, from an NNCP ({@code spec.capture}, {@code spec.desiredState}) or
 * an nmstate policy file ({@code capture}, {@code desiredState}), and its rendering against a
 * node's current state, as the policy controller renders an NNCP for one node. Field paths start at
 * the document root, so problems read like {@code validate}'s.
 *
 * @param capture expressions by name, as written
 * @param desired the desired state with its templates
 * @param capturePath {@code spec.capture} or {@code capture}
 * @param desiredPath {@code spec.desiredState}, {@code desiredState} or {@code desired}
 * @param current the policy file's own {@code current} state, or null
 */
public record CapturePolicy(
    Map<String, String> capture,
    ObjectNode desired,
    String capturePath,
    String desiredPath,
    ObjectNode current) {

  /**
   * The capture policy in {@code doc}: an NNCP with a non-empty {@code spec.capture}, or any
   * nmstate policy file; null for anything else (an NNCP without captures, a bare state). Call only
   * on a document that validated: values of the wrong type are skipped here, not reported.
   */
  public static CapturePolicy of(JsonNode doc) {
    if (NncpValidator.isManifest(doc)) {
      var spec = doc.path("spec");
      var capture = spec.path("capture");
      if (!capture.isObject() || capture.isEmpty()) {
        return null;
      }
      return new CapturePolicy(
          expressions(capture),
          object(spec.path("desiredState")),
          "spec.capture",
          "spec.desiredState",
          null);
    }
    if (!PolicyFile.isPolicyFile(doc)) {
      return null;
    }
    var key = PolicyFile.desiredKey(doc);
    var current = doc.path("current");
    return new CapturePolicy(
        expressions(doc.path("capture")),
        object(doc.path(key)),
        "capture",
        key,
        current.isObject() ? (ObjectNode) current : null);
  }

  /** The result of rendering: the desired state and captured states, or the problem. */
  public record Rendered(ObjectNode desired, Map<String, JsonNode> captured, Problem problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /**
   * Evaluates the captures against {@code currentState} and substitutes the templates. An error
   * names {@code <capturePath>.<name>} for a capture or the field of a template, with the
   * expression and a caret under the failing character.
   */
  public Rendered render(JsonNode currentState) {
    try {
      var captured = CaptureEvaluator.evaluate(capture, currentState, Map.of());
      return new Rendered(TemplateRenderer.render(desired, captured, desiredPath), captured, null);
    } catch (CaptureException e) {
      var problem =
          e.subject().startsWith("capture ")
              ? CaptureChecks.problem(capturePath, e)
              : new Problem(e.subject(), e.reasonWithSnippet());
      return new Rendered(null, Map.of(), problem);
    }
  }

  /** A rendered policy read and checked as a desired state. */
  public record Checked(
      DesiredState state, Map<String, JsonNode> captured, List<Problem> problems) {}

  /**
   * Renders against {@code currentState}, then parses and validates the result as a desired state
   * on a node where {@code exists} tells which interfaces are there. Problems carry their path from
   * the document root and, when a template produced the value, that template.
   */
  public Checked check(JsonNode currentState, Predicate<String> exists) {
    var rendered = render(currentState);
    if (!rendered.ok()) {
      return new Checked(null, Map.of(), List.of(rendered.problem()));
    }
    var parsed = StateParser.parse(rendered.desired());
    var problems = new ArrayList<Problem>(parsed.problems());
    problems.addAll(StateValidator.validate(parsed.state(), exists));
    problems.replaceAll(p -> withOrigin(p.under(desiredPath)));
    return new Checked(parsed.state(), rendered.captured(), List.copyOf(problems));
  }

  /**
   * {@code problem} (a path from the document root) with the template its value came from, when a
   * template produced it: a problem in a rendered state is easier to fix knowing which capture to
   * look at.
   */
  public Problem withOrigin(Problem problem) {
    var templates = templatePaths();
    var p = problem.path();
    String best = null;
    for (var path : templates.keySet()) {
      boolean under =
          p.equals(path)
              || (p.startsWith(path)
                  && (p.charAt(path.length()) == '.' || p.charAt(path.length()) == '['));
      if (under && (best == null || path.length() > best.length())) {
        best = path;
      }
    }
    if (best == null) {
      return problem;
    }
    return new Problem(
        p, problem.message() + " (rendered from \"" + templates.get(best).strip() + "\")");
  }

  /** Every template string of the desired state by its path from the document root. */
  public Map<String, String> templatePaths() {
    var out = new LinkedHashMap<String, String>();
    collect(desired, desiredPath, out);
    return out;
  }

  private static void collect(JsonNode node, String path, Map<String, String> out) {
    if (node.isTextual()) {
      if (Template.of(node.textValue()) != null) {
        out.put(path, node.textValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), Problem.index(path, i), out);
      }
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> collect(e.getValue(), path + "." + e.getKey(), out));
    }
  }

  private static Map<String, String> expressions(JsonNode capture) {
    var out = new LinkedHashMap<String, String>();
    capture
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().textValue());
              }
            });
    return out;
  }

  private static ObjectNode object(JsonNode node) {
    return node.isObject() ? (ObjectNode) node : JsonNodeFactory.instance.objectNode();
  }
}
