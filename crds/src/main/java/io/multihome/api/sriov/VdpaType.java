package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kind of vDPA device created on each VF. */
public enum VdpaType {
  @JsonProperty("virtio")
  VIRTIO("virtio"),
  @JsonProperty("vhost")
  VHOST("vhost");

  private final String wireValue;

  VdpaType(String wireValue) {
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
