package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** A managed OVS bridge for the selected PFs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OvsConfig {
  private OvsBridgeConfig bridge;

  private OvsUplinkConfig uplink;

  public OvsBridgeConfig getBridge() {
    return bridge;
  }

  public void setBridge(OvsBridgeConfig bridge) {
    this.bridge = bridge;
  }

  public OvsUplinkConfig getUplink() {
    return uplink;
  }

  public void setUplink(OvsUplinkConfig uplink) {
    this.uplink = uplink;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OvsConfig other
        && Objects.equals(bridge, other.bridge)
        && Objects.equals(uplink, other.uplink);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bridge, uplink);
  }
}
