package io.multihome.agent.cluster.proxy;

import java.util.List;

/**
 * What one pod network namespace should hold: the nftables table (as {@code nft -f} input that
 * replaces it atomically; empty = no table) and the cluster-IP routes.
 */
public record PodRules(String nftScript, List<ClusterIpRoute> routes) {

  public static final PodRules NONE = new PodRules("", List.of());

  public PodRules {
    routes = List.copyOf(routes);
  }

  public boolean isEmpty() {
    return nftScript.isEmpty() && routes.isEmpty();
  }

  /** {@code clusterIp} (host route) out of {@code ifname} with {@code source} as the source. */
  public record ClusterIpRoute(String clusterIp, String ifname, String source) {}
}
