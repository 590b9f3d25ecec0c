package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Map;
import java.util.Objects;

/** What a policy asks for: an nmstate desired state, where and how fast to roll it out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"capture", "desiredState", "maxUnavailable", "nodeSelector"})
public class NodeNetworkConfigurationPolicySpec {
  /**
   * Kept as a JSON tree: the nmstate schema is validated by the desired-state model, not by the API
   * server, and values may be {@code "{{ capture.x.y }}"} templates.
   */
  @JsonPropertyDescription("The desired configuration of the policy (nmstate YAML)")
  private ObjectNode desiredState;

  @JsonPropertyDescription(
      "Node labels that must all be equal for the policy to apply to a node (equality only)")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Named nmpolicy capture expressions usable in desiredState")
  private Map<String, String> capture;

  @JsonPropertyDescription(
      "How many matching nodes (number or percentage) may apply the policy at once. Default 50%")
  private IntOrString maxUnavailable;

  public ObjectNode getDesiredState() {
    return desiredState;
  }

  public void setDesiredState(ObjectNode desiredState) {
    this.desiredState = desiredState;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public Map<String, String> getCapture() {
    return capture;
  }

  public void setCapture(Map<String, String> capture) {
    this.capture = capture;
  }

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeNetworkConfigurationPolicySpec s
        && Objects.equals(desiredState, s.desiredState)
        && Objects.equals(nodeSelector, s.nodeSelector)
        && Objects.equals(capture, s.capture)
        && Objects.equals(maxUnavailable, s.maxUnavailable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desiredState, nodeSelector, capture, maxUnavailable);
  }
}
