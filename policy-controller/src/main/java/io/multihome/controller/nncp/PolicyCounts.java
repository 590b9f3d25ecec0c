package io.multihome.controller.nncp;

/**
 * What the policy status is computed from, for one policy generation.
 *
 * @param matching nodes matching the selector that run an agent (the "nmstate nodes" upstream)
 * @param notReady of those, nodes whose Ready condition is not True (held back)
 * @param available Ready matching nodes whose enactment is Available
 * @param failed Ready matching nodes whose enactment finally failed
 * @param aborted Ready matching nodes whose enactment was aborted
 * @param pending Ready matching nodes waiting for a maxUnavailable slot
 */
public record PolicyCounts(
    int matching, int notReady, int available, int failed, int aborted, int pending) {

  public int ready() {
    return matching - notReady;
  }

  public int finished() {
    return available + failed + aborted;
  }
}
