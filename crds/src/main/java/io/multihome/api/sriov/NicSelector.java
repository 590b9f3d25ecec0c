package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Which PFs a policy selects; every set criterion must match (AND). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NicSelector {
  @JsonPropertyDescription("PCI vendor ID in hex, e.g. 8086 or 15b3")
  private String vendor;

  @JsonPropertyDescription("PCI device ID of the PF in hex")
  private String deviceID;

  @JsonPropertyDescription("PCI addresses of PFs")
  private List<String> rootDevices;

  @JsonPropertyDescription(
      "PF names or altnames, optionally with a #first-last VF range, e.g. ens1f0#0-3")
  private List<String> pfNames;

  @JsonPropertyDescription("Cloud network filter, e.g. openstack/NetworkID:<uuid>")
  private String netFilter;

  public String getVendor() {
    return vendor;
  }

  public void setVendor(String vendor) {
    this.vendor = vendor;
  }

  public String getDeviceID() {
    return deviceID;
  }

  public void setDeviceID(String deviceID) {
    this.deviceID = deviceID;
  }

  public List<String> getRootDevices() {
    return rootDevices;
  }

  public void setRootDevices(List<String> rootDevices) {
    this.rootDevices = rootDevices;
  }

  public List<String> getPfNames() {
    return pfNames;
  }

  public void setPfNames(List<String> pfNames) {
    this.pfNames = pfNames;
  }

  public String getNetFilter() {
    return netFilter;
  }

  public void setNetFilter(String netFilter) {
    this.netFilter = netFilter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NicSelector other
        && Objects.equals(vendor, other.vendor)
        && Objects.equals(deviceID, other.deviceID)
        && Objects.equals(rootDevices, other.rootDevices)
        && Objects.equals(pfNames, other.pfNames)
        && Objects.equals(netFilter, other.netFilter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(vendor, deviceID, rootDevices, pfNames, netFilter);
  }
}
