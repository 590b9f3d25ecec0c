package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/** What the node should look like; written by the operator from the policies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SriovNetworkNodeStateSpec {
  private List<SriovInterface> interfaces;

  private Bridges bridges;

  private SystemConfig system;

  public List<SriovInterface> getInterfaces() {
    return interfaces;
  }

  public void setInterfaces(List<SriovInterface> interfaces) {
    this.interfaces = interfaces;
  }

  public Bridges getBridges() {
    return bridges;
  }

  public void setBridges(Bridges bridges) {
    this.bridges = bridges;
  }

  public SystemConfig getSystem() {
    return system;
  }

  public void setSystem(SystemConfig system) {
    this.system = system;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SriovNetworkNodeStateSpec other
        && Objects.equals(interfaces, other.interfaces)
        && Objects.equals(bridges, other.bridges)
        && Objects.equals(system, other.system);
  }

  @Override
  public int hashCode() {
    return Objects.hash(interfaces, bridges, system);
  }
}
