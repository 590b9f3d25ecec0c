package io.multihome.e2e.suite;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.api.nmstate.ConditionReasons;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Watches one policy's NNCEs and, on every change it sees, counts the unavailable ones as the
 * controller defines them (docs/rollout.md): granted for the current generation and neither
 * Available nor Aborted — applying, retrying or finally failed. Every count above the limit is
 * recorded as a violation; the test asserts there is none.
 */
final class RolloutObserver implements AutoCloseable {
  static final String GRANT = "multihome.io/rollout-grant";

  private final String policy;
  private final int limit;
  private final SharedIndexInformer<NodeNetworkConfigurationEnactment> informer;
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private int maxSeen;
  private boolean sawLimitPending;

  RolloutObserver(KubernetesClient client, String policy, int limit) {
    this.policy = policy;
    this.limit = limit;
    this.informer =
        client
            .resources(NodeNetworkConfigurationEnactment.class)
            .withLabel("nmstate.io/policy", policy)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(NodeNetworkConfigurationEnactment obj) {
                    check();
                  }

                  @Override
                  public void onUpdate(
                      NodeNetworkConfigurationEnactment o, NodeNetworkConfigurationEnactment n) {
                    check();
                  }

                  @Override
                  public void onDelete(NodeNetworkConfigurationEnactment obj, boolean unknown) {
                    check();
                  }
                });
  }

  static boolean unavailable(NodeNetworkConfigurationEnactment e) {
    if (e.getStatus() == null || e.getStatus().getPolicyGeneration() == null) {
      return false;
    }
    var annotations = e.getMetadata().getAnnotations();
    String grant = annotations == null ? null : annotations.get(GRANT);
    if (!Objects.equals(grant, e.getStatus().getPolicyGeneration().toString())) {
      return false;
    }
    String type = E2ELab.trueCondition(e).map(c -> c.getType()).orElse("");
    return !type.equals(ConditionTypes.AVAILABLE) && !type.equals(ConditionTypes.ABORTED);
  }

  private synchronized void check() {
    var all = informer.getStore().list();
    var granted =
        all.stream().filter(RolloutObserver::unavailable).map(e -> e.getMetadata().getName());
    var names = granted.toList();
    maxSeen = Math.max(maxSeen, names.size());
    if (names.size() > limit) {
      violations.add(names.size() + " unavailable > " + limit + ": " + names);
    }
    sawLimitPending |=
        all.stream()
            .map(E2ELab::trueCondition)
            .flatMap(java.util.Optional::stream)
            .anyMatch(
                c ->
                    c.getType().equals(ConditionTypes.PENDING)
                        && ConditionReasons.MAX_UNAVAILABLE_LIMIT_REACHED.equals(c.getReason()));
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized int maxSeen() {
    return maxSeen;
  }

  synchronized boolean sawLimitPending() {
    return sawLimitPending;
  }

  @Override
  public void close() {
    informer.close();
  }

  @Override
  public String toString() {
    return "observer of " + policy;
  }
}
