package io.multihome.agent.cluster;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one node agent. {@code metricsPort} 0 picks a free port, negative disables the HTTP
 * endpoint. {@code probeTimeout} bounds each probe (kubernetes-nmstate waits 120 s).
 */
public record AgentConfig(
    String node,
    String namespace,
    Path stateDir,
    Backoff backoff,
    Duration probeTimeout,
    boolean probesEnabled,
    Duration leaseDuration,
    Duration leaseRenew,
    Duration nnsDebounce,
    Duration nnsResync,
    Duration statusWriteDeadline,
    String dnsProbeName,
    int metricsPort) {

  public static final String DEFAULT_NAMESPACE = "multihome";
  public static final int DEFAULT_METRICS_PORT = 8089;

  public AgentConfig {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("node: a node name is required");
    }
  }

  public static AgentConfig defaults(String node, Path stateDir) {
    return new AgentConfig(
        node,
        DEFAULT_NAMESPACE,
        stateDir,
        Backoff.DEFAULT,
        Duration.ofSeconds(3),
        true,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofMinutes(2),
        "kubernetes.default.svc.cluster.local",
        DEFAULT_METRICS_PORT);
  }

  public AgentConfig withNamespace(String ns) {
    return new AgentConfig(
        node,
        ns,
        stateDir,
        backoff,
        probeTimeout,
        probesEnabled,
        leaseDuration,
        leaseRenew,
        nnsDebounce,
        nnsResync,
        statusWriteDeadline,
        dnsProbeName,
        metricsPort);
  }

  public AgentConfig withBackoff(Backoff b) {
    return new AgentConfig(
        node,
        namespace,
        stateDir,
        b,
        probeTimeout,
        probesEnabled,
        leaseDuration,
        leaseRenew,
        nnsDebounce,
        nnsResync,
        statusWriteDeadline,
        dnsProbeName,
        metricsPort);
  }

  public AgentConfig withProbes(boolean enabled, Duration timeout) {
    return new AgentConfig(
        node,
        namespace,
        stateDir,
        backoff,
        timeout,
        enabled,
        leaseDuration,
        leaseRenew,
        nnsDebounce,
        nnsResync,
        statusWriteDeadline,
        dnsProbeName,
        metricsPort);
  }

  public AgentConfig withMetricsPort(int port) {
    return new AgentConfig(
        node,
        namespace,
        stateDir,
        backoff,
        probeTimeout,
        probesEnabled,
        leaseDuration,
        leaseRenew,
        nnsDebounce,
        nnsResync,
        statusWriteDeadline,
        dnsProbeName,
        port);
  }

  public AgentConfig withNnsTiming(Duration debounce, Duration resync) {
    return new AgentConfig(
        node,
        namespace,
        stateDir,
        backoff,
        probeTimeout,
        probesEnabled,
        leaseDuration,
        leaseRenew,
        debounce,
        resync,
        statusWriteDeadline,
        dnsProbeName,
        metricsPort);
  }

  public String leaseName() {
    return "multihome-agent-" + node;
  }
}
