package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark (not part of `mvn verify`: the name does not end in Test). 1000 nodes x 10 policies,
 * agents that succeed at once, maxUnavailable 100%. See docs/benchmarks.md for the command.
 */
@EnableKubernetesMockClient(crud = true)
class PolicyControllerBench {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyControllerBench.class);
  private static final int NODES = Integer.getInteger("bench.nodes", 1000);
  private static final int POLICIES = Integer.getInteger("bench.policies", 10);
  KubernetesClient client;

  @Test
  void thousandNodesTenPolicies() {
    try (var fx = new ControllerFixture(client, Duration.ZERO, 600, false)) {
      for (int i = 0; i < NODES; i++) {
        fx.agents.addNode("node-%04d".formatted(i), Map.of("role", "worker"), true, true);
      }
      long heapBefore = usedHeapAfterGc();
      fx.startController();
      long start = System.nanoTime();
      for (int p = 0; p < POLICIES; p++) {
        fx.createPolicy("p%02d".formatted(p), Map.of("role", "worker"), new IntOrString("100%"));
      }
      var expected =
          "Available/SuccessfullyConfigured: %d/%d nodes successfully configured"
              .formatted(NODES, NODES);
      long[] peak = {0};
      var limit = Duration.ofSeconds(Integer.getInteger("bench.timeoutSec", 900));
      await()
          .atMost(limit)
          .conditionEvaluationListener(
              c ->
                  LOG.info(
                      "BENCH progress t={}ms availableEnactments={}",
                      c.getElapsedTimeInMS(),
                      fx
                          .client
                          .resources(
                              io.multihome.api.nmstate.NodeNetworkConfigurationEnactment.class)
                          .list()
                          .getItems()
                          .stream()
                          .filter(n -> "Available".equals(ControllerFixture.status(n)))
                          .count()))
          .pollInterval(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                peak[0] = Math.max(peak[0], usedHeap());
                for (int p = 0; p < POLICIES; p++) {
                  assertThat(fx.policyStatus("p%02d".formatted(p))).isEqualTo(expected);
                }
              });
      long millis = (System.nanoTime() - start) / 1_000_000;
      long heapWith = usedHeapAfterGc();
      fx.stopController();
      long heapAfter = usedHeapAfterGc();
      LOG.info(
          "BENCH nodes={} policies={} allAvailableMs={} heapBeforeControllerMiB={}"
              + " heapWithControllerMiB={} heapAfterStopMiB={} controllerRetainedMiB={}"
              + " peakUsedHeapWholeJvmMiB={}",
          NODES,
          POLICIES,
          millis,
          heapBefore >> 20,
          heapWith >> 20,
          heapAfter >> 20,
          (heapWith - heapAfter) >> 20,
          peak[0] >> 20);
    }
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return usedHeap();
  }
}
