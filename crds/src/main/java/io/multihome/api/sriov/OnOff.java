package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The on/off switches of a VF (spoof check, trust, all-multicast). */
public enum OnOff {
  @JsonProperty("on")
  ON("on"),
  @JsonProperty("off")
  OFF("off");

  private final String wireValue;

  OnOff(String wireValue) {
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
