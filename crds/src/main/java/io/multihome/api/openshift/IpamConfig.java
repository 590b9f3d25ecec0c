package io.multihome.api.openshift;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code IPAMConfig}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IpamConfig {
  public static final String DHCP = "DHCP";
  public static final String STATIC = "Static";

  @JsonPropertyDescription("DHCP or Static")
  private String type;

  @JsonProperty("staticIPAMConfig")
  @JsonPropertyDescription("type Static: addresses, routes and DNS")
  private StaticIpamConfig staticIpamConfig;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  @JsonProperty("staticIPAMConfig")
  public StaticIpamConfig getStaticIpamConfig() {
    return staticIpamConfig;
  }

  @JsonProperty("staticIPAMConfig")
  public void setStaticIpamConfig(StaticIpamConfig staticIpamConfig) {
    this.staticIpamConfig = staticIpamConfig;
  }
}
