package io.multihome.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTest {
  @Test
  void defaultsAreQuarterSurgeRoundedUpAndQuarterUnavailableRoundedDown() {
    assertThat(Rollout.limits(null, null, 3)).containsExactly(1, 0);
    assertThat(Rollout.limits(null, null, 10)).containsExactly(3, 2);
    assertThat(Rollout.limits(new IntOrString(2), new IntOrString("50%"), 5)).containsExactly(2, 2);
  }

  @Test
  void zeroSurgeAndZeroUnavailableMeansOneUnavailable() {
    assertThat(Rollout.limits(new IntOrString(0), new IntOrString(0), 3)).containsExactly(0, 1);
  }

  @Test
  void aValueThatIsNeitherIntNorPercentIsRefused() {
    assertThatThrownBy(() -> Rollout.resolve(new IntOrString("two"), 3, true))
        .hasMessageContaining("two");
  }

  @Test
  void theNewReplicaSetGrowsWithinReplicasPlusSurge() {
    assertThat(Rollout.newReplicas(3, 1, 0, 3)).isEqualTo(1);
    assertThat(Rollout.newReplicas(3, 1, 1, 4)).isEqualTo(1);
    assertThat(Rollout.newReplicas(3, 1, 1, 3)).isEqualTo(2);
    assertThat(Rollout.newReplicas(3, 1, 5, 5)).isEqualTo(3);
  }

  @Test
  void oldPodsGoOnlyAsFarAsAvailabilityAllows() {
    // 3 replicas, maxUnavailable 0: new RS has 1 pod not yet available, old has 3 available.
    assertThat(Rollout.scaleDownOlds(3, 0, new Rollout.Rs(1, 0), List.of(new Rollout.Rs(3, 3))))
        .containsExactly(3);
    // The new pod is available: one old pod may go.
    assertThat(Rollout.scaleDownOlds(3, 0, new Rollout.Rs(1, 1), List.of(new Rollout.Rs(3, 3))))
        .containsExactly(2);
    // Unavailable old pods go first, within all pods - minimum available - new unavailable.
    assertThat(Rollout.scaleDownOlds(2, 1, new Rollout.Rs(1, 0), List.of(new Rollout.Rs(2, 0))))
        .containsExactly(1);
    // Everything new is available: the old ones go entirely.
    assertThat(
            Rollout.scaleDownOlds(
                2, 0, new Rollout.Rs(2, 2), List.of(new Rollout.Rs(1, 1), new Rollout.Rs(1, 1))))
        .containsExactly(0, 0);
  }
}
