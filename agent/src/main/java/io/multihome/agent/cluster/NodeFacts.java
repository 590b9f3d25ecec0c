package io.multihome.agent.cluster;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the probes target: the node's default gateways and DNS resolvers. */
public record NodeFacts(List<InetAddress> defaultGateways, List<InetAddress> resolvers) {
  public NodeFacts {
    defaultGateways = List.copyOf(defaultGateways);
    resolvers = List.copyOf(resolvers);
  }

  private static final int MAIN_TABLE = 254;

  /** The facts of a namespace: IPv4 default gateways of the main table, resolv.conf servers. */
  public static NodeFacts of(List<Route> routes, String netns) {
    var gateways =
        routes.stream()
            .filter(r -> r.isDefault() && r.gateway() != null && r.table() == MAIN_TABLE)
            .map(Route::gateway)
            .distinct()
            .toList();
    return new NodeFacts(gateways, resolvers(netns));
  }

  /** The name servers of a named namespace ({@code /etc/netns/NS/resolv.conf}, as ip-netns). */
  static List<InetAddress> resolvers(String netns) {
    var own = netns == null ? null : Path.of("/etc/netns", netns, "resolv.conf");
    var file = own != null && Files.exists(own) ? own : Path.of("/etc/resolv.conf");
    var out = new ArrayList<InetAddress>();
    try {
      for (var line : Files.readAllLines(file)) {
        var f = line.strip().split("\\s+");
        if (f.length >= 2 && "nameserver".equals(f[0])) {
          out.add(IpPrefix.parseAddress(f[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return out;
  }
}
