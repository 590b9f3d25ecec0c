package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** RDMA subsystem network-namespace mode. */
public enum RdmaMode {
  @JsonProperty("shared")
  SHARED("shared"),
  @JsonProperty("exclusive")
  EXCLUSIVE("exclusive");

  private final String wireValue;

  RdmaMode(String wireValue) {
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
