package io.multihome.api.openshift;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code NetworkSpec}: the fields read here; the others of the real type (clusterNetwork,
 * defaultNetwork, ...) are kept as they are.
 */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkSpec {
  @JsonPropertyDescription(
      "Managed (default) or Unmanaged; Unmanaged: additional networks are left as they are")
  private String managementState;

  @JsonPropertyDescription("true: no Multus, so additional networks are refused (as the CNO does)")
  private Boolean disableMultiNetwork;

  @JsonPropertyDescription(
      "Extra networks pods may request by name: one NetworkAttachmentDefinition each")
  private List<AdditionalNetworkDefinition> additionalNetworks = new ArrayList<>();

  private final Map<String, Object> other = new LinkedHashMap<>();

  public String getManagementState() {
    return managementState;
  }

  public void setManagementState(String managementState) {
    this.managementState = managementState;
  }

  public Boolean getDisableMultiNetwork() {
    return disableMultiNetwork;
  }

  public void setDisableMultiNetwork(Boolean disableMultiNetwork) {
    this.disableMultiNetwork = disableMultiNetwork;
  }

  public List<AdditionalNetworkDefinition> getAdditionalNetworks() {
    return additionalNetworks;
  }

  public void setAdditionalNetworks(List<AdditionalNetworkDefinition> additionalNetworks) {
    this.additionalNetworks = additionalNetworks == null ? new ArrayList<>() : additionalNetworks;
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
