package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/** Managed software bridges on the node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Bridges {
  private List<OvsConfigExt> ovs;

  public List<OvsConfigExt> getOvs() {
    return ovs;
  }

  public void setOvs(List<OvsConfigExt> ovs) {
    this.ovs = ovs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bridges other && Objects.equals(ovs, other.ovs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ovs);
  }
}
