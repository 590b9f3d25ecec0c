package io.multihome.api.whereabouts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * Who holds an address: the container ({@code id}), the pod ({@code podref}, {@code
 * namespace/name}) and the interface in it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class IPAllocation {
  @Required
  @JsonProperty("id")
  private String containerId;

  @Required
  @JsonProperty("podref")
  private String podRef;

  @JsonProperty("ifname")
  private String ifName;

  public IPAllocation() {}

  public IPAllocation(String containerId, String podRef, String ifName) {
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
    return o instanceof IPAllocation a
        && Objects.equals(containerId, a.containerId)
        && Objects.equals(podRef, a.podRef)
        && Objects.equals(ifName, a.ifName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(containerId, podRef, ifName);
  }

  @Override
  public String toString() {
    return "{id=" + containerId + ", podref=" + podRef + ", ifname=" + ifName + "}";
  }
}
