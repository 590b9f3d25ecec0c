package io.multihome.api.whereabouts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Who holds the reserved address. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class OverlappingRangeIPReservationSpec {
  @JsonProperty("containerid")
  private String containerId;

  @Required
  @JsonProperty("podref")
  private String podRef;

  @JsonProperty("ifname")
  private String ifName;

  public OverlappingRangeIPReservationSpec() {}

  public OverlappingRangeIPReservationSpec(String containerId, String podRef, String ifName) {
    this.containerId = containerId;
    this.podRef = podRef;
    this.ifName = ifName;
  }

  public String getContainerId() {
    return containerId;
  }

  public void setContainerId(String containerId) {
    this.containerId = containerId;
  }

  public String getPodRef() {
    return podRef;
  }

  public void setPodRef(String podRef) {
    this.podRef = podRef;
  }

  public String getIfName() {
    return ifName;
  }

  public void setIfName(String ifName) {
    this.ifName = ifName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OverlappingRangeIPReservationSpec s
        && Objects.equals(containerId, s.containerId)
        && Objects.equals(podRef, s.podRef)
        && Objects.equals(ifName, s.ifName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(containerId, podRef, ifName);
  }
}
