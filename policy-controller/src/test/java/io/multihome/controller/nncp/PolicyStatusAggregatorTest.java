package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.api.nmstate.Condition;
import io.multihome.controller.nncp.PolicyCounts.NodePhase;
import io.multihome.controller.nncp.PolicyStatusAggregator.PolicyState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
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

  private static NodePhase ready(EnactmentPhase p) {
    return new NodePhase(p, true);
  }

  private static NodePhase notReady(EnactmentPhase p) {
    return new NodePhase(p, false);
  }

  private static PolicyCounts counts(NodePhase... nodes) {
    return PolicyCounts.of(List.of(nodes));
  }

  @Test
  void noMatchingNodeIsIgnored() {
    assertThat(rows(counts()))
        .containsExactly(
            "Available=False/NoMatchingNode:null",
            "Degraded=False/NoMatchingNode:null",
            "Progressing=False/NoMatchingNode:null",
            "Ignored=True/NoMatchingNode:Policy does not match any node");
  }

  @Test
  void allConfiguredIsAvailable() {
    var a = ready(EnactmentPhase.AVAILABLE);
    assertThat(rows(counts(a, a, a, a)))
        .containsExactly(
            "Available=True/SuccessfullyConfigured:4/4 nodes successfully configured",
            "Degraded=False/SuccessfullyConfigured:null",
            "Progressing=False/SuccessfullyConfigured:null",
            "Ignored=False/SuccessfullyConfigured:null");
  }

  @Test
  void availableMentionsNotReadyNodes() {
    var a = ready(EnactmentPhase.AVAILABLE);
    assertThat(rows(counts(a, a, a, notReady(EnactmentPhase.GRANTED))))
        .first()
        .isEqualTo(
            "Available=True/SuccessfullyConfigured:3/4 nodes successfully configured,"
                + " 1 nodes ignored due to NotReady state");
  }

  @Test
  void unfinishedNodesMakeItProgressing() {
    var a = ready(EnactmentPhase.AVAILABLE);
    var g = ready(EnactmentPhase.GRANTED);
    assertThat(rows(counts(a, a, g, g)))
        .containsExactly(
            "Available=Unknown/ConfigurationProgressing:null",
            "Degraded=Unknown/ConfigurationProgressing:null",
            "Progressing=True/ConfigurationProgressing:Policy is progressing 2/4 nodes finished",
            "Ignored=False/ConfigurationProgressing:null");
    assertThat(rows(counts(a, a, g, g, notReady(EnactmentPhase.WAITING))).get(2))
        .endsWith(
            "Policy is progressing 2/4 nodes finished, 1 nodes ignored due to NotReady state");
  }

  @Test
  void allNodesHeldBackIsProgressingNotAvailable() {
    assertThat(PolicyStatusAggregator.state(counts(notReady(EnactmentPhase.WAITING))))
        .isEqualTo(PolicyState.PROGRESSING);
  }

  @Test
  void failureIsDegradedWithUpstreamsRow() {
    var a = ready(EnactmentPhase.AVAILABLE);
    var g = ready(EnactmentPhase.GRANTED);
    assertThat(rows(counts(a, ready(EnactmentPhase.FAILED), g, g)))
        .containsExactly(
            "Available=False/FailedToConfigure:null",
            "Degraded=True/FailedToConfigure:1/4 nodes failed to configure",
            // Upstream's SetPolicyFailedToConfigure gives Progressing this reason.
            "Progressing=False/ConfigurationProgressing:null",
            "Ignored=False/FailedToConfigure:null");
    var x = ready(EnactmentPhase.ABORTED);
    assertThat(rows(counts(ready(EnactmentPhase.FAILED), x, x, x)).get(1))
        .isEqualTo(
            "Degraded=True/FailedToConfigure:1/4 nodes failed to configure,"
                + " 3 nodes aborted configuration");
  }

  /** The bug of issue 14: the failed node went NotReady and was no longer counted. */
  @Test
  void aFailedNodeThatWentNotReadyStillCounts() {
    var x = ready(EnactmentPhase.ABORTED);
    assertThat(rows(counts(notReady(EnactmentPhase.FAILED), x, x)).get(1))
        .isEqualTo(
            "Degraded=True/FailedToConfigure:1/3 nodes failed to configure,"
                + " 2 nodes aborted configuration");
  }

  @Test
  void abortsWithoutAFailureAreNotDegraded() {
    var x = ready(EnactmentPhase.ABORTED);
    assertThat(PolicyStatusAggregator.state(counts(x, x))).isEqualTo(PolicyState.PROGRESSING);
    assertThat(rows(counts(ready(EnactmentPhase.AVAILABLE), x)).get(2))
        .isEqualTo(
            "Progressing=True/ConfigurationProgressing:Policy is progressing 1/2 nodes finished");
  }

  private static final EnactmentPhase[] PHASES = EnactmentPhase.values();

  /**
   * Every combination of phase and readiness on up to three nodes (16^0 + 16 + 16^2 + 16^3 = 4369
   * tables). The expected row is derived from the phases by the rules of docs/rollout.md, not from
   * the aggregator's counts.
   */
  @Test
  void everyPhaseCombinationGivesOneTrueConditionWithTheRealCounts() {
    var soft = new SoftAssertions();
    int tables = 0;
    for (int n = 0; n <= 3; n++) {
      int combos = (int) Math.pow(PHASES.length * 2, n);
      for (int code = 0; code < combos; code++) {
        var nodes = decode(code, n);
        check(soft, nodes);
        tables++;
      }
    }
    assertThat(tables).isEqualTo(1 + 16 + 256 + 4096);
    soft.assertAll();
  }

  private static List<NodePhase> decode(int code, int n) {
    var nodes = new ArrayList<NodePhase>();
    for (int i = 0; i < n; i++) {
      int digit = code % (PHASES.length * 2);
      code /= PHASES.length * 2;
      nodes.add(new NodePhase(PHASES[digit / 2], digit % 2 == 0));
    }
    return nodes;
  }

  private static void check(SoftAssertions soft, List<NodePhase> nodes) {
    int total = nodes.size();
    long failed = nodes.stream().filter(x -> x.phase() == EnactmentPhase.FAILED).count();
    long aborted = nodes.stream().filter(x -> x.phase() == EnactmentPhase.ABORTED).count();
    long pending = nodes.stream().filter(x -> x.phase() == EnactmentPhase.PENDING).count();
    long available = nodes.stream().filter(x -> x.phase() == EnactmentPhase.AVAILABLE).count();
    long notReady = nodes.stream().filter(x -> !x.ready()).count();
    long ready = total - notReady;
    long readyDone =
        nodes.stream().filter(x -> x.ready() && x.phase() == EnactmentPhase.AVAILABLE).count();
    var conditions = PolicyStatusAggregator.conditions(PolicyCounts.of(nodes), null, T0);
    var trueRows = conditions.stream().filter(c -> Condition.TRUE.equals(c.getStatus())).toList();
    soft.assertThat(trueRows).as("%s: exactly one True condition", nodes).hasSize(1);
    soft.assertThat(conditions)
        .as("%s: the four upstream types in order", nodes)
        .extracting(Condition::getType)
        .containsExactly("Available", "Degraded", "Progressing", "Ignored");
    if (trueRows.size() != 1) {
      return;
    }
    var t = trueRows.get(0);
    var notReadySuffix =
        notReady > 0 ? ", %d nodes ignored due to NotReady state".formatted(notReady) : "";
    String type;
    String message;
    if (total == 0) {
      type = "Ignored";
      message = "Policy does not match any node";
    } else if (failed > 0) {
      type = "Degraded";
      message =
          "%d/%d nodes failed to configure".formatted(failed, total)
              + (aborted > 0 ? ", %d nodes aborted configuration".formatted(aborted) : "");
    } else if (ready == 0 || readyDone < ready || pending > 0) {
      type = "Progressing";
      message =
          "Policy is progressing %d/%d nodes finished".formatted(readyDone, ready)
              + (readyDone >= ready && pending > 0 ? ", %d pending".formatted(pending) : "")
              + notReadySuffix;
    } else {
      type = "Available";
      message = "%d/%d nodes successfully configured".formatted(available, total) + notReadySuffix;
    }
    soft.assertThat(t.getType() + ": " + t.getMessage())
        .as("%s", nodes)
        .isEqualTo(type + ": " + message);
    soft.assertThat(t.getReason())
        .as("%s: upstream's reason", nodes)
        .isEqualTo(
            switch (type) {
              case "Ignored" -> "NoMatchingNode";
              case "Degraded" -> "FailedToConfigure";
              case "Progressing" -> "ConfigurationProgressing";
              default -> "SuccessfullyConfigured";
            });
    soft.assertThat(t.getType().equals("Degraded"))
        .as("%s: Degraded exactly when a node failed", nodes)
        .isEqualTo(failed > 0);
  }

  @Test
  void transitionTimeMovesOnlyWhenStatusFlips() {
    var a = ready(EnactmentPhase.AVAILABLE);
    var g = ready(EnactmentPhase.GRANTED);
    var first = PolicyStatusAggregator.conditions(counts(a, g, g, g), null, T0);
    var second = PolicyStatusAggregator.conditions(counts(a, a, g, g), first, T1);
    var progressing = second.get(2);
    assertThat(progressing.getMessage()).isEqualTo("Policy is progressing 2/4 nodes finished");
    assertThat(progressing.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");

    var done = PolicyStatusAggregator.conditions(counts(a, a, a, a), second, T1);
    assertThat(done.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T00:01:00Z");
    assertThat(done.get(2).getStatus()).isEqualTo(Condition.FALSE);
    assertThat(done.get(2).getLastTransitionTime()).isEqualTo("2025-01-01T00:01:00Z");
    // Ignored stayed False throughout.
    assertThat(done.get(3).getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void sameCountsGiveAnEqualStatusSoNothingIsWritten() {
    var c =
        counts(
            ready(EnactmentPhase.AVAILABLE),
            ready(EnactmentPhase.GRANTED),
            ready(EnactmentPhase.PENDING));
    var first = PolicyStatusAggregator.conditions(c, null, T0);
    assertThat(PolicyStatusAggregator.conditions(c, first, T1)).isEqualTo(first);
  }
}
