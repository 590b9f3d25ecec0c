package io.multihome.agent.engine;

import io.multihome.agent.cli.Main;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.state.StateParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Engine benchmarks (a runnable main, not a test): see docs/benchmarks.md for the command.
 *
 * <ol>
 *   <li>500 bridges + 500 veth pairs (one end a port of a bridge) + 1000 addresses: {@code
 *       multihome apply} as a whole process (JVM start, read, plan, apply, verify) against the same
 *       operations in one {@code ip -batch} file, each into a fresh namespace;
 *   <li>re-applying the same state in process (a no-op: read the node, plan nothing);
 *   <li>2000 interfaces (1000 veth pairs, 1000 addresses) in one state, whole process.
 * </ol>
 *
 * Prints every run and the median.
 */
public final class EngineBenchmark {
  private EngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    var dir = Files.createTempDirectory("mh-eng-bench");
    var big = dir.resolve("bridges.yaml");
    Files.writeString(big, bridgesState());
    var batch = dir.resolve("bridges.batch");
    Files.writeString(batch, bridgesBatch());
    var many = dir.resolve("veths.yaml");
    Files.writeString(many, vethsState(1000));

    var applyMs = new ArrayList<Long>();
    var applyFastMs = new ArrayList<Long>();
    var batchMs = new ArrayList<Long>();
    var noopMs = new ArrayList<Long>();
    var warmupMs = new ArrayList<Long>();
    var manyMs = new ArrayList<Long>();
    var manyFastMs = new ArrayList<Long>();
    for (int r = 0; r < runs; r++) {
      try (var ns = new Ns()) {
        batchMs.add(time(List.of("ip", "-n", ns.name, "-batch", batch.toString())));
      }
      try (var ns = new Ns()) {
        applyFastMs.add(time(cli(ns.name, dir, big, SHORT_RUN_JVM)));
      }
      try (var ns = new Ns()) {
        manyMs.add(time(cli(ns.name, dir, many)));
      }
      try (var ns = new Ns()) {
        manyFastMs.add(time(cli(ns.name, dir, many, SHORT_RUN_JVM)));
      }
      try (var ns = new Ns()) {
        applyMs.add(time(cli(ns.name, dir, big)));
        var desired = StateParser.parse(Files.readString(big)).state();
        try (var engine = Engine.open(Target.of(ns.name), dir.resolve("state"))) {
          // An agent re-applies with a warm JVM: the first 5 re-applies are JIT warm-up.
          for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            var result = engine.apply(desired, ApplyOptions.defaults());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (!result.plan().isEmpty()) {
              throw new IllegalStateException("re-apply was not a no-op: " + result.plan());
            }
            if (i < 5) {
              warmupMs.add(ms);
              continue;
            }
            noopMs.add(ms);
          }
        }
      }
    }
    report("ip -batch, 500 bridges + 500 veth pairs + 1000 addresses", batchMs);
    report("multihome apply (whole process), same state", applyMs);
    report("  ... with " + String.join(" ", SHORT_RUN_JVM), applyFastMs);
    report("multihome re-apply in process (no-op), JIT warm-up (first 5)", warmupMs);
    report("multihome re-apply in process (no-op), warm", noopMs);
    report("multihome apply (whole process), 2000 interfaces", manyMs);
    report("  ... with " + String.join(" ", SHORT_RUN_JVM), manyFastMs);
    System.out.printf(
        "ratio apply/ip-batch (medians): %.2f, with short-run JVM options %.2f%n",
        (double) median(applyMs) / median(batchMs), (double) median(applyFastMs) / median(batchMs));
  }

  /** JVM options for a short-lived CLI process: C1 only, serial GC (no C2/GC threads). */
  static final List<String> SHORT_RUN_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static List<String> cli(String ns, Path dir, Path file, List<String> jvm) {
    var cmd = new ArrayList<>(cli(ns, dir, file));
    cmd.addAll(1, jvm);
    return cmd;
  }

  private static List<String> cli(String ns, Path dir, Path file) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName(),
        "apply",
        "--netns",
        ns,
        "--state-dir",
        dir.resolve("state").toString(),
        file.toString());
  }

  static String bridgesState() {
    var sb = new StringBuilder("interfaces:\n");
    for (int i = 0; i < 500; i++) {
      sb.append("- name: br").append(i).append("\n  type: linux-bridge\n");
      sb.append("  bridge: {port: [{name: va").append(i).append("}]}\n");
      sb.append("  ipv4: {enabled: true, address: [{ip: ").append(ip(18, i));
      sb.append(", prefix-length: 30}]}\n");
      sb.append("- {name: va").append(i).append(", type: veth, veth: {peer: vb").append(i);
      sb.append("}}\n");
      sb.append("- name: vb").append(i).append("\n  type: veth\n");
      sb.append("  ipv4: {enabled: true, address: [{ip: ").append(ip(19, i));
      sb.append(", prefix-length: 30}]}\n");
    }
    return sb.toString();
  }

  static String bridgesBatch() {
    var sb = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      sb.append("link add br").append(i).append(" type bridge\n");
      sb.append("link add va").append(i).append(" type veth peer name vb").append(i).append('\n');
      sb.append("link set va").append(i).append(" master br").append(i).append('\n');
      sb.append("link set br").append(i).append(" up\n");
      sb.append("link set va").append(i).append(" up\n");
      sb.append("link set vb").append(i).append(" up\n");
      sb.append("addr add ").append(ip(18, i)).append("/30 dev br").append(i).append('\n');
      sb.append("addr add ").append(ip(19, i)).append("/30 dev vb").append(i).append('\n');
    }
    return sb.toString();
  }

  static String vethsState(int pairs) {
    var sb = new StringBuilder("interfaces:\n");
    for (int i = 0; i < pairs; i++) {
      sb.append("- name: x").append(i).append("\n  type: veth\n  veth: {peer: y").append(i);
      sb.append("}\n  ipv4: {enabled: true, address: [{ip: ").append(ip(18, i));
      sb.append(", prefix-length: 30}]}\n");
      sb.append("- {name: y").append(i).append(", type: veth}\n");
    }
    return sb.toString();
  }

  /** 198.{second}.x.y, one /30 per index. */
  private static String ip(int second, int i) {
    return "198." + second + "." + (i / 64) + "." + ((i % 64) * 4 + 1);
  }

  private static long time(List<String> cmd) throws Exception {
    long t0 = System.nanoTime();
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd.subList(0, 1)) + " failed: " + out);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static long median(List<Long> xs) {
    var s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static void report(String what, List<Long> ms) {
    System.out.printf("%-60s median %6d ms  runs %s%n", what, median(ms), ms);
  }

  /** A throwaway namespace mh-eng-bench-XXXXXX, deleted on close. */
  private static final class Ns implements AutoCloseable {
    final String name = "mh-eng-b" + UUID.randomUUID().toString().substring(0, 6);

    Ns() {
      NamedNetns.create(name);
    }

    @Override
    public void close() throws InterruptedException {
      NamedNetns.delete(name);
      // The kernel tears the namespace's links down in the background, holding the RTNL lock
      // (17-40 ms per link); let it finish so the next measurement does not wait for it.
      Thread.sleep(4000);
    }
  }
}
