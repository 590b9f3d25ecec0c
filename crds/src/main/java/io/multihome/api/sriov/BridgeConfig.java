package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** Software bridges to create on the selected PFs (switchdev only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BridgeConfig {
  private OvsConfig ovs;

  public OvsConfig getOvs() {
    return ovs;
  }

  public void setOvs(OvsConfig ovs) {
    this.ovs = ovs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BridgeConfig other && Objects.equals(ovs, other.ovs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ovs);
  }
}
