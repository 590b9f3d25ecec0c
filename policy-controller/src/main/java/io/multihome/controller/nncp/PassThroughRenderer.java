package io.multihome.controller.nncp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.api.nmstate.CapturedState;
import java.util.Map;

/** Renders a policy without {@code spec.capture}: every node gets the desired state as written. */
public final class PassThroughRenderer implements DesiredStateRenderer {
  public static final PassThroughRenderer INSTANCE = new PassThroughRenderer();

  private PassThroughRenderer() {}

  @Override
  public RenderResult render(
      String policyName,
      ObjectNode desiredState,
      Map<String, String> capture,
      Map<String, CapturedState> cached,
      JsonNode nodeCurrentState) {
    if (capture != null && !capture.isEmpty()) {
      return RenderResult.failed(
          "policy %s: spec.capture is set but this renderer does not evaluate captures"
              .formatted(policyName));
    }
    // A copy: the result is written into each NNCE and must not alias the cached policy.
    var state =
        desiredState == null ? JsonNodeFactory.instance.objectNode() : desiredState.deepCopy();
    return RenderResult.rendered(state, Map.of());
  }
}
