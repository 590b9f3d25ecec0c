package io.multihome.e2e.ovs;

import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.OvsSnapshot;
import io.multihome.agent.engine.Target;
import io.multihome.kernelvm.TestNetns;
import io.multihome.lab.LabOvs;
import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Open vSwitch benchmark (a runnable main, not a test; command in docs/benchmarks.md): 100
 * bridges with one internal port each, on a fresh switch each run (private ovsdb-server, and
 * ovs-vswitchd in a fresh namespace):
 *
 * <ol>
 *   <li>{@code ovs-vsctl} with all 100 {@code add-br} in one transaction (it waits for
 *       ovs-vswitchd, as the engine does);
 *   <li>the engine's apply in process (plan, checkpoint, one transaction, wait for ovs-vswitchd,
 *       verify, commit) of the same 100 bridges, after one warm-up apply on another switch;
 *   <li>re-applying the same state (a no-op: read the switch and the kernel, plan nothing).
 * </ol>
 *
 * Prints every run, the medians, the ratio, and the load average.
 */
public final class OvsBenchmark {
  static final int BRIDGES = 100;

  private OvsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    var dp = LabOvs.datapath();
    var desired = StateParser.parse(state(dp)).state();
    var vsctl = new ArrayList<Long>();
    var apply = new ArrayList<Long>();
    var noop = new ArrayList<Long>();
    var read = new ArrayList<Long>();
    // Warm-up: the JIT compiles the engine's paths once, as in a running agent.
    timeApply(desired, new ArrayList<>(), new ArrayList<>());
    for (int r = 0; r < runs; r++) {
      vsctl.add(timeVsctl(dp));
      apply.add(timeApply(desired, noop, read));
    }
    System.out.println(
        "OVS "
            + BRIDGES
            + " bridges with an internal port each ("
            + dp
            + " datapath): ovs-vsctl one transaction "
            + vsctl
            + " ms, median "
            + median(vsctl)
            + " ms");
    System.out.println(
        "OVS engine apply (plan, checkpoint, one transaction, wait for ovs-vswitchd, verify) "
            + apply
            + " ms, median "
            + median(apply)
            + " ms = "
            + String.format("%.2f", median(apply) / (double) median(vsctl))
            + "x ovs-vsctl");
    System.out.println(
        "OVS no-op re-apply of the "
            + BRIDGES
            + " bridges: median "
            + median(noop)
            + " ms, max "
            + noop.stream().mapToLong(Long::longValue).max().orElse(0)
            + " ms over "
            + noop.size()
            + " re-applies (of which reading OVSDB: median "
            + median(read)
            + " ms)");
    System.out.println("Load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
  }

  static String state(String dp) {
    var sb = new StringBuilder("interfaces:\n");
    for (int i = 0; i < BRIDGES; i++) {
      sb.append("- name: br")
          .append(i)
          .append("\n  type: ovs-bridge\n  bridge:\n    options: {datapath: ")
          .append(dp)
          .append("}\n    port: [{name: br")
          .append(i)
          .append("}]\n");
    }
    return sb.toString();
  }

  private static long timeVsctl(String dp) throws Exception {
    var dir = Files.createTempDirectory("mh-ovs-bench");
    try (var ns = TestNetns.create("mh-ovb-");
        var ovs = LabOvs.start(dir.resolve("ovs"), ns.name())) {
      var args = new ArrayList<String>();
      args.add("--timeout=120");
      for (int i = 0; i < BRIDGES; i++) {
        if (i > 0) {
          args.add("--");
        }
        args.addAll(
            List.of("add-br", "br" + i, "--", "set", "bridge", "br" + i, "datapath_type=" + dp));
      }
      long t0 = System.nanoTime();
      ovs.vsctl(args.toArray(String[]::new));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (!ns.hasLink("br" + (BRIDGES - 1))) {
        throw new IllegalStateException("ovs-vsctl did not create the devices");
      }
      return ms;
    } finally {
      OvsNode.deleteTree(dir);
    }
  }

  private static long timeApply(DesiredState desired, List<Long> noop, List<Long> read)
      throws Exception {
    var dir = Files.createTempDirectory("mh-ovs-bench");
    try (var ns = TestNetns.create("mh-ovb-");
        var ovs = LabOvs.start(dir.resolve("ovs"), ns.name());
        var engine =
            Engine.open(Target.of(ns.name()).withOvsdbSocket(ovs.socket()), dir.resolve("state"))) {
      long t0 = System.nanoTime();
      var r = engine.apply(desired, ApplyOptions.defaults());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (!(r instanceof ApplyResult.Applied)) {
        throw new IllegalStateException("apply failed: " + r);
      }
      if (!ns.hasLink("br" + (BRIDGES - 1))) {
        throw new IllegalStateException("the engine did not create the devices");
      }
      for (int i = 0; i < 15; i++) {
        long n0 = System.nanoTime();
        var again = engine.apply(desired, ApplyOptions.defaults());
        long nms = (System.nanoTime() - n0) / 1_000_000;
        if (!again.plan().isEmpty()) {
          throw new IllegalStateException("re-apply was not a no-op: " + again.plan().describe());
        }
        long r0 = System.nanoTime();
        OvsSnapshot.read(ovs.socket(), Path.of("/sys"));
        long rms = (System.nanoTime() - r0) / 1_000_000;
        if (i >= 5) {
          noop.add(nms);
          read.add(rms);
        }
      }
      return ms;
    } finally {
      OvsNode.deleteTree(dir);
    }
  }

  private static long median(List<Long> values) {
    var sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }
}
