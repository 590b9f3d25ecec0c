package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Administrative link state forced on a VF. */
public enum VfLinkState {
  @JsonProperty("auto")
  AUTO("auto"),
  @JsonProperty("enable")
  ENABLE("enable"),
  @JsonProperty("disable")
  DISABLE("disable");

  private final String wireValue;

  VfLinkState(String wireValue) {
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
