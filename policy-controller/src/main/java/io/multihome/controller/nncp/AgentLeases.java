package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.util.Optional;

/**
 * The agent liveness contract: each node agent renews a coordination.k8s.io/v1 Lease named {@code
 * multihome-agent-<node>} in the controller's namespace; the node has a running agent while {@code
 * renewTime + leaseDurationSeconds} is in the future.
 */
public final class AgentLeases {
  public static final String PREFIX = "multihome-agent-";

  private AgentLeases() {}

  public static String leaseName(String node) {
    return PREFIX + node;
  }

  public static boolean isAgentLease(Lease lease) {
    return lease.getMetadata().getName().startsWith(PREFIX);
  }

  /** When the lease stops vouching for the agent; empty when it never was renewed properly. */
  public static Optional<Instant> expiry(Lease lease) {
    var spec = lease == null ? null : lease.getSpec();
    if (spec == null || spec.getLeaseDurationSeconds() == null) {
      return Optional.empty();
    }
    var renewed = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
    if (renewed == null) {
      return Optional.empty();
    }
    return Optional.of(renewed.toInstant().plusSeconds(spec.getLeaseDurationSeconds()));
  }

  public static boolean isAlive(Lease lease, Instant now) {
    return expiry(lease).map(now::isBefore).orElse(false);
  }
}
