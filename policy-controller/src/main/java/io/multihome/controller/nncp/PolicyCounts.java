package io.multihome.controller.nncp;

import java.util.Collection;

/**
 * What the policy status is computed from, for one policy generation: the real phase of every
 * matching node's enactment. A phase counts whatever the node's readiness (a node that failed and
 * then went NotReady still failed); only the progress figure is taken over the Ready nodes.
 *
 * @param matching nodes matching the selector that run an agent (the "nmstate nodes" upstream)
 * @param notReady of those, nodes whose Ready condition is not True (held back)
 * @param available matching nodes whose enactment is Available
 * @param failed matching nodes whose enactment finally failed
 * @param aborted matching nodes whose enactment was aborted
 * @param pending matching nodes waiting for a maxUnavailable slot
 * @param readyAvailable Ready matching nodes whose enactment is Available
 */
public record PolicyCounts(
    int matching,
    int notReady,
    int available,
    int failed,
    int aborted,
    int pending,
    int readyAvailable) {

  /** One matching node: where its enactment stands (STALE when it has none yet). */
  public record NodePhase(EnactmentPhase phase, boolean ready) {}

  public static PolicyCounts of(Collection<NodePhase> nodes) {
    int notReady = 0;
    int available = 0;
    int failed = 0;
    int aborted = 0;
    int pending = 0;
    int readyAvailable = 0;
    for (var n : nodes) {
      if (!n.ready()) {
        notReady++;
      }
      switch (n.phase()) {
        case AVAILABLE -> {
          available++;
          if (n.ready()) {
            readyAvailable++;
          }
        }
        case FAILED -> failed++;
        case ABORTED -> aborted++;
        case PENDING -> pending++;
        default -> {}
      }
    }
    return new PolicyCounts(
        nodes.size(), notReady, available, failed, aborted, pending, readyAvailable);
  }

  public int ready() {
    return matching - notReady;
  }
}
