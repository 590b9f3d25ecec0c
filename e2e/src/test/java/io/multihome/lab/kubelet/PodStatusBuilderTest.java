package io.multihome.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatusBuilderTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2030-01-01T00:01:00Z");

  private static PodBuilder pod(String restartPolicy) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy(restartPolicy)
        .addNewContainer()
        .withName("a")
        .endContainer()
        .addNewContainer()
        .withName("b")
        .endContainer()
        .endSpec();
  }

  private static ContainerStatus waiting(String name, String reason) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withReady(false)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .endWaiting()
        .endState()
        .build();
  }

  private static ContainerStatus running(String name) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withReady(true)
        .withNewState()
        .withNewRunning()
        .withStartedAt("2030-01-01T00:00:00Z")
        .endRunning()
        .endState()
        .build();
  }

  private static ContainerStatus exited(String name, int code) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withReady(false)
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .endTerminated()
        .endState()
        .build();
  }

  private static PodStatusBuilder.Facts facts(boolean sandbox, ContainerStatus... main) {
    return new PodStatusBuilder.Facts(
        "198.18.0.1",
        sandbox ? List.of("198.19.1.5") : List.of(),
        sandbox,
        T0,
        null,
        null,
        List.of(),
        List.of(main));
  }

  private static PodCondition condition(PodStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aPodWaitingForItsSandboxIsPendingWithTheKubeletsConditions() {
    var s =
        PodStatusBuilder.build(
            pod("Always").build(),
            facts(false, waiting("a", "ContainerCreating"), waiting("b", "ContainerCreating")),
            T0);
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(s.getConditions())
        .extracting(PodCondition::getType)
        .containsExactly(
            "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("ContainersNotReady");
    assertThat(condition(s, "Ready").getMessage())
        .isEqualTo("containers with unready status: [a b]");
    assertThat(condition(s, "PodReadyToStartContainers").getStatus()).isEqualTo("False");
    assertThat(condition(s, "PodScheduled").getStatus()).isEqualTo("True");
    assertThat(s.getHostIP()).isEqualTo("198.18.0.1");
    assertThat(s.getPodIP()).isNull();
    assertThat(s.getStartTime()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(s.getQosClass()).isEqualTo("BestEffort");
  }

  @Test
  void oneContainerNotStartedKeepsThePodPending() {
    var s =
        PodStatusBuilder.build(
            pod("Always").build(),
            facts(true, running("a"), waiting("b", "CreateContainerError")),
            T0);
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(condition(s, "ContainersReady").getMessage())
        .isEqualTo("containers with unready status: [b]");
  }

  @Test
  void allRunningIsReadyWithThePodIp() {
    var s =
        PodStatusBuilder.build(pod("Always").build(), facts(true, running("a"), running("b")), T0);
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getReason()).isNull();
    assertThat(s.getPodIP()).isEqualTo("198.19.1.5");
    assertThat(s.getPodIPs()).hasSize(1);
  }

  @Test
  void transitionTimesStayWhileAConditionHolds() {
    var first =
        PodStatusBuilder.build(pod("Always").build(), facts(true, running("a"), running("b")), T0);
    var withStatus = pod("Always").withStatus(first).build();
    var again = PodStatusBuilder.build(withStatus, facts(true, running("a"), running("b")), T1);
    assertThat(condition(again, "Ready").getLastTransitionTime()).isEqualTo("2030-01-01T00:00:00Z");
    var changed = PodStatusBuilder.build(withStatus, facts(true, running("a"), exited("b", 1)), T1);
    assertThat(condition(changed, "Ready").getLastTransitionTime())
        .isEqualTo("2030-01-01T00:01:00Z");
  }

  @Test
  void phasesOfPodsWhoseContainersExited() {
    var allOk = facts(true, exited("a", 0), exited("b", 0));
    var oneFailed = facts(true, exited("a", 0), exited("b", 2));
    assertThat(PodStatusBuilder.build(pod("Never").build(), allOk, T0).getPhase())
        .isEqualTo("Succeeded");
    assertThat(PodStatusBuilder.build(pod("Never").build(), oneFailed, T0).getPhase())
        .isEqualTo("Failed");
    assertThat(PodStatusBuilder.build(pod("OnFailure").build(), allOk, T0).getPhase())
        .isEqualTo("Succeeded");
    assertThat(PodStatusBuilder.build(pod("OnFailure").build(), oneFailed, T0).getPhase())
        .isEqualTo("Running");
    assertThat(PodStatusBuilder.build(pod("Always").build(), allOk, T0).getPhase())
        .isEqualTo("Running");
    var done = PodStatusBuilder.build(pod("Never").build(), allOk, T0);
    assertThat(condition(done, "Ready").getReason()).isEqualTo("PodCompleted");
  }

  @Test
  void anAdmissionFailureFailsThePodWithItsReason() {
    var f =
        new PodStatusBuilder.Facts(
            null,
            List.of(),
            false,
            T0,
            "UnexpectedAdmissionError",
            "Allocate failed",
            List.of(),
            List.of(waiting("a", "ContainerCreating")));
    var s = PodStatusBuilder.build(pod("Always").build(), f, T0);
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo("UnexpectedAdmissionError");
    assertThat(s.getMessage()).isEqualTo("Allocate failed");
    assertThat(s.getHostIP()).isNull();
  }

  @Test
  void incompleteInitContainersAreNamed() {
    var f =
        new PodStatusBuilder.Facts(
            null,
            List.of("198.19.1.5"),
            true,
            T0,
            null,
            null,
            List.of(exited("init-ok", 0), waiting("init-2", "PodInitializing")),
            List.of(waiting("a", "PodInitializing")));
    var s = PodStatusBuilder.build(pod("Always").build(), f, T0);
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(condition(s, "Initialized").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Initialized").getMessage())
        .isEqualTo("containers with incomplete status: [init-2]");
    assertThat(s.getInitContainerStatuses()).hasSize(2);
  }

  @Test
  void qosClassFollowsRequestsAndLimits() {
    Pod guaranteed =
        pod("Always")
            .editSpec()
            .editContainer(0)
            .withNewResources()
            .addToLimits("cpu", new Quantity("1"))
            .addToLimits("memory", new Quantity("1Gi"))
            .endResources()
            .endContainer()
            .editContainer(1)
            .withNewResources()
            .addToRequests("cpu", new Quantity("1000m"))
            .addToLimits("cpu", new Quantity("1"))
            .addToLimits("memory", new Quantity("1Gi"))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    assertThat(PodStatusBuilder.qosClass(guaranteed)).isEqualTo("Guaranteed");
    Pod burstable =
        pod("Always")
            .editSpec()
            .editContainer(0)
            .withNewResources()
            .addToRequests("memory", new Quantity("64Mi"))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    assertThat(PodStatusBuilder.qosClass(burstable)).isEqualTo("Burstable");
    assertThat(PodStatusBuilder.qosClass(pod("Always").build())).isEqualTo("BestEffort");
  }
}
