package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Objects;

/** A managed OVS bridge on the node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OvsConfigExt {
  @Required private String name;

  private OvsBridgeConfig bridge;

  private List<OvsUplinkConfigExt> uplinks;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public OvsBridgeConfig getBridge() {
    return bridge;
  }

  public void setBridge(OvsBridgeConfig bridge) {
    this.bridge = bridge;
  }

  public List<OvsUplinkConfigExt> getUplinks() {
    return uplinks;
  }

  public void setUplinks(List<OvsUplinkConfigExt> uplinks) {
    this.uplinks = uplinks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OvsConfigExt other
        && Objects.equals(name, other.name)
        && Objects.equals(bridge, other.bridge)
        && Objects.equals(uplinks, other.uplinks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, bridge, uplinks);
  }
}
