package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.api.nmstate.Condition;
import io.multihome.controller.nncp.PolicyStatusAggregator.PolicyState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyStatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-01-01T00:01:00Z");

  /** type=status/reason:message for each condition, in order. */
  private static List<String> rows(PolicyCounts c) {
    return PolicyStatusAggregator.conditions(c, null, T0).stream()
        .map(x -> x.getType() + "=" + x.getStatus() + "/" + x.getReason() + ":" + x.getMessage())
        .toList();
  }

  @Test
  void noMatchingNodeIsIgnored() {
    assertThat(rows(new PolicyCounts(0, 0, 0, 0, 0, 0)))
        .containsExactly(
            "Available=False/NoMatchingNode:null",
            "Degraded=False/NoMatchingNode:null",
            "Progressing=False/NoMatchingNode:null",
            "Ignored=True/NoMatchingNode:Policy does not match any node");
  }

  @Test
  void allConfiguredIsAvailable() {
    assertThat(rows(new PolicyCounts(4, 0, 4, 0, 0, 0)))
        .containsExactly(
            "Available=True/SuccessfullyConfigured:4/4 nodes successfully configured",
            "Degraded=False/SuccessfullyConfigured:null",
            "Progressing=False/SuccessfullyConfigured:null",
            "Ignored=False/SuccessfullyConfigured:null");
  }

  @Test
  void availableMentionsNotReadyNodes() {
    assertThat(rows(new PolicyCounts(4, 1, 3, 0, 0, 0)))
        .first()
        .isEqualTo(
            "Available=True/SuccessfullyConfigured:3/4 nodes successfully configured,"
                + " 1 nodes ignored due to NotReady state");
  }

  @Test
  void unfinishedNodesMakeItProgressing() {
    assertThat(rows(new PolicyCounts(4, 0, 2, 0, 0, 0)))
        .containsExactly(
            "Available=Unknown/ConfigurationProgressing:null",
            "Degraded=Unknown/ConfigurationProgressing:null",
            "Progressing=True/ConfigurationProgressing:Policy is progressing 2/4 nodes finished",
            "Ignored=False/ConfigurationProgressing:null");
    assertThat(rows(new PolicyCounts(5, 1, 2, 0, 0, 0)).get(2))
        .endsWith(
            "Policy is progressing 2/4 nodes finished, 1 nodes ignored due to NotReady state");
  }

  @Test
  void allNodesHeldBackIsProgressingNotAvailable() {
    assertThat(PolicyStatusAggregator.state(new PolicyCounts(1, 1, 0, 0, 0, 0)))
        .isEqualTo(PolicyState.PROGRESSING);
  }

  @Test
  void anyFailureOrAbortIsDegradedEvenWhileOthersProgress() {
    assertThat(rows(new PolicyCounts(4, 0, 1, 1, 0, 0)))
        .containsExactly(
            "Available=False/FailedToConfigure:null",
            "Degraded=True/FailedToConfigure:1/4 nodes failed to configure",
            "Progressing=False/FailedToConfigure:null",
            "Ignored=False/FailedToConfigure:null");
    assertThat(rows(new PolicyCounts(4, 0, 0, 1, 3, 0)).get(1))
        .isEqualTo(
            "Degraded=True/FailedToConfigure:1/4 nodes failed to configure,"
                + " 3 nodes aborted configuration");
    assertThat(PolicyStatusAggregator.state(new PolicyCounts(4, 0, 0, 0, 1, 0)))
        .isEqualTo(PolicyState.DEGRADED);
  }

  @Test
  void transitionTimeMovesOnlyWhenStatusFlips() {
    var first = PolicyStatusAggregator.conditions(new PolicyCounts(4, 0, 1, 0, 0, 0), null, T0);
    var second = PolicyStatusAggregator.conditions(new PolicyCounts(4, 0, 2, 0, 0, 0), first, T1);
    var progressing = second.get(2);
    assertThat(progressing.getMessage()).isEqualTo("Policy is progressing 2/4 nodes finished");
    assertThat(progressing.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");

    var done = PolicyStatusAggregator.conditions(new PolicyCounts(4, 0, 4, 0, 0, 0), second, T1);
    assertThat(done.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T00:01:00Z");
    assertThat(done.get(2).getStatus()).isEqualTo(Condition.FALSE);
    assertThat(done.get(2).getLastTransitionTime()).isEqualTo("2025-01-01T00:01:00Z");
    // Ignored stayed False throughout.
    assertThat(done.get(3).getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void sameCountsGiveAnEqualStatusSoNothingIsWritten() {
    var c = new PolicyCounts(4, 0, 2, 0, 0, 1);
    var first = PolicyStatusAggregator.conditions(c, null, T0);
    assertThat(PolicyStatusAggregator.conditions(c, first, T1)).isEqualTo(first);
  }
}
