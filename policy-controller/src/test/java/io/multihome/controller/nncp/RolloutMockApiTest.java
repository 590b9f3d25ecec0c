package io.multihome.controller.nncp;

import static io.multihome.controller.nncp.ControllerFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.controller.nncp.SimulatedAgents.Behavior;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RolloutMockApiTest {
  private static final Map<String, String> WORKERS = Map.of("role", "worker");
  KubernetesClient client;
  ControllerFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ControllerFixture(client, Duration.ofMillis(150), 30);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private void nodes(int n) {
    for (int i = 0; i < n; i++) {
      fx.agents.addNode("node-%02d".formatted(i), WORKERS, true, true);
    }
  }

  @Test
  void integerMaxUnavailableIsNeverExceededAndEveryNodeEndsAvailable() {
    nodes(6);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString(2));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fx.policyStatus("br1"))
                    .isEqualTo(
                        "Available/SuccessfullyConfigured: 6/6 nodes successfully configured"));
    assertThat(fx.enactments("br1"))
        .hasSize(6)
        .allSatisfy(n -> assertThat(status(n)).isEqualTo("Available"));
    assertThat(fx.observer.maxUnavailable("br1")).isEqualTo(2);
  }

  @Test
  void percentMaxUnavailableRoundsUp() {
    nodes(5);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString("30%")); // ceil(1.5) = 2

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(fx.policyStatus("br1")).startsWith("Available/"));
    assertThat(fx.observer.maxUnavailable("br1")).isEqualTo(2);
  }

  @Test
  void heldNodesShowProgressingAndPendingWithUpstreamReasons() {
    nodes(3);
    for (int i = 0; i < 3; i++) {
      fx.agents.behave("node-%02d".formatted(i), Behavior.HOLD);
    }
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString(1));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var first = fx.existingEnactment("node-00", "br1");
              assertThat(status(first)).isEqualTo("Progressing");
              var pending = fx.existingEnactment("node-01", "br1");
              assertThat(status(pending)).isEqualTo("Pending");
              assertThat(reason(pending)).isEqualTo("MaxUnavailableLimitReached");
              assertThat(fx.policyStatus("br1"))
                  .isEqualTo(
                      "Progressing/ConfigurationProgressing: Policy is progressing 0/3 nodes finished");
            });
    var nnce = fx.enactment("node-01", "br1").orElseThrow();
    assertThat(nnce.getMetadata().getLabels())
        .containsEntry("nmstate.io/node", "node-01")
        .containsEntry("nmstate.io/policy", "br1");
    assertThat(nnce.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Node/node-01"));
    assertThat(nnce.getStatus().getPolicyGeneration()).isEqualTo(1L);
    assertThat(nnce.getStatus().getDesiredState()).isEqualTo(ControllerFixture.desiredState("br1"));
    assertThat(nnce.getMetadata().getAnnotations()).isNullOrEmpty();

    fx.agents.releaseAll();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              fx.agents.releaseAll();
              assertThat(fx.policyStatus("br1")).startsWith("Available/");
            });
    assertThat(fx.observer.maxUnavailable("br1")).isEqualTo(1);
  }

  private static String reason(NodeNetworkConfigurationEnactment n) {
    return n.getStatus().getConditions().stream()
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> c.getReason())
        .findFirst()
        .orElse("none");
  }
}
