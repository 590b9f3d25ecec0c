package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Everything an enactment says: it has no spec, the node's handler owns all of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "capturedStates",
  "conditions",
  "desiredState",
  "desiredStateMetaInfo",
  "features",
  "policyGeneration",
  "retryCount"
})
public class NodeNetworkConfigurationEnactmentStatus {
  @JsonPropertyDescription("The policy's desiredState rendered for this node (captures expanded)")
  private ObjectNode desiredState;

  private NmstateInfo desiredStateMetaInfo;

  @JsonPropertyDescription("Resolved captures of the policy, by capture name")
  private Map<String, CapturedState> capturedStates;

  @JsonPropertyDescription("Policy generation the conditions belong to")
  private Long policyGeneration;

  private List<Condition> conditions;

  @JsonPropertyDescription("nmstate features the desired state uses")
  private List<String> features;

  @JsonPropertyDescription("Failed apply attempts, by policy generation")
  private Map<String, Integer> retryCount;

  public ObjectNode getDesiredState() {
    return desiredState;
  }

  public void setDesiredState(ObjectNode desiredState) {
    this.desiredState = desiredState;
  }

  public NmstateInfo getDesiredStateMetaInfo() {
    return desiredStateMetaInfo;
  }

  public void setDesiredStateMetaInfo(NmstateInfo desiredStateMetaInfo) {
    this.desiredStateMetaInfo = desiredStateMetaInfo;
  }

  public Map<String, CapturedState> getCapturedStates() {
    return capturedStates;
  }

  public void setCapturedStates(Map<String, CapturedState> capturedStates) {
    this.capturedStates = capturedStates;
  }

  public Long getPolicyGeneration() {
    return policyGeneration;
  }

  public void setPolicyGeneration(Long policyGeneration) {
    this.policyGeneration = policyGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<String> getFeatures() {
    return features;
  }

  public void setFeatures(List<String> features) {
    this.features = features;
  }

  public Map<String, Integer> getRetryCount() {
    return retryCount;
  }

  public void setRetryCount(Map<String, Integer> retryCount) {
    this.retryCount = retryCount;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeNetworkConfigurationEnactmentStatus s
        && Objects.equals(desiredState, s.desiredState)
        && Objects.equals(desiredStateMetaInfo, s.desiredStateMetaInfo)
        && Objects.equals(capturedStates, s.capturedStates)
        && Objects.equals(policyGeneration, s.policyGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(features, s.features)
        && Objects.equals(retryCount, s.retryCount);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        desiredState,
        desiredStateMetaInfo,
        capturedStates,
        policyGeneration,
        conditions,
        features,
        retryCount);
  }
}
