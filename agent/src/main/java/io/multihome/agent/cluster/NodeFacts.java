package io.multihome.agent.cluster;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Route;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** What the probes target: the node's default gateways and DNS resolvers. */
public record NodeFacts(List<InetAddress> defaultGateways, List<InetAddress> resolvers) {
  public NodeFacts {
    defaultGateways = List.copyOf(defaultGateways);
    resolvers = List.copyOf(resolvers);
  }

  private static final int MAIN_TABLE = 254;

  /**
   * The facts of a namespace: default gateways of the main table, and the name servers of its
   * resolver file ({@code servers}, as the engine reads it); a server that is not a plain address
   * (a link-local one with its {@code %iface}) is left out.
   */
  public static NodeFacts of(List<Route> routes, List<String> servers) {
    var gateways =
        routes.stream()
            .filter(r -> r.isDefault() && r.gateway() != null && r.table() == MAIN_TABLE)
            .map(Route::gateway)
            .distinct()
            .toList();
    var resolvers = new ArrayList<InetAddress>();
    for (var s : servers) {
      try {
        resolvers.add(IpPrefix.parseAddress(s));
      } catch (RuntimeException e) {
        // not a probe target
      }
    }
    return new NodeFacts(gateways, resolvers);
  }
}
