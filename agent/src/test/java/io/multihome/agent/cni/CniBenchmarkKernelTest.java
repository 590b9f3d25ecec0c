package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multihome.agent.cni.daemon.CniSocketServer;
import io.multihome.agent.cni.exec.CniCommand;
import io.multihome.agent.cni.exec.CniInvocation;
import io.multihome.agent.cni.exec.NetworkList;
import io.multihome.agent.cni.exec.NetworkListRunner;
import io.multihome.agent.cni.exec.ProcessPluginExecutor;
import io.multihome.agent.cni.exec.RuntimeArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks for docs/benchmarks.md ("CNI attachments"). Opt-in: {@code -Dmultihome.bench=true}.
 * Results go to stdout and {@code target/cni-benchmark.txt}.
 */
class CniBenchmarkKernelTest {

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;
  private CniSocketServer server;
  private final StringBuilder report = new StringBuilder();

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(
        Boolean.getBoolean("multihome.bench"), "benchmark runs only with -Dmultihome.bench=true");
    k = new KernelFixture();
    h =
        new CniHarness(
            tmp,
            new ProcessPluginExecutor(KernelFixture.path(k.node), Duration.ofSeconds(60)),
            List.of(KernelFixture.CNI_BIN),
            AttachmentKernelTest.clusterConflist(tmp));
    h.nads.put("apps", "blue", blueNad());
    server = new CniSocketServer(tmp.resolve("run/cni.sock"), h.service, 8);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    if (k != null) {
      k.close();
    }
    if (report.length() > 0) {
      System.out.println(report);
      Files.writeString(
          Path.of("target/cni-benchmark.txt"),
          report.toString(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  private String blueNad() {
    return """
        {"cniVersion":"1.0.0","name":"blue","plugins":[{"type":"bridge","bridge":"mhblue",
          "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"203.0.113.0/24"}]]}}]}
        """
        .formatted(tmp.resolve("ipam-blue"));
  }

  @Test
  void addDelThroughShimVersusDirectPluginExec() throws Exception {
    int rounds = Integer.getInteger("multihome.bench.rounds", 30);
    var direct =
        new NetworkListRunner(
            new ProcessPluginExecutor(KernelFixture.path(k.node), Duration.ofSeconds(60)));
    NetworkList cluster = NetworkList.parse(AttachmentKernelTest.clusterConflist(tmp), null);
    NetworkList blue = NetworkList.parse(blueNad(), null);
    var shimAdd = new ArrayList<Long>();
    var shimDel = new ArrayList<Long>();
    var oneAdd = new ArrayList<Long>();
    var oneDel = new ArrayList<Long>();
    var twoAdd = new ArrayList<Long>();
    var twoDel = new ArrayList<Long>();
    var daemonAdd = new ArrayList<Long>();
    var daemonDel = new ArrayList<Long>();
    var socketAdd = new ArrayList<Long>();
    byte[] config = Files.readAllBytes(h.pluginConfigFile);
    // As installed on a node: java.base-only runtime, static AppCDS archive from the training run.
    var installed = ShimKernelTest.install(tmp, true);
    var plainAdd = new ArrayList<Long>();
    var jvmOnly = new ArrayList<Long>();
    for (int i = 0; i < rounds; i++) {
      // The first timed call of a round meets the kernel's deferred work from the previous
      // round's DELs: the old and the new shim set-up take turns being first.
      if (i % 2 == 1) {
        plainShimRound(i, config, plainAdd);
      }
      // shim: the runtime execs multihome-cni; the daemon runs cluster bridge + blue bridge.
      String pod = k.newNamespace("b");
      h.pod("apps", "p" + i, "u" + i, "blue");
      var env = h.env("ADD", "bench" + i, KernelFixture.path(pod).toString(), "apps", "p" + i);
      String trace = System.getProperty("multihome.bench.trace");
      if (trace != null) { // class-load timeline of the shim JVMs, for start-up analysis
        env.put(
            "MULTIHOME_SHIM_JVM_OPTS", "-Xlog:class+load:file=" + trace + "/shim-%p.log:uptime");
      }
      long t0 = System.nanoTime();
      var add = ShimKernelTest.shim(env, config, server.socket(), installed);
      long t1 = System.nanoTime();
      env.put("CNI_COMMAND", "DEL");
      var del = ShimKernelTest.shim(env, config, server.socket(), installed);
      long t2 = System.nanoTime();
      // VERSION is answered by the shim itself: the cost of exec + JVM start + exit alone.
      var envVersion = h.env("VERSION", "v" + i, null, "apps", "p" + i);
      long v0 = System.nanoTime();
      assertThat(ShimKernelTest.shim(envVersion, config, server.socket(), installed).exit())
          .isZero();
      jvmOnly.add(System.nanoTime() - v0);
      if (i % 2 == 0) {
        plainShimRound(i, config, plainAdd);
      }
      assertThat(add.exit()).as(add.stdout()).isZero();
      assertThat(del.exit()).as(del.stdout()).isZero();
      shimAdd.add(t1 - t0);
      shimDel.add(t2 - t1);

      // daemon in-process: the same request without the shim's JVM start and the socket.
      String pod3 = k.newNamespace("i");
      h.pod("apps", "q" + i, "v" + i, "blue");
      long s0 = System.nanoTime();
      var inAdd = h.call("ADD", "inproc" + i, KernelFixture.path(pod3).toString(), "apps", "q" + i);
      long s1 = System.nanoTime();
      var inDel = h.call("DEL", "inproc" + i, KernelFixture.path(pod3).toString(), "apps", "q" + i);
      long s2 = System.nanoTime();
      assertThat(inAdd.exitCode()).as(inAdd.text()).isZero();
      assertThat(inDel.exitCode()).as(inDel.text()).isZero();
      daemonAdd.add(s1 - s0);
      daemonDel.add(s2 - s1);

      // socket client in-process: the shim's code path minus the JVM start.
      String pod4 = k.newNamespace("s");
      var envSock = h.env("ADD", "sock" + i, KernelFixture.path(pod4).toString(), "apps", "q" + i);
      envSock.put("MULTIHOME_CNI_SOCKET", server.socket().toString());
      var sink = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
      long k0 = System.nanoTime();
      assertThat(io.multihome.agent.cni.shim.CniShim.run(envSock, config, sink)).isZero();
      socketAdd.add(System.nanoTime() - k0);
      envSock.put("CNI_COMMAND", "DEL");
      assertThat(io.multihome.agent.cni.shim.CniShim.run(envSock, config, sink)).isZero();

      // direct: the same plugins exec'ed by hand (what the runtime would do without us).
      String pod2 = k.newNamespace("d");
      var inv =
          new CniInvocation(
              CniCommand.ADD,
              "direct" + i,
              KernelFixture.path(pod2).toString(),
              "eth0",
              "IgnoreUnknown=1",
              List.of(KernelFixture.CNI_BIN));
      var inv2 = inv.withIfname("net1");
      long d0 = System.nanoTime();
      var r1 = direct.add(blue, inv2, RuntimeArgs.none());
      long d1 = System.nanoTime();
      var r0 = direct.add(cluster, inv, RuntimeArgs.none());
      long d2 = System.nanoTime();
      direct.del(blue, inv2, RuntimeArgs.none(), r1);
      long d3 = System.nanoTime();
      direct.del(cluster, inv, RuntimeArgs.none(), r0);
      long d4 = System.nanoTime();
      oneAdd.add(d1 - d0);
      twoAdd.add(d2 - d0);
      oneDel.add(d3 - d2);
      twoDel.add(d4 - d2);
    }
    report
        .append("CNI attachments benchmark, ")
        .append(rounds)
        .append(" rounds, p50 (p90) in ms\n");
    line("direct: bridge ADD (1 network)", oneAdd);
    line("direct: bridge DEL (1 network)", oneDel);
    line("direct: 2 bridge ADDs (cluster + 1 secondary)", twoAdd);
    line("direct: 2 bridge DELs", twoDel);
    line("daemon in-process: ADD (cluster + 1 secondary)", daemonAdd);
    line("daemon in-process: DEL", daemonDel);
    line("socket client in-process: ADD", socketAdd);
    line("shim:   ADD (cluster + 1 secondary)", shimAdd);
    line("shim:   DEL", shimDel);
    line("shim on the full JDK, no archive: ADD", plainAdd);
    line("shim VERSION (exec + JVM start/exit only)", jvmOnly);
    report.append(
        String.format(
            "shim overhead ADD p50: %.1f ms, DEL p50: %.1f ms%n",
            ms(p(shimAdd, 50) - p(twoAdd, 50)), ms(p(shimDel, 50) - p(twoDel, 50))));
    assertThat(k.links(k.node)).noneMatch(l -> l.startsWith("veth"));
  }

  /**
   * The shim ADD (+ untimed DEL) the way it ran before: build's JDK, class directory, no archive.
   */
  private void plainShimRound(int i, byte[] config, List<Long> plainAdd) throws Exception {
    String podPlain = k.newNamespace("n");
    var envPlain =
        h.env("ADD", "plain" + i, KernelFixture.path(podPlain).toString(), "apps", "p" + i);
    long n0 = System.nanoTime();
    var plain = ShimKernelTest.shim(envPlain, config, server.socket());
    plainAdd.add(System.nanoTime() - n0);
    assertThat(plain.exit()).as(plain.stdout()).isZero();
    envPlain.put("CNI_COMMAND", "DEL");
    assertThat(ShimKernelTest.shim(envPlain, config, server.socket()).exit()).isZero();
  }

  @Test
  void fiftyConcurrentPodAddsThroughTheShim() throws Exception {
    int pods = Integer.getInteger("multihome.bench.pods", 50);
    byte[] config = Files.readAllBytes(h.pluginConfigFile);
    var installed = ShimKernelTest.install(tmp, true);
    var namespaces = new ArrayList<String>();
    for (int i = 0; i < pods; i++) {
      namespaces.add(k.newNamespace("c"));
      h.pod("apps", "c" + i, "u" + i, "blue");
    }
    var pool = Executors.newFixedThreadPool(pods);
    try {
      long t0 = System.nanoTime();
      var adds = new ArrayList<Future<ShimKernelTest.Exec>>();
      for (int i = 0; i < pods; i++) {
        int n = i;
        Callable<ShimKernelTest.Exec> call =
            () ->
                ShimKernelTest.shim(
                    h.env(
                        "ADD",
                        "conc" + n,
                        KernelFixture.path(namespaces.get(n)).toString(),
                        "apps",
                        "c" + n),
                    config,
                    server.socket(),
                    installed);
        adds.add(pool.submit(call));
      }
      for (var f : adds) {
        assertThat(f.get().exit()).as(f.get().stdout()).isZero();
      }
      long t1 = System.nanoTime();
      var addresses = new HashSet<String>();
      for (String ns : namespaces) {
        String out = k.ip(ns, "-4", "-o", "addr", "show", "dev", "net1");
        addresses.add(out.split("inet ")[1].split("/")[0]);
      }
      assertThat(addresses).hasSize(pods);
      assertThat(leases()).hasSize(2 * pods);
      var dels = new ArrayList<Future<ShimKernelTest.Exec>>();
      for (int i = 0; i < pods; i++) {
        int n = i;
        dels.add(
            pool.submit(
                () ->
                    ShimKernelTest.shim(
                        h.env(
                            "DEL",
                            "conc" + n,
                            KernelFixture.path(namespaces.get(n)).toString(),
                            "apps",
                            "c" + n),
                        config,
                        server.socket(),
                        installed)));
      }
      for (var f : dels) {
        assertThat(f.get().exit()).as(f.get().stdout()).isZero();
      }
      long t2 = System.nanoTime();
      assertThat(leases()).isEmpty();
      assertThat(k.links(k.node)).noneMatch(l -> l.startsWith("veth"));
      for (String ns : namespaces) {
        assertThat(k.links(ns)).containsExactly("lo");
      }
      assertThat(Files.list(h.stateDir).toList()).isEmpty();
      report.append(
          String.format(
              "%d concurrent pod ADDs through the shim (daemon cap 8): all succeeded in %.0f ms wall;"
                  + " %d concurrent DELs in %.0f ms; %d unique addresses; 0 leases, 0 host veths,"
                  + " 0 state files left%n",
              pods, ms(t1 - t0), pods, ms(t2 - t1), addresses.size()));
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Path> leases() throws Exception {
    var out = new ArrayList<Path>();
    for (String dir : List.of("ipam-blue", "ipam-cluster")) {
      Path d = tmp.resolve(dir);
      if (Files.isDirectory(d)) {
        try (Stream<Path> files = Files.walk(d)) {
          files
              .filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().matches("[0-9.]+"))
              .forEach(out::add);
        }
      }
    }
    return out;
  }

  private void line(String label, List<Long> samples) {
    report.append(
        String.format("  %-48s %7.1f (%7.1f)%n", label, ms(p(samples, 50)), ms(p(samples, 90))));
  }

  private static long p(List<Long> samples, int percentile) {
    var sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
