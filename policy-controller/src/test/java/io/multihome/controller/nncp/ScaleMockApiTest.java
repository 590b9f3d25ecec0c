package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@EnableKubernetesMockClient(crud = true)
class ScaleMockApiTest {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleMockApiTest.class);
  private static final int NODES = 1000;
  KubernetesClient client;
  ControllerFixture fx;

  @BeforeEach
  void setUp() {
    // Long leases: 1000 renewals every few seconds would load the mock server, not the controller.
    fx = new ControllerFixture(client, Duration.ofMillis(20), 600);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void thousandNodesOnePolicy() {
    for (int i = 0; i < NODES; i++) {
      fx.agents.addNode("node-%04d".formatted(i), Map.of("role", "worker"), true, true);
    }
    fx.startController();
    long start = System.nanoTime();
    fx.createPolicy("br1", Map.of("role", "worker"), new IntOrString("10%"));
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(fx.policyStatus("br1"))
                    .isEqualTo(
                        "Available/SuccessfullyConfigured: 1000/1000 nodes successfully configured"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    LOG.info("1000 nodes, maxUnavailable 10%: all Available after {} ms", millis);
    assertThat(fx.enactments("br1"))
        .hasSize(NODES)
        .allSatisfy(n -> assertThat(ControllerFixture.status(n)).isEqualTo("Available"));
    assertThat(fx.observer.maxUnavailable("br1")).isBetween(1, 100);
  }
}
