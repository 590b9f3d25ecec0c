package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Objects;

/** One PF as discovered on the node, with its VFs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceExt {
  private String name;

  private List<String> altNames;

  private String mac;

  private String driver;

  @Required private String pciAddress;

  private String vendor;

  private String deviceID;

  private String netFilter;

  private Integer mtu;

  private Integer numVfs;

  private String linkSpeed;

  /** Discovered, so any value the kernel reports (not the policy enum). */
  private String linkType;

  private String linkAdminState;

  private String eSwitchMode;

  private Boolean externallyManaged;

  private Integer totalVfs;

  /** Upstream spells the JSON key with a capital V. */
  private List<VirtualFunction> vfs;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getAltNames() {
    return altNames;
  }

  public void setAltNames(List<String> altNames) {
    this.altNames = altNames;
  }

  public String getMac() {
    return mac;
  }

  public void setMac(String mac) {
    this.mac = mac;
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

  public String getNetFilter() {
    return netFilter;
  }

  public void setNetFilter(String netFilter) {
    this.netFilter = netFilter;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public Integer getNumVfs() {
    return numVfs;
  }

  public void setNumVfs(Integer numVfs) {
    this.numVfs = numVfs;
  }

  public String getLinkSpeed() {
    return linkSpeed;
  }

  public void setLinkSpeed(String linkSpeed) {
    this.linkSpeed = linkSpeed;
  }

  public String getLinkType() {
    return linkType;
  }

  public void setLinkType(String linkType) {
    this.linkType = linkType;
  }

  public String getLinkAdminState() {
    return linkAdminState;
  }

  public void setLinkAdminState(String linkAdminState) {
    this.linkAdminState = linkAdminState;
  }

  @JsonProperty("eSwitchMode")
  public String getESwitchMode() {
    return eSwitchMode;
  }

  public void setESwitchMode(String eSwitchMode) {
    this.eSwitchMode = eSwitchMode;
  }

  public Boolean getExternallyManaged() {
    return externallyManaged;
  }

  public void setExternallyManaged(Boolean externallyManaged) {
    this.externallyManaged = externallyManaged;
  }

  @JsonProperty("totalvfs")
  public Integer getTotalVfs() {
    return totalVfs;
  }

  public void setTotalVfs(Integer totalVfs) {
    this.totalVfs = totalVfs;
  }

  @JsonProperty("Vfs")
  public List<VirtualFunction> getVfs() {
    return vfs;
  }

  public void setVfs(List<VirtualFunction> vfs) {
    this.vfs = vfs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InterfaceExt other
        && Objects.equals(name, other.name)
        && Objects.equals(altNames, other.altNames)
        && Objects.equals(mac, other.mac)
        && Objects.equals(driver, other.driver)
        && Objects.equals(pciAddress, other.pciAddress)
        && Objects.equals(vendor, other.vendor)
        && Objects.equals(deviceID, other.deviceID)
        && Objects.equals(netFilter, other.netFilter)
        && Objects.equals(mtu, other.mtu)
        && Objects.equals(numVfs, other.numVfs)
        && Objects.equals(linkSpeed, other.linkSpeed)
        && Objects.equals(linkType, other.linkType)
        && Objects.equals(linkAdminState, other.linkAdminState)
        && Objects.equals(eSwitchMode, other.eSwitchMode)
        && Objects.equals(externallyManaged, other.externallyManaged)
        && Objects.equals(totalVfs, other.totalVfs)
        && Objects.equals(vfs, other.vfs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        altNames,
        mac,
        driver,
        pciAddress,
        vendor,
        deviceID,
        netFilter,
        mtu,
        numVfs,
        linkSpeed,
        linkType,
        linkAdminState,
        eSwitchMode,
        externallyManaged,
        totalVfs,
        vfs);
  }
}
