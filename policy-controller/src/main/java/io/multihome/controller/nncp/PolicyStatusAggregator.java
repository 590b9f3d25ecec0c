package io.multihome.controller.nncp;

import static io.multihome.api.nmstate.Condition.FALSE;
import static io.multihome.api.nmstate.Condition.TRUE;
import static io.multihome.api.nmstate.Condition.UNKNOWN;
import static io.multihome.api.nmstate.ConditionReasons.CONFIGURATION_PROGRESSING;
import static io.multihome.api.nmstate.ConditionReasons.FAILED_TO_CONFIGURE;
import static io.multihome.api.nmstate.ConditionReasons.INVALID_POLICY;
import static io.multihome.api.nmstate.ConditionReasons.NO_MATCHING_NODE;
import static io.multihome.api.nmstate.ConditionReasons.SUCCESSFULLY_CONFIGURED;
import static io.multihome.api.nmstate.ConditionTypes.AVAILABLE;
import static io.multihome.api.nmstate.ConditionTypes.DEGRADED;
import static io.multihome.api.nmstate.ConditionTypes.IGNORED;
import static io.multihome.api.nmstate.ConditionTypes.PROGRESSING;

import io.multihome.api.nmstate.Condition;
import java.time.Instant;
import java.util.List;

/**
 * The one place NNCP conditions are computed. Same order, types, reasons and messages as
 * kubernetes-nmstate's {@code policyconditions}, so {@code kubectl get nncp} reads the same; the
 * deviations are listed in docs/rollout.md.
 */
public final class PolicyStatusAggregator {
  public static final String NO_MATCH_MESSAGE = "Policy does not match any node";

  /** The state a policy is in, i.e. which row of the upstream table applies. */
  public enum PolicyState {
    IGNORED,
    DEGRADED,
    PROGRESSING,
    AVAILABLE
  }

  private PolicyStatusAggregator() {}

  public static PolicyState state(PolicyCounts c) {
    if (c.matching() == 0) {
      return PolicyState.IGNORED;
    }
    // Only a node that failed makes the policy Degraded. Aborted nodes without a failure left (the
    // failed node's enactment was deleted) are handed out again by the planner: progressing.
    if (c.failed() > 0) {
      return PolicyState.DEGRADED;
    }
    // ready() == 0: every matching node is held back, nothing is configured yet (upstream would
    // say "0/N nodes successfully configured" with Available=True).
    if (c.readyAvailable() < c.ready() || c.pending() > 0 || c.ready() == 0) {
      return PolicyState.PROGRESSING;
    }
    return PolicyState.AVAILABLE;
  }

  /** The conditions for {@code counts}, keeping transition times of unchanged statuses. */
  public static List<Condition> conditions(
      PolicyCounts counts, List<Condition> previous, Instant now) {
    return Conditions.merge(previous, desired(counts), now);
  }

  /**
   * The row of a policy with fields that cannot be read: Degraded, reason {@code InvalidPolicy},
   * the message naming every field path and why.
   */
  public static List<Condition> invalid(String message, List<Condition> previous, Instant now) {
    return Conditions.merge(
        previous,
        List.of(
            Conditions.of(AVAILABLE, FALSE, INVALID_POLICY, null),
            Conditions.of(DEGRADED, TRUE, INVALID_POLICY, message),
            Conditions.of(PROGRESSING, FALSE, INVALID_POLICY, null),
            Conditions.of(IGNORED, FALSE, INVALID_POLICY, null)),
        now);
  }

  static List<Condition> desired(PolicyCounts c) {
    return switch (state(c)) {
      case IGNORED ->
          List.of(
              Conditions.of(AVAILABLE, FALSE, NO_MATCHING_NODE, null),
              Conditions.of(DEGRADED, FALSE, NO_MATCHING_NODE, null),
              Conditions.of(PROGRESSING, FALSE, NO_MATCHING_NODE, null),
              Conditions.of(IGNORED, TRUE, NO_MATCHING_NODE, NO_MATCH_MESSAGE));
      case DEGRADED ->
          List.of(
              Conditions.of(AVAILABLE, FALSE, FAILED_TO_CONFIGURE, null),
              Conditions.of(
                  DEGRADED,
                  TRUE,
                  FAILED_TO_CONFIGURE,
                  "%d/%d nodes failed to configure".formatted(c.failed(), c.matching())
                      + suffix(c.aborted(), "nodes aborted configuration")),
              // Upstream gives Progressing the ConfigurationProgressing reason in this row.
              Conditions.of(PROGRESSING, FALSE, CONFIGURATION_PROGRESSING, null),
              Conditions.of(IGNORED, FALSE, FAILED_TO_CONFIGURE, null));
      case PROGRESSING ->
          List.of(
              Conditions.of(AVAILABLE, UNKNOWN, CONFIGURATION_PROGRESSING, null),
              Conditions.of(DEGRADED, UNKNOWN, CONFIGURATION_PROGRESSING, null),
              Conditions.of(PROGRESSING, TRUE, CONFIGURATION_PROGRESSING, progressingMessage(c)),
              Conditions.of(IGNORED, FALSE, CONFIGURATION_PROGRESSING, null));
      case AVAILABLE ->
          List.of(
              Conditions.of(
                  AVAILABLE,
                  TRUE,
                  SUCCESSFULLY_CONFIGURED,
                  "%d/%d nodes successfully configured".formatted(c.available(), c.matching())
                      + suffix(c.notReady(), "nodes ignored due to NotReady state")),
              Conditions.of(DEGRADED, FALSE, SUCCESSFULLY_CONFIGURED, null),
              Conditions.of(PROGRESSING, FALSE, SUCCESSFULLY_CONFIGURED, null),
              Conditions.of(IGNORED, FALSE, SUCCESSFULLY_CONFIGURED, null));
    };
  }

  /**
   * Upstream's two progressing rows: "F/R nodes finished" while Ready nodes are unfinished, else
   * with the pending count. Failures and aborts never reach this row, so finished = Available, and
   * only Ready nodes count, so F never exceeds R.
   */
  private static String progressingMessage(PolicyCounts c) {
    var m = "Policy is progressing %d/%d nodes finished".formatted(c.readyAvailable(), c.ready());
    if (c.readyAvailable() >= c.ready() && c.pending() > 0) {
      m += ", %d pending".formatted(c.pending());
    }
    return m + suffix(c.notReady(), "nodes ignored due to NotReady state");
  }

  private static String suffix(int n, String text) {
    return n > 0 ? ", %d %s".formatted(n, text) : "";
  }
}
