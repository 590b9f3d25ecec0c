package io.multihome.controller.nncp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.api.nmstate.CapturedState;
import java.util.Map;

/**
 * Turns a policy's {@code desiredState} into the state one node applies. The capture (nmpolicy)
 * evaluator implements this; {@link PassThroughRenderer} serves policies without captures.
 */
public interface DesiredStateRenderer {
  /**
   * @param policyName for error messages
   * @param desiredState the policy's {@code spec.desiredState}; must not be modified
   * @param capture the policy's {@code spec.capture} expressions, by name (may be empty)
   * @param cached captures resolved earlier for this node ({@code status.capturedStates} of its
   *     enactment); entries here win over re-evaluation so a result survives the apply that changes
   *     the host
   * @param nodeCurrentState the node's {@code NodeNetworkState status.currentState}, or null when
   *     the node has not reported one yet
   */
  RenderResult render(
      String policyName,
      ObjectNode desiredState,
      Map<String, String> capture,
      Map<String, CapturedState> cached,
      JsonNode nodeCurrentState);
}
