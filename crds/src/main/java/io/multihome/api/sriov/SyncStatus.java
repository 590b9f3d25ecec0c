package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Outcome of the last node configuration pass. */
public enum SyncStatus {
  @JsonProperty("Succeeded")
  SUCCEEDED("Succeeded"),
  @JsonProperty("InProgress")
  IN_PROGRESS("InProgress"),
  @JsonProperty("Failed")
  FAILED("Failed");

  private final String wireValue;

  SyncStatus(String wireValue) {
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
