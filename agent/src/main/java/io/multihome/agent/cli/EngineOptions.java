package io.multihome.agent.cli;

import io.multihome.agent.dhcp.DhcpControlClient;
import io.multihome.agent.engine.CheckpointStore;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every engine command shares: where to work, where checkpoints and DNS live. */
final class EngineOptions {
  @Option(
      names = "--netns",
      paramLabel = "NS",
      description = "Work in the named network namespace (ip netns) instead of the current one.")
  String netns;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where checkpoints are kept (default: $MULTIHOME_STATE_DIR or "
              + CheckpointStore.DEFAULT_DIR
              + ").")
  Path stateDir;

  @Option(
      names = "--resolv-conf",
      paramLabel = "FILE",
      description =
          "The host's resolver file for dns-resolver (default: $MULTIHOME_RESOLV_CONF or "
              + "/etc/resolv.conf); with --netns DNS goes to /etc/netns/NS/resolv.conf.")
  Path resolvConf;

  @Option(
      names = "--ovsdb-socket",
      paramLabel = "PATH",
      description =
          "The node's Open vSwitch database socket (default: $MULTIHOME_OVSDB_SOCKET or"
              + " /var/run/openvswitch/db.sock).")
  Path ovsdbSocket;

  Target target() {
    var t = Target.of(netns);
    if (ovsdbSocket != null) {
      t = t.withOvsdbSocket(ovsdbSocket);
    }
    return resolvConf == null ? t : t.withHostResolvConf(resolvConf);
  }

  Path stateDir() {
    return stateDir != null ? stateDir : CheckpointStore.defaultDir();
  }

  /**
   * The dead-man switch: before anything else, roll back checkpoints whose deadline passed, even
   * those left by a process that died. True when a checkpoint of this command's target was rolled
   * back.
   */
  boolean recoverExpired(PrintWriter err) {
    boolean mine = false;
    for (var line : Engine.recoverExpired(stateDir(), e -> withIpsec(e, stateDir()))) {
      err.println("multihome: " + line);
      mine |= line.contains(" " + target().label());
    }
    err.flush();
    return mine;
  }

  /** {@code --netns NAME} names no namespace {@code ip netns} knows. */
  static final class NoSuchNamespaceException extends IllegalArgumentException {
    NoSuchNamespaceException(String name) {
      super(
          "--netns "
              + name
              + ": no such network namespace (none at /run/netns/"
              + name
              + "; see ip netns list)");
    }
  }

  /**
   * The engine, with the running agent's DHCP and supplicant services when one answers on this
   * node.
   */
  Engine open() {
    if (netns != null
        && !netns.isEmpty()
        && !java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", netns))) {
      throw new NoSuchNamespaceException(netns);
    }
    var engine =
        io.multihome.agent.dot1x.SupplicantControlClient.attach(
            DhcpControlClient.attach(Engine.open(target(), stateDir()), stateDir()), stateDir());
    return withIpsec(engine, stateDir());
  }

  /**
   * {@code engine} with the IPsec service of its target: pluto detaches and outlives the command,
   * so the CLI runs ipsec itself (no agent needed); refused, saying why, without libreswan.
   */
  static Engine withIpsec(Engine engine, Path stateDir) {
    return io.multihome.agent.ipsec.IpsecService.installed()
        ? engine.withIpsec(io.multihome.agent.ipsec.IpsecService.open(engine.target(), stateDir))
        : engine.withoutIpsec(io.multihome.agent.ipsec.IpsecService.NOT_INSTALLED);
  }
}
