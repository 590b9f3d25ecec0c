package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A range of VFs of one PF that one policy owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VfGroup {
  private String resourceName;

  private DeviceType deviceType;

  @JsonPropertyDescription("first-last VF index, e.g. 0-3")
  private String vfRange;

  private String policyName;

  private Integer mtu;

  private Boolean isRdma;

  private VdpaType vdpaType;

  public String getResourceName() {
    return resourceName;
  }

  public void setResourceName(String resourceName) {
    this.resourceName = resourceName;
  }

  public DeviceType getDeviceType() {
    return deviceType;
  }

  public void setDeviceType(DeviceType deviceType) {
    this.deviceType = deviceType;
  }

  public String getVfRange() {
    return vfRange;
  }

  public void setVfRange(String vfRange) {
    this.vfRange = vfRange;
  }

  public String getPolicyName() {
    return policyName;
  }

  public void setPolicyName(String policyName) {
    this.policyName = policyName;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public Boolean getIsRdma() {
    return isRdma;
  }

  public void setIsRdma(Boolean isRdma) {
    this.isRdma = isRdma;
  }

  public VdpaType getVdpaType() {
    return vdpaType;
  }

  public void setVdpaType(VdpaType vdpaType) {
    this.vdpaType = vdpaType;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VfGroup other
        && Objects.equals(resourceName, other.resourceName)
        && Objects.equals(deviceType, other.deviceType)
        && Objects.equals(vfRange, other.vfRange)
        && Objects.equals(policyName, other.policyName)
        && Objects.equals(mtu, other.mtu)
        && Objects.equals(isRdma, other.isRdma)
        && Objects.equals(vdpaType, other.vdpaType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(resourceName, deviceType, vfRange, policyName, mtu, isRdma, vdpaType);
  }
}
