package io.multihome.controller.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.api.nmstate.CapturedState;
import io.multihome.api.nmstate.NmstateInfo;
import io.multihome.controller.nncp.DesiredStateRenderer;
import io.multihome.controller.nncp.RenderResult;
import io.multihome.state.capture.CaptureEvaluator;
import io.multihome.state.capture.CaptureException;
import io.multihome.state.capture.TemplateRenderer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The controller's capture step: evaluates {@code spec.capture} against the node's current state
 * (reusing captures cached in the enactment) and substitutes the {@code {{ capture.… }}} templates.
 */
public final class CaptureRenderer implements DesiredStateRenderer {
  private final Clock clock;

  public CaptureRenderer(Clock clock) {
    this.clock = clock;
  }

  @Override
  public RenderResult render(
      String policyName,
      ObjectNode desiredState,
      Map<String, String> capture,
      Map<String, CapturedState> cached,
      JsonNode nodeCurrentState) {
    var cachedTrees = new HashMap<String, JsonNode>();
    cached.forEach(
        (name, state) -> {
          if (state != null && state.getState() != null) {
            cachedTrees.put(name, state.getState());
          }
        });
    try {
      Map<String, JsonNode> captured =
          CaptureEvaluator.evaluate(capture, nodeCurrentState, cachedTrees);
      ObjectNode rendered = TemplateRenderer.render(desiredState, captured);
      return RenderResult.rendered(rendered, toStatus(captured, cached));
    } catch (CaptureException e) {
      // The reconciler prefixes upstream's "failure generating desiredState…" wording.
      return RenderResult.failed(e.getMessage());
    }
  }

  /** Cached entries keep their original time, so the status does not change on every pass. */
  private Map<String, CapturedState> toStatus(
      Map<String, JsonNode> captured, Map<String, CapturedState> cached) {
    var out = new HashMap<String, CapturedState>();
    captured.forEach(
        (name, tree) -> {
          CapturedState earlier = cached.get(name);
          if (earlier != null && tree.equals(earlier.getState())) {
            out.put(name, earlier);
            return;
          }
          var state = new CapturedState();
          state.setState(
              tree instanceof ObjectNode object
                  ? object
                  : JsonNodeFactory.instance.objectNode().set("value", tree));
          var info = new NmstateInfo();
          info.setTime(clock.instant().toString());
          state.setMetaInfo(info);
          out.put(name, state);
        });
    return out;
  }
}
