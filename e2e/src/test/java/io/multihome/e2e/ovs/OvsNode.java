package io.multihome.e2e.ovs;

import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import io.multihome.kernelvm.KernelFeature;
import io.multihome.kernelvm.TestNetns;
import io.multihome.lab.LabOvs;
import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A node for Open vSwitch tests: a throwaway namespace {@code mh-ovs-…} with veth "NICs" ({@code
 * eth1}…, peers {@code eth1-p}… in the same namespace, all up), a private ovsdb-server and, inside
 * the namespace, ovs-vswitchd ({@link LabOvs}), and the engine bound to both. Extra namespaces
 * ({@link #pod}) stand for hosts behind a port. {@link #close} stops the daemons and deletes every
 * namespace.
 */
final class OvsNode implements AutoCloseable {
  final TestNetns ns;
  final LabOvs ovs;
  final Path stateDir;
  private final List<TestNetns> pods = new ArrayList<>();

  OvsNode(Path dir, int nics) {
    // In the kernel-VM tier the kernel datapath must be there (the tier loads the module):
    // every bridge then uses it (LabOvs.datapath()), and its absence fails instead of passing.
    if (KernelFeature.inKernelVm()) {
      KernelFeature.require(KernelFeature.OPENVSWITCH_DATAPATH);
    }
    ns = TestNetns.create("mh-ovs-");
    LabOvs started = null;
    try {
      ns.sh("sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0");
      for (int i = 1; i <= nics; i++) {
        ns.ip("link", "add", "eth" + i, "type", "veth", "peer", "name", "eth" + i + "-p");
        ns.ip("link", "set", "eth" + i, "up");
        ns.ip("link", "set", "eth" + i + "-p", "up");
      }
      started = LabOvs.start(dir.resolve("ovs"), ns.name());
    } catch (RuntimeException | Error e) {
      ns.close();
      throw e;
    }
    ovs = started;
    stateDir = dir.resolve("state");
  }

  Target target() {
    return Target.of(ns.name()).withOvsdbSocket(ovs.socket());
  }

  Engine engine() {
    return Engine.open(target(), stateDir);
  }

  /** A namespace behind node port {@code port}: its end {@code e0} has {@code cidr}. */
  TestNetns pod(String port, String cidr) {
    var pod = TestNetns.create("mh-ovp-");
    pods.add(pod);
    ns.ip("link", "add", port, "type", "veth", "peer", "name", "e0", "netns", pod.name());
    ns.ip("link", "set", port, "up");
    pod.ip("addr", "add", cidr, "dev", "e0");
    pod.ip("link", "set", "e0", "up");
    return pod;
  }

  static boolean ping(TestNetns from, String ip) {
    return from.sh("ping -c 1 -W 1 " + ip + " >/dev/null").ok();
  }

  static DesiredState state(String yaml) throws Exception {
    var parsed = StateParser.parse(yaml);
    if (!parsed.problems().isEmpty()) {
      throw new AssertionError("bad test state: " + parsed.problems());
    }
    return parsed.state();
  }

  /** The switch's configuration as text without uuids ({@link LabOvs#configuration}). */
  String dump() {
    return ovs.configuration();
  }

  /** {@code ip -br link} and {@code ip -br addr} of the node, for kernel-side comparisons. */
  String kernel() {
    return ns.ip("-br", "link").stdout() + ns.ip("-br", "addr").stdout();
  }

  static void deleteTree(Path dir) {
    try (var files = java.nio.file.Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temp dir left behind is harmless
    }
  }

  @Override
  public void close() {
    try {
      ovs.close();
    } finally {
      for (var p : pods) {
        p.close();
      }
      ns.close();
    }
  }
}
