package io.multihome.api.openshift;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OperatorStatus}: conditions (here {@code Degraded}, naming every additional network that
 * could not be rendered) and the generation they describe. Other fields are kept.
 */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkStatus {
  private Long observedGeneration;
  private List<OperatorCondition> conditions = new ArrayList<>();
  private final Map<String, Object> other = new LinkedHashMap<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<OperatorCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<OperatorCondition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  /** Fields of the real type not modelled here, kept for a round trip. */
  @JsonAnyGetter
  public Map<String, Object> unknownFields() {
    return other;
  }

  @JsonAnySetter
  public void unknownField(String key, Object value) {
    other.put(key, value);
  }
}
