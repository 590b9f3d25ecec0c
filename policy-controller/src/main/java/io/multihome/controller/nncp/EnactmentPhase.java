package io.multihome.controller.nncp;

import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.read.ReadReport;
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

  /**
   * Classifies {@code nnce} against policy generation {@code generation}. A status with fields that
   * cannot be read (edited by hand) is STALE: the controller writes it afresh.
   */
  public static EnactmentPhase of(NodeNetworkConfigurationEnactment nnce, long generation) {
    var status = nnce.getStatus();
    if (status == null
        || !ReadReport.of(nnce).problemsUnder("status").isEmpty()
        || status.getPolicyGeneration() == null
        || status.getPolicyGeneration() != generation) {
      return STALE;
    }
    // One walk over the conditions (this runs for every enactment on every pass); as in
    // Conditions.isTrue, the first condition of a type is the one that counts.
    Boolean available = null;
    Boolean aborted = null;
    Boolean failing = null;
    Boolean progressing = null;
    Boolean pending = null;
    if (status.getConditions() != null) {
      for (var c : status.getConditions()) {
        var t = Condition.TRUE.equals(c.getStatus());
        if (c.getType() == null) {
          continue;
        }
        switch (c.getType()) {
          case ConditionTypes.AVAILABLE -> available = available == null ? t : available;
          case ConditionTypes.ABORTED -> aborted = aborted == null ? t : aborted;
          case ConditionTypes.FAILING -> failing = failing == null ? t : failing;
          case ConditionTypes.PROGRESSING -> progressing = progressing == null ? t : progressing;
          case ConditionTypes.PENDING -> pending = pending == null ? t : pending;
          default -> {}
        }
      }
    }
    if (Boolean.TRUE.equals(available)) {
      return AVAILABLE;
    }
    if (Boolean.TRUE.equals(aborted)) {
      return ABORTED;
    }
    if (Boolean.TRUE.equals(failing)) {
      return Boolean.TRUE.equals(progressing) ? RETRYING : FAILED;
    }
    if (isGranted(nnce, generation)) {
      return GRANTED;
    }
    return Boolean.TRUE.equals(pending) ? PENDING : WAITING;
  }
}
