package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A PF attached to a managed OVS bridge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OvsUplinkConfigExt {
  @Required private String pciAddress;

  private String name;

  /** JSON key is a Java keyword. */
  private OvsInterfaceConfig iface;

  public String getPciAddress() {
    return pciAddress;
  }

  public void setPciAddress(String pciAddress) {
    this.pciAddress = pciAddress;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @JsonProperty("interface")
  public OvsInterfaceConfig getIface() {
    return iface;
  }

  public void setIface(OvsInterfaceConfig iface) {
    this.iface = iface;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OvsUplinkConfigExt other
        && Objects.equals(pciAddress, other.pciAddress)
        && Objects.equals(name, other.name)
        && Objects.equals(iface, other.iface);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pciAddress, name, iface);
  }
}
