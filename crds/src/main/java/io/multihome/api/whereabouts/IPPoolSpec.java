package io.multihome.api.whereabouts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The range and its allocations, keyed by offset from the range's network address. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class IPPoolSpec {
  @Required
  @JsonPropertyDescription(
      "Range is a RFC 4632/4291-style string that represents an IP address and prefix length in"
          + " CIDR notation")
  private String range;

  @Required
  @JsonPropertyDescription(
      "Allocations is the set of allocated IPs for the given range. Its indices are a direct"
          + " mapping to the IP with the same index/offset for the pool's range.")
  private Map<String, IPAllocation> allocations = new LinkedHashMap<>();

  public IPPoolSpec() {}

  public IPPoolSpec(String range, Map<String, IPAllocation> allocations) {
    this.range = range;
    this.allocations = new LinkedHashMap<>(allocations);
  }

  public String getRange() {
    return range;
  }

  public void setRange(String range) {
    this.range = range;
  }

  public Map<String, IPAllocation> getAllocations() {
    return allocations;
  }

  public void setAllocations(Map<String, IPAllocation> allocations) {
    // Upstream writes "allocations": {} for an empty pool; null from a sloppy writer means the
    // same.
    this.allocations = allocations == null ? new LinkedHashMap<>() : allocations;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IPPoolSpec s
        && Objects.equals(range, s.range)
        && Objects.equals(allocations, s.allocations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, allocations);
  }
}
