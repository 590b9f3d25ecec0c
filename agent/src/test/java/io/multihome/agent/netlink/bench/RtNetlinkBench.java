package io.multihome.agent.netlink.bench;

import io.multihome.agent.netlink.LinkKind.Bridge;
import io.multihome.agent.netlink.LinkKind.Veth;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark for docs/benchmarks.md ("rtnetlink"), not a test: per round, in two fresh namespaces,
 * create N bridges and N veth pairs (a) through {@link RtNetlink#executeAll} and (b) through one
 * {@code ip -batch} file; then dump all links of the first namespace (a) in-process and (b) with
 * {@code ip -j link show}. Prints per-round figures, medians and ratios. Run with
 * agent/bench-netlink.sh [rounds] [n].
 */
public final class RtNetlinkBench {
  private RtNetlinkBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    System.out.printf("warm-up round (n=200, not counted)%n");
    round(200, true);
    List<double[]> results = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      waitForQuietKernel();
      double[] res = round(n, r % 2 == 0);
      results.add(res);
      System.out.printf(
          "round %d: create ours %.1f ms, ip -batch %.1f ms; dump (%d links) ours %.2f ms,"
              + " ip -j link show %.2f ms%n",
          r + 1, res[0], res[1], (int) res[4], res[2], res[3]);
    }
    double createOurs = median(results, 0);
    double createIp = median(results, 1);
    double dumpOurs = median(results, 2);
    double dumpIp = median(results, 3);
    System.out.println();
    System.out.printf(
        "| operation (n=%d bridges + %d veth pairs, %d rounds) | ours (median) |"
            + " iproute2 (median) | ours / iproute2 |%n",
        n, n, rounds);
    System.out.println("|---|---|---|---|");
    System.out.printf(
        "| create | %.1f ms | %.1f ms (`ip -batch`) | %.2f |%n",
        createOurs, createIp, createOurs / createIp);
    System.out.printf(
        "| dump %d links | %.2f ms | %.2f ms (`ip -j link show`) | %.2f |%n",
        (int) results.get(0)[4], dumpOurs, dumpIp, dumpOurs / dumpIp);
  }

  /**
   * Deleting a namespace with thousands of links makes the kernel tear them down in the background
   * while holding RTNL; a round started then would time that cleanup, not us. So wait until a
   * single bridge add+delete in a scratch namespace is fast again, three times running.
   */
  private static void waitForQuietKernel() throws Exception {
    String ns = "mh-nl-bench-q" + UUID.randomUUID().toString().substring(0, 4);
    NamedNetns.create(ns);
    long start = System.nanoTime();
    try (RtNetlink nl = RtNetlink.openNamed(ns)) {
      int fast = 0;
      for (int i = 0; fast < 3 && System.nanoTime() - start < 180e9; i++) {
        long t0 = System.nanoTime();
        nl.links().add(LinkSpec.of("q" + i, Bridge.defaults()));
        double ms = (System.nanoTime() - t0) / 1e6;
        fast = ms < 3 ? fast + 1 : 0;
        Thread.sleep(100);
      }
    } finally {
      NamedNetns.delete(ns);
    }
    System.out.printf("(waited %.1f s for namespace cleanup)%n", (System.nanoTime() - start) / 1e9);
  }

  /** Returns {createOurs, createIp, dumpOurs, dumpIp, links} in milliseconds. */
  private static double[] round(int n, boolean oursFirst) throws Exception {
    String nsA = "mh-nl-bench-" + UUID.randomUUID().toString().substring(0, 6);
    String nsB = "mh-nl-bench-" + UUID.randomUUID().toString().substring(0, 6);
    NamedNetns.create(nsA);
    NamedNetns.create(nsB);
    Path batch = Files.createTempFile("mh-nl-bench", ".batch");
    try (RtNetlink nl = RtNetlink.openNamed(nsA)) {
      var requests = new ArrayList<Request>(2 * n);
      var lines = new StringBuilder();
      for (int i = 0; i < n; i++) {
        requests.add(LinkOps.addRequest(LinkSpec.of("br" + i, Bridge.defaults())));
        requests.add(LinkOps.addRequest(LinkSpec.of("va" + i, Veth.peer("vb" + i))));
        lines.append("link add br").append(i).append(" type bridge\n");
        lines
            .append("link add va")
            .append(i)
            .append(" type veth peer name vb")
            .append(i)
            .append('\n');
      }
      Files.writeString(batch, lines);
      double ours;
      double ip;
      if (oursFirst) {
        ours = createOurs(nl, requests);
        ip = runIp("-n", nsB, "-batch", batch.toString());
      } else {
        ip = runIp("-n", nsB, "-batch", batch.toString());
        ours = createOurs(nl, requests);
      }
      // one untimed dump each to fault in caches, then the timed ones
      int links = nl.links().list().size();
      runIp("-n", nsA, "-j", "link", "show");
      double dumpOurs = median(time(() -> nl.links().list(), 7));
      double dumpIp = median(time(() -> runIp("-n", nsA, "-j", "link", "show"), 7));
      return new double[] {ours, ip, dumpOurs, dumpIp, links};
    } finally {
      Files.deleteIfExists(batch);
      NamedNetns.delete(nsA);
      NamedNetns.delete(nsB);
    }
  }

  private static double createOurs(RtNetlink nl, List<Request> requests) {
    long t0 = System.nanoTime();
    nl.executeAllOrThrow(requests);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Runs ip, discards its output, and returns the wall time in ms; fails on a non-zero exit. */
  private static double runIp(String... args) throws IOException, InterruptedException {
    var cmd = new ArrayList<String>();
    cmd.add("ip");
    cmd.addAll(Arrays.asList(args));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    int rc = p.waitFor();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out));
    }
    return ms;
  }

  interface Timed {
    Object run() throws Exception;
  }

  private static double[] time(Timed t, int reps) throws Exception {
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      t.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return ms;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double median(List<double[]> results, int column) {
    return median(results.stream().mapToDouble(r -> r[column]).toArray());
  }
}
