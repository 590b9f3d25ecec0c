package io.multihome.agent.cluster;

import static io.multihome.api.nmstate.Condition.FALSE;
import static io.multihome.api.nmstate.Condition.TRUE;
import static io.multihome.api.nmstate.Condition.UNKNOWN;
import static io.multihome.api.nmstate.ConditionTypes.ABORTED;
import static io.multihome.api.nmstate.ConditionTypes.AVAILABLE;
import static io.multihome.api.nmstate.ConditionTypes.FAILING;
import static io.multihome.api.nmstate.ConditionTypes.PENDING;
import static io.multihome.api.nmstate.ConditionTypes.PROGRESSING;

import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionReasons;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The NNCE condition rows the agent writes (docs/rollout.md, "The agent contract"). Mirrors the
 * agent half of the policy controller's {@code EnactmentConditions}, which the agent cannot depend
 * on: whole five-condition lists, the message on the True condition only.
 */
public final class EnactmentRows {
  public static final String PROGRESSING_MESSAGE = "Applying desired state";
  public static final String SUCCESS_MESSAGE = "successfully reconciled";

  private EnactmentRows() {}

  public static List<Condition> progressing() {
    return row(
        ConditionReasons.CONFIGURATION_PROGRESSING,
        UNKNOWN,
        UNKNOWN,
        TRUE,
        FALSE,
        FALSE,
        PROGRESSING,
        PROGRESSING_MESSAGE);
  }

  /** Failing and Progressing both True: the agent will try again and keeps its grant. */
  public static List<Condition> retrying(String message) {
    var out = row(ConditionReasons.RETRYING, FALSE, TRUE, TRUE, FALSE, FALSE, FAILING, message);
    out.set(2, new Condition(PROGRESSING, TRUE, ConditionReasons.RETRYING, message));
    return out;
  }

  /** Final for this generation. */
  public static List<Condition> failed(String message) {
    return row(
        ConditionReasons.FAILED_TO_CONFIGURE, FALSE, TRUE, FALSE, FALSE, FALSE, FAILING, message);
  }

  public static List<Condition> success() {
    return row(
        ConditionReasons.SUCCESSFULLY_CONFIGURED,
        TRUE,
        FALSE,
        FALSE,
        FALSE,
        FALSE,
        AVAILABLE,
        SUCCESS_MESSAGE);
  }

  /**
   * {@code desired} with transition times: a condition whose status did not change keeps its
   * previous {@code lastTransitionTime}, any other gets {@code now} (RFC 3339, whole seconds).
   */
  public static List<Condition> merge(
      List<Condition> previous, List<Condition> desired, Instant now) {
    var stamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    var out = new ArrayList<Condition>(desired.size());
    for (var want : desired) {
      var c = new Condition(want.getType(), want.getStatus(), want.getReason(), want.getMessage());
      var before = find(previous, want.getType());
      c.setLastTransitionTime(
          before != null
                  && Objects.equals(before.getStatus(), want.getStatus())
                  && before.getLastTransitionTime() != null
              ? before.getLastTransitionTime()
              : stamp);
      out.add(c);
    }
    return out;
  }

  static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  static boolean isTrue(List<Condition> conditions, String type) {
    var c = find(conditions, type);
    return c != null && TRUE.equals(c.getStatus());
  }

  private static List<Condition> row(
      String reason,
      String available,
      String failing,
      String progressing,
      String pending,
      String aborted,
      String messageOn,
      String message) {
    var out = new ArrayList<Condition>(5);
    out.add(cond(AVAILABLE, available, reason, messageOn, message));
    out.add(cond(FAILING, failing, reason, messageOn, message));
    out.add(cond(PROGRESSING, progressing, reason, messageOn, message));
    out.add(cond(PENDING, pending, reason, messageOn, message));
    out.add(cond(ABORTED, aborted, reason, messageOn, message));
    return out;
  }

  private static Condition cond(
      String type, String status, String reason, String messageOn, String message) {
    return new Condition(type, status, reason, type.equals(messageOn) ? message : null);
  }
}
