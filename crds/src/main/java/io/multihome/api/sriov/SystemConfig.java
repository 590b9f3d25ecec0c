package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** Node-wide SR-IOV settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SystemConfig {
  private RdmaMode rdmaMode;

  @JsonPropertyDescription("other_config options for ovs-vswitchd")
  private Map<String, String> ovsConfig;

  public RdmaMode getRdmaMode() {
    return rdmaMode;
  }

  public void setRdmaMode(RdmaMode rdmaMode) {
    this.rdmaMode = rdmaMode;
  }

  public Map<String, String> getOvsConfig() {
    return ovsConfig;
  }

  public void setOvsConfig(Map<String, String> ovsConfig) {
    this.ovsConfig = ovsConfig;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SystemConfig other
        && Objects.equals(rdmaMode, other.rdmaMode)
        && Objects.equals(ovsConfig, other.ovsConfig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rdmaMode, ovsConfig);
  }
}
