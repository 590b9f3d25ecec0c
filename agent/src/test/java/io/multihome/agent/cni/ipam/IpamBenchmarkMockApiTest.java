package io.multihome.agent.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.multihome.agent.cni.shim.CniShim;
import io.multihome.api.whereabouts.IPPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/benchmarks.md "whereabouts IPAM": ADD latency at 1, 10 and 50 ADDs at once, spread over
 * three daemons (three API clients, as three nodes) sharing one pool, against the mock API; every
 * run checks that no address was handed out twice. Opt-in: {@code -Dmultihome.bench=true}. Results
 * go to stdout and {@code target/ipam-benchmark.txt}.
 */
@EnableKubernetesMockClient(crud = true)
class IpamBenchmarkMockApiTest {

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path tmp;

  private static final int SAMPLES = 300;

  @Test
  void allocationLatencyUnderConcurrency() throws Exception {
    assumeTrue(
        Boolean.getBoolean("multihome.bench"), "benchmark runs only with -Dmultihome.bench=true");
    var report =
        new StringBuilder(
            "whereabouts IPAM benchmark: ADD latency in ms, 3 daemons, one pool,"
                + " mock API (CRUD), "
                + SAMPLES
                + "+ ADDs per row\n");
    List<KubernetesClient> clients =
        List.of(server.createClient(), server.createClient(), server.createClient());
    try {
      row(clients, 10, true, false); // warm-up (JIT, connections): not reported
      for (boolean overlapping : List.of(true, false)) {
        for (int concurrent : List.of(1, 10, 50)) {
          report.append(row(clients, concurrent, overlapping, false)).append('\n');
        }
      }
      for (int concurrent : List.of(1, 10, 50)) {
        report.append(row(clients, concurrent, true, true)).append('\n');
      }
    } finally {
      clients.forEach(KubernetesClient::close);
    }
    System.out.print(report);
    Path out = Path.of("target", "ipam-benchmark.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private int poolIndex;

  /** One row: rounds of {@code concurrent} simultaneous ADDs, then DELs, until SAMPLES ADDs. */
  private String row(
      List<KubernetesClient> clients, int concurrent, boolean overlapping, boolean throughSocket)
      throws Exception {
    String range = "198.18." + (100 + poolIndex++) + ".0/24";
    String ipamJson =
        "{\"type\":\"whereabouts\",\"range\":\""
            + range
            + "\",\"enable_overlapping_ranges\":"
            + overlapping
            + "}";
    var config =
        new WhereaboutsConfigParser(List.of()).parse(WhereaboutsConfigParserTest.config(ipamJson));
    List<WhereaboutsIpam> nodes = new ArrayList<>();
    List<IpamDaemon> daemons = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (throughSocket) {
        daemons.add(
            IpamDaemon.start(
                clients.get(i),
                tmp.resolve("ipam-" + poolIndex + "-" + i + ".sock"),
                IpamDaemon.Options.defaults().withFlatFiles(List.of())));
      } else {
        nodes.add(
            new WhereaboutsIpam(
                new KubernetesPoolStore(clients.get(i), "kube-system"), Backoff.defaults()));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(concurrent);
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    int violations = 0;
    int round = 0;
    long wall = System.nanoTime();
    try {
      while (latencies.size() < SAMPLES) {
        var start = new CountDownLatch(1);
        List<Future<String>> adds = new ArrayList<>();
        List<Owner> owners = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
          Owner o = new Owner("c" + round + "-" + i, "bench/p" + round + "-" + i, "net1");
          owners.add(o);
          int node = i % 3;
          adds.add(
              pool.submit(
                  () -> {
                    start.await();
                    long t0 = System.nanoTime();
                    String ip =
                        throughSocket
                            ? viaShim(daemons.get(node), o, ipamJson)
                            : nodes.get(node).add(config, o, List.of()).get(0).ip().toString();
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    return ip;
                  }));
        }
        start.countDown();
        Set<String> seen = new HashSet<>();
        for (var f : adds) {
          if (!seen.add(f.get())) {
            violations++;
          }
        }
        Map<String, ?> held =
            client
                .resources(IPPool.class)
                .inNamespace("kube-system")
                .withName(config.poolName(config.ranges().get(0)))
                .get()
                .getSpec()
                .getAllocations();
        if (held.size() != concurrent) {
          violations++;
        }
        WhereaboutsIpam cleaner =
            throughSocket
                ? new WhereaboutsIpam(
                    new KubernetesPoolStore(client, "kube-system"), Backoff.defaults())
                : nodes.get(0);
        for (Owner o : owners) {
          cleaner.del(config, o);
        }
        round++;
      }
    } finally {
      pool.shutdownNow();
      for (IpamDaemon d : daemons) {
        d.close();
      }
    }
    double wallMs = (System.nanoTime() - wall) / 1e6;
    long conflicts = nodes.stream().mapToLong(WhereaboutsIpam::conflicts).sum();
    assertThat(violations).as("duplicate or lost addresses").isZero();
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return String.format(
        "%-9s %-24s concurrent=%-3d ADDs=%d  p50 %6.1f  p99 %6.1f  max %6.1f  conflicts %s  unique in every round: yes (%d rounds, %.0f ms)",
        throughSocket ? "socket" : "direct",
        overlapping ? "overlapping ranges on" : "overlapping ranges off",
        concurrent,
        sorted.size(),
        pct(sorted, 50),
        pct(sorted, 99),
        sorted.get(sorted.size() - 1),
        throughSocket ? "-" : Long.toString(conflicts),
        round,
        wallMs);
  }

  /** The shim's code path in process (the JVM start of a real shim is in the CNI benchmark). */
  private static String viaShim(IpamDaemon daemon, Owner o, String ipamJson) throws Exception {
    var env =
        Map.of(
            "CNI_COMMAND",
            "ADD",
            "CNI_CONTAINERID",
            o.containerId(),
            "CNI_NETNS",
            "/run/netns/none",
            "CNI_IFNAME",
            o.ifName(),
            "CNI_ARGS",
            "K8S_POD_NAMESPACE=bench;K8S_POD_NAME=" + o.podRef().substring(6),
            CniShim.IPAM_SOCKET_ENV,
            daemon.socket().toString());
    var out = new ByteArrayOutputStream();
    int exit =
        CniShim.run(
            "whereabouts",
            env,
            ("{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"type\":\"macvlan\",\"ipam\":"
                    + ipamJson
                    + "}")
                .getBytes(StandardCharsets.UTF_8),
            new PrintStream(out, true));
    String text = out.toString(StandardCharsets.UTF_8);
    if (exit != 0) {
      throw new IllegalStateException(text);
    }
    int at = text.indexOf("\"address\":\"") + 11;
    return text.substring(at, text.indexOf('/', at));
  }

  private static double pct(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
