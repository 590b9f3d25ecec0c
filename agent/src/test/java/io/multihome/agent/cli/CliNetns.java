package io.multihome.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.NamedNetns;
import io.multihome.testkit.LinksReady;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway node for CLI kernel tests: namespace {@code mh-cap-<id>} with veth NICs eth1 and eth2
 * whose peers live in {@code mh-cap-<id>-w} (the "wire"), so the node shows only its own links.
 * Deleted on close, with the resolver file a test or a DNS apply wrote.
 */
final class CliNetns implements AutoCloseable {
  final String name = "mh-cap-" + UUID.randomUUID().toString().substring(0, 8);
  final String wire = name + "-w";
  private final Path stateDir;

  CliNetns(Path stateDir) {
    this.stateDir = stateDir;
    NamedNetns.create(name);
    NamedNetns.create(wire);
    ip("netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
    ip("link", "set", "lo", "up");
    for (var nic : List.of("eth1", "eth2")) {
      ip("link", "add", nic, "type", "veth", "peer", "name", nic + "-w", "netns", wire);
      ip("link", "set", nic, "up");
      ipIn(wire, "link", "set", nic + "-w", "up");
    }
    // Tests compare the node's state with its first snapshot: the kernel must be done with it.
    LinksReady.awaitUp(name, "eth1", "eth2");
    LinksReady.awaitUp(wire, "eth1-w", "eth2-w");
  }

  /** eth1 with 198.18.19.10/24, the default route and one more route through 198.18.19.1. */
  CliNetns withDefaultGateway() {
    ip("addr", "add", "198.18.19.10/24", "dev", "eth1");
    ip("route", "add", "default", "via", "198.18.19.1", "dev", "eth1");
    ip("route", "add", "198.19.19.0/24", "via", "198.18.19.1", "dev", "eth1");
    return this;
  }

  /** The namespace's own resolver file, as {@code ip netns exec} shows it. */
  CliNetns withResolver() throws IOException {
    var file = Path.of("/etc/netns", name, "resolv.conf");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "nameserver 198.18.0.53\nsearch example.com\n");
    return this;
  }

  String ip(String... args) {
    return ipFor(name, args);
  }

  /** {@code ip ARGS} when they start with {@code netns}, else {@code ip -n NS ARGS}; exit 0. */
  static String ipFor(String ns, String... args) {
    return args[0].equals("netns") ? run(args) : ipIn(ns, args);
  }

  static String ipIn(String ns, String... args) {
    var all = new ArrayList<>(List.of("-n", ns));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private static String run(String... args) {
    var cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
      return out;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Links, addresses and routes as iproute2 prints them, bridge timers left out (they tick): equal
   * means nothing changed.
   */
  String kernel() {
    return (ip("-j", "-d", "link", "show") + ip("-j", "addr", "show") + ip("-j", "route", "show"))
        .replaceAll("\"[a-z_]+_timer\":[0-9.]+", "");
  }

  record Run(int code, String out, String err) {}

  /** {@code multihome <command> --netns <node> --state-dir <dir> args...}. */
  Run cli(String command, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var all =
        new ArrayList<>(List.of(command, "--netns", name, "--state-dir", stateDir.toString()));
    all.addAll(List.of(args));
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Override
  public void close() throws IOException {
    delete(name, wire);
  }

  /**
   * Deletes the namespaces that exist, then the resolver file a DNS apply wrote for the first one
   * ({@code /etc/netns/<name>/resolv.conf}), its folder, and {@code /etc/netns} itself only when no
   * other namespace keeps a file there.
   */
  static void delete(String name, String... more) throws IOException {
    try {
      var all = new ArrayList<>(List.of(name));
      all.addAll(List.of(more));
      for (var ns : all) {
        if (NamedNetns.exists(ns)) {
          NamedNetns.delete(ns);
        }
      }
    } finally {
      var etc = Path.of("/etc/netns", name);
      Files.deleteIfExists(etc.resolve("resolv.conf"));
      Files.deleteIfExists(etc);
      etc.getParent().toFile().delete();
    }
  }
}
