package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.capture.CaptureException;
import io.multihome.state.capture.CaptureSyntax;
import io.multihome.state.capture.TemplateRenderer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The capture parts of an NNCP ({@code spec.capture}) or of an nmstate policy file ({@code
 * capture}), checked without a node state: names, expression syntax, references between captures
 * and cycles, and the {@code {{ capture.… }}} templates of the desired state. What needs a state
 * (does a filter match, does a referenced path exist) is left to evaluation.
 */
final class CaptureChecks {
  private static final Pattern CAPTURE_NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_]*");

  private CaptureChecks() {}

  /**
   * Checks {@code capture} (at {@code path}) and returns its expressions by name; entries that are
   * not strings are left out of the result after being reported.
   */
  static Map<String, String> capture(JsonNode capture, String path, List<Problem> out) {
    var expressions = new LinkedHashMap<String, String>();
    if (capture.isMissingNode() || capture.isNull()) {
      return expressions;
    }
    if (!capture.isObject()) {
      out.add(new Problem(path, "must be a mapping of capture names to nmpolicy expressions"));
      return expressions;
    }
    capture
        .fields()
        .forEachRemaining(
            e -> {
              var at = path + "." + e.getKey();
              if (!CAPTURE_NAME.matcher(e.getKey()).matches()) {
                out.add(
                    new Problem(
                        at,
                        "'" + e.getKey() + "' is not a capture name (letters, digits, '-', '_')"));
              }
              if (!e.getValue().isTextual() || e.getValue().textValue().isBlank()) {
                out.add(new Problem(at, "must be an nmpolicy expression string"));
                return;
              }
              expressions.put(e.getKey(), e.getValue().textValue());
            });
    for (var error : CaptureSyntax.checkEach(expressions)) {
      out.add(problem(path, error));
    }
    return expressions;
  }

  /** Checks every template of {@code desired} (at {@code path}) against the capture names. */
  static void templates(JsonNode desired, String path, Set<String> names, List<Problem> out) {
    for (var error : TemplateRenderer.check(desired, names, path)) {
      out.add(new Problem(error.subject(), error.reasonWithSnippet()));
    }
  }

  /**
   * An evaluator error about capture {@code <name>} as a problem at {@code <capturePath>.<name>}.
   */
  static Problem problem(String capturePath, CaptureException e) {
    var subject = e.subject();
    var name = subject.startsWith("capture ") ? subject.substring("capture ".length()) : subject;
    return new Problem(capturePath + "." + name, e.reasonWithSnippet());
  }
}
