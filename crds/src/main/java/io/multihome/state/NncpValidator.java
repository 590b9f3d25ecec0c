package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks NodeNetworkConfigurationPolicy manifests (the NNCP fields and the desired state inside),
 * or bare desired states, as kubernetes-nmstate's admission and nmstate would. Paths start at the
 * manifest root, e.g. {@code spec.desiredState.interfaces[0].mtu}.
 */
public final class NncpValidator {

  public static final String KIND = "NodeNetworkConfigurationPolicy";
  static final Set<String> API_VERSIONS = Set.of("nmstate.io/v1", "nmstate.io/v1beta1");

  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");

  private final List<Problem> problems = new ArrayList<>();

  private NncpValidator() {}

  /**
   * Checks one document: an NNCP manifest when it has apiVersion or kind, an nmstate policy file
   * when it has capture, desiredState or desired (see {@link PolicyFile}), else a bare state.
   */
  public static List<Problem> checkDocument(JsonNode doc) {
    if (isManifest(doc)) {
      return check(doc);
    }
    if (PolicyFile.isPolicyFile(doc)) {
      return PolicyFile.check(doc);
    }
    return StateValidator.check(doc);
  }

  /** True for a Kubernetes manifest (it has apiVersion or kind), whatever its kind. */
  public static boolean isManifest(JsonNode doc) {
    return doc != null && doc.isObject() && (doc.has("apiVersion") || doc.has("kind"));
  }

  /** Checks an NNCP manifest. */
  public static List<Problem> check(JsonNode doc) {
    var v = new NncpValidator();
    v.run(doc);
    return List.copyOf(v.problems);
  }

  private void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }

  private void run(JsonNode doc) {
    var kind = doc.path("kind");
    if (!kind.isTextual() || !kind.textValue().equals(KIND)) {
      problem(
          "kind",
          (kind.isMissingNode() ? "is required" : Fields.describe(kind) + " is not supported")
              + "; multihome validate checks "
              + KIND
              + " manifests and bare nmstate desired states");
      return;
    }
    var api = doc.path("apiVersion");
    if (!api.isTextual() || !API_VERSIONS.contains(api.textValue())) {
      problem(
          "apiVersion",
          (api.isMissingNode() ? "is required" : Fields.describe(api) + " is not served")
              + "; expected nmstate.io/v1 or nmstate.io/v1beta1");
    }
    var it = doc.fieldNames();
    while (it.hasNext()) {
      var key = it.next();
      if (!Set.of("apiVersion", "kind", "metadata", "spec", "status").contains(key)) {
        problem(key, "unknown field '" + key + "'; expected apiVersion, kind, metadata, spec");
      }
    }
    metadata(doc.path("metadata"));
    var spec = doc.path("spec");
    if (!spec.isObject()) {
      problem("spec", spec.isMissingNode() ? "is required" : "must be a mapping");
      return;
    }
    spec.fieldNames()
        .forEachRemaining(
            key -> {
              if (!Set.of("desiredState", "nodeSelector", "capture", "maxUnavailable")
                  .contains(key)) {
                problem(
                    "spec." + key,
                    "unknown field '"
                        + key
                        + "'; expected desiredState, nodeSelector, capture, maxUnavailable");
              }
            });
    nodeSelector(spec.path("nodeSelector"));
    maxUnavailable(spec.path("maxUnavailable"));
    var captures = CaptureChecks.capture(spec.path("capture"), "spec.capture", problems).keySet();
    var desired = spec.path("desiredState");
    if (desired.isMissingNode() || desired.isNull()) {
      problem("spec.desiredState", "is required");
      return;
    }
    var parsed = StateParser.parse(desired);
    for (var p : parsed.problems()) {
      problems.add(p.under("spec.desiredState"));
    }
    for (var p : StateValidator.validate(parsed.state())) {
      problems.add(p.under("spec.desiredState"));
    }
    // Walk the tree rather than the parsed templates: values the model keeps raw (unsupported
    // kinds, bond options) may hold templates too.
    CaptureChecks.templates(desired, "spec.desiredState", captures, problems);
  }

  private void metadata(JsonNode metadata) {
    if (!metadata.isObject()) {
      problem("metadata", metadata.isMissingNode() ? "is required" : "must be a mapping");
      return;
    }
    var name = metadata.path("name");
    if (name.isMissingNode() || name.isNull()) {
      problem("metadata.name", "is required");
    } else if (!name.isTextual()) {
      problem("metadata.name", "must be a string");
    } else {
      var n = name.textValue();
      if (n.isEmpty() || n.length() > 63 || !LABEL_VALUE.matcher(n).matches()) {
        problem(
            "metadata.name",
            "'"
                + n
                + "' must be 1..63 characters of letters, digits, '-', '_' or '.', starting and"
                + " ending with a letter or digit (it is used as a label value on enactments)");
      }
    }
  }

  private void nodeSelector(JsonNode selector) {
    if (selector.isMissingNode() || selector.isNull()) {
      return;
    }
    if (!selector.isObject()) {
      problem(
          "spec.nodeSelector",
          "must be a mapping of label keys to values (matchLabels/matchExpressions are not"
              + " supported by NNCP)");
      return;
    }
    if (selector.size() > 256) {
      problem("spec.nodeSelector", "has " + selector.size() + " entries; at most 256 are allowed");
    }
    selector
        .fields()
        .forEachRemaining(
            e -> {
              var path = "spec.nodeSelector." + e.getKey();
              var keyProblem = labelKeyProblem(e.getKey());
              if (keyProblem != null) {
                problem(path, keyProblem);
              }
              var value = e.getValue();
              if (!value.isTextual()) {
                problem(path, "value must be a string; quote it, e.g. \"" + value.asText() + "\"");
              } else if (value.textValue().length() > 63
                  || !LABEL_VALUE.matcher(value.textValue()).matches()) {
                problem(
                    path,
                    "value '"
                        + value.textValue()
                        + "' is not a label value (at most 63 letters, digits, '-', '_' or '.',"
                        + " starting and ending with a letter or digit)");
              }
            });
  }

  /** Why {@code key} is not a label key ({@code [prefix/]name}), or null. */
  static String labelKeyProblem(String key) {
    var slash = key.indexOf('/');
    var name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      var prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return "key prefix '" + prefix + "' is not a DNS subdomain";
      }
    }
    if (name.isEmpty() || name.length() > 63 || !LABEL_VALUE.matcher(name).matches()) {
      return "key '"
          + key
          + "' is not a label key (name part: 1..63 letters, digits, '-', '_' or '.', starting"
          + " and ending with a letter or digit)";
    }
    return null;
  }

  private void maxUnavailable(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return;
    }
    var path = "spec.maxUnavailable";
    var hint = "must be an integer of at least 1 or a percentage from 1% to 100%, like \"50%\"";
    if (value.isIntegralNumber()) {
      if (value.asLong() < 1) {
        problem(path, value.asLong() + " " + hint.replace("must be", "is invalid; it must be"));
      }
      return;
    }
    if (value.isTextual()) {
      var m = PERCENT.matcher(value.textValue());
      if (m.matches()) {
        var pct = Integer.parseInt(m.group(1));
        if (pct >= 1 && pct <= 100) {
          return;
        }
      }
    }
    problem(path, Fields.describe(value) + " is invalid; it " + hint);
  }
}
