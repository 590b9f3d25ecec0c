package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One VF as discovered on the node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualFunction {
  private String name;

  private String mac;

  private String assigned;

  private String driver;

  @Required private String pciAddress;

  private String vendor;

  private String deviceID;

  /** Upstream spells the JSON key with a capital V. */
  private Integer vlan;

  private Integer mtu;

  @Required private Integer vfID;

  private String vdpaType;

  private String representorName;

  private String guid;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getMac() {
    return mac;
  }

  public void setMac(String mac) {
    this.mac = mac;
  }

  public String getAssigned() {
    return assigned;
  }

  public void setAssigned(String assigned) {
    this.assigned = assigned;
  }

  public String getDriver() {
    return driver;
  }

  public void setDriver(String driver) {
    this.driver = driver;
  }

  public String getPciAddress() {
    return pciAddress;
  }

  public void setPciAddress(String pciAddress) {
    this.pciAddress = pciAddress;
  }

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

  @JsonProperty("Vlan")
  public Integer getVlan() {
    return vlan;
  }

  public void setVlan(Integer vlan) {
    this.vlan = vlan;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public Integer getVfID() {
    return vfID;
  }

  public void setVfID(Integer vfID) {
    this.vfID = vfID;
  }

  public String getVdpaType() {
    return vdpaType;
  }

  public void setVdpaType(String vdpaType) {
    this.vdpaType = vdpaType;
  }

  public String getRepresentorName() {
    return representorName;
  }

  public void setRepresentorName(String representorName) {
    this.representorName = representorName;
  }

  public String getGuid() {
    return guid;
  }

  public void setGuid(String guid) {
    this.guid = guid;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VirtualFunction other
        && Objects.equals(name, other.name)
        && Objects.equals(mac, other.mac)
        && Objects.equals(assigned, other.assigned)
        && Objects.equals(driver, other.driver)
        && Objects.equals(pciAddress, other.pciAddress)
        && Objects.equals(vendor, other.vendor)
        && Objects.equals(deviceID, other.deviceID)
        && Objects.equals(vlan, other.vlan)
        && Objects.equals(mtu, other.mtu)
        && Objects.equals(vfID, other.vfID)
        && Objects.equals(vdpaType, other.vdpaType)
        && Objects.equals(representorName, other.representorName)
        && Objects.equals(guid, other.guid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        mac,
        assigned,
        driver,
        pciAddress,
        vendor,
        deviceID,
        vlan,
        mtu,
        vfID,
        vdpaType,
        representorName,
        guid);
  }
}
