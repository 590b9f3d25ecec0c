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
    // Stable: within a stage the planner's order (dependants before bases for deletes) stays;
    // links created on links the plan also creates come after them (a vxlan on a new macvlan on
    // a new veth), in topological order of their base-iface references.
    var depth = creationDepths(ops);
    sorted.sort(
        Comparator.comparingInt(Op::stage)
            .thenComparingInt(
                o -> o instanceof Op.CreateLink c ? depth.getOrDefault(c.name(), 0) : 0));
    ops = List.copyOf(sorted);
    touched = Set.copyOf(touched);
  }

  /** How many links this plan creates lie under each link it creates (0: its base exists). */
  private static java.util.Map<String, Integer> creationDepths(List<Op> ops) {
    var parents = new java.util.HashMap<String, String>();
    for (var o : ops) {
      if (o instanceof Op.CreateLink c) {
        parents.put(c.name(), c.parent());
      }
    }
    var depth = new java.util.HashMap<String, Integer>();
    for (var name : parents.keySet()) {
      int d = 0;
      var p = parents.get(name);
      // Bounded: a reference cycle cannot be created anyway; the kernel refuses it.
      for (int guard = 0; p != null && parents.containsKey(p) && guard < parents.size(); guard++) {
        d++;
        p = parents.get(p);
      }
      depth.put(name, d);
    }
    return depth;
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** One op per line, as {@code --dry-run} prints it. */
  public List<String> describe() {
    return ops.stream().map(Op::describe).toList();
  }
}
