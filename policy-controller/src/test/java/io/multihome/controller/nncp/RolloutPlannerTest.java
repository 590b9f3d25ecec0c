package io.multihome.controller.nncp;

import static io.multihome.controller.nncp.EnactmentPhase.ABORTED;
import static io.multihome.controller.nncp.EnactmentPhase.AVAILABLE;
import static io.multihome.controller.nncp.EnactmentPhase.FAILED;
import static io.multihome.controller.nncp.EnactmentPhase.GRANTED;
import static io.multihome.controller.nncp.EnactmentPhase.PENDING;
import static io.multihome.controller.nncp.EnactmentPhase.RETRYING;
import static io.multihome.controller.nncp.EnactmentPhase.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.multihome.controller.nncp.RolloutPlanner.Candidate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {
  private static List<Candidate> nodes(EnactmentPhase... phases) {
    var out = new ArrayList<Candidate>();
    for (int i = 0; i < phases.length; i++) {
      out.add(new Candidate("n" + i, phases[i], true));
    }
    return out;
  }

  @Test
  void grantsUpToTheLimitInNameOrderAndPendsTheRest() {
    var plan = RolloutPlanner.plan(nodes(WAITING, WAITING, WAITING, WAITING), new IntOrString(2));
    assertThat(plan.grant()).containsExactly("n0", "n1");
    assertThat(plan.pend()).containsExactly("n2", "n3");
    assertThat(plan.abort()).isEmpty();
  }

  @Test
  void retryingAndGrantedNodesHoldTheirSlots() {
    var plan = RolloutPlanner.plan(nodes(GRANTED, RETRYING, PENDING, WAITING), new IntOrString(2));
    assertThat(plan.grant()).isEmpty();
    assertThat(plan.pend()).containsExactly("n3"); // n2 is Pending already: no rewrite
  }

  @Test
  void finishedNodesFreeSlots() {
    var plan = RolloutPlanner.plan(nodes(AVAILABLE, GRANTED, PENDING, PENDING), new IntOrString(2));
    assertThat(plan.grant()).containsExactly("n2");
  }

  @Test
  void failuresReachingTheLimitAbortTheRest() {
    var plan = RolloutPlanner.plan(nodes(FAILED, GRANTED, PENDING, WAITING), new IntOrString(1));
    assertThat(plan.abort()).containsExactly("n2", "n3");
    assertThat(plan.grant()).isEmpty();
  }

  @Test
  void failuresBelowTheLimitKeepConsumingSlots() {
    var plan = RolloutPlanner.plan(nodes(FAILED, AVAILABLE, WAITING, WAITING), new IntOrString(2));
    assertThat(plan.grant()).containsExactly("n2");
    assertThat(plan.pend()).containsExactly("n3");
  }

  @Test
  void ineligibleNodesAreHeldBackAndOutsideThePercentageBase() {
    var list = new ArrayList<>(nodes(WAITING, WAITING, WAITING, WAITING));
    list.add(new Candidate("a-not-ready", WAITING, false));
    var plan = RolloutPlanner.plan(list, new IntOrString("50%"));
    assertThat(plan.limit()).isEqualTo(2);
    assertThat(plan.grant()).containsExactly("n0", "n1");
    assertThat(plan.pend()).doesNotContain("a-not-ready");
  }

  @Test
  void abortedNodesStayAbortedWithoutRewritesWhileTheFailuresLast() {
    var plan = RolloutPlanner.plan(nodes(FAILED, ABORTED, ABORTED, WAITING), new IntOrString(1));
    assertThat(plan.abort()).containsExactly("n3");
    assertThat(plan.grant()).isEmpty();
    assertThat(plan.pend()).isEmpty();
  }

  @Test
  void abortedNodesAreTakenAgainOnceNoFailureSpendsTheBudget() {
    // The failed node left the policy: its enactment is gone, nothing justifies the aborts.
    var plan = RolloutPlanner.plan(nodes(ABORTED, ABORTED, ABORTED), new IntOrString(1));
    assertThat(plan.grant()).containsExactly("n0");
    assertThat(plan.pend()).containsExactly("n1", "n2");
    assertThat(plan.abort()).isEmpty();
  }
}
