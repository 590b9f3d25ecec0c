package io.multihome.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeFitTest {
  private static final String BR = "bridge.network.kubevirt.io/br1";

  private static Node node(Map<String, String> allocatable) {
    var q = new TreeMap<String, Quantity>();
    allocatable.forEach((k, v) -> q.put(k, new Quantity(v)));
    return new NodeBuilder()
        .withNewMetadata()
        .withName("n1")
        .addToLabels("kubernetes.io/hostname", "n1")
        .addToLabels("zone", "a")
        .addToLabels("rank", "5")
        .endMetadata()
        .withNewStatus()
        .withAllocatable(q)
        .endStatus()
        .build();
  }

  private static PodBuilder pod(Map<String, String> requests, Map<String, String> limits) {
    var c = new ContainerBuilder().withName("c").withNewResources().endResources();
    requests.forEach((k, v) -> c.editResources().addToRequests(k, new Quantity(v)).endResources());
    limits.forEach((k, v) -> c.editResources().addToLimits(k, new Quantity(v)).endResources());
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .endMetadata()
        .withNewSpec()
        .withContainers(c.build())
        .endSpec();
  }

  private static Pod plain() {
    return pod(Map.of(), Map.of()).build();
  }

  @Test
  void extendedResourcesCountWhatBoundPodsAlreadyHold() {
    var node = node(Map.of(BR, "2", "pods", "110"));
    var one = pod(Map.of(BR, "1"), Map.of(BR, "1")).build();
    assertThat(NodeFit.reasons(one, node, List.of(one))).isEmpty();
    assertThat(NodeFit.reasons(one, node, List.of(one, one))).containsExactly("Insufficient " + BR);
  }

  @Test
  void aLimitWithoutRequestCountsAsTheRequestAndAMissingResourceIsInsufficient() {
    var limitsOnly = pod(Map.of(), Map.of(BR, "1", "cpu", "500m")).build();
    assertThat(NodeFit.reasons(limitsOnly, node(Map.of("cpu", "2")), List.of()))
        .containsExactly("Insufficient " + BR);
    assertThat(NodeFit.reasons(limitsOnly, node(Map.of("cpu", "400m", BR, "1")), List.of()))
        .containsExactly("Insufficient cpu");
  }

  @Test
  void initContainersCountByTheirLargestRequest() {
    var p =
        pod(Map.of("cpu", "1"), Map.of())
            .editSpec()
            .addNewInitContainer()
            .withName("i")
            .withNewResources()
            .addToRequests("cpu", new Quantity("3"))
            .endResources()
            .endInitContainer()
            .endSpec()
            .build();
    assertThat(NodeFit.requests(p).get("cpu")).isEqualByComparingTo("3");
    assertThat(NodeFit.reasons(p, node(Map.of("cpu", "2")), List.of()))
        .containsExactly("Insufficient cpu");
  }

  @Test
  void tooManyPods() {
    assertThat(NodeFit.reasons(plain(), node(Map.of("pods", "1")), List.of(plain())))
        .containsExactly(NodeFit.TOO_MANY_PODS);
  }

  @Test
  void nodeSelectorAndRequiredAffinityMustBothMatch() {
    var node = node(Map.of());
    var selected =
        pod(Map.of(), Map.of()).editSpec().withNodeSelector(Map.of("zone", "b")).endSpec();
    assertThat(NodeFit.reasons(selected.build(), node, List.of()))
        .containsExactly(NodeFit.AFFINITY);
    assertThat(NodeFit.matchesSelectorAndAffinity(affinity("zone", "In", "a"), node)).isTrue();
    assertThat(NodeFit.matchesSelectorAndAffinity(affinity("zone", "NotIn", "a"), node)).isFalse();
    assertThat(NodeFit.matchesSelectorAndAffinity(affinity("zone", "Exists"), node)).isTrue();
    assertThat(NodeFit.matchesSelectorAndAffinity(affinity("gpu", "DoesNotExist"), node)).isTrue();
    assertThat(NodeFit.matchesSelectorAndAffinity(affinity("rank", "Gt", "4"), node)).isTrue();
    assertThat(NodeFit.matchesSelectorAndAffinity(affinity("rank", "Lt", "4"), node)).isFalse();
  }

  private static Pod affinity(String key, String op, String... values) {
    return pod(Map.of(), Map.of())
        .editSpec()
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .withMatchExpressions(
            new NodeSelectorRequirementBuilder()
                .withKey(key)
                .withOperator(op)
                .withValues(values)
                .build())
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .endAffinity()
        .endSpec()
        .build();
  }

  @Test
  void noScheduleTaintsKeepOutPodsThatDoNotTolerateThem() {
    var tainted =
        new NodeBuilder(node(Map.of()))
            .withNewSpec()
            .withTaints(
                new TaintBuilder()
                    .withKey("dedicated")
                    .withValue("x")
                    .withEffect("NoSchedule")
                    .build(),
                new TaintBuilder().withKey("soft").withEffect("PreferNoSchedule").build())
            .endSpec()
            .build();
    assertThat(NodeFit.reasons(plain(), tainted, List.of()))
        .containsExactly("node(s) had untolerated taint {dedicated: x}");
    var equal =
        new TolerationBuilder()
            .withKey("dedicated")
            .withOperator("Equal")
            .withValue("x")
            .withEffect("NoSchedule")
            .build();
    var wrongValue = new TolerationBuilder(equal).withValue("y").build();
    var everything = new TolerationBuilder().withOperator("Exists").build();
    var otherEffect = new TolerationBuilder(equal).withEffect("NoExecute").build();
    for (var ok : List.of(equal, everything)) {
      var p = pod(Map.of(), Map.of()).editSpec().withTolerations(ok).endSpec().build();
      assertThat(NodeFit.reasons(p, tainted, List.of())).as(ok.toString()).isEmpty();
    }
    for (var no : List.of(wrongValue, otherEffect)) {
      var p = pod(Map.of(), Map.of()).editSpec().withTolerations(no).endSpec().build();
      assertThat(NodeFit.reasons(p, tainted, List.of())).as(no.toString()).hasSize(1);
    }
  }

  @Test
  void anUnschedulableNodeTakesNothing() {
    var cordoned =
        new NodeBuilder(node(Map.of())).withNewSpec().withUnschedulable(true).endSpec().build();
    assertThat(NodeFit.reasons(plain(), cordoned, List.of()))
        .containsExactly(NodeFit.UNSCHEDULABLE);
  }

  @Test
  void theFitErrorReadsLikeTheScheduler() {
    assertThat(NodeFit.fitError(3, Map.of("Insufficient " + BR, 3)))
        .isEqualTo("0/3 nodes are available: 3 Insufficient " + BR + ".");
    assertThat(
            NodeFit.fitError(
                3, Map.of("Insufficient cpu", 2, "node(s) had untolerated taint {a: }", 1)))
        .isEqualTo(
            "0/3 nodes are available: 1 node(s) had untolerated taint {a: }, 2 Insufficient cpu.");
    assertThat(NodeFit.fitError(0, Map.of())).isEqualTo("no nodes available to schedule pods");
  }
}
