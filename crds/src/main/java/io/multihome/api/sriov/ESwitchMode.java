package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** NIC embedded-switch mode; switchdev is needed for OVS hardware offload and vDPA. */
public enum ESwitchMode {
  @JsonProperty("legacy")
  LEGACY("legacy"),
  @JsonProperty("switchdev")
  SWITCHDEV("switchdev");

  private final String wireValue;

  ESwitchMode(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The value as written in manifests. */
  public String wireValue() {
    return wireValue;
  }

  @Override
  public String toString() {
    return wireValue;
  }
}
