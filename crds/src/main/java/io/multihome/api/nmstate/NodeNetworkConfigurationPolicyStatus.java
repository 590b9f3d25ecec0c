package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Aggregated rollout state of a policy over all matching nodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "conditions",
  "lastUnavailableNodeCountUpdate",
  "unavailableNodeCount",
  "unavailableNodeCountMap"
})
public class NodeNetworkConfigurationPolicyStatus {
  private List<Condition> conditions;

  @JsonPropertyDescription("Legacy total of nodes that may be unavailable while applying")
  private Integer unavailableNodeCount;

  /** Rollout semaphore keyed by policy generation; handlers take and release slots here. */
  @JsonPropertyDescription("Nodes currently applying the policy, by policy generation")
  private Map<String, Integer> unavailableNodeCountMap;

  /** Declared upstream but no longer written; kept so old objects round-trip. */
  @JsonPropertyDescription("Time of the last unavailableNodeCount update (unused, compatibility)")
  private String lastUnavailableNodeCountUpdate;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getUnavailableNodeCount() {
    return unavailableNodeCount;
  }

  public void setUnavailableNodeCount(Integer unavailableNodeCount) {
    this.unavailableNodeCount = unavailableNodeCount;
  }

  public Map<String, Integer> getUnavailableNodeCountMap() {
    return unavailableNodeCountMap;
  }

  public void setUnavailableNodeCountMap(Map<String, Integer> unavailableNodeCountMap) {
    this.unavailableNodeCountMap = unavailableNodeCountMap;
  }

  public String getLastUnavailableNodeCountUpdate() {
    return lastUnavailableNodeCountUpdate;
  }

  public void setLastUnavailableNodeCountUpdate(String lastUnavailableNodeCountUpdate) {
    this.lastUnavailableNodeCountUpdate = lastUnavailableNodeCountUpdate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeNetworkConfigurationPolicyStatus s
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(unavailableNodeCount, s.unavailableNodeCount)
        && Objects.equals(unavailableNodeCountMap, s.unavailableNodeCountMap)
        && Objects.equals(lastUnavailableNodeCountUpdate, s.lastUnavailableNodeCountUpdate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conditions, unavailableNodeCount, unavailableNodeCountMap, lastUnavailableNodeCountUpdate);
  }
}
