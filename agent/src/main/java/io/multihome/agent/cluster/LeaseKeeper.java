package io.multihome.agent.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's liveness lease ({@code multihome-agent-<node>}) that the policy controller
 * reads: holder = node, renewTime refreshed every {@code leaseRenew}.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final KubernetesClient client;
  private final AgentConfig config;
  private final AtomicBoolean healthy = new AtomicBoolean();

  LeaseKeeper(KubernetesClient client, AgentConfig config) {
    this.client = client;
    this.config = config;
  }

  /** One renewal; failures are logged and retried at the next tick. */
  void renew() {
    try {
      var leases = client.resources(Lease.class).inNamespace(config.namespace());
      var existing = leases.withName(config.leaseName()).get();
      var now = ZonedDateTime.now();
      if (existing == null) {
        leases.resource(fresh(now)).create();
      } else {
        existing.getSpec().setHolderIdentity(config.node());
        existing.getSpec().setRenewTime(now);
        existing.getSpec().setLeaseDurationSeconds((int) config.leaseDuration().toSeconds());
        leases.resource(existing).update();
      }
      healthy.set(true);
    } catch (KubernetesClientException e) {
      if (healthy.getAndSet(false)) {
        log.warn("lease {} renewal failed: {}", config.leaseName(), e.getMessage());
      }
    }
  }

  boolean healthy() {
    return healthy.get();
  }

  private Lease fresh(ZonedDateTime now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(config.leaseName())
        .withNamespace(config.namespace())
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(config.node())
        .withLeaseDurationSeconds((int) config.leaseDuration().toSeconds())
        .withAcquireTime(now)
        .withRenewTime(now)
        .endSpec()
        .build();
  }
}
