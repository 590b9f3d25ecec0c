package io.multihome.controller.sriov;

import static io.multihome.controller.sriov.MockCluster.SRIOV_LABEL;
import static io.multihome.controller.sriov.MockCluster.intelPf;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.sriov.policy.NodeInventory;
import io.multihome.sriov.policy.PolicyValidator;
import io.multihome.sriov.policy.SupportedNics;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyAdmissionTest {
  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final List<NodeInventory> NODES =
      List.of(
          new NodeInventory("worker-1", SRIOV_LABEL, List.of(intelPf("ens1f0", "0000:3b:00.0"))));

  private final PolicyAdmission admission =
      new PolicyAdmission(new PolicyValidator(SupportedNics.upstreamDefaults()));

  @Test
  void upstreamPairIsAccepted() {
    var result = admission.evaluate(List.of(load("pol-b"), load("pol-a")), NODES);

    assertThat(result.rejected()).isEmpty();
    assertThat(result.accepted())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("pol-a", "pol-b");
  }

  @Test
  void theNewerOfTwoOverlappingPoliciesIsRejectedWhateverItsName() {
    var older = load("pol-b");
    older.getMetadata().setName("zz-older");
    older.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    older.getSpec().getNicSelector().setPfNames(List.of("ens1f0#0-5"));
    var newer = load("pol-a");
    newer.getMetadata().setName("aa-newer");
    newer.getMetadata().setCreationTimestamp("2026-01-02T00:00:00Z");

    var result = admission.evaluate(List.of(newer, older), NODES);

    assertThat(result.accepted())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("zz-older");
    assertThat(result.errorsOf("aa-newer"))
        .anySatisfy(
            e -> assertThat(e.message()).contains("is overlapped with existing policy zz-older"));
    assertThat(result.errorsOf("zz-older")).isEmpty();
  }

  @Test
  void policiesBeingDeletedAreIgnored() {
    var deleting = load("pol-a");
    deleting.getMetadata().setDeletionTimestamp("2026-01-03T00:00:00Z");

    var result = admission.evaluate(List.of(deleting), NODES);

    assertThat(result.accepted()).isEmpty();
    assertThat(result.rejected()).isEmpty();
  }

  @Test
  void aPolicySelectingNoNodeIsRejectedWithThePath() {
    var policy = load("pol-a");
    policy.getSpec().setNodeSelector(java.util.Map.of("role", "none"));

    var result = admission.evaluate(List.of(policy), NODES);

    assertThat(result.errorsOf("pol-a"))
        .anySatisfy(e -> assertThat(e.path()).isEqualTo("spec.nodeSelector"));
  }

  private static SriovNetworkNodePolicy load(String name) {
    try (InputStream in =
        PolicyAdmissionTest.class.getResourceAsStream("/policies/" + name + ".yaml")) {
      return K8S.unmarshal(in, SriovNetworkNodePolicy.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
