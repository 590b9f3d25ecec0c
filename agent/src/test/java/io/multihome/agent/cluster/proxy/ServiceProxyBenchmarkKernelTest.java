package io.multihome.agent.cluster.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cni.ContainerState;
import io.multihome.agent.cni.Delegate;
import io.multihome.agent.cni.PodRef;
import io.multihome.agent.cni.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/benchmarks.md "Service proxy": from an EndpointSlice write to the API until the new rules
 * are in every local pod's namespace (nft returned), with 100 endpoints, for 1 and 10 local pods.
 * Opt-in: {@code -Dmultihome.bench=true}; results to stdout and {@code target/proxy-benchmark.txt}.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceProxyBenchmarkKernelTest {

  KubernetesClient client;
  @TempDir Path tmp;

  @Test
  void updateLatencyAtHundredEndpoints() throws Exception {
    assumeTrue(
        Boolean.getBoolean("multihome.bench"), "benchmark runs only with -Dmultihome.bench=true");
    var report =
        new StringBuilder(
            "Service proxy benchmark: EndpointSlice write -> rules in place (ms), 100 endpoints\n");
    for (int pods : List.of(1, 10)) {
      report.append(run(pods)).append('\n');
    }
    System.out.print(report);
    Path out = Path.of("target", "proxy-benchmark.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private String run(int podCount) throws Exception {
    try (var net = new ProxyNamespaces()) {
      Path stateDir = tmp.resolve("state-" + podCount);
      var state = new StateStore(stateDir);
      List<String> netns = new ArrayList<>();
      for (int i = 0; i < podCount; i++) {
        String ns =
            net.pod("c" + i, "198.18.70." + (200 + i), "2001:db8:70::" + (200 + i), 100 + i);
        netns.add("/run/netns/" + ns);
        attach(state, "ctr" + i, ns, "198.18.70." + (200 + i) + "/24");
      }
      Map<String, Long> appliedAt = new ConcurrentHashMap<>();
      Map<String, String> scripts = new ConcurrentHashMap<>();
      String svc = "bench" + podCount;
      client
          .services()
          .inNamespace("default")
          .resource(ProxyFixtures.service(svc, "macvlan1", "198.18.200.20"))
          .create();
      try (var proxy = ServiceProxy.start(client, new StateDirAttachments(stateDir))) {
        proxy.onApplied(
            (ns, rules) -> {
              appliedAt.put(ns, System.nanoTime());
              scripts.put(ns, rules.nftScript());
            });
        List<Double> latencies = new ArrayList<>();
        for (int round = 0; round < 25; round++) {
          // 100 endpoints; each round moves the one not-ready endpoint.
          String[] endpoints = new String[100];
          for (int e = 0; e < 100; e++) {
            endpoints[e] = (e == round % 100 ? "-" : "") + "198.18.70." + (e + 1);
          }
          EndpointSlice slice = ProxyFixtures.slice(svc, "IPv4", 8080, endpoints);
          String absent = "dnat ip to 198.18.70." + (round % 100 + 1) + ":8080\n";
          appliedAt.clear();
          long t0 = System.nanoTime();
          client
              .discovery()
              .v1()
              .endpointSlices()
              .inNamespace("default")
              .resource(slice)
              .createOr(x -> x.update());
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      netns.stream()
                          .allMatch(
                              n ->
                                  appliedAt.containsKey(n)
                                      && !scripts.get(n).contains(absent)
                                      && scripts.get(n).contains("numgen random mod 99 ")));
          long last = netns.stream().mapToLong(appliedAt::get).max().orElseThrow();
          if (round >= 5) { // first rounds warm up the JIT and the informers
            latencies.add((last - t0) / 1e6);
          }
        }
        String listed =
            ProxyNamespaces.run(
                "ip",
                "netns",
                "exec",
                netns.get(netns.size() - 1).substring(11),
                "nft",
                "list",
                "table",
                "inet",
                ServiceRules.TABLE);
        assertThat(listed).contains("numgen random mod 99");
        client.services().inNamespace("default").withName(svc).delete();
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace("default")
            .withName(svc + "-multus-v4")
            .delete();
        Collections.sort(latencies);
        return String.format(
            "local pods=%-2d endpoints=100 updates=%d  p50 %6.1f  p99 %6.1f  max %6.1f  (target < 1000)",
            podCount,
            latencies.size(),
            latencies.get(latencies.size() / 2),
            latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1),
            latencies.get(latencies.size() - 1));
      }
    }
  }

  private static void attach(StateStore state, String containerId, String ns, String cidr)
      throws Exception {
    ObjectNode result = new ObjectMapper().createObjectNode().put("cniVersion", "1.0.0");
    result
        .putArray("interfaces")
        .addObject()
        .put("name", "net1")
        .put("sandbox", "/run/netns/" + ns);
    result.putArray("ips").addObject().put("address", cidr).put("interface", 0);
    var d =
        new Delegate(
            "default/macvlan1", false, "net1", "{}", null, null, null, List.of(), null, List.of());
    state.write(
        ContainerState.planned(
                containerId,
                "/run/netns/" + ns,
                new PodRef("default", containerId, "u"),
                "",
                List.of(d))
            .withResult(0, result));
  }
}
