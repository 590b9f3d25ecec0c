package io.multihome.agent.cluster;

import io.multihome.api.nmstate.ConditionReasons;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.util.Comparator;
import java.util.Objects;

/** Reading the controller's grant and the agent's own progress off an NNCE. */
final class Grants {
  /** The controller's grant: the policy generation this node may enact now. */
  static final String GRANT_ANNOTATION = "multihome.io/rollout-grant";

  /** Enactments in policy-name order (the order the agent works in). */
  static final Comparator<NodeNetworkConfigurationEnactment> BY_POLICY =
      Comparator.comparing(Grants::policy).thenComparing(n -> n.getMetadata().getName());

  private Grants() {}

  /** The generation the grant covers, or null when the NNCE is not granted right now. */
  static Long grantedGeneration(NodeNetworkConfigurationEnactment nnce) {
    var status = nnce.getStatus();
    if (status == null
        || status.getPolicyGeneration() == null
        || status.getDesiredState() == null) {
      return null;
    }
    long gen = status.getPolicyGeneration();
    return grantedFor(nnce, gen) ? gen : null;
  }

  static boolean grantedFor(NodeNetworkConfigurationEnactment nnce, long generation) {
    var annotations = nnce.getMetadata().getAnnotations();
    var status = nnce.getStatus();
    return annotations != null
        && status != null
        && status.getPolicyGeneration() != null
        && status.getPolicyGeneration() == generation
        && Objects.equals(annotations.get(GRANT_ANNOTATION), Long.toString(generation));
  }

  /** Available, or finally failed: nothing left to do for this generation. */
  static boolean finished(NodeNetworkConfigurationEnactment nnce) {
    var conditions = nnce.getStatus().getConditions();
    if (EnactmentRows.isTrue(conditions, ConditionTypes.AVAILABLE)
        || EnactmentRows.isTrue(conditions, ConditionTypes.ABORTED)) {
      return true;
    }
    var failing = EnactmentRows.find(conditions, ConditionTypes.FAILING);
    return failing != null
        && "True".equals(failing.getStatus())
        && ConditionReasons.FAILED_TO_CONFIGURE.equals(failing.getReason());
  }

  /** Failed attempts recorded for the NNCE's current generation. */
  static int failedAttempts(NodeNetworkConfigurationEnactment nnce) {
    var status = nnce.getStatus();
    if (status.getRetryCount() == null || status.getPolicyGeneration() == null) {
      return 0;
    }
    return status.getRetryCount().getOrDefault(Long.toString(status.getPolicyGeneration()), 0);
  }

  static String policy(NodeNetworkConfigurationEnactment nnce) {
    var labels = nnce.getMetadata().getLabels();
    var p = labels == null ? null : labels.get(NmstateLabels.POLICY);
    return p == null ? nnce.getMetadata().getName() : p;
  }
}
