package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * nmstate's policy file, what {@code nmstatectl apply} and {@code nmstatectl policy} take besides a
 * bare state (nmstate's {@code NetworkPolicy}): {@code capture} (nmpolicy expressions by name),
 * {@code desiredState} (or its alias {@code desired}) with {@code {{ capture.… }}} templates, and
 * an optional {@code current} state the captures run against instead of the host's. Unknown keys
 * are errors, as in nmstate. Paths start at the document root ({@code capture.gw}, {@code
 * desiredState.interfaces[0].name}).
 */
public final class PolicyFile {
  static final Set<String> KEYS = Set.of("capture", "desiredState", "desired", "current");

  private PolicyFile() {}

  /**
   * True for a document that is not a manifest and has {@code capture}, {@code desiredState} or
   * {@code desired}, keys a bare nmstate state never has.
   */
  public static boolean isPolicyFile(JsonNode doc) {
    return doc != null
        && doc.isObject()
        && !NncpValidator.isManifest(doc)
        && (doc.has("capture") || doc.has("desiredState") || doc.has("desired"));
  }

  /**
   * The key holding the desired state: {@code desiredState}, or nmstate's alias {@code desired}.
   */
  static String desiredKey(JsonNode doc) {
    return doc.has("desiredState") || !doc.has("desired") ? "desiredState" : "desired";
  }

  /** Every problem of a policy file that shows without a node state. */
  public static List<Problem> check(JsonNode doc) {
    var problems = new ArrayList<Problem>();
    doc.fieldNames()
        .forEachRemaining(
            key -> {
              if (!KEYS.contains(key)) {
                problems.add(
                    new Problem(
                        key,
                        "unknown field '"
                            + key
                            + "'; an nmstate policy has capture, desiredState (or desired) and"
                            + " current"));
              }
            });
    if (doc.has("desiredState") && doc.has("desired")) {
      problems.add(
          new Problem("desired", "desired is another name for desiredState; give only one"));
    }
    var current = doc.path("current");
    if (!current.isMissingNode() && !current.isNull() && !current.isObject()) {
      problems.add(new Problem("current", "must be a network state (a mapping)"));
    }
    var names = CaptureChecks.capture(doc.path("capture"), "capture", problems).keySet();
    var key = desiredKey(doc);
    var desired = doc.path(key);
    if (desired.isMissingNode() || desired.isNull()) {
      problems.add(
          new Problem(
              key, "is required: the state to apply, with {{ capture.<name>.<path> }} templates"));
      return problems;
    }
    for (var p : StateValidator.check(desired)) {
      problems.add(p.under(key));
    }
    CaptureChecks.templates(desired, key, names, problems);
    return problems;
  }
}
