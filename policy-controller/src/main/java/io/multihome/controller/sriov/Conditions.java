package io.multihome.controller.sriov;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Condition lists as the Kubernetes API conventions want them: one entry per type, and {@code
 * lastTransitionTime} only moves when the status flips, so a reconcile that changes nothing writes
 * nothing.
 */
public final class Conditions {
  private Conditions() {}

  /** The wanted state of one condition, without timestamps. */
  public record Wanted(String type, boolean status, String reason, String message) {
    public String statusString() {
      return status ? "True" : "False";
    }
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** True when {@code current} already says exactly what {@code wanted} says. */
  public static boolean matches(Optional<Condition> current, Wanted wanted, Long generation) {
    return current.isPresent()
        && wanted.statusString().equals(current.get().getStatus())
        && Objects.equals(wanted.reason(), current.get().getReason())
        && Objects.equals(wanted.message(), current.get().getMessage())
        && Objects.equals(generation, current.get().getObservedGeneration());
  }

  /**
   * A copy of {@code conditions} with {@code wanted} set; the transition time is kept when the
   * status is unchanged.
   */
  public static List<Condition> upsert(
      List<Condition> conditions, Wanted wanted, Long generation, Clock clock) {
    var result = new ArrayList<Condition>();
    Optional<Condition> current = find(conditions, wanted.type());
    String transition =
        current
            .filter(c -> wanted.statusString().equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    if (conditions != null) {
      conditions.stream().filter(c -> !wanted.type().equals(c.getType())).forEach(result::add);
    }
    result.add(
        new ConditionBuilder()
            .withType(wanted.type())
            .withStatus(wanted.statusString())
            .withReason(wanted.reason())
            .withMessage(wanted.message())
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    return result;
  }
}
