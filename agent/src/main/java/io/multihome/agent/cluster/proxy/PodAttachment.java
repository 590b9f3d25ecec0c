package io.multihome.agent.cluster.proxy;

import java.util.List;

/**
 * One secondary attachment of a local pod: where its network namespace is, which network ({@code
 * namespace/name}), the interface and its addresses (bare, without prefix).
 */
public record PodAttachment(
    String netns, String podRef, String network, String ifname, List<String> addresses) {

  public PodAttachment {
    addresses = List.copyOf(addresses);
  }

  /** The first address of the family, or null. */
  public String address(boolean v6) {
    return addresses.stream().filter(a -> a.contains(":") == v6).findFirst().orElse(null);
  }
}
