package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactmentStatus;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkState;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the enactment statuses the controller writes (it never edits a cached object). */
final class EnactmentStatuses {
  private final KubernetesClient client;
  private final PolicyRenderer renderer;
  private final Clock clock;

  EnactmentStatuses(KubernetesClient client, PolicyRenderer renderer, Clock clock) {
    this.client = client;
    this.renderer = renderer;
    this.clock = clock;
  }

  /**
   * The status of an enactment starting the policy's current generation: rendered desired state,
   * captures, generation, all conditions Unknown — or Failing when the render failed.
   */
  NodeNetworkConfigurationEnactmentStatus fresh(
      NodeNetworkConfigurationPolicy policy,
      Node node,
      NodeNetworkConfigurationEnactment existing) {
    var previous = existing == null ? null : existing.getStatus();
    var cached =
        previous == null || previous.getCapturedStates() == null
            ? Map.<String, io.multihome.api.nmstate.CapturedState>of()
            : previous.getCapturedStates();
    var currentState =
        renderer.needsCurrentState(policy) ? currentState(node.getMetadata().getName()) : null;
    var result = renderer.render(policy, cached, currentState);

    var status = new NodeNetworkConfigurationEnactmentStatus();
    status.setPolicyGeneration(policy.getMetadata().getGeneration());
    if (previous != null) {
      // The agent's per-generation retry book-keeping survives a generation change.
      status.setRetryCount(previous.getRetryCount());
    }
    var before = previous == null ? null : previous.getConditions();
    if (result instanceof RenderResult.Rendered r) {
      status.setDesiredState(r.desiredState());
      status.setCapturedStates(
          r.capturedStates().isEmpty() ? null : new HashMap<>(r.capturedStates()));
      status.setConditions(
          Conditions.merge(before, EnactmentConditions.unknown(), clock.instant()));
    } else if (result instanceof RenderResult.Failed f) {
      status.setConditions(
          Conditions.merge(before, EnactmentConditions.renderFailed(f.message()), clock.instant()));
    }
    return status;
  }

  /** {@code nnce}'s status with its conditions replaced by {@code conditions}. */
  NodeNetworkConfigurationEnactmentStatus withConditions(
      NodeNetworkConfigurationEnactment nnce, List<Condition> conditions, java.time.Instant now) {
    var old = nnce.getStatus();
    var status = new NodeNetworkConfigurationEnactmentStatus();
    status.setPolicyGeneration(old.getPolicyGeneration());
    status.setDesiredState(old.getDesiredState());
    status.setDesiredStateMetaInfo(old.getDesiredStateMetaInfo());
    status.setCapturedStates(old.getCapturedStates());
    status.setFeatures(old.getFeatures());
    status.setRetryCount(old.getRetryCount());
    status.setConditions(Conditions.merge(old.getConditions(), conditions, now));
    return status;
  }

  private com.fasterxml.jackson.databind.JsonNode currentState(String node) {
    var nns = client.resources(NodeNetworkState.class).withName(node).get();
    return nns == null || nns.getStatus() == null ? null : nns.getStatus().getCurrentState();
  }
}
