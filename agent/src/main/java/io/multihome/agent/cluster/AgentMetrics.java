package io.multihome.agent.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * The agent's Prometheus metrics: {@code multihome_agent_apply_duration_seconds{outcome}}, {@code
 * multihome_agent_probe_results_total{probe,phase,result}} and {@code
 * multihome_agent_interfaces{type}} (from the last published NodeNetworkState).
 */
final class AgentMetrics {
  private final MeterRegistry registry;
  private final MultiGauge interfaces;

  AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.interfaces =
        MultiGauge.builder("multihome.agent.interfaces")
            .description("Interfaces on the node by nmstate type")
            .register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  void applied(String outcome, Duration took) {
    Timer.builder("multihome.agent.apply.duration")
        .description("Time to apply one enactment attempt, probes included")
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
  }

  void probe(String probe, String phase, boolean passed) {
    Counter.builder("multihome.agent.probe.results")
        .description("Probe runs before and after a change")
        .tags("probe", probe, "phase", phase, "result", passed ? "pass" : "fail")
        .register(registry)
        .increment();
  }

  void interfacesByType(Map<String, Long> counts) {
    interfaces.register(
        counts.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("type", e.getKey()), e.getValue()))
            .toList(),
        true);
  }
}
