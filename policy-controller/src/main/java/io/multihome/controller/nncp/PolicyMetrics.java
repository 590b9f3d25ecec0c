package io.multihome.controller.nncp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.multihome.controller.nncp.PolicyStatusAggregator.PolicyState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus-style metrics: policies by their True condition, enactments by condition (summed over
 * nodes, no node label to keep cardinality flat at 1000 nodes) and rollout duration.
 */
public final class PolicyMetrics {
  public static final String POLICIES = "multihome_policies_status";
  public static final String ENACTMENTS = "multihome_enactments_status";
  public static final String ROLLOUT = "multihome_policy_rollout_duration";

  private final Map<String, PolicyState> policies = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> enactments = new ConcurrentHashMap<>();
  private final Timer availableRollouts;
  private final Timer degradedRollouts;

  public PolicyMetrics(MeterRegistry registry) {
    for (var state : PolicyState.values()) {
      Gauge.builder(POLICIES, this, m -> m.policiesIn(state))
          .description("Policies whose True condition is this type")
          .tag("status", typeName(state))
          .register(registry);
    }
    for (var condition :
        new String[] {"Available", "Failing", "Progressing", "Pending", "Aborted", "Unknown"}) {
      Gauge.builder(ENACTMENTS, this, m -> m.enactmentsIn(condition))
          .description("Enactments whose True condition is this type")
          .tag("status", condition)
          .register(registry);
    }
    availableRollouts =
        Timer.builder(ROLLOUT)
            .description("From a policy starting to progress to Available or Degraded")
            .tag("outcome", "Available")
            .register(registry);
    degradedRollouts =
        Timer.builder(ROLLOUT)
            .description("From a policy starting to progress to Available or Degraded")
            .tag("outcome", "Degraded")
            .register(registry);
  }

  void observe(String policy, PolicyState state, Map<EnactmentPhase, Integer> phases) {
    policies.put(policy, state);
    var byCondition = new ConcurrentHashMap<String, Integer>();
    phases.forEach((phase, n) -> byCondition.merge(conditionOf(phase), n, Integer::sum));
    enactments.put(policy, byCondition);
  }

  void rolloutFinished(PolicyState outcome, Duration took) {
    (outcome == PolicyState.AVAILABLE ? availableRollouts : degradedRollouts).record(took);
  }

  void forget(String policy) {
    policies.remove(policy);
    enactments.remove(policy);
  }

  static Map<EnactmentPhase, Integer> emptyPhases() {
    return new EnumMap<>(EnactmentPhase.class);
  }

  private double policiesIn(PolicyState state) {
    return policies.values().stream().filter(state::equals).count();
  }

  private double enactmentsIn(String condition) {
    return enactments.values().stream().mapToInt(m -> m.getOrDefault(condition, 0)).sum();
  }

  private static String typeName(PolicyState state) {
    return switch (state) {
      case IGNORED -> "Ignored";
      case DEGRADED -> "Degraded";
      case PROGRESSING -> "Progressing";
      case AVAILABLE -> "Available";
    };
  }

  private static String conditionOf(EnactmentPhase phase) {
    return switch (phase) {
      case AVAILABLE -> "Available";
      case FAILED, RETRYING -> "Failing";
      case GRANTED -> "Progressing";
      case PENDING -> "Pending";
      case ABORTED -> "Aborted";
      case WAITING, STALE -> "Unknown";
    };
  }
}
