package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** PF link type. Upstream accepts both cases, so both are kept to round-trip unchanged. */
public enum LinkType {
  @JsonProperty("eth")
  ETH("eth"),
  @JsonProperty("ETH")
  ETH_UPPERCASE("ETH"),
  @JsonProperty("ib")
  IB("ib"),
  @JsonProperty("IB")
  IB_UPPERCASE("IB");

  private final String wireValue;

  LinkType(String wireValue) {
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
