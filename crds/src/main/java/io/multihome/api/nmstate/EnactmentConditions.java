package io.multihome.api.nmstate;

import static io.multihome.api.nmstate.Condition.FALSE;
import static io.multihome.api.nmstate.Condition.TRUE;
import static io.multihome.api.nmstate.Condition.UNKNOWN;
import static io.multihome.api.nmstate.ConditionTypes.ABORTED;
import static io.multihome.api.nmstate.ConditionTypes.AVAILABLE;
import static io.multihome.api.nmstate.ConditionTypes.FAILING;
import static io.multihome.api.nmstate.ConditionTypes.PENDING;
import static io.multihome.api.nmstate.ConditionTypes.PROGRESSING;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the upstream NNCE condition table. The controller writes {@link #unknown()}, {@link
 * #pending()}, {@link #aborted(String)} and {@link #renderFailed(String)}; the agent writes {@link
 * #progressing()}, {@link #retrying(String)}, {@link #failed(String)} and {@link #success()} (the
 * simulated agents in the tests use them, the real agent mirrors them).
 */
public final class EnactmentConditions {
  public static final String PENDING_MESSAGE = "Waiting for progressing nodes to finish";
  public static final String PROGRESSING_MESSAGE = "Applying desired state";
  public static final String SUCCESS_MESSAGE = "successfully reconciled";

  private EnactmentConditions() {}

  /** A fresh enactment or a new policy generation: nothing known yet. */
  public static List<Condition> unknown() {
    return row(null, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, null, null);
  }

  public static List<Condition> pending() {
    return row(
        ConditionReasons.MAX_UNAVAILABLE_LIMIT_REACHED,
        FALSE,
        FALSE,
        FALSE,
        TRUE,
        FALSE,
        PENDING,
        PENDING_MESSAGE);
  }

  public static String abortedMessage(String enactmentName) {
    return "reconciliation of enactment \"%s\" has aborted".formatted(enactmentName);
  }

  public static List<Condition> aborted(String enactmentName) {
    return row(
        ConditionReasons.CONFIGURATION_ABORTED,
        FALSE,
        FALSE,
        FALSE,
        FALSE,
        TRUE,
        ABORTED,
        abortedMessage(enactmentName));
  }

  /** The policy could not be rendered for this node (capture errors): final, like upstream. */
  public static List<Condition> renderFailed(String message) {
    return failed("failure generating desiredState and capturedStates: " + message);
  }

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

  public static List<Condition> retrying(String message) {
    var out = row(ConditionReasons.RETRYING, FALSE, TRUE, TRUE, FALSE, FALSE, FAILING, message);
    // Upstream puts the message on both True conditions of this row.
    out.set(2, new Condition(PROGRESSING, TRUE, ConditionReasons.RETRYING, message));
    return out;
  }

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
