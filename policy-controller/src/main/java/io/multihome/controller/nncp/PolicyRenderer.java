package io.multihome.controller.nncp;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.api.nmstate.CapturedState;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the renderer for a policy: pass-through without captures, the plugged-in capture evaluator
 * otherwise, and a clear failure when captures are used but no evaluator is installed.
 */
public final class PolicyRenderer {
  static final String CAPTURE_NOT_SUPPORTED =
      "capture not supported yet: spec.capture needs the nmpolicy evaluator, which is not"
          + " installed in this controller";

  private final Optional<DesiredStateRenderer> captureEvaluator;

  public PolicyRenderer(Optional<DesiredStateRenderer> captureEvaluator) {
    this.captureEvaluator = captureEvaluator;
  }

  /** Whether rendering this policy reads the node's current state (so it must be fetched). */
  public boolean needsCurrentState(NodeNetworkConfigurationPolicy policy) {
    return hasCapture(policy) && captureEvaluator.isPresent();
  }

  public RenderResult render(
      NodeNetworkConfigurationPolicy policy,
      Map<String, CapturedState> cached,
      JsonNode nodeCurrentState) {
    var spec = policy.getSpec();
    var name = policy.getMetadata().getName();
    if (!hasCapture(policy)) {
      return PassThroughRenderer.INSTANCE.render(
          name, spec == null ? null : spec.getDesiredState(), Map.of(), Map.of(), null);
    }
    if (captureEvaluator.isEmpty()) {
      return RenderResult.failed(CAPTURE_NOT_SUPPORTED);
    }
    try {
      return captureEvaluator
          .get()
          .render(
              name,
              spec.getDesiredState(),
              spec.getCapture(),
              cached == null ? Map.of() : cached,
              nodeCurrentState);
    } catch (RuntimeException e) {
      // An evaluator bug must fail this node's enactment visibly, not loop the reconciler.
      return RenderResult.failed("capture evaluation failed: " + e);
    }
  }

  private static boolean hasCapture(NodeNetworkConfigurationPolicy policy) {
    var spec = policy.getSpec();
    return spec != null && spec.getCapture() != null && !spec.getCapture().isEmpty();
  }
}
