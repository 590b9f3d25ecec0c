package io.multihome.agent.cluster;

import java.net.InetAddress;
import java.util.List;

/** What the probes target: the node's default gateways and DNS resolvers. */
public record NodeFacts(List<InetAddress> defaultGateways, List<InetAddress> resolvers) {
  public NodeFacts {
    defaultGateways = List.copyOf(defaultGateways);
    resolvers = List.copyOf(resolvers);
  }
}
