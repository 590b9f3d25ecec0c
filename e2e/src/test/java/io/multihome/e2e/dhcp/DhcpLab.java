package io.multihome.e2e.dhcp;

import io.multihome.agent.dhcp.DhcpService;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import io.multihome.kernelvm.TestNetns;
import io.multihome.lab.LabDhcpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A node namespace ({@code mh-dh-*}) whose {@code eth1} is cabled (veth) to {@code srv0} in a
 * server namespace where dnsmasq ({@link LabDhcpServer}) serves 198.18.70.100-199/24 from
 * 198.18.70.254, bound to {@code srv0} only, with its lease and pid files in a temp directory.
 * Everything is removed on close.
 */
final class DhcpLab implements AutoCloseable {
  static final String SERVER = "198.18.70.254";
  static final String SERVER6 = "2001:db8:70::fe";

  final TestNetns node;
  final TestNetns server;
  final Path dir;
  final Path stateDir;
  LabDhcpServer dnsmasq;
  DhcpService dhcp;
  Engine engine;

  DhcpLab(Path dir) throws IOException {
    this.dir = dir;
    this.stateDir = Files.createDirectories(dir.resolve("state"));
    node = TestNetns.create("mh-dh-");
    TestNetns s = null;
    try {
      s = TestNetns.create("mh-dhs-");
      // No duplicate address detection: link-local addresses settle at once (state comparisons).
      for (var ns : List.of(node, s)) {
        ns.sh(
                "sysctl -qw net.ipv6.conf.all.accept_dad=0"
                    + " && sysctl -qw net.ipv6.conf.default.accept_dad=0")
            .orFail();
      }
      node.ip("link", "add", "eth1", "type", "veth", "peer", "name", "srv0", "netns", s.name());
      node.ip("link", "set", "eth1", "up");
      s.ip("link", "set", "srv0", "up");
    } catch (RuntimeException | Error e) {
      if (s != null) {
        s.close();
      }
      node.close();
      throw e;
    }
    server = s;
  }

  /** dnsmasq on srv0 with the lab range and {@code settings} applied (lease time, options). */
  static LabDhcpServer.Settings settings(String serverNs, Duration lease) {
    return new LabDhcpServer.Settings(
        serverNs, "srv0", SERVER + "/24", "198.18.70.100", "198.18.70.199", lease);
  }

  LabDhcpServer serve(LabDhcpServer.Settings settings) throws IOException {
    dnsmasq = LabDhcpServer.start(settings, dir.resolve("dnsmasq"));
    return dnsmasq;
  }

  /** The agent side: the DHCP service and an engine using it, both on the node namespace. */
  Engine agent() {
    dhcp = DhcpService.start(Target.of(node.name()), stateDir);
    engine = Engine.open(Target.of(node.name()), stateDir).withDynamicIp(dhcp);
    return engine;
  }

  /** Stops the agent side as an agent shutdown does (leases and addresses stay). */
  void stopAgent() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
    if (dhcp != null) {
      dhcp.close();
      dhcp = null;
    }
  }

  @Override
  public void close() {
    try {
      stopAgent();
    } finally {
      try {
        if (dnsmasq != null) {
          dnsmasq.close();
        }
      } finally {
        try {
          server.close();
        } finally {
          node.close();
          deleteNetnsEtc(node.name());
        }
      }
    }
  }

  private static void deleteNetnsEtc(String ns) {
    var d = Path.of("/etc/netns", ns);
    try (var files = Files.walk(d)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // none was made
    }
  }
}
