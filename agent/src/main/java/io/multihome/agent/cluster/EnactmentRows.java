package io.multihome.agent.cluster;

import static io.multihome.api.nmstate.Condition.TRUE;

import io.multihome.api.nmstate.Condition;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the agent writes NNCE conditions (docs/rollout.md, "The agent contract"): the rows come from
 * the shared {@link io.multihome.api.nmstate.EnactmentConditions}; this class keeps transition
 * times and reads conditions back.
 */
public final class EnactmentRows {
  private EnactmentRows() {}

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
}
