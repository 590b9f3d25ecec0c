package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;

/**
 * The Deployment controller's rolling-update arithmetic, as in Kubernetes' {@code deployment/util}:
 * surge and unavailability from ints or percentages (surge rounds up, unavailability down, both
 * zero means one unavailable), how far the new ReplicaSet may grow, and how many old pods may go
 * while keeping {@code replicas - maxUnavailable} available.
 */
final class Rollout {
  /** One ReplicaSet's numbers: desired ({@code spec.replicas}) and available. */
  record Rs(int replicas, int available) {}

  private Rollout() {}

  /** {@code [maxSurge, maxUnavailable]} for {@code replicas}, defaults 25 % each. */
  static int[] limits(IntOrString maxSurge, IntOrString maxUnavailable, int replicas) {
    int surge = resolve(maxSurge, replicas, true);
    int unavailable = resolve(maxUnavailable, replicas, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  static int resolve(IntOrString v, int total, boolean roundUp) {
    if (v == null) {
      v = new IntOrString("25%");
    }
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal();
    if (s == null || !s.endsWith("%")) {
      throw new IllegalArgumentException("invalid value for IntOrString: " + s);
    }
    int pct = Integer.parseInt(s.substring(0, s.length() - 1));
    double exact = pct * total / 100.0;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }

  /** The new ReplicaSet's replicas after scaling up within {@code replicas + maxSurge} pods. */
  static int newReplicas(int replicas, int maxSurge, int newCurrent, int allCurrent) {
    if (newCurrent >= replicas) {
      return replicas;
    }
    int room = replicas + maxSurge - allCurrent;
    return room <= 0 ? newCurrent : Math.min(replicas, newCurrent + room);
  }

  /**
   * The old ReplicaSets' replicas after this step (oldest first in {@code olds}): first their
   * unavailable pods go, within all pods minus the minimum available minus the new ReplicaSet's
   * unavailable pods; then available ones, as far as the available pods exceed {@code replicas -
   * maxUnavailable}.
   */
  static List<Integer> scaleDownOlds(int replicas, int maxUnavailable, Rs newRs, List<Rs> olds) {
    int minAvailable = replicas - maxUnavailable;
    int all = newRs.replicas() + olds.stream().mapToInt(Rs::replicas).sum();
    int newUnavailable = Math.max(0, newRs.replicas() - newRs.available());
    int budget = Math.max(0, all - minAvailable - newUnavailable);
    var out = new ArrayList<Integer>();
    var available = new ArrayList<Integer>();
    for (var old : olds) {
      int unhealthy = Math.max(0, old.replicas() - old.available());
      int cut = Math.min(budget, unhealthy);
      budget -= cut;
      out.add(old.replicas() - cut);
      available.add(Math.min(old.available(), old.replicas() - cut));
    }
    int allAvailable = newRs.available() + available.stream().mapToInt(Integer::intValue).sum();
    int surplus = Math.max(0, allAvailable - minAvailable);
    for (int i = 0; i < out.size() && surplus > 0; i++) {
      int cut = Math.min(out.get(i), surplus);
      out.set(i, out.get(i) - cut);
      surplus -= cut;
    }
    return out;
  }
}
