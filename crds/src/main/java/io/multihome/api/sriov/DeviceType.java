package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Driver the VFs of a policy get: the kernel netdevice driver or vfio-pci (DPDK). */
public enum DeviceType {
  @JsonProperty("netdevice")
  NETDEVICE("netdevice"),
  @JsonProperty("vfio-pci")
  VFIO_PCI("vfio-pci");

  private final String wireValue;

  DeviceType(String wireValue) {
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
