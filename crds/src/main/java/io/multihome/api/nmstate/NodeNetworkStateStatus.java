package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** A node's reported network state and the versions of the tools that reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "conditions",
  "currentState",
  "handlerNetworkManagerVersion",
  "handlerNmstateVersion",
  "hostNetworkManagerVersion",
  "lastSuccessfulUpdateTime"
})
public class NodeNetworkStateStatus {
  @JsonPropertyDescription("The node's current network state in nmstate YAML form")
  private ObjectNode currentState;

  @JsonPropertyDescription("When currentState was last refreshed (RFC 3339)")
  private String lastSuccessfulUpdateTime;

  private String hostNetworkManagerVersion;
  private String handlerNetworkManagerVersion;
  private String handlerNmstateVersion;
  private List<Condition> conditions;

  public ObjectNode getCurrentState() {
    return currentState;
  }

  public void setCurrentState(ObjectNode currentState) {
    this.currentState = currentState;
  }

  public String getLastSuccessfulUpdateTime() {
    return lastSuccessfulUpdateTime;
  }

  public void setLastSuccessfulUpdateTime(String lastSuccessfulUpdateTime) {
    this.lastSuccessfulUpdateTime = lastSuccessfulUpdateTime;
  }

  public String getHostNetworkManagerVersion() {
    return hostNetworkManagerVersion;
  }

  public void setHostNetworkManagerVersion(String hostNetworkManagerVersion) {
    this.hostNetworkManagerVersion = hostNetworkManagerVersion;
  }

  public String getHandlerNetworkManagerVersion() {
    return handlerNetworkManagerVersion;
  }

  public void setHandlerNetworkManagerVersion(String handlerNetworkManagerVersion) {
    this.handlerNetworkManagerVersion = handlerNetworkManagerVersion;
  }

  public String getHandlerNmstateVersion() {
    return handlerNmstateVersion;
  }

  public void setHandlerNmstateVersion(String handlerNmstateVersion) {
    this.handlerNmstateVersion = handlerNmstateVersion;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeNetworkStateStatus s
        && Objects.equals(currentState, s.currentState)
        && Objects.equals(lastSuccessfulUpdateTime, s.lastSuccessfulUpdateTime)
        && Objects.equals(hostNetworkManagerVersion, s.hostNetworkManagerVersion)
        && Objects.equals(handlerNetworkManagerVersion, s.handlerNetworkManagerVersion)
        && Objects.equals(handlerNmstateVersion, s.handlerNmstateVersion)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        currentState,
        lastSuccessfulUpdateTime,
        hostNetworkManagerVersion,
        handlerNetworkManagerVersion,
        handlerNmstateVersion,
        conditions);
  }
}
