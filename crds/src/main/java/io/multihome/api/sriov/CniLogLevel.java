package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** sriov-cni log level; the empty value means the plugin default. */
public enum CniLogLevel {
  @JsonProperty("panic")
  PANIC("panic"),
  @JsonProperty("error")
  ERROR("error"),
  @JsonProperty("warning")
  WARNING("warning"),
  @JsonProperty("info")
  INFO("info"),
  @JsonProperty("debug")
  DEBUG("debug"),
  @JsonProperty("")
  UNSET("");

  private final String wireValue;

  CniLogLevel(String wireValue) {
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
