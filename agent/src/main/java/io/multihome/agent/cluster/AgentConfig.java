package io.multihome.agent.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

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
    return with(b -> b.namespace = ns);
  }

  public AgentConfig withBackoff(Backoff backoff) {
    return with(b -> b.backoff = backoff);
  }

  public AgentConfig withProbes(boolean enabled, Duration timeout) {
    return with(
        b -> {
          b.probesEnabled = enabled;
          b.probeTimeout = timeout;
        });
  }

  public AgentConfig withMetricsPort(int port) {
    return with(b -> b.metricsPort = port);
  }

  public AgentConfig withNnsTiming(Duration debounce, Duration resync) {
    return with(
        b -> {
          b.nnsDebounce = debounce;
          b.nnsResync = resync;
        });
  }

  /** A copy with what {@code change} sets on a mutable copy of the settings. */
  public AgentConfig with(Consumer<Builder> change) {
    var b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The settings as fields to change in {@link #with}. */
  public static final class Builder {
    public String node;
    public String namespace;
    public Path stateDir;
    public Backoff backoff;
    public Duration probeTimeout;
    public boolean probesEnabled;
    public Duration leaseDuration;
    public Duration leaseRenew;
    public Duration nnsDebounce;
    public Duration nnsResync;
    public Duration statusWriteDeadline;
    public String dnsProbeName;
    public int metricsPort;

    private Builder(AgentConfig c) {
      node = c.node;
      namespace = c.namespace;
      stateDir = c.stateDir;
      backoff = c.backoff;
      probeTimeout = c.probeTimeout;
      probesEnabled = c.probesEnabled;
      leaseDuration = c.leaseDuration;
      leaseRenew = c.leaseRenew;
      nnsDebounce = c.nnsDebounce;
      nnsResync = c.nnsResync;
      statusWriteDeadline = c.statusWriteDeadline;
      dnsProbeName = c.dnsProbeName;
      metricsPort = c.metricsPort;
    }

    private AgentConfig build() {
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
          metricsPort);
    }
  }

  public String leaseName() {
    return "multihome-agent-" + node;
  }
}
