package io.multihome.agent.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * An ordered list of operations and the links they touch (directly or as a side effect: a deleted
 * link's veth peer, dependants and ports), which is what the checkpoint records.
 */
public record Plan(List<Op> ops, Set<String> touched) {
  public Plan {
    var sorted = new ArrayList<>(ops);
    // Stable: within a stage the planner's order (dependants before bases for deletes) stays.
    sorted.sort(Comparator.comparingInt(Op::stage));
    ops = List.copyOf(sorted);
    touched = Set.copyOf(touched);
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** One op per line, as {@code --dry-run} prints it. */
  public List<String> describe() {
    return ops.stream().map(Op::describe).toList();
  }
}
