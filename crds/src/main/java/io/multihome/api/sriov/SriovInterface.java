package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Objects;

/** Desired configuration of one PF on the node (merged from the policies). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SriovInterface {
  @Required private String pciAddress;

  private Integer numVfs;

  private Integer mtu;

  private String name;

  private LinkType linkType;

  private ESwitchMode eSwitchMode;

  private List<VfGroup> vfGroups;

  private Boolean externallyManaged;

  public String getPciAddress() {
    return pciAddress;
  }

  public void setPciAddress(String pciAddress) {
    this.pciAddress = pciAddress;
  }

  public Integer getNumVfs() {
    return numVfs;
  }

  public void setNumVfs(Integer numVfs) {
    this.numVfs = numVfs;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public LinkType getLinkType() {
    return linkType;
  }

  public void setLinkType(LinkType linkType) {
    this.linkType = linkType;
  }

  @JsonProperty("eSwitchMode")
  public ESwitchMode getESwitchMode() {
    return eSwitchMode;
  }

  public void setESwitchMode(ESwitchMode eSwitchMode) {
    this.eSwitchMode = eSwitchMode;
  }

  public List<VfGroup> getVfGroups() {
    return vfGroups;
  }

  public void setVfGroups(List<VfGroup> vfGroups) {
    this.vfGroups = vfGroups;
  }

  public Boolean getExternallyManaged() {
    return externallyManaged;
  }

  public void setExternallyManaged(Boolean externallyManaged) {
    this.externallyManaged = externallyManaged;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SriovInterface other
        && Objects.equals(pciAddress, other.pciAddress)
        && Objects.equals(numVfs, other.numVfs)
        && Objects.equals(mtu, other.mtu)
        && Objects.equals(name, other.name)
        && Objects.equals(linkType, other.linkType)
        && Objects.equals(eSwitchMode, other.eSwitchMode)
        && Objects.equals(vfGroups, other.vfGroups)
        && Objects.equals(externallyManaged, other.externallyManaged);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        pciAddress, numVfs, mtu, name, linkType, eSwitchMode, vfGroups, externallyManaged);
  }
}
