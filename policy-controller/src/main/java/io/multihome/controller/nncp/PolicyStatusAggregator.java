package io.multihome.controller.nncp;

import static io.multihome.api.nmstate.Condition.FALSE;
import static io.multihome.api.nmstate.Condition.TRUE;
import static io.multihome.api.nmstate.Condition.UNKNOWN;
import static io.multihome.api.nmstate.ConditionReasons.CONFIGURATION_PROGRESSING;
import static io.multihome.api.nmstate.ConditionReasons.FAILED_TO_CONFIGURE;
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
    if (c.failed() > 0 || c.aborted() > 0) {
      return PolicyState.DEGRADED;
    }
    // ready() == 0: every matching node is held back, nothing is configured yet (upstream would
    // say "0/N nodes successfully configured" with Available=True).
    if (c.finished() < c.ready() || c.pending() > 0 || c.ready() == 0) {
      return PolicyState.PROGRESSING;
    }
    return PolicyState.AVAILABLE;
  }

  /** The conditions for {@code counts}, keeping transition times of unchanged statuses. */
  public static List<Condition> conditions(
      PolicyCounts counts, List<Condition> previous, Instant now) {
    return Conditions.merge(previous, desired(counts), now);
  }

  static List<Condition> desired(PolicyCounts c) {
    return switch (state(c)) {
      case IGNORED ->
          row(NO_MATCHING_NODE, FALSE, "", FALSE, "", FALSE, "", TRUE, NO_MATCH_MESSAGE);
      case DEGRADED ->
          row(
              FAILED_TO_CONFIGURE,
              FALSE,
              "",
              TRUE,
              "%d/%d nodes failed to configure".formatted(c.failed(), c.matching())
                  + suffix(c.aborted(), "nodes aborted configuration"),
              FALSE,
              "",
              FALSE,
              "");
      case PROGRESSING ->
          row(
              CONFIGURATION_PROGRESSING,
              UNKNOWN,
              "",
              UNKNOWN,
              "",
              TRUE,
              progressingMessage(c),
              FALSE,
              "");
      case AVAILABLE ->
          row(
              SUCCESSFULLY_CONFIGURED,
              TRUE,
              "%d/%d nodes successfully configured".formatted(c.available(), c.matching())
                  + suffix(c.notReady(), "nodes ignored due to NotReady state"),
              FALSE,
              "",
              FALSE,
              "",
              FALSE,
              "");
    };
  }

  private static String progressingMessage(PolicyCounts c) {
    var m = "Policy is progressing %d/%d nodes finished".formatted(c.finished(), c.ready());
    if (c.finished() >= c.ready() && c.pending() > 0) {
      m += ", %d pending".formatted(c.pending());
    }
    return m + suffix(c.notReady(), "nodes ignored due to NotReady state");
  }

  private static String suffix(int n, String text) {
    return n > 0 ? ", %d %s".formatted(n, text) : "";
  }

  // Upstream gives every condition of a row the row's reason; only the True one has a message.
  private static List<Condition> row(
      String reason,
      String available,
      String availableMsg,
      String degraded,
      String degradedMsg,
      String progressing,
      String progressingMsg,
      String ignored,
      String ignoredMsg) {
    return List.of(
        Conditions.of(AVAILABLE, available, reason, blankToNull(availableMsg)),
        Conditions.of(DEGRADED, degraded, reason, blankToNull(degradedMsg)),
        Conditions.of(PROGRESSING, progressing, reason, blankToNull(progressingMsg)),
        Conditions.of(IGNORED, ignored, reason, blankToNull(ignoredMsg)));
  }

  private static String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
