package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;

/** Interface-table settings of the PF in a managed OVS bridge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OvsInterfaceConfig {
  private String type;

  private Map<String, String> options;

  private Map<String, String> externalIDs;

  private Map<String, String> otherConfig;

  private Integer mtuRequest;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public Map<String, String> getOptions() {
    return options;
  }

  public void setOptions(Map<String, String> options) {
    this.options = options;
  }

  public Map<String, String> getExternalIDs() {
    return externalIDs;
  }

  public void setExternalIDs(Map<String, String> externalIDs) {
    this.externalIDs = externalIDs;
  }

  public Map<String, String> getOtherConfig() {
    return otherConfig;
  }

  public void setOtherConfig(Map<String, String> otherConfig) {
    this.otherConfig = otherConfig;
  }

  public Integer getMtuRequest() {
    return mtuRequest;
  }

  public void setMtuRequest(Integer mtuRequest) {
    this.mtuRequest = mtuRequest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OvsInterfaceConfig other
        && Objects.equals(type, other.type)
        && Objects.equals(options, other.options)
        && Objects.equals(externalIDs, other.externalIDs)
        && Objects.equals(otherConfig, other.otherConfig)
        && Objects.equals(mtuRequest, other.mtuRequest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, options, externalIDs, otherConfig, mtuRequest);
  }
}
