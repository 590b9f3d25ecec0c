package io.multihome.agent.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * dnsmasq inside an {@link EngineNetns}, on the peer ends eth1-p and eth2-p (DHCPv4, DHCPv6 and
 * router advertisements), so that an example asking for DHCP on eth1 or eth2 (or on a bridge or
 * bond over them) gets a lease: 198.18.71.0/24 and 2001:db8:71::/64 behind eth1, 198.18.72.0/24 and
 * 2001:db8:72::/64 behind eth2, each router the .254 / ::fe address.
 *
 * <p>{@link #startOneSwitch} instead joins eth1-p and eth2-p in a Linux bridge {@code fabric} (one
 * switch, one segment: 198.18.71.0/24 and 2001:db8:71::/64), as the NICs of an Open vSwitch bond
 * must be cabled: an SLB or active-backup bond takes broadcast and multicast only on its active
 * member (OVS drops them on the others, expecting the switch to have flooded a copy to every
 * member), so with each member on a segment of its own, a DHCP answer broadcast back through the
 * member the request hashed to is lost whenever that member is not the active one. Every file with
 * a bond gets it (a bond's ports are cabled to one switch).
 *
 * <p>Where the kernel has 802.1q VLAN devices (the kernel-VM tier), VLAN 102 is served too, as
 * kubernetes-nmstate's vlan.yaml and bond-vlan.yaml ask DHCP on it: 198.18.73.0/24 tagged on eth1-p
 * (or on the switch), 198.18.74.0/24 on eth2-p.
 */
final class NamespaceDhcpServer implements AutoCloseable {
  private final Process process;
  private final Path dir;

  private NamespaceDhcpServer(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  static NamespaceDhcpServer start(EngineNetns ns) throws IOException {
    ns.ip("addr", "add", "198.18.71.254/24", "dev", "eth1-p");
    ns.ip("addr", "add", "2001:db8:71::fe/64", "dev", "eth1-p");
    ns.ip("addr", "add", "198.18.72.254/24", "dev", "eth2-p");
    ns.ip("addr", "add", "2001:db8:72::fe/64", "dev", "eth2-p");
    var serve =
        new ArrayList<>(
            List.of(
                "--interface=eth1-p",
                "--interface=eth2-p",
                "--dhcp-range=198.18.71.100,198.18.71.199,255.255.255.0,10m",
                "--dhcp-range=198.18.72.100,198.18.72.199,255.255.255.0,10m",
                "--dhcp-range=2001:db8:71::100,2001:db8:71::1ff,64,10m",
                "--dhcp-range=2001:db8:72::100,2001:db8:72::1ff,64,10m"));
    serve.addAll(vlan(ns, "eth1-p", 73));
    serve.addAll(vlan(ns, "eth2-p", 74));
    return start(ns, serve);
  }

  /**
   * VLAN {@link #VLAN} on {@code lower} serving 198.18.{@code subnet}.0/24, as dnsmasq arguments;
   * none where the kernel has no 802.1q devices.
   */
  private static List<String> vlan(EngineNetns ns, String lower, int subnet) {
    var name = lower + "." + VLAN;
    try {
      ns.ip("link", "add", "link", lower, "name", name, "type", "vlan", "id", String.valueOf(VLAN));
    } catch (RuntimeException e) {
      return List.of(); // no 8021q here: the VLAN files do not apply on this kernel anyway
    }
    ns.ip("link", "set", name, "up");
    ns.ip("addr", "add", "198.18." + subnet + ".254/24", "dev", name);
    return List.of(
        "--interface=" + name,
        "--dhcp-range=198.18." + subnet + ".100,198.18." + subnet + ".199,255.255.255.0,10m");
  }

  /** The VLAN kubernetes-nmstate's examples ask DHCP on. */
  static final int VLAN = 102;

  /** eth1-p and eth2-p ports of one switch ({@code fabric}), dnsmasq serving it. */
  static NamespaceDhcpServer startOneSwitch(EngineNetns ns) throws IOException {
    ns.ip("link", "add", "fabric", "type", "bridge");
    ns.ip("link", "set", "eth1-p", "master", "fabric");
    ns.ip("link", "set", "eth2-p", "master", "fabric");
    ns.ip("link", "set", "fabric", "up");
    ns.ip("addr", "add", "198.18.71.254/24", "dev", "fabric");
    ns.ip("addr", "add", "2001:db8:71::fe/64", "dev", "fabric");
    var serve =
        new ArrayList<>(
            List.of(
                "--interface=fabric",
                "--dhcp-range=198.18.71.100,198.18.71.199,255.255.255.0,10m",
                "--dhcp-range=2001:db8:71::100,2001:db8:71::1ff,64,10m"));
    serve.addAll(vlan(ns, "fabric", 73));
    return start(ns, serve);
  }

  private static NamespaceDhcpServer start(EngineNetns ns, List<String> serve) throws IOException {
    var dir = Files.createTempDirectory("mh-dnsmasq");
    var cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                ns.name,
                "dnsmasq",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--port=0",
                "--bind-interfaces",
                "--dhcp-authoritative",
                // No host but the namespace's own can hold an address here: without this, dnsmasq
                // pings each address before offering it and answers the first DISCOVER ~3 s late.
                "--no-ping"));
    cmd.addAll(serve);
    cmd.addAll(
        List.of(
            "--enable-ra",
            "--dhcp-leasefile=" + dir.resolve("leases"),
            "--pid-file=" + dir.resolve("dnsmasq.pid"),
            "--user=root",
            "--log-facility=" + dir.resolve("log")));
    var p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out").toFile())
            .start();
    return new NamespaceDhcpServer(p, dir);
  }

  @Override
  public void close() {
    io.multihome.testkit.Commands.stop(process);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp directory; nothing else to do
    }
  }
}
