package io.multihome.controller.nncp;

import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.util.Objects;

/** Where one enactment stands in the rollout of the current policy generation. */
public enum EnactmentPhase {
  /** Written for an older generation (or never rendered): the controller must reset it. */
  STALE,
  /** Rendered for this generation, not granted, no decision yet. */
  WAITING,
  /** Not granted: the maxUnavailable limit is reached. */
  PENDING,
  /** Granted; the agent has not finished (includes "granted, agent not started yet"). */
  GRANTED,
  /** Granted; the last attempt failed and the agent will try again. Keeps its grant. */
  RETRYING,
  AVAILABLE,
  /** Finally failed (or could not be rendered). Counts against maxUnavailable. */
  FAILED,
  /** Not attempted because failures used up the maxUnavailable budget. */
  ABORTED;

  /** Annotation on the NNCE carrying the generation the agent may enact. */
  public static final String GRANT_ANNOTATION = "multihome.io/rollout-grant";

  /** Nodes that count as unavailable: granted and not finished, or failed. */
  public boolean isUnavailable() {
    return this == GRANTED || this == RETRYING || this == FAILED;
  }

  public boolean isFinished() {
    return this == AVAILABLE || this == FAILED || this == ABORTED;
  }

  public static boolean isGranted(NodeNetworkConfigurationEnactment nnce, long generation) {
    var annotations = nnce.getMetadata().getAnnotations();
    return annotations != null
        && Objects.equals(annotations.get(GRANT_ANNOTATION), Long.toString(generation));
  }

  /** Classifies {@code nnce} against policy generation {@code generation}. */
  public static EnactmentPhase of(NodeNetworkConfigurationEnactment nnce, long generation) {
    var status = nnce.getStatus();
    if (status == null
        || status.getPolicyGeneration() == null
        || status.getPolicyGeneration() != generation) {
      return STALE;
    }
    var conditions = status.getConditions();
    if (Conditions.isTrue(conditions, ConditionTypes.AVAILABLE)) {
      return AVAILABLE;
    }
    if (Conditions.isTrue(conditions, ConditionTypes.ABORTED)) {
      return ABORTED;
    }
    if (Conditions.isTrue(conditions, ConditionTypes.FAILING)) {
      return Conditions.isTrue(conditions, ConditionTypes.PROGRESSING) ? RETRYING : FAILED;
    }
    if (isGranted(nnce, generation)) {
      return GRANTED;
    }
    return Conditions.isTrue(conditions, ConditionTypes.PENDING) ? PENDING : WAITING;
  }
}
