package io.multihome.agent.engine;

import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.RtNetlink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the engine works: a named network namespace ({@code ip netns add NAME}) or, with a null
 * name, the namespace the process runs in. Opens netlink there and writes IPv6 sysctls there.
 * {@code hostResolvConf} is the host's resolver file ({@code $MULTIHOME_RESOLV_CONF}, else {@code
 * /etc/resolv.conf}): an agent in a pod sees the host's file where a hostPath mount puts it. {@code
 * ovsdbSocket} is the node's Open vSwitch database ({@code $MULTIHOME_OVSDB_SOCKET}, else {@code
 * /var/run/openvswitch/db.sock}); a node without it simply has no Open vSwitch.
 */
public record Target(String netns, Path hostResolvConf, Path ovsdbSocket) {
  public static final Path DEFAULT_RESOLV_CONF = Path.of("/etc/resolv.conf");

  public static Target of(String netns) {
    var env = System.getenv("MULTIHOME_RESOLV_CONF");
    var ovs = System.getenv("MULTIHOME_OVSDB_SOCKET");
    return new Target(
        netns == null || netns.isEmpty() ? null : netns,
        env == null || env.isEmpty() ? DEFAULT_RESOLV_CONF : Path.of(env),
        ovs == null || ovs.isEmpty()
            ? io.multihome.agent.ovsdb.OvsdbClient.DEFAULT_SOCKET
            : Path.of(ovs));
  }

  public Target withHostResolvConf(Path file) {
    return new Target(netns, file, ovsdbSocket);
  }

  /** The same place with the node's OVSDB at {@code socket}. */
  public Target withOvsdbSocket(Path socket) {
    return new Target(netns, hostResolvConf, socket);
  }

  /**
   * The resolver file static DNS is written to: for a named namespace {@code
   * /etc/netns/NAME/resolv.conf}, which {@code ip netns exec} bind-mounts over /etc/resolv.conf;
   * for the host its resolver file.
   */
  public Path resolvConf() {
    return netns == null ? hostResolvConf : Path.of("/etc/netns", netns, "resolv.conf");
  }

  /**
   * The resolver file the namespace's processes see now: its own if it has one, else the host's.
   */
  public Path effectiveResolvConf() {
    var own = resolvConf();
    return Files.exists(own) ? own : hostResolvConf;
  }

  /** For file names and messages: the namespace name, or {@code host}. */
  public String label() {
    return netns == null ? "host" : netns;
  }

  public RtNetlink open() {
    return netns == null ? RtNetlink.open() : RtNetlink.openNamed(netns);
  }

  /**
   * Sets {@code net.ipv6.conf.<link>.disable_ipv6} for each entry, inside the namespace: the value
   * netlink cannot set. One namespace switch for the whole batch.
   */
  public void writeDisableIpv6(Map<String, Boolean> disabled) {
    if (disabled.isEmpty()) {
      return;
    }
    Runnable write =
        () -> {
          for (var e : disabled.entrySet()) {
            var file = Path.of("/proc/sys/net/ipv6/conf", e.getKey(), "disable_ipv6");
            try {
              Files.writeString(file, e.getValue() ? "1" : "0", StandardCharsets.US_ASCII);
            } catch (IOException ex) {
              throw new UncheckedIOException("sysctl " + file + ": " + ex.getMessage(), ex);
            }
          }
        };
    if (netns == null) {
      write.run();
      return;
    }
    try (var ns = NetNs.named(netns)) {
      ns.call(
          () -> {
            write.run();
            return null;
          });
    }
  }
}
