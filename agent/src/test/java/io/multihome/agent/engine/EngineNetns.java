package io.multihome.agent.engine;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.testkit.Commands;
import io.multihome.testkit.LinksReady;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * A throwaway namespace {@code mh-en-XXXXXXXX} with two veth pairs standing in for NICs ({@code
 * eth1}/{@code eth1-p}, {@code eth2}/{@code eth2-p}, all up, DAD off so IPv6 addresses settle at
 * once) and a temporary state directory; everything is removed on close, including the namespace's
 * resolver directory {@code /etc/netns/NAME} that a DNS apply creates.
 */
final class EngineNetns implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String name;
  final Path stateDir;

  EngineNetns() throws IOException {
    name = "mh-en-" + UUID.randomUUID().toString().substring(0, 8);
    stateDir = Files.createTempDirectory("mh-en-state");
    NamedNetns.create(name);
    try {
      sh("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0");
      sh("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
      ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth1-p");
      ip("link", "add", "eth2", "type", "veth", "peer", "name", "eth2-p");
      for (var l : List.of("lo", "eth1", "eth1-p", "eth2", "eth2-p")) {
        ip("link", "set", l, "up");
      }
      // A first snapshot taken before the kernel finished bringing them up would differ from
      // every later one.
      LinksReady.awaitUp(name, "eth1", "eth1-p", "eth2", "eth2-p");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  Target target() {
    return Target.of(name);
  }

  Engine engine() {
    return Engine.open(target(), stateDir);
  }

  /** Runs {@code ip -n NS ARGS} and returns its output; fails on a non-zero exit. */
  String ip(String... args) {
    var cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  String sh(String... args) {
    var cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  static String run(List<String> cmd) {
    return Commands.run(cmd, Duration.ofSeconds(60));
  }

  /**
   * The namespace's full state as iproute2 prints it: {@code ip -j -d link show}, {@code ip -j addr
   * show}, {@code ip -j route show table all} (both families) and {@code ip -j rule show}. Only
   * fields that change on their own are removed: bridge and bridge-port {@code *_timer} values
   * (running STP/GC timers count down) — nothing else.
   *
   * <p>Read once the kernel has finished what it does asynchronously after a change: a link set up
   * or down (or whose peer was) gets its operational state, route {@code linkdown} flags and IPv6
   * link-local address from the kernel's link watcher a moment later, and an IPv6 address is
   * tentative until the address worker ran. A snapshot taken in between differs from every later
   * one, so this waits until no link is in between and two reads agree.
   */
  String fullState() {
    var last = new String[] {null};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              var now = rawState();
              var previous = last[0];
              last[0] = now;
              var moving = moving(now);
              if (!moving.isEmpty()) {
                throw new AssertionError("kernel still settling in " + name + ": " + moving);
              }
              if (!now.equals(previous)) {
                throw new AssertionError("state of " + name + " changed between two reads");
              }
            });
    return last[0];
  }

  private String rawState() {
    var sb = new StringBuilder();
    sb.append(normalized(ip("-j", "-d", "link", "show"))).append('\n');
    sb.append(normalized(ip("-j", "addr", "show"))).append('\n');
    sb.append(normalized(ip("-j", "route", "show", "table", "all"))).append('\n');
    sb.append(normalized(ip("-j", "-6", "route", "show", "table", "all"))).append('\n');
    sb.append(normalized(ip("-j", "rule", "show"))).append('\n');
    sb.append(normalized(ip("-j", "-6", "rule", "show"))).append('\n');
    return sb.toString();
  }

  /**
   * What the kernel has not finished in a {@link #rawState}: links that are up whose carrier
   * ({@code LOWER_UP}) and operational state ({@code NO-CARRIER} is printed while it is not up)
   * disagree — the link watcher has not run yet — and tentative IPv6 addresses.
   */
  static List<String> moving(String rawState) {
    var out = new ArrayList<String>();
    try {
      var lines = rawState.split("\n");
      for (JsonNode l : JSON.readTree(lines[0])) {
        var flags = new ArrayList<String>();
        l.path("flags").forEach(f -> flags.add(f.asText()));
        if (flags.contains("UP") && flags.contains("LOWER_UP") == flags.contains("NO-CARRIER")) {
          out.add(l.path("ifname").asText() + " " + flags + " " + l.path("operstate").asText());
        }
      }
      for (JsonNode l : JSON.readTree(lines[1])) {
        for (JsonNode a : l.path("addr_info")) {
          if (a.path("tentative").asBoolean()) {
            out.add(l.path("ifname").asText() + " " + a.path("local").asText() + " tentative");
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The files in the state directory but the apply lock, which stays ({@link ApplyLock}). */
  java.util.List<Path> stateFiles() throws IOException {
    try (var files = Files.list(stateDir)) {
      return files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList();
    }
  }

  /**
   * The full state once it stopped moving: every link that is up has its carrier (a bridge gets it
   * when its first port forwards; IPv6 link-local addresses follow) and two reads agree.
   */
  String settled() {
    var last = new String[] {""};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              var now = fullState();
              boolean same = now.equals(last[0]);
              last[0] = now;
              if (!same || now.contains("NO-CARRIER")) {
                throw new AssertionError("not settled: " + ip("-br", "link"));
              }
            });
    return last[0];
  }

  /**
   * Like {@link #fullState} with each list sorted (ifindexes kept): for links the kernel cycled
   * down and up (bonding closes every port it releases), whose kernel-made IPv6 routes come back in
   * another order.
   */
  String fullStateSorted() {
    return sorted(fullState(), false);
  }

  /**
   * A {@link #fullState} string with each list sorted, to compare with {@link #fullStateSorted}.
   */
  static String sorted(String fullState) {
    return sorted(fullState, false);
  }

  /** Like {@link #fullState} but also without ifindexes, for plans that recreate links. */
  String fullStateIgnoringIndexes() {
    return sorted(fullState(), true);
  }

  private static String sorted(String s, boolean withoutIndexes) {
    try {
      var sb = new StringBuilder();
      for (var line : s.split("\n")) {
        JsonNode n = JSON.readTree(line);
        if (withoutIndexes) {
          strip(n, "ifindex");
          strip(n, "link_index");
        }
        if (n.isArray()) {
          var list = new ArrayList<JsonNode>();
          n.forEach(list::add);
          list.sort(Comparator.comparing(JsonNode::toString));
          var arr = JSON.createArrayNode();
          list.forEach(arr::add);
          n = arr;
        }
        sb.append(n).append('\n');
      }
      return sb.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String normalized(String json) {
    try {
      JsonNode n = JSON.readTree(json.isBlank() ? "[]" : json);
      stripTimers(n);
      return n.toString();
    } catch (IOException e) {
      throw new IllegalStateException(json, e);
    }
  }

  private static void stripTimers(JsonNode n) {
    if (n instanceof ObjectNode o) {
      Iterator<String> it = o.fieldNames();
      var drop = new ArrayList<String>();
      while (it.hasNext()) {
        var k = it.next();
        if (k.endsWith("_timer")) {
          drop.add(k);
        }
      }
      o.remove(drop);
      o.forEach(EngineNetns::stripTimers);
    } else if (n instanceof ArrayNode a) {
      a.forEach(EngineNetns::stripTimers);
    }
  }

  private static void strip(JsonNode n, String key) {
    if (n instanceof ObjectNode o) {
      o.remove(key);
      o.forEach(c -> strip(c, key));
    } else if (n instanceof ArrayNode a) {
      a.forEach(c -> strip(c, key));
    }
  }

  /** Waits until the namespace's full state equals {@code expected} (operstate settles async). */
  void awaitState(String expected) {
    awaitEqual(expected, this::fullState);
  }

  /** Waits until {@code actual} returns {@code expected}; the failure shows the differing parts. */
  static void awaitEqual(String expected, java.util.function.Supplier<String> actual) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              var now = actual.get();
              if (!now.equals(expected)) {
                throw new AssertionError("namespace state differs:\n" + diff(expected, now));
              }
            });
  }

  /** The JSON objects only in {@code a} (-) or only in {@code b} (+), for failure messages. */
  static String diff(String a, String b) {
    var sa = elements(a);
    var sb = elements(b);
    var out = new StringBuilder();
    for (var e : sa) {
      if (!sb.contains(e)) {
        out.append("- ").append(e).append('\n');
      }
    }
    for (var e : sb) {
      if (!sa.contains(e)) {
        out.append("+ ").append(e).append('\n');
      }
    }
    if (out.length() == 0) {
      out.append("same objects in a different order:\n").append(b);
    }
    return out.toString();
  }

  private static List<String> elements(String state) {
    var out = new ArrayList<String>();
    try {
      for (var line : state.split("\n")) {
        JSON.readTree(line).forEach(e -> out.add(e.toString()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      if (NamedNetns.exists(name)) {
        NamedNetns.delete(name);
      }
    } finally {
      deleteTree(stateDir);
      deleteTree(etcDir());
      // /etc/netns itself when a DNS apply made it and nothing else is in it.
      etcDir().getParent().toFile().delete();
    }
    if (Files.exists(etcDir(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(etcDir() + " is left behind");
    }
  }

  /** {@code /etc/netns/NAME}: where {@code ip netns exec} finds the namespace's resolv.conf. */
  Path etcDir() {
    return Path.of("/etc/netns", name);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
