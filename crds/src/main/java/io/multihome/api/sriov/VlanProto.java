package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** VLAN protocol of a VF; upstream accepts both cases. */
public enum VlanProto {
  @JsonProperty("802.1q")
  DOT1Q("802.1q"),
  @JsonProperty("802.1Q")
  DOT1Q_UPPERCASE("802.1Q"),
  @JsonProperty("802.1ad")
  DOT1AD("802.1ad"),
  @JsonProperty("802.1AD")
  DOT1AD_UPPERCASE("802.1AD");

  private final String wireValue;

  VlanProto(String wireValue) {
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
