package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.nmstate.ConditionReasons;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warning events on the NNCP for nodes that failed or aborted (upstream reason {@code
 * ReconcileFailed}), so {@code kubectl describe nncp} tells users which enactment to look at. Each
 * (enactment, generation, kind) is reported once: the event name is derived from it, so a restarted
 * controller gets "already exists" instead of a duplicate.
 */
public final class PolicyEvents {
  public static final String REASON = "ReconcileFailed";

  /** Events of cluster-scoped objects live in "default", as kubectl expects. */
  static final String NAMESPACE = "default";

  private static final Logger LOG = LoggerFactory.getLogger(PolicyEvents.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Set<String> sent = ConcurrentHashMap.newKeySet();

  public PolicyEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void failed(NodeNetworkConfigurationPolicy policy, String enactment, Integer retries) {
    var message =
        retries == null
            ? "reconciliation of enactment \"%s\" has failed".formatted(enactment)
            : "reconciliation of enactment \"%s\" has failed after %d retries"
                .formatted(enactment, retries);
    emit(policy, enactment, "failed", REASON, message);
  }

  public void aborted(NodeNetworkConfigurationPolicy policy, String enactment) {
    emit(policy, enactment, "aborted", REASON, EnactmentConditions.abortedMessage(enactment));
  }

  /** The policy has fields that cannot be read; once per generation. */
  public void invalid(NodeNetworkConfigurationPolicy policy, String message) {
    emit(
        policy,
        policy.getMetadata().getName(),
        "invalid",
        ConditionReasons.INVALID_POLICY,
        message);
  }

  void forget(String policy) {
    sent.removeIf(k -> k.startsWith(policy + "/"));
  }

  private void emit(
      NodeNetworkConfigurationPolicy policy,
      String enactment,
      String kind,
      String reason,
      String message) {
    long generation = policy.getMetadata().getGeneration();
    var key = policy.getMetadata().getName() + "/" + enactment + "/" + generation + "/" + kind;
    if (!sent.add(key)) {
      return;
    }
    var now = Conditions.timestamp(clock.instant());
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName("%s.%d.%s".formatted(enactment, generation, kind))
            .withNamespace(NAMESPACE)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(policy.getApiVersion())
                    .withKind(policy.getKind())
                    .withName(policy.getMetadata().getName())
                    .withUid(policy.getMetadata().getUid())
                    .build())
            .withReason(reason)
            .withMessage(message)
            .withType("Warning")
            .withNewSource()
            .withComponent("multihome-policy-controller")
            .endSource()
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(NAMESPACE).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        // An event is best effort: losing one must not fail or retry the rollout.
        sent.remove(key);
        LOG.warn("could not record event for {}: {}", enactment, e.getMessage());
      }
    }
  }
}
