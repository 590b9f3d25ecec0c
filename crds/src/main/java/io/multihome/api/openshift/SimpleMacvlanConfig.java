package io.multihome.api.openshift;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** {@code SimpleMacvlanConfig}: a macvlan interface on {@code master}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SimpleMacvlanConfig {
  @JsonPropertyDescription("Host interface to create the macvlan on (default: the default route's)")
  private String master;

  @JsonPropertyDescription("IPAM: DHCP (default) or Static")
  private IpamConfig ipamConfig;

  @JsonPropertyDescription("Bridge (default), Private, VEPA or Passthru")
  private String mode;

  @Min(0)
  @JsonPropertyDescription("MTU of the macvlan interface (default: the kernel's choice)")
  private Long mtu;

  public String getMaster() {
    return master;
  }

  public void setMaster(String master) {
    this.master = master;
  }

  public IpamConfig getIpamConfig() {
    return ipamConfig;
  }

  public void setIpamConfig(IpamConfig ipamConfig) {
    this.ipamConfig = ipamConfig;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public Long getMtu() {
    return mtu;
  }

  public void setMtu(Long mtu) {
    this.mtu = mtu;
  }
}
