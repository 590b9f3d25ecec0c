package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides, from the enactments alone, which nodes may start applying a policy generation now. Pure:
 * it holds no state between reconciles, so a controller restart recomputes the same answer.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  /**
   * One node of the policy.
   *
   * @param eligible Ready and running an agent; only eligible nodes are granted, pended or aborted,
   *     and only they make up the percentage base
   */
  public record Candidate(String node, EnactmentPhase phase, boolean eligible) {}

  /**
   * @param limit the resolved maxUnavailable
   * @param unavailable nodes unavailable once the grants are taken
   */
  public record Plan(
      int limit, int unavailable, List<String> grant, List<String> pend, List<String> abort) {}

  public static Plan plan(List<Candidate> candidates, IntOrString max) {
    int eligible = (int) candidates.stream().filter(Candidate::eligible).count();
    int limit = MaxUnavailable.limit(max, eligible);
    // Granted-but-unfinished nodes count even when NotReady or agent-less: they may be mid-apply.
    int unavailable = (int) candidates.stream().filter(c -> c.phase().isUnavailable()).count();
    int failed = (int) candidates.stream().filter(c -> c.phase() == EnactmentPhase.FAILED).count();
    var grant = new ArrayList<String>();
    var pend = new ArrayList<String>();
    var abort = new ArrayList<String>();
    // Name order: deterministic, so every reconcile (and every controller) picks the same nodes.
    var waiting =
        candidates.stream()
            .filter(Candidate::eligible)
            .filter(
                c ->
                    c.phase() == EnactmentPhase.WAITING
                        || c.phase() == EnactmentPhase.PENDING
                        || c.phase() == EnactmentPhase.ABORTED)
            .sorted(Comparator.comparing(Candidate::node))
            .toList();
    for (var c : waiting) {
      if (failed >= limit) {
        if (c.phase() != EnactmentPhase.ABORTED) {
          abort.add(c.node());
        }
      } else if (unavailable < limit) {
        // An aborted node is taken again once the failures that spent the budget are gone (the
        // failed node left the policy): nothing is left to protect it from.
        grant.add(c.node());
        unavailable++;
      } else if (c.phase() != EnactmentPhase.PENDING) {
        pend.add(c.node());
      }
    }
    return new Plan(limit, unavailable, grant, pend, abort);
  }
}
