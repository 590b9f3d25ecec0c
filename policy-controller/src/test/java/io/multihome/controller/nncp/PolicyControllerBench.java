package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.multihome.controller.ControllerConfig;
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
class PolicyControllerBench extends MockBenchBase {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyControllerBench.class);
  // 1000 real agents work independently; 16 simulated ones at a time keep the agents' side from
  // being a bottleneck the real system does not have.
  private static final int AGENT_THREADS = Integer.getInteger("bench.agentThreads", 16);

  @Test
  void thousandNodesTenPolicies() {
    var defaults = ControllerConfig.defaults();
    var config =
        defaults
            .withThreads(
                Integer.getInteger("bench.reconcileThreads", defaults.reconcileThreads()),
                Integer.getInteger("bench.writeThreads", defaults.writeThreads()))
            .withPassInterval(
                Duration.ofMillis(
                    Long.getLong("bench.passIntervalMs", defaults.passInterval().toMillis())));
    LOG.info(
        "BENCH config reconcileThreads={} writeThreads={} passInterval={} agentThreads={}",
        config.reconcileThreads(),
        config.writeThreads(),
        config.passInterval(),
        AGENT_THREADS);
    try (var fx = new ControllerFixture(client, Duration.ZERO, 600, false, AGENT_THREADS, config)) {
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
      long[] nextLog = {0};
      var limit = Duration.ofSeconds(Integer.getInteger("bench.timeoutSec", 900));
      await()
          .atMost(limit)
          .conditionEvaluationListener(
              c -> {
                if (c.getElapsedTimeInMS() >= nextLog[0]) {
                  nextLog[0] += 10_000;
                  // From the agents' informer: listing 10^4 objects from the mock server every
                  // 10 s would hold its lock for a noticeable time.
                  LOG.info(
                      "BENCH progress t={}ms availableEnactments={}",
                      c.getElapsedTimeInMS(),
                      fx.agents.availableCount());
                }
              })
          .pollInterval(Duration.ofSeconds(1))
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
      // JOSDK closes its informers asynchronously: give it a moment before measuring.
      sleep(Duration.ofSeconds(3));
      long heapAfter = usedHeapAfterGc();
      LOG.info(
          "BENCH nodes={} policies={} allAvailableMs={} heapBeforeControllerMiB={}"
              + " heapWithControllerMiB={} heapAfterStopMiB={} controllerRetainedMiB={}"
              + " peakUsedHeapWholeJvmMiB={} {}",
          NODES,
          POLICIES,
          millis,
          heapBefore >> 20,
          heapWith >> 20,
          heapAfter >> 20,
          (heapWith - heapAfter) >> 20,
          peak[0] >> 20,
          mock.describe());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
