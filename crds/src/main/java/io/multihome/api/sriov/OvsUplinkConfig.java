package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** Uplink (PF) settings of a managed OVS bridge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OvsUplinkConfig {
  /** JSON key is a Java keyword. */
  private OvsInterfaceConfig iface;

  @JsonProperty("interface")
  public OvsInterfaceConfig getIface() {
    return iface;
  }

  public void setIface(OvsInterfaceConfig iface) {
    this.iface = iface;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OvsUplinkConfig other && Objects.equals(iface, other.iface);
  }

  @Override
  public int hashCode() {
    return Objects.hash(iface);
  }
}
