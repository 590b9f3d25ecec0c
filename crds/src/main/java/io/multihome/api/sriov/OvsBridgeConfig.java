package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;

/** Bridge-table settings of a managed OVS bridge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OvsBridgeConfig {
  private String datapathType;

  private Map<String, String> externalIDs;

  private Map<String, String> otherConfig;

  private OvsFailMode failMode;

  public String getDatapathType() {
    return datapathType;
  }

  public void setDatapathType(String datapathType) {
    this.datapathType = datapathType;
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

  public OvsFailMode getFailMode() {
    return failMode;
  }

  public void setFailMode(OvsFailMode failMode) {
    this.failMode = failMode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OvsBridgeConfig other
        && Objects.equals(datapathType, other.datapathType)
        && Objects.equals(externalIDs, other.externalIDs)
        && Objects.equals(otherConfig, other.otherConfig)
        && Objects.equals(failMode, other.failMode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(datapathType, externalIDs, otherConfig, failMode);
  }
}
