package io.multihome.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.CapturePolicy;
import io.multihome.state.Problem;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;

/**
 * {@code validate}'s capture step for a document that already passed the checks needing no state:
 * with a current state (from {@code --current} or the policy file's own {@code current}) the
 * captures are evaluated and the rendered state is checked as {@code apply} would (the state's
 * interfaces are the ones that exist); without one a note says what was left unchecked.
 */
final class CaptureCheck {
  private CaptureCheck() {}

  /** The problems of the rendered state; notes go to {@code out} as {@code LABEL: note}. */
  static List<Problem> run(
      JsonNode doc, StateInput.Current current, String label, PrintWriter out) {
    var policy = CapturePolicy.of(doc);
    if (policy == null || policy.capture().isEmpty()) {
      return List.of();
    }
    var against =
        current != null
            ? current
            : policy.current() != null
                ? new StateInput.Current(policy.current(), "the file's current state")
                : null;
    if (against == null) {
      out.println(
          label
              + ": "
              + policy.capturePath()
              + ": not evaluated (no node state): the syntax, the references between captures and"
              + " the templates' capture names are checked; whether the filters match, the"
              + " referenced paths exist and the rendered values are valid needs --current FILE"
              + " ('multihome show' output) or 'multihome apply --dry-run' on the node");
      return List.of();
    }
    // The interfaces of the given state exist on that node, as the engine's would on apply.
    var names = new HashSet<String>();
    against.state().path("interfaces").forEach(i -> names.add(i.path("name").asText()));
    var checked = policy.check(against.state(), names::contains);
    if (checked.problems().isEmpty()) {
      out.println(
          label
              + ": captures "
              + String.join(", ", checked.captured().keySet())
              + " evaluated against "
              + against.source()
              + "; the rendered state is valid");
    }
    return checked.problems();
  }
}
