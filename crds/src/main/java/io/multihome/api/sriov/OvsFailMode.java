package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OVS bridge fail_mode. */
public enum OvsFailMode {
  @JsonProperty("secure")
  SECURE("secure"),
  @JsonProperty("standalone")
  STANDALONE("standalone");

  private final String wireValue;

  OvsFailMode(String wireValue) {
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
