package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/** Whether the NetworkAttachmentDefinition of the network is in place. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SriovNetworkStatus {
  private List<Condition> conditions;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SriovNetworkStatus other && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(conditions);
  }
}
