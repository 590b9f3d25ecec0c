package io.multihome.controller.nncp;

import io.multihome.api.nmstate.Condition;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Condition-list helpers shared by the policy and enactment status code. */
public final class Conditions {
  private Conditions() {}

  /** RFC 3339 with whole seconds, as the API server would serialize a metav1.Time. */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions != null) {
      for (var c : conditions) {
        if (type.equals(c.getType())) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  // Plain loops here and in isTrue: a pass classifies every enactment of a policy, 10^3-10^4 times.
  public static boolean isTrue(List<Condition> conditions, String type) {
    if (conditions != null) {
      for (var c : conditions) {
        if (type.equals(c.getType())) {
          return Condition.TRUE.equals(c.getStatus());
        }
      }
    }
    return false;
  }

  /** The type of the condition whose status is True (what the STATUS printer column shows). */
  public static Optional<String> trueType(List<Condition> conditions) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream()
        .filter(c -> Condition.TRUE.equals(c.getStatus()))
        .map(Condition::getType)
        .findFirst();
  }

  public static Condition of(String type, String status, String reason, String message) {
    return new Condition(type, status, reason, message);
  }

  /**
   * Returns {@code desired} with transition times filled in: a condition whose status did not
   * change keeps its previous {@code lastTransitionTime} (so a message change is not a flip), any
   * other gets {@code now}. Heartbeat times are left unset so that an unchanged rollout produces an
   * identical status and no write.
   */
  public static List<Condition> merge(
      List<Condition> previous, List<Condition> desired, Instant now) {
    var stamp = timestamp(now);
    var out = new ArrayList<Condition>(desired.size());
    for (var want : desired) {
      var c = of(want.getType(), want.getStatus(), want.getReason(), want.getMessage());
      var before = find(previous, want.getType());
      if (before.isPresent()
          && Objects.equals(before.get().getStatus(), want.getStatus())
          && before.get().getLastTransitionTime() != null) {
        c.setLastTransitionTime(before.get().getLastTransitionTime());
      } else {
        c.setLastTransitionTime(stamp);
      }
      out.add(c);
    }
    return out;
  }
}
